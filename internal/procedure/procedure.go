// Package procedure lets the county administrator keep the procedure settings
// (办案期限、听证标准 and the other practice values of the procedure notes,
// as county defaults with per-domain overrides) and the holiday calendar
// (法定节假日与调休上班日) that the deadline rules read. Everyone may read
// them; only the county administrator may change them (the database's RLS
// policies say the same).
package procedure

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"zhifa/internal/database"
	"zhifa/internal/refcache"
	"zhifa/internal/zhifa"
)

// Service reads and changes the settings and the calendar.
type Service struct {
	DB  *database.DB
	Ref *refcache.Cache // dropped after a change (the cases' rules read it); may be nil
}

// UnitFen is the unit of settings that are money, stored in fen and entered
// and shown in yuan.
const UnitFen = "分"

// Setting is one row of procedure_settings: a county default (DomainID 0)
// or a domain's override.
type Setting struct {
	Key      string `db:"key"`
	DomainID int64  `db:"domain_id"` // 0 = county default
	Domain   string `db:"domain"`    // "" for a default
	Value    int64  `db:"value"`     // as stored: fen for money
	Label    string `db:"label"`
	Unit     string `db:"unit"`
	Basis    string `db:"basis"`
}

// IsMoney reports whether the setting is an amount of money.
func (s *Setting) IsMoney() bool { return s.Unit == UnitFen }

// InputUnit is the unit the user types the value in: 元 for money.
func (s *Setting) InputUnit() string {
	if s.IsMoney() {
		return "元"
	}
	return s.Unit
}

// Input is the value as the user would type it (yuan for money).
func (s *Setting) Input() string { return FormatValue(s.Unit, s.Value) }

// Display is the value with its unit, e.g. "5000元", "3个工作日", "6个月".
func (s *Setting) Display() string { return withUnit(s.Unit, s.Value) }

// withUnit writes a stored value with its unit, as Display does.
func withUnit(unit string, v int64) string {
	n := FormatValue(unit, v)
	switch unit {
	case UnitFen:
		return n + "元"
	case "工作日":
		return n + "个工作日"
	case "月":
		return n + "个月"
	case "字节":
		return n + "字节（" + humanBytes(v) + "）"
	}
	return n + unit
}

// PerDomain reports whether a domain may override the setting: the file
// size limit is one system-wide value.
func PerDomain(key string) bool { return key != "evidence_max_bytes" }

// Holiday is one day of the calendar: a public holiday, or an adjusted
// working day (调休: a weekend day that is a working day).
type Holiday struct {
	Day  time.Time `db:"day"`
	Kind string    `db:"kind"` // "holiday" | "workday"
	Name string    `db:"name"`
}

// Kinds of calendar day, with their Chinese names.
var Kinds = []struct{ Value, Label string }{{"holiday", "放假"}, {"workday", "调休上班"}}

// KindLabel is the kind in Chinese.
func (h *Holiday) KindLabel() string { return KindLabel(h.Kind) }

// KindLabel names a kind of calendar day in Chinese.
func KindLabel(kind string) string {
	for _, k := range Kinds {
		if k.Value == kind {
			return k.Label
		}
	}
	return kind
}

// Weekday is the day's weekday in Chinese, e.g. "周六".
func (h *Holiday) Weekday() string {
	return "周" + string([]rune("日一二三四五六")[h.Day.Weekday()])
}

// keyOrder is the order of the settings as the procedure notes list them
// (that of the migration); keys not listed follow by name.
var keyOrder = []string{"filing_working_days", "decision_days", "extension_days", "max_extensions",
	"statement_working_days", "hearing_request_days", "hearing_notice_working_days",
	"review_working_days", "service_days", "payment_days", "limitation_years", "limitation_years_serious",
	"preservation_working_days", "seizure_days", "transfer_decide_working_days", "hand_in_working_days",
	"demand_working_days", "reconsideration_days", "litigation_months", "enforcement_apply_months", "major_filing_working_days", "publication_working_days", "due_soon_days",
	"hearing_person_fen", "hearing_org_fen", "discussion_person_fen", "discussion_org_fen",
	"summary_person_cap_fen", "summary_org_cap_fen", "onspot_cap_fen", "evidence_max_bytes"}

