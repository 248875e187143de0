// Package training owns the training records (培训): the sessions a town's
// team or the county holds, who of the officers attended each, and from
// them each officer's hours per year and the county's summary (参训人次).
//
// A town's 队长 records the town's sessions and their attendance; the
// county administrator records the county's sessions, which officers of
// every town attend. Attendance rows belong to the officer's town
// (migrations/0035), so a town reads its own officers' attendance of a
// county session and nothing of another town's.
package training

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/database"
	"zhifa/internal/zhifa"
)

// Hours is a number of 学时 in tenths, so that sums are exact.
type Hours int64

// MaxSessionHours bounds one session (the database checks it too).
const MaxSessionHours Hours = 800

// AnnualHours is the training an officer should have each year: 每人每年
// 不少于60学时的公共法律知识、业务知识和行政执法技能培训 (提升行政执法质量三年
// 行动计划（2023—2025年）, 国办发〔2023〕27号).
const AnnualHours Hours = 600

// String is the hours as people write them: "3", "1.5".
func (h Hours) String() string {
	s := strconv.FormatInt(int64(h)/10, 10)
	if f := int64(h) % 10; f != 0 {
		s += "." + strconv.FormatInt(f, 10)
	}
	return s
}

// ParseHours reads "3", "1.5" or "2.0" (at most one decimal).
func ParseHours(s string) (Hours, bool) {
	s = strings.TrimSpace(s)
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || len(whole) > 3 || (dot && len(frac) != 1) {
		return 0, false
	}
	w, err := strconv.Atoi(whole)
	if err != nil || w < 0 {
		return 0, false
	}
	f := 0
	if dot {
		if f, err = strconv.Atoi(frac); err != nil || f < 0 {
			return 0, false
		}
	}
	return Hours(w*10 + f), true
}

// CountyOrganiser is the organiser value of a county session in forms.
const CountyOrganiser = "county"

// Session is one training session.
type Session struct {
	ID        int64     `db:"id"`
	TownID    *int64    `db:"town_id"` // nil: held by the county
	TownName  string    `db:"town_name"`
	HeldOn    time.Time `db:"held_on"`
	Topic     string    `db:"topic"`
	Hours     Hours     `db:"hours"`
	Trainer   string    `db:"trainer"`
	CreatedBy string    `db:"created_by"`
	// Attendees is how many attended, of the officers the actor may see.
	Attendees int `db:"attendees"`
	// Attendance is who attended (Get only), by town and name.
	Attendance []Attendee `db:"-"`
}

// County reports whether the county held the session.
func (s *Session) County() bool { return s.TownID == nil }

// Organiser is who held the session, in words.
func (s *Session) Organiser() string {
	if s.County() {
		return "县司法局（县级）"
	}
	return s.TownName
}

// OwnerTown is the session's town id, 0 for the county.
func (s *Session) OwnerTown() int64 {
	if s.TownID == nil {
		return 0
	}
	return *s.TownID
}

// Attended reports whether userID is in the attendance.
func (s *Session) Attended(userID int64) bool {
	return slices.ContainsFunc(s.Attendance, func(a Attendee) bool { return a.UserID == userID })
}

// Attendee is an officer who attended a session.
type Attendee struct {
	UserID   int64  `db:"user_id"`
	Name     string `db:"display_name"`
	TownID   int64  `db:"town_id"`
	TownName string `db:"town_name"`
}

// Service records and reads training.
type Service struct {
	DB    *database.DB
	Clock zhifa.Clock
}

// CanRecord reports whether a may record sessions held by townID (0: the
// county) and their attendance: a town's 队长 its own town's, the county
// administrator the county's.
func CanRecord(a *zhifa.Actor, townID int64) bool {
	if a == nil {
		return false
	}
	if townID == 0 {
		return a.Role == zhifa.RoleCountyAdmin
	}
	return a.Role == zhifa.RoleLeader && a.TownID == townID
}

// CanRecordAny reports whether a records any sessions at all.
func CanRecordAny(a *zhifa.Actor) bool {
	return a != nil && (a.Role == zhifa.RoleCountyAdmin || a.Role == zhifa.RoleLeader)
}

