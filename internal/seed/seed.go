// Package seed loads the demo data: accounts for every town (its team, its
// reviewer and its head) and the county,
// with enforcement certificates (some about to expire), a sample
// catalogue of enforcement items with each town's list, and each town's
// sample villages. It is idempotent.
package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/account"
	"zhifa/internal/database"
	"zhifa/internal/procedure"
	"zhifa/internal/zhifa"
)

// DefaultPassword is the demo password unless ZHIFA_DEMO_PASSWORD says otherwise.
const DefaultPassword = "zhifa-demo"

var surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈")
var givenNames = []string{"建国", "志强", "海燕", "明", "丽娟", "伟", "静", "军", "晓东", "春梅", "国庆", "红", "磊", "小龙", "文华", "秀英", "平", "勇", "俊杰", "玉兰"}

func personName(i int) string {
	return string(surnames[i%len(surnames)]) + givenNames[(i*7)%len(givenNames)]
}

type demoUser struct {
	username, name, phone string
	role                  zhifa.Role
	townCode              string
	cert                  *certSpec
	qualification         string // 法律职业资格证书编号 (reviewers)
}

type certSpec struct {
	number     string
	validFrom  time.Time
	validUntil time.Time
}

// Users returns the demo accounts, with certificate dates relative to today
// so that the "expiring soon" flags always have something to show.
func Users(today time.Time, towns []string) []demoUser {
	var out []demoUser
	n := 0
	for ti, code := range towns {
		cert := func(k int, until time.Time) *certSpec {
			return &certSpec{
				number:     fmt.Sprintf("61092%02d%03d", ti+1, k),
				validFrom:  until.AddDate(-5, 0, 0),
				validUntil: until,
			}
		}
		longValid := today.AddDate(2, 3, ti)
		add := func(suffix string, role zhifa.Role, c *certSpec) {
			n++
			out = append(out, demoUser{
				username: code + "-" + suffix, name: personName(n), role: role, townCode: code, cert: c,
				phone: fmt.Sprintf("0915-43%02d%03d", ti+1, n%1000),
			})
		}
		add("leader", zhifa.RoleLeader, cert(1, longValid))
		add("officer1", zhifa.RoleOfficer, cert(2, longValid.AddDate(0, 1, 0)))
		// Every third town has an officer whose certificate expires within 30
		// days, and every fifth one whose certificate has lapsed.
		switch {
		case ti%3 == 0:
			add("officer2", zhifa.RoleOfficer, cert(3, today.AddDate(0, 0, 10+ti)))
		case ti%5 == 1:
			add("officer2", zhifa.RoleOfficer, cert(3, today.AddDate(0, 0, -20-ti)))
		default:
			add("officer2", zhifa.RoleOfficer, cert(3, longValid.AddDate(0, 2, 0)))
		}
		add("officer3", zhifa.RoleOfficer, cert(4, longValid.AddDate(1, 0, 0)))
		add("reviewer", zhifa.RoleTownReviewer, nil)
		out[len(out)-1].qualification = fmt.Sprintf("A%d61092%06d", 2012+ti%10, ti+1)
		// The town's 行政机关负责人: the 镇长 in some towns, the deputy in
		// charge in others. Named apart from the rest (it takes no number
		// from n, so the other demo names stay as they were).
		title := "（镇长）"
		if ti%2 == 1 {
			title = "（分管副镇长）"
		}
		out = append(out, demoUser{
			username: code + "-head", name: string(surnames[ti%len(surnames)]) + "某某" + title, role: zhifa.RoleHead,
			townCode: code, phone: fmt.Sprintf("0915-44%02d001", ti+1),
		})
	}
	out = append(out,
		demoUser{username: "county-reviewer", name: "司法局" + personName(n+1), role: zhifa.RoleCountyReviewer, phone: "0915-4321001",
			qualification: "A20096109000001"},
		demoUser{username: "county-admin", name: "管理员" + personName(n+2), role: zhifa.RoleCountyAdmin, phone: "0915-4321002"},
	)
	return out
}

// Seeded reports whether the demo data is already present.
func Seeded(ctx context.Context, db *database.DB) (bool, error) {
	var ok bool
	err := db.TxWith(ctx, database.Settings{Login: "county-admin"}, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM users WHERE username = 'county-admin')`).Scan(&ok)
	})
	return ok, err
}

// Run inserts the demo accounts that do not exist yet; existing ones are
// left as they are, so running it twice changes nothing.
func Run(ctx context.Context, db *database.DB, hasher *account.Hasher, password string, today time.Time) (created int, err error) {
	// One hash for every demo account: they share a password anyway.
	hash, err := hasher.Hash(ctx, password)
	if err != nil {
		return 0, err
	}
	ctx = zhifa.WithActor(ctx, zhifa.System)
	err = db.Tx(ctx, func(tx pgx.Tx) error {
		created = 0 // counted afresh if a deadlock runs this again
		rows, _ := tx.Query(ctx, `SELECT code FROM towns ORDER BY position`)
		towns, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		for _, u := range Users(today, towns) {
			var id int64
			err := tx.QueryRow(ctx, `INSERT INTO users (username, display_name, phone, role, town_id, password_hash, legal_qualification_no)
				VALUES ($1, $2, $3, $4, (SELECT id FROM towns WHERE code = nullif($5, '')), $6, $7)
				ON CONFLICT (username) DO NOTHING RETURNING id`,
				u.username, u.name, u.phone, u.role, u.townCode, hash, u.qualification).Scan(&id)
			if err == pgx.ErrNoRows {
				continue // already there
			} else if err != nil {
				return fmt.Errorf("seed user %s: %w", u.username, err)
			}
			created++
			if u.cert == nil {
				continue
			}
			_, err = tx.Exec(ctx, `INSERT INTO certificates (user_id, town_id, number, issuer, valid_from, valid_until)
				SELECT $1, town_id, $2, '紫阳县人民政府', $3, $4 FROM users WHERE id = $1
				ON CONFLICT DO NOTHING`,
				id, u.cert.number, u.cert.validFrom.Format(time.DateOnly), u.cert.validUntil.Format(time.DateOnly))
			if err != nil {
				return fmt.Errorf("seed certificate of %s: %w", u.username, err)
			}
		}
		if err := seedCatalogue(ctx, tx); err != nil {
			return err
		}
		if err := procedure.SeedHolidays(ctx, tx); err != nil {
			return err
		}
		if err := seedVillages(ctx, tx); err != nil {
			return err
		}
		if err := seedMajorThresholds(ctx, tx); err != nil {
			return err
		}
		if err := seedTraining(ctx, tx, today); err != nil { // internal/seed/training.go
			return err
		}
		if err := seedSupervisor(ctx, tx, today, hash); err != nil {
			return err
		}
		return seedCases(ctx, tx, today)
	})
	return created, err
}