// Settings returns every setting: the county defaults first, then the
// domains' overrides by domain, each in the order of the procedure notes.
func (s *Service) Settings(ctx context.Context) ([]Setting, error) {
	var out []Setting
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT s.key, coalesce(s.domain_id, 0) AS domain_id, coalesce(d.name, '') AS domain,
				s.value, s.label, s.unit, s.basis
			FROM procedure_settings s LEFT JOIN domains d ON d.id = s.domain_id
			ORDER BY s.domain_id IS NOT NULL, d.position, d.id, array_position($1::text[], s.key) NULLS LAST, s.key`, keyOrder)
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowToStructByName[Setting])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list procedure settings: %w", err)
	}
	return out, nil
}

func requireAdmin(ctx context.Context) error {
	if a := zhifa.ActorFrom(ctx); a == nil || a.Role != zhifa.RoleCountyAdmin {
		return zhifa.Errorf(zhifa.EFORBIDDEN, "只有县级管理员可以修改办案设置和节假日。")
	}
	return nil
}

// defaultOf reads the county default of key, locked for the change.
func defaultOf(ctx context.Context, tx pgx.Tx, key string) (*Setting, error) {
	rows, _ := tx.Query(ctx, `SELECT key, 0::bigint AS domain_id, '' AS domain, value, label, unit, basis
		FROM procedure_settings WHERE key = $1 AND domain_id IS NULL FOR UPDATE`, key)
	st, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Setting])
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return &st, err
}

// SetDefault changes the county default of key; value is typed as the user
// thinks of it (yuan for money).
func (s *Service) SetDefault(ctx context.Context, key, value string) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		st, err := defaultOf(ctx, tx, key)
		if err != nil {
			return err
		} else if st == nil {
			return zhifa.Errorf(zhifa.ENOTFOUND, "没有找到该设置项。")
		}
		v, msg := ParseValue(key, st.Unit, value)
		if msg != "" {
			return zhifa.FieldErrors{"value": msg}
		}
		_, err = tx.Exec(ctx, `UPDATE procedure_settings SET value = $2 WHERE key = $1 AND domain_id IS NULL`, key, v)
		return err
	})
	s.Ref.Drop(refcache.Settings) // this instance's next page sees it at once
	return zhifa.Annotate(err, "set default "+key)
}

// SetForDomain sets (or changes) the domain's own value of key, which then
// applies to the cases of that domain instead of the county default.
func (s *Service) SetForDomain(ctx context.Context, key string, domainID int64, value string) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		fe := zhifa.FieldErrors{}
		fe.Check(domainID > 0, "domain", "请选择领域。")
		var st *Setting
		switch {
		case key == "":
			fe.Add("key", "请选择设置项。")
		case !PerDomain(key):
			fe.Add("key", "该设置项全县统一，不能按领域设置。")
		default:
			var err error
			if st, err = defaultOf(ctx, tx, key); err != nil {
				return err
			}
			fe.Check(st != nil, "key", "请选择设置项。")
		}
		var v int64
		if st != nil {
			var msg string
			v, msg = ParseValue(key, st.Unit, value)
			fe.Check(msg == "", "value", msg)
		}
		if err := fe.Err(); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO procedure_settings (key, domain_id, value, label, unit, basis)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (key, domain_id) DO UPDATE SET value = EXCLUDED.value`,
			key, domainID, v, st.Label, st.Unit, st.Basis)
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "23503" {
			return zhifa.FieldErrors{"domain": "请选择有效的领域。"}
		}
		return err
	})
	s.Ref.Drop(refcache.Settings)
	return zhifa.Annotate(err, fmt.Sprintf("set %s for domain %d", key, domainID))
}