// refusal says why a may not record a session held by townID.
func refusal(a *zhifa.Actor, townID int64) error {
	switch {
	case a != nil && a.Role == zhifa.RoleLeader && townID == 0:
		return zhifa.Errorf(zhifa.EFORBIDDEN, "县级组织的培训由县级管理员登记，队长只能登记本镇组织的培训。")
	case a != nil && a.Role == zhifa.RoleLeader:
		return zhifa.Errorf(zhifa.EFORBIDDEN, "队长只能登记本镇组织的培训，其他镇的培训由该镇队长登记。")
	case a != nil && a.Role == zhifa.RoleCountyAdmin:
		return zhifa.Errorf(zhifa.EFORBIDDEN, "县级管理员登记县级组织的培训，镇组织的培训由该镇队长登记。")
	}
	return zhifa.Errorf(zhifa.EFORBIDDEN, "只有队长（本镇组织的培训）和县级管理员（县级组织的培训）可以登记培训。")
}

// Filter narrows the session list.
type Filter struct {
	Year   int   // 0: every year
	TownID int64 // the county's town filter: that town's sessions and the county's (0: all)
}

const sessionColumns = `s.id, s.town_id, coalesce(t.name, '') AS town_name, s.held_on, s.topic, (s.hours * 10)::bigint AS hours,
	s.trainer, coalesce(u.display_name, '') AS created_by`

const sessionFrom = ` FROM training_sessions s LEFT JOIN towns t ON t.id = s.town_id LEFT JOIN users u ON u.id = s.created_by`