// ClearForDomain removes the domain's own value of key: the county default
// applies again.
func (s *Service) ClearForDomain(ctx context.Context, key string, domainID int64) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM procedure_settings WHERE key = $1 AND domain_id = $2`, key, domainID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return zhifa.Errorf(zhifa.ENOTFOUND, "没有找到该领域的这项设置，可能已被删除。")
		}
		return nil
	})
	s.Ref.Drop(refcache.Settings)
	return zhifa.Annotate(err, fmt.Sprintf("clear %s for domain %d", key, domainID))
}

// bounds are the acceptable values of a setting, in stored units. Where
// the law fixes a period, it is a floor when it protects the party (the time
// to request a hearing, to pay, to seek a remedy) and a ceiling when it binds
// the agency (the time to decide, to serve, to end a seizure); the refusal
// then names the bound and its article.
type bounds struct {
	min, max int64
	// kind says which bound the law (or practice, for law) fixes.
	kind bound
	name string // what the refusal calls the setting, e.g. "听证申请期"
	law  string // where the bound comes from, e.g. "行政处罚法第六十四条"
	// practice marks a bound set by practice rather than by statute: the
	// refusal does not call it "法定".
	practice bool
}

type bound int

const (
	plain   bound = iota // no legal bound: only a sensible range
	floor                // min is the party's statutory right
	ceiling              // max is the agency's statutory duty
	fixed                // the law fixes the value (min == max)
)

const (
	fenPerYuan  = 100
	maxMoneyFen = 100_000_000 * fenPerYuan // 1亿元
)

var settingBounds = map[string]bounds{
	// The party's periods: floors.
	"statement_working_days": {min: 3, max: 30, kind: floor, name: "陈述申辩期",
		law: "行政处罚法第四十四条、第四十五条；实务最低标准", practice: true},
	"hearing_request_days":        statute(5, 30, floor, "听证申请期", "行政处罚法第六十四条"),
	"hearing_notice_working_days": statute(7, 30, floor, "听证通知期", "行政处罚法第六十四条"),
	"payment_days":                statute(15, 90, floor, "缴纳罚款期限", "行政处罚法第六十七条"),
	"demand_working_days":         statute(10, 60, floor, "催告后申请强制执行的等待期", "行政强制法第五十四条"),
	"reconsideration_days":        statute(60, 365, floor, "申请行政复议期限", "行政复议法第二十条"),
	"litigation_months":           statute(6, 24, floor, "提起行政诉讼期限", "行政诉讼法第四十六条"),
	// The agency's duties: ceilings.
	"decision_days": statute(1, 90, ceiling, "作出处罚决定期限", "行政处罚法第六十条"),
	"extension_days": {min: 1, max: 30, kind: ceiling, name: "每次延长的期限",
		law: "经负责人批准延长三十日，部门规章的通行规定", practice: true},
	"service_days":                 statute(1, 7, ceiling, "决定书送达期限", "行政处罚法第六十一条"),
	"preservation_working_days":    statute(1, 7, ceiling, "先行登记保存处理期限", "行政处罚法第五十六条"),
	"seizure_days":                 statute(1, 30, ceiling, "查封扣押期限", "行政强制法第二十五条"),
	"transfer_decide_working_days": statute(1, 3, ceiling, "移送涉嫌犯罪案件审批期限", "行政执法机关移送涉嫌犯罪案件的规定第五条"),
	"hand_in_working_days":         statute(1, 2, ceiling, "当场收缴罚款上缴期限", "行政处罚法第七十一条"),
	"enforcement_apply_months":     statute(1, 3, ceiling, "申请法院强制执行期限", "行政强制法第五十三条"),
	"onspot_cap_fen":               statute(1, 100*fenPerYuan, ceiling, "当场收缴罚款限额", "行政处罚法第六十八条"),
	// 行政处罚法第五十一条 fixes the summary procedure's caps: at most
	// 200 yuan for a person, 3000 yuan for an organisation.
	"summary_person_cap_fen": statute(1, 200*fenPerYuan, ceiling, "简易程序对个人罚款上限", "行政处罚法第五十一条"),
	"summary_org_cap_fen":    statute(1, 3000*fenPerYuan, ceiling, "简易程序对单位罚款上限", "行政处罚法第五十一条"),
	// Art. 36 fixes the limitation: a shorter one would give up penalties
	// the law requires, a longer one would punish what the law forbids.
	"limitation_years":         statute(2, 2, fixed, "追责时效", "行政处罚法第三十六条"),
	"limitation_years_serious": statute(5, 5, fixed, "涉及生命健康安全、金融安全且有危害后果的追责时效", "行政处罚法第三十六条"),
	// Practice values: sensible ranges.
	"filing_working_days": {min: 1, max: 30},
	"max_extensions":      {min: 0, max: 10},
	"review_working_days": {min: 1, max: 60},
	"due_soon_days":       {min: 1, max: 60},
	"evidence_max_bytes":  {min: 1 << 20, max: 8 << 30}, // body-worn camera video runs to gigabytes

	// Filing a major decision with the county: no statute fixes it.
	"major_filing_working_days": {min: 1, max: 30},
	// Publishing a penalty decision (APL art. 48 sets no period; practice
	// is 7 working days, some provinces 20).
	"publication_working_days": {min: 1, max: 20},
}

// statute is a bound set by law.
func statute(min, max int64, kind bound, name, law string) bounds {
	return bounds{min: min, max: max, kind: kind, name: name, law: law}
}

func boundsOf(key, unit string) bounds {
	if b, ok := settingBounds[key]; ok {
		return b
	}
	if unit == UnitFen {
		return bounds{min: 1, max: maxMoneyFen}
	}
	return bounds{min: 0, max: 1_000_000_000_000}
}

// legal returns the refusal for a value v outside a legal bound, or "".
func (b bounds) legal(unit string, v int64) string {
	statutory := "法定的"
	if b.practice {
		statutory = ""
	}
	switch {
	case b.kind == fixed && v != b.min:
		return fmt.Sprintf("%s为%s%s，不能修改（%s）。", b.name, statutory, withUnit(unit, b.min), b.law)
	case b.kind == floor && v < b.min:
		return fmt.Sprintf("%s不得少于%s%s（%s）。", b.name, statutory, withUnit(unit, b.min), b.law)
	case b.kind == ceiling && v > b.max:
		return fmt.Sprintf("%s不得超过%s%s（%s）。", b.name, statutory, withUnit(unit, b.max), b.law)
	}
	return ""
}

var (
	wholeRE      = regexp.MustCompile(`^[0-9]+$`)
	tooPreciseRE = regexp.MustCompile(`^[0-9]{1,12}\.[0-9]{3,}$`)
)

// ParseValue reads a value as typed (yuan with up to two decimals for money,
// else a whole number) into its stored units, checking the key's bounds. It
// returns a Chinese message when the value is not acceptable.
func ParseValue(key, unit, typed string) (int64, string) {
	t := strings.TrimSpace(typed)
	b := boundsOf(key, unit)
	if unit == UnitFen {
		t = strings.TrimSpace(strings.TrimSuffix(t, "元"))
		t = strings.NewReplacer(",", "", "，", "", " ", "").Replace(t)
		rangeMsg := fmt.Sprintf("金额应在%s元至%s元之间。", FormatYuan(b.min), FormatYuan(b.max))
		switch {
		case t == "":
			return 0, "请填写金额（元）。"
		case strings.HasPrefix(t, "-"):
			return 0, "金额不能为负数。" + rangeMsg
		case tooPreciseRE.MatchString(t):
			return 0, "金额最多保留两位小数（精确到分）。"
		}
		v, ok := zhifa.ParseYuan(t)
		if !ok {
			return 0, "请填写金额（元），最多两位小数，例如 5000 或 5000.50。"
		}
		if msg := b.legal(unit, v); msg != "" {
			return 0, msg
		}
		if v < b.min || v > b.max {
			return 0, rangeMsg
		}
		return v, ""
	}
	rangeMsg := fmt.Sprintf("应为%d至%d之间的整数（单位：%s）。", b.min, b.max, unit)
	if b.kind == fixed {
		rangeMsg = b.legal(unit, b.min+1)
	}
	switch {
	case t == "":
		return 0, "请填写数值。" + rangeMsg
	case strings.HasPrefix(t, "-"):
		return 0, "不能为负数。" + rangeMsg
	case !wholeRE.MatchString(t):
		return 0, "请填写整数，不带小数和单位。" + rangeMsg
	case len(t) > 15:
		return 0, rangeMsg
	}
	v, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		return 0, rangeMsg
	}
	if msg := b.legal(unit, v); msg != "" {
		return 0, msg
	}
	if v < b.min || v > b.max {
		return 0, rangeMsg
	}
	return v, ""
}

// FormatValue writes a stored value as the user types it: yuan for money
// ("5000", "2.50"), else the whole number.
func FormatValue(unit string, v int64) string {
	if unit == UnitFen {
		return FormatYuan(v)
	}
	return strconv.FormatInt(v, 10)
}

// FormatYuan writes fen as yuan, with two decimals only when there are cents.
func FormatYuan(fen int64) string { return zhifa.FormatYuan(fen) }

func humanBytes(n int64) string {
	const mb = 1 << 20
	if n%mb == 0 {
		return strconv.FormatInt(n/mb, 10) + " MB"
	}
	return fmt.Sprintf("约 %.1f MB", float64(n)/mb) // display only
}

// Holidays returns the calendar days of year, in date order.
func (s *Service) Holidays(ctx context.Context, year int) ([]Holiday, error) {
	var out []Holiday
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT day, kind, name FROM holidays
			WHERE day >= make_date($1, 1, 1) AND day < make_date($1 + 1, 1, 1) ORDER BY day`, year)
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowToStructByName[Holiday])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list holidays %d: %w", year, err)
	}
	return out, nil
}

// MinYear and MaxYear bound the calendar's years.
const (
	MinYear = 2000
	MaxYear = 2100
)

func parseDay(day string) (time.Time, string) {
	day = strings.TrimSpace(day)
	if day == "" {
		return time.Time{}, "请填写日期。"
	}
	d, err := time.ParseInLocation(time.DateOnly, day, zhifa.Local)
	if err != nil {
		return time.Time{}, "日期格式应为 年-月-日，例如 2026-10-01。"
	}
	if d.Year() < MinYear || d.Year() > MaxYear {
		return time.Time{}, fmt.Sprintf("日期应在%d年至%d年之间。", MinYear, MaxYear)
	}
	return d, ""
}

// AddHoliday adds a public holiday or an adjusted working day to the calendar.
func (s *Service) AddHoliday(ctx context.Context, day, kind, name string) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	fe := zhifa.FieldErrors{}
	d, msg := parseDay(day)
	fe.Check(msg == "", "day", msg)
	fe.Check(kind == "holiday" || kind == "workday", "kind", "请选择放假或调休上班。")
	if msg == "" && kind == "workday" {
		wd := d.Weekday()
		fe.Check(wd == time.Saturday || wd == time.Sunday, "kind", "调休上班日应为周六或周日；工作日本来就上班，无需登记。")
	}
	name = strings.TrimSpace(name)
	fe.Check(utf8.RuneCountInString(name) <= 20, "name", "名称不超过20个字。")
	if err := fe.Err(); err != nil {
		return err
	}
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		var k, n string
		err := tx.QueryRow(ctx, `SELECT kind, name FROM holidays WHERE day = $1`, d.Format(time.DateOnly)).Scan(&k, &n)
		if err == nil {
			what := KindLabel(k)
			if n != "" {
				what += "（" + n + "）"
			}
			return zhifa.FieldErrors{"day": "该日期已登记为“" + what + "”；如需修改，请先删除原记录。"}
		} else if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO holidays (day, kind, name) VALUES ($1, $2, $3)`, d.Format(time.DateOnly), kind, name)
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "23505" { // added meanwhile
			return zhifa.FieldErrors{"day": "该日期已在日历中；如需修改，请先删除原记录。"}
		}
		return err
	})
	s.Ref.Drop(refcache.Holidays) // this instance's next page sees it at once
	return zhifa.Annotate(err, "add holiday "+day)
}

// RemoveHoliday removes a day from the calendar.
func (s *Service) RemoveHoliday(ctx context.Context, day string) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	d, msg := parseDay(day)
	if msg != "" {
		return zhifa.Errorf(zhifa.EINVALID, "%s", msg)
	}
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM holidays WHERE day = $1`, d.Format(time.DateOnly))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return zhifa.Errorf(zhifa.ENOTFOUND, "日历中没有该日期，可能已被删除。")
		}
		return nil
	})
	s.Ref.Drop(refcache.Holidays)
	return zhifa.Annotate(err, "remove holiday "+day)
}