// List is the sessions the actor may read (a town its own and the
// county's), newest first, with the attendance it may see counted.
func (s *Service) List(ctx context.Context, f Filter) ([]Session, error) {
	var out []Session
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT `+sessionColumns+`,
				(SELECT count(*) FROM training_attendance a WHERE a.session_id = s.id)::int AS attendees`+sessionFrom+`
			WHERE ($1 = 0 OR s.held_on >= make_date($1, 1, 1) AND s.held_on < make_date($1 + 1, 1, 1))
			  AND ($2 = 0 OR s.town_id = $2 OR s.town_id IS NULL)
			ORDER BY s.held_on DESC, s.id DESC`, f.Year, f.TownID)
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowToStructByName[Session])
		return err
	})
	return out, zhifa.Annotate(err, "training sessions")
}

var errNotFound = zhifa.Errorf(zhifa.ENOTFOUND, "没有找到该培训记录。")

// Get is one session with the attendance the actor may see.
func (s *Service) Get(ctx context.Context, id int64) (*Session, error) {
	var out *Session
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = get(ctx, tx, id)
		return err
	})
	return out, zhifa.Annotate(err, fmt.Sprintf("training session %d", id))
}

func get(ctx context.Context, tx pgx.Tx, id int64) (*Session, error) {
	rows, _ := tx.Query(ctx, `SELECT `+sessionColumns+`, 0 AS attendees`+sessionFrom+` WHERE s.id = $1`, id)
	out, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByName[Session])
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errNotFound
	} else if err != nil {
		return nil, err
	}
	rows, _ = tx.Query(ctx, `SELECT a.user_id, u.display_name, a.town_id, t.name AS town_name
		FROM training_attendance a JOIN users u ON u.id = a.user_id JOIN towns t ON t.id = a.town_id
		WHERE a.session_id = $1 ORDER BY t.position, u.username`, id)
	if out.Attendance, err = pgx.CollectRows(rows, pgx.RowToStructByName[Attendee]); err != nil {
		return nil, err
	}
	out.Attendees = len(out.Attendance)
	return out, nil
}

// SessionInput is the new-session form.
type SessionInput struct {
	Organiser string // a town's code, or CountyOrganiser
	HeldOn    string // YYYY-MM-DD
	Topic     string
	Hours     string // 学时, e.g. "3" or "1.5"
	Trainer   string
}

// Normalize trims what the form sent.
func (in *SessionInput) Normalize() {
	in.Organiser = strings.TrimSpace(in.Organiser)
	in.HeldOn = strings.TrimSpace(in.HeldOn)
	in.Topic = strings.TrimSpace(in.Topic)
	in.Hours = strings.TrimSpace(in.Hours)
	in.Trainer = strings.TrimSpace(in.Trainer)
}

// validate checks the fields on today and returns the date and hours.
func (in *SessionInput) validate(today time.Time) (time.Time, Hours, error) {
	fe := zhifa.FieldErrors{}
	fe.Check(in.Organiser != "", "organiser", "请选择组织单位。")
	held, err := time.ParseInLocation(time.DateOnly, in.HeldOn, zhifa.Local)
	switch {
	case in.HeldOn == "":
		fe.Add("held_on", "请填写培训日期。")
	case err != nil:
		fe.Add("held_on", "培训日期格式应为2025-09-01。")
	case held.After(today):
		fe.Add("held_on", "培训日期不能晚于今天：培训举办后再登记。")
	case held.Year() < 2000:
		fe.Add("held_on", "培训日期有误。")
	}
	fe.Check(in.Topic != "", "topic", "请填写培训主题。")
	fe.Check(utf8.RuneCountInString(in.Topic) <= 200, "topic", "培训主题不能超过200字。")
	fe.Check(in.Trainer != "", "trainer", "请填写授课人。")
	fe.Check(utf8.RuneCountInString(in.Trainer) <= 60, "trainer", "授课人不能超过60字。")
	hours, ok := ParseHours(in.Hours)
	switch {
	case in.Hours == "":
		fe.Add("hours", "请填写学时。")
	case !ok:
		fe.Add("hours", "学时应为数字，最多一位小数，例如3或1.5。")
	case hours < 5 || hours > MaxSessionHours:
		fe.Add("hours", "每次培训的学时应在0.5至"+MaxSessionHours.String()+"之间。")
	}
	return held, hours, fe.Err()
}

// Create records a session held by a town (its 队长) or by the county (the
// county administrator) and returns its id.
func (s *Service) Create(ctx context.Context, in SessionInput) (int64, error) {
	a := zhifa.ActorFrom(ctx)
	if !CanRecordAny(a) {
		return 0, refusal(a, 0)
	}
	in.Normalize()
	held, hours, err := in.validate(s.Clock.Today())
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.DB.Tx(ctx, func(tx pgx.Tx) error {
		var townID *int64
		if in.Organiser != CountyOrganiser {
			var t int64
			err := tx.QueryRow(ctx, `SELECT id FROM towns WHERE code = $1`, in.Organiser).Scan(&t)
			if errors.Is(err, pgx.ErrNoRows) {
				return zhifa.FieldErrors{"organiser": "请选择有效的组织单位。"}
			} else if err != nil {
				return err
			}
			townID = &t
		}
		owner := int64(0)
		if townID != nil {
			owner = *townID
		}
		if !CanRecord(a, owner) {
			return refusal(a, owner)
		}
		return tx.QueryRow(ctx, `INSERT INTO training_sessions (town_id, held_on, topic, hours, trainer, created_by)
			VALUES ($1, $2, $3, $4::numeric / 10, $5, $6) RETURNING id`,
			townID, held.Format(time.DateOnly), in.Topic, int64(hours), in.Trainer, a.UserID).Scan(&id)
	})
	return id, zhifa.Annotate(err, "create training session")
}

// Candidate is an officer who may be ticked as attending a session.
type Candidate struct {
	UserID   int64  `db:"id"`
	Name     string `db:"display_name"`
	Role     string `db:"role"`
	TownID   int64  `db:"town_id"`
	TownName string `db:"town_name"`
}

// candidates are the officers who may attend session: the active 执法队员
// and 队长 of its town, or of every town the actor may read for a county
// session; by town and name.
func candidates(ctx context.Context, tx pgx.Tx, session *Session) ([]Candidate, error) {
	rows, _ := tx.Query(ctx, `SELECT u.id, u.display_name, u.role, u.town_id, t.name AS town_name
		FROM users u JOIN towns t ON t.id = u.town_id
		WHERE u.active AND u.role IN ('officer', 'leader') AND u.town_id = ANY (app_read_towns())
		  AND ($1 = 0 OR u.town_id = $1)
		ORDER BY t.position, u.username`, session.OwnerTown())
	return pgx.CollectRows(rows, pgx.RowToStructByName[Candidate])
}

// Candidates are the officers the attendance form lists for session.
func (s *Service) Candidates(ctx context.Context, session *Session) ([]Candidate, error) {
	var out []Candidate
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = candidates(ctx, tx, session)
		return err
	})
	return out, zhifa.Annotate(err, "training candidates")
}

// lockAttendance serialises two saves of one session's attendance.
const lockAttendance = 7351

// SetAttendance makes the session's attendance, among the officers the
// form lists (Candidates), exactly userIDs: the ticked are added, the
// unticked removed, in one transaction. It returns how many were added and
// removed.
func (s *Service) SetAttendance(ctx context.Context, sessionID int64, userIDs []int64) (added, removed int, err error) {
	a := zhifa.ActorFrom(ctx)
	err = s.DB.Tx(ctx, func(tx pgx.Tx) error {
		added, removed = 0, 0 // counted afresh if a deadlock runs this again
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, $2::int)`, lockAttendance, sessionID%(1<<31)); err != nil {
			return err
		}
		session, err := get(ctx, tx, sessionID)
		if err != nil {
			return err
		}
		if !CanRecord(a, session.OwnerTown()) {
			if session.County() {
				return zhifa.Errorf(zhifa.EFORBIDDEN, "县级组织的培训由县级管理员登记参训人员。")
			}
			return zhifa.Errorf(zhifa.EFORBIDDEN, "只有本镇队长可以登记本镇组织的培训的参训人员。")
		}
		listed, err := candidates(ctx, tx, session)
		if err != nil {
			return err
		}
		byID := map[int64]Candidate{}
		for _, c := range listed {
			byID[c.UserID] = c
		}
		want := map[int64]bool{}
		for _, id := range userIDs {
			if _, ok := byID[id]; !ok {
				if session.County() {
					return zhifa.Errorf(zhifa.EINVALID, "所选人员不是在职的执法人员，不能登记参训。")
				}
				return zhifa.Errorf(zhifa.EINVALID, "只能登记本镇在职执法人员参加本镇组织的培训。")
			}
			want[id] = true
		}
		for _, c := range listed {
			switch {
			case want[c.UserID] && !session.Attended(c.UserID):
				if _, err := tx.Exec(ctx, `INSERT INTO training_attendance (session_id, user_id, town_id, recorded_by)
					VALUES ($1, $2, $3, $4)`, sessionID, c.UserID, c.TownID, a.UserID); err != nil {
					return err
				}
				added++
			case !want[c.UserID] && session.Attended(c.UserID):
				if _, err := tx.Exec(ctx, `DELETE FROM training_attendance WHERE session_id = $1 AND user_id = $2`, sessionID, c.UserID); err != nil {
					return err
				}
				removed++
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, zhifa.Annotate(err, fmt.Sprintf("attendance of training session %d", sessionID))
	}
	return added, removed, nil
}

// YearHours is an officer's training in one year.
type YearHours struct {
	Year     int   `db:"year"`
	Sessions int   `db:"sessions"`
	Hours    Hours `db:"hours"`
}

// Met reports whether the year's hours reach AnnualHours.
func (y YearHours) Met() bool { return y.Hours >= AnnualHours }

// OfficerHours is userID's training per year, the newest first, for the
// years from `from` to `to` (every year of the range listed, zero when
// none), as the actor may read it.
func (s *Service) OfficerHours(ctx context.Context, userID int64, from, to int) ([]YearHours, error) {
	var out []YearHours
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT y AS year, count(s.id)::int AS sessions, coalesce(sum(s.hours) * 10, 0)::bigint AS hours
			FROM generate_series($2::int, $3::int) y
			LEFT JOIN training_attendance a ON a.user_id = $1
			LEFT JOIN training_sessions s ON s.id = a.session_id AND extract(year FROM s.held_on)::int = y
			GROUP BY y ORDER BY y DESC`, userID, from, to)
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowToStructByName[YearHours])
		return err
	})
	return out, zhifa.Annotate(err, fmt.Sprintf("training hours of %d", userID))
}

// OfficerSessions are the sessions userID attended, newest first.
func (s *Service) OfficerSessions(ctx context.Context, userID int64) ([]Session, error) {
	var out []Session
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT `+sessionColumns+`, 0 AS attendees`+sessionFrom+`
			JOIN training_attendance a ON a.session_id = s.id AND a.user_id = $1
			ORDER BY s.held_on DESC, s.id DESC`, userID)
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowToStructByName[Session])
		return err
	})
	return out, zhifa.Annotate(err, fmt.Sprintf("training sessions of %d", userID))
}

// OfficerYear is one officer's training in a year, for the hours table.
type OfficerYear struct {
	UserID   int64  `db:"id"`
	Name     string `db:"display_name"`
	Role     string `db:"role"`
	TownName string `db:"town_name"`
	Sessions int    `db:"sessions"`
	Hours    Hours  `db:"hours"`
}

// Met reports whether the hours reach AnnualHours.
func (o OfficerYear) Met() bool { return o.Hours >= AnnualHours }

// HoursTable is every active officer's training in year (the actor's
// town, or every town for the county, or townID's), by town and name.
func (s *Service) HoursTable(ctx context.Context, year int, townID int64) ([]OfficerYear, error) {
	var out []OfficerYear
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT u.id, u.display_name, u.role, t.name AS town_name,
				count(s.id)::int AS sessions, coalesce(sum(s.hours) * 10, 0)::bigint AS hours
			FROM users u JOIN towns t ON t.id = u.town_id
			LEFT JOIN training_attendance a ON a.user_id = u.id
			LEFT JOIN training_sessions s ON s.id = a.session_id
			     AND s.held_on >= make_date($1, 1, 1) AND s.held_on < make_date($1 + 1, 1, 1)
			WHERE u.active AND u.role IN ('officer', 'leader') AND u.town_id = ANY (app_read_towns())
			  AND ($2 = 0 OR u.town_id = $2)
			GROUP BY u.id, t.id ORDER BY t.position, u.username`, year, townID)
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowToStructByName[OfficerYear])
		return err
	})
	return out, zhifa.Annotate(err, "training hours table")
}

// TownYear is one town's training in a year: the county summary's row.
type TownYear struct {
	TownID   int64  `db:"town_id"`
	TownName string `db:"town_name"`
	// Sessions the town held itself.
	Sessions int `db:"sessions"`
	// Attendances (参训人次) of the town's officers, at its own sessions and
	// the county's, and their hours (人·学时).
	Attendances int   `db:"attendances"`
	Hours       Hours `db:"hours"`
	// Trained is how many of the town's officers attended at least once;
	// Officers how many active officers it has; Met how many of them
	// reached AnnualHours.
	Trained  int `db:"trained"`
	Officers int `db:"officers"`
	Met      int `db:"met"`
}

// YearTotal is the whole county's training in one year.
type YearTotal struct {
	Year           int   `db:"year"`
	Sessions       int   `db:"sessions"`        // every session held, by the towns and the county
	CountySessions int   `db:"county_sessions"` // of which the county's
	Attendances    int   `db:"attendances"`     // 参训人次
	Hours          Hours `db:"hours"`           // 人·学时
}

// Summary is the training per town in year (what the actor may read: a
// town its own row, the county every town's).
func (s *Service) Summary(ctx context.Context, year int) ([]TownYear, error) {
	var out []TownYear
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `WITH att AS (
				SELECT a.town_id, a.user_id, s.hours FROM training_attendance a
				JOIN training_sessions s ON s.id = a.session_id
				WHERE s.held_on >= make_date($1, 1, 1) AND s.held_on < make_date($1 + 1, 1, 1)),
			per_officer AS (
				SELECT u.id, u.town_id, coalesce(sum(att.hours), 0) AS hours FROM users u
				LEFT JOIN att ON att.user_id = u.id
				WHERE u.active AND u.role IN ('officer', 'leader') AND u.town_id = ANY (app_read_towns())
				GROUP BY u.id)
			SELECT t.id AS town_id, t.name AS town_name,
				(SELECT count(*) FROM training_sessions s WHERE s.town_id = t.id
				   AND s.held_on >= make_date($1, 1, 1) AND s.held_on < make_date($1 + 1, 1, 1))::int AS sessions,
				(SELECT count(*) FROM att WHERE att.town_id = t.id)::int AS attendances,
				(SELECT coalesce(sum(hours) * 10, 0) FROM att WHERE att.town_id = t.id)::bigint AS hours,
				(SELECT count(DISTINCT user_id) FROM att WHERE att.town_id = t.id)::int AS trained,
				(SELECT count(*) FROM per_officer p WHERE p.town_id = t.id)::int AS officers,
				(SELECT count(*) FROM per_officer p WHERE p.town_id = t.id AND p.hours * 10 >= $2)::int AS met
			FROM towns t WHERE t.id = ANY (app_read_towns()) ORDER BY t.position`, year, int64(AnnualHours))
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowToStructByName[TownYear])
		return err
	})
	return out, zhifa.Annotate(err, "training summary")
}

// Years is the county's training per year, the newest first, as the actor
// may read it (a town: its own sessions, the county's, its attendance).
func (s *Service) Years(ctx context.Context) ([]YearTotal, error) {
	var out []YearTotal
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT extract(year FROM s.held_on)::int AS year, count(*)::int AS sessions,
				count(*) FILTER (WHERE s.town_id IS NULL)::int AS county_sessions,
				coalesce(sum(a.n), 0)::int AS attendances, coalesce(sum(s.hours * a.n) * 10, 0)::bigint AS hours
			FROM training_sessions s
			LEFT JOIN LATERAL (SELECT count(*) AS n FROM training_attendance a WHERE a.session_id = s.id) a ON true
			GROUP BY 1 ORDER BY 1 DESC`)
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowToStructByName[YearTotal])
		return err
	})
	return out, zhifa.Annotate(err, "training per year")
}
