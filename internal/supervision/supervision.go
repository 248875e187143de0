// Package supervision owns the citizen enforcement supervisors (执法监督员)
// and their supervision opinions (监督意见).
//
// The county administrator appoints a supervisor for one town and a term,
// which creates their read-only login (role zhifa.RoleSupervisor). Within
// the term a supervisor sees the town's published decisions and statistics
// and files opinions on a case (named by its number as published) or on
// the town's work. An opinion goes to the town's 队长 and 镇负责人 and to the
// county, is due for an answer ResponseWorkingDays working days after it
// is filed, and its answer is recorded with who and when. Opinions and
// answers never change (migrations/0036).
package supervision

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/account"
	"zhifa/internal/database"
	"zhifa/internal/deadline"
	"zhifa/internal/zhifa"
)

// ResponseWorkingDays is how long the town and the county have to answer
// an opinion: 15 working days from the day it is filed (on the holiday
// calendar), as local rules on 特邀行政执法监督员 commonly set it.
const ResponseWorkingDays = 15

// Subject is what an opinion is about.
type Subject string

const (
	SubjectCase Subject = "case" // 具体案件: one case, by its number
	SubjectWork Subject = "work" // 执法工作: the town's enforcement work
)

// Label is the subject's Chinese name.
func (s Subject) Label() string {
	switch s {
	case SubjectCase:
		return "具体案件"
	case SubjectWork:
		return "执法工作"
	}
	return string(s)
}

// Subjects lists the subjects in the form's order.
var Subjects = []Subject{SubjectCase, SubjectWork}

// Status is where an opinion stands on a day.
type Status string

const (
	StatusOpen     Status = "open"     // waiting for the answer
	StatusOverdue  Status = "overdue"  // waiting, past its due date
	StatusAnswered Status = "answered" // answered
)

// Label is the status's Chinese name.
func (s Status) Label() string {
	switch s {
	case StatusOpen:
		return "待答复"
	case StatusOverdue:
		return "逾期未答复"
	case StatusAnswered:
		return "已答复"
	}
	return string(s)
}

// Statuses lists the statuses in the filter's order.
var Statuses = []Status{StatusOpen, StatusOverdue, StatusAnswered}

// Service appoints supervisors and records their opinions and the answers.
type Service struct {
	DB       *database.DB
	Clock    zhifa.Clock
	Accounts *account.Service // creates a supervisor's login (its password hasher)
}

// Supervisor is an appointed supervisor with their account.
type Supervisor struct {
	UserID      int64     `db:"user_id"`
	Username    string    `db:"username"`
	Name        string    `db:"display_name"`
	Phone       string    `db:"phone"`
	Active      bool      `db:"active"`
	Affiliation string    `db:"affiliation"`
	TownID      int64     `db:"town_id"`
	TownCode    string    `db:"town_code"`
	TownName    string    `db:"town_name"`
	TermFrom    time.Time `db:"term_from"`
	TermUntil   time.Time `db:"term_until"`
	AppointedBy string    `db:"appointed_by"`
}

// InTerm reports whether day is within the term.
func (s *Supervisor) InTerm(day time.Time) bool {
	return !day.Before(s.TermFrom) && !day.After(s.TermUntil)
}

// TermLabel says where the term stands on day.
func (s *Supervisor) TermLabel(day time.Time) string {
	switch {
	case day.Before(s.TermFrom):
		return "任期未开始"
	case day.After(s.TermUntil):
		return "任期已届满"
	}
	return "在任"
}

const supervisorColumns = `p.user_id, u.username, u.display_name, u.phone, u.active, p.affiliation, p.town_id,
	t.code AS town_code, t.name AS town_name, p.term_from, p.term_until, coalesce(b.display_name, '') AS appointed_by`

const supervisorFrom = ` FROM supervisors p JOIN users u ON u.id = p.user_id JOIN towns t ON t.id = p.town_id
	LEFT JOIN users b ON b.id = p.appointed_by`

// Supervisors lists the appointed supervisors the actor may read (the
// county every town's; townID narrows), by town and term.
func (s *Service) Supervisors(ctx context.Context, townID int64) ([]Supervisor, error) {
	var out []Supervisor
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT `+supervisorColumns+supervisorFrom+`
			WHERE ($1 = 0 OR p.town_id = $1) ORDER BY t.position, p.term_until DESC, u.username`, townID)
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowToStructByName[Supervisor])
		return err
	})
	return out, zhifa.Annotate(err, "supervisors")
}

var errNoSupervisor = zhifa.Errorf(zhifa.ENOTFOUND, "没有找到该执法监督员。")

// Supervisor is one appointment, by the supervisor's user id.
func (s *Service) Supervisor(ctx context.Context, userID int64) (*Supervisor, error) {
	var out *Supervisor
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = getSupervisor(ctx, tx, userID)
		return err
	})
	return out, zhifa.Annotate(err, fmt.Sprintf("supervisor %d", userID))
}

func getSupervisor(ctx context.Context, tx pgx.Tx, userID int64) (*Supervisor, error) {
	rows, _ := tx.Query(ctx, `SELECT `+supervisorColumns+supervisorFrom+` WHERE p.user_id = $1`, userID)
	out, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByName[Supervisor])
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errNoSupervisor
	}
	return out, err
}

// CheckTerm refuses a supervisor outside their term (or never appointed),
// saying why; any other actor passes. The login calls it (as
// account.Service.LoginCheck), and every page a supervisor opens.
func (s *Service) CheckTerm(ctx context.Context, a *zhifa.Actor) error {
	if a == nil || a.Role != zhifa.RoleSupervisor {
		return nil
	}
	// The own appointment is readable with only app.user_id set (at login,
	// before the actor is in the context).
	st := database.SettingsFor(ctx)
	if st.UserID != a.UserID {
		st = database.Settings{UserID: a.UserID}
	}
	var from, until time.Time
	err := s.DB.TxWith(ctx, st, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT term_from, term_until FROM supervisors WHERE user_id = $1`, a.UserID).Scan(&from, &until)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return zhifa.Errorf(zhifa.EUNAUTHORIZED, "该执法监督员账号没有聘任记录，不能登录，请联系县司法局。")
	} else if err != nil {
		return fmt.Errorf("supervisor term of %d: %w", a.UserID, err)
	}
	today := s.Clock.Today()
	switch {
	case today.Before(localDate(from)):
		return zhifa.Errorf(zhifa.EUNAUTHORIZED, "您的执法监督员任期自%s开始，届时方可登录。", cnDate(from))
	case today.After(localDate(until)):
		return zhifa.Errorf(zhifa.EUNAUTHORIZED, "您的执法监督员任期已于%s届满，账号不能再登录。如已续聘，请联系县司法局更新任期。", cnDate(until))
	}
	return nil
}

func cnDate(t time.Time) string { return t.Format("2006年1月2日") }

// localDate re-reads a DATE (decoded as UTC midnight) as a CST date.
func localDate(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, zhifa.Local)
}

// requireAdmin refuses anyone but the county administrator.
func requireAdmin(a *zhifa.Actor) error {
	if a == nil || a.Role != zhifa.RoleCountyAdmin {
		return zhifa.Errorf(zhifa.EFORBIDDEN, "只有县级管理员可以聘任执法监督员。")
	}
	return nil
}

// TermInput is the term and the affiliation of an appointment.
type TermInput struct {
	Affiliation string
	TermFrom    string // YYYY-MM-DD
	TermUntil   string
}

func (in *TermInput) validate(fe zhifa.FieldErrors) (from, until time.Time) {
	in.Affiliation = strings.TrimSpace(in.Affiliation)
	in.TermFrom, in.TermUntil = strings.TrimSpace(in.TermFrom), strings.TrimSpace(in.TermUntil)
	fe.Check(utf8.RuneCountInString(in.Affiliation) <= 100, "affiliation", "身份或工作单位不能超过100字。")
	from, errFrom := time.ParseInLocation(time.DateOnly, in.TermFrom, zhifa.Local)
	until, errUntil := time.ParseInLocation(time.DateOnly, in.TermUntil, zhifa.Local)
	fe.Check(errFrom == nil, "term_from", "请填写任期起始日期（格式：2025-09-01）。")
	fe.Check(errUntil == nil, "term_until", "请填写任期截止日期（格式：2027-08-31）。")
	if errFrom == nil && errUntil == nil {
		fe.Check(!until.Before(from), "term_until", "任期截止日期不能早于起始日期。")
		fe.Check(until.Before(from.AddDate(10, 0, 0)), "term_until", "任期不能超过10年。")
	}
	return from, until
}

// AppointInput is the appointment form: the supervisor's login and the term.
type AppointInput struct {
	Username    string
	DisplayName string
	Phone       string
	TownCode    string
	Password    string
	TermInput
}

// Appoint creates the supervisor's login and their appointment in one
// transaction (county administrator only) and returns the user id.
func (s *Service) Appoint(ctx context.Context, in AppointInput) (int64, error) {
	a := zhifa.ActorFrom(ctx)
	if err := requireAdmin(a); err != nil {
		return 0, err
	}
	user := account.UserInput{Username: in.Username, DisplayName: in.DisplayName, Phone: in.Phone,
		Role: zhifa.RoleSupervisor, TownCode: in.TownCode, Password: in.Password, Active: true}
	user.Normalize()
	fe := zhifa.FieldErrors{}
	if err := user.Validate(true); err != nil {
		var uerr zhifa.FieldErrors
		if !errors.As(err, &uerr) {
			return 0, err
		}
		for k, v := range uerr {
			fe.Add(k, v)
		}
	}
	from, until := in.TermInput.validate(fe)
	if err := fe.Err(); err != nil {
		return 0, err
	}
	hash, err := s.Accounts.Hasher.Hash(ctx, user.Password)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.DB.Tx(ctx, func(tx pgx.Tx) error {
		if id, err = account.Insert(ctx, tx, user, hash); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO supervisors (user_id, town_id, affiliation, term_from, term_until, appointed_by)
			SELECT id, town_id, $2, $3, $4, $5 FROM users WHERE id = $1`,
			id, in.Affiliation, from.Format(time.DateOnly), until.Format(time.DateOnly), a.UserID)
		return err
	})
	if err != nil {
		return 0, zhifa.Annotate(err, "appoint supervisor")
	}
	return id, nil
}

// Renew changes an appointment's term and affiliation (a renewal, 续聘, or a
// correction); county administrator only.
func (s *Service) Renew(ctx context.Context, userID int64, in TermInput) error {
	if err := requireAdmin(zhifa.ActorFrom(ctx)); err != nil {
		return err
	}
	fe := zhifa.FieldErrors{}
	from, until := in.validate(fe)
	if err := fe.Err(); err != nil {
		return err
	}
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE supervisors SET affiliation = $2, term_from = $3, term_until = $4, updated_at = now()
			WHERE user_id = $1`, userID, in.Affiliation, from.Format(time.DateOnly), until.Format(time.DateOnly))
		if err == nil && tag.RowsAffected() == 0 {
			return errNoSupervisor
		}
		return err
	})
	return zhifa.Annotate(err, fmt.Sprintf("renew supervisor %d", userID))
}

// Opinion is a supervision opinion with its answer.
type Opinion struct {
	ID             int64     `db:"id"`
	TownID         int64     `db:"town_id"`
	TownName       string    `db:"town_name"`
	TownCode       string    `db:"town_code"`
	SupervisorID   int64     `db:"supervisor_id"`
	SupervisorName string    `db:"supervisor_name"`
	Subject        Subject   `db:"subject"`
	CaseRef        string    `db:"case_ref"`
	Text           string    `db:"text"`
	FiledOn        time.Time `db:"filed_on"`
	DueOn          time.Time `db:"due_on"`
	FiledAt        time.Time `db:"filed_at"`
	Response       *Response `db:"-"`
	// The answer's columns, NULL when there is none (read into Response).
	RespName *string     `db:"responder_name"`
	RespRole *zhifa.Role `db:"responder_role"`
	RespText *string     `db:"response_text"`
	RespOn   *time.Time  `db:"responded_on"`
	RespAt   *time.Time  `db:"responded_at"`
}

// Response is the answer to an opinion.
type Response struct {
	ResponderName string
	ResponderRole zhifa.Role
	Text          string
	RespondedOn   time.Time
	RespondedAt   time.Time
}

// Status is where the opinion stands on today.
func (o *Opinion) Status(today time.Time) Status {
	switch {
	case o.Response != nil:
		return StatusAnswered
	case today.After(o.DueOn):
		return StatusOverdue
	}
	return StatusOpen
}

func (o *Opinion) fill() {
	o.FiledOn, o.DueOn = localDate(o.FiledOn), localDate(o.DueOn)
	if o.RespText != nil {
		o.Response = &Response{ResponderName: *o.RespName, ResponderRole: *o.RespRole, Text: *o.RespText,
			RespondedOn: localDate(*o.RespOn), RespondedAt: *o.RespAt}
	}
}

const opinionQuery = `SELECT o.id, o.town_id, t.name AS town_name, t.code AS town_code, o.supervisor_id, o.supervisor_name,
	o.subject, o.case_ref, o.text, o.filed_on, o.due_on, o.filed_at,
	r.responder_name, r.responder_role, r.text AS response_text, r.responded_on, r.responded_at
	FROM supervision_opinions o JOIN towns t ON t.id = o.town_id
	LEFT JOIN supervision_responses r ON r.opinion_id = o.id`

// Filter narrows the opinion list.
type Filter struct {
	TownID int64  // the county's town filter (0: all)
	Status Status // "" = all
}

// List is the opinions the actor may read (a supervisor their own, a town
// its own, the county every town's): those waiting first, by due date.
func (s *Service) List(ctx context.Context, f Filter) ([]Opinion, error) {
	today := s.Clock.Today()
	var out []Opinion
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, opinionQuery+`
			WHERE ($1 = 0 OR o.town_id = $1)
			  AND ($2 = '' OR ($2 = 'answered') = (r.opinion_id IS NOT NULL))
			  AND ($2 <> 'overdue' OR o.due_on < $3)
			ORDER BY r.opinion_id IS NOT NULL, o.due_on, o.id`, f.TownID, string(statusFilter(f.Status)), today.Format(time.DateOnly))
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowToStructByName[Opinion])
		return err
	})
	for i := range out {
		out[i].fill()
	}
	return out, zhifa.Annotate(err, "supervision opinions")
}

// statusFilter is the filter value as the query reads it ("" when unknown).
func statusFilter(st Status) Status {
	for _, s := range Statuses {
		if s == st {
			return st
		}
	}
	return ""
}

var errNoOpinion = zhifa.Errorf(zhifa.ENOTFOUND, "没有找到该监督意见。")

// Get is one opinion as the actor may read it.
func (s *Service) Get(ctx context.Context, id int64) (*Opinion, error) {
	var out *Opinion
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = getOpinion(ctx, tx, id)
		return err
	})
	return out, zhifa.Annotate(err, fmt.Sprintf("supervision opinion %d", id))
}

func getOpinion(ctx context.Context, tx pgx.Tx, id int64) (*Opinion, error) {
	rows, _ := tx.Query(ctx, opinionQuery+` WHERE o.id = $1`, id)
	o, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByName[Opinion])
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errNoOpinion
	} else if err != nil {
		return nil, err
	}
	o.fill()
	return o, nil
}

// PendingSQL counts the opinions waiting for an answer that a may give,
// the menu's count ("" when a answers none: other roles), for the menu to
// read in the round trip of its other counts. Row-level security keeps it
// to the opinions a receives.
func PendingSQL(a *zhifa.Actor) string {
	if !CanRead(a) || a.Role == zhifa.RoleSupervisor {
		return ""
	}
	return `SELECT count(*) FROM supervision_opinions o
		WHERE NOT EXISTS (SELECT FROM supervision_responses r WHERE r.opinion_id = o.id)`
}

// CanRead reports whether a reads opinions: a supervisor their own; a
// town's 队长 and 镇负责人 and the county roles those they receive.
func CanRead(a *zhifa.Actor) bool {
	if a == nil {
		return false
	}
	switch a.Role {
	case zhifa.RoleSupervisor, zhifa.RoleLeader, zhifa.RoleHead:
		return true
	}
	return a.Role.IsCounty()
}

// CanRespond reports whether a may answer an opinion about townID: the
// town's 队长 or 镇负责人, or the county.
func CanRespond(a *zhifa.Actor, townID int64) bool {
	if a == nil {
		return false
	}
	return a.Role.IsCounty() || (a.Role == zhifa.RoleLeader || a.Role == zhifa.RoleHead) && a.TownID == townID
}

// OpinionInput is the supervisor's opinion form.
type OpinionInput struct {
	Subject Subject
	CaseRef string // the case number, or its decision's number, as published
	Text    string
}

// maxText bounds an opinion and an answer (the database checks it too).
const maxText = 4000

func checkText(fe zhifa.FieldErrors, field, text, missing string) {
	fe.Check(text != "", field, missing)
	if n := utf8.RuneCountInString(text); n > maxText {
		fe.Add(field, fmt.Sprintf("不能超过%d字（现有%d字）。", maxText, n))
	}
}

// File records the acting supervisor's opinion and returns its id; it is
// due for an answer ResponseWorkingDays working days later.
func (s *Service) File(ctx context.Context, in OpinionInput) (int64, error) {
	a := zhifa.ActorFrom(ctx)
	if a == nil || a.Role != zhifa.RoleSupervisor {
		return 0, zhifa.Errorf(zhifa.EFORBIDDEN, "监督意见由执法监督员提出。")
	}
	if err := s.CheckTerm(ctx, a); err != nil {
		return 0, zhifa.Errorf(zhifa.EFORBIDDEN, "%s", zhifa.ErrorMessage(err))
	}
	in.CaseRef, in.Text = strings.TrimSpace(in.CaseRef), strings.TrimSpace(in.Text)
	fe := zhifa.FieldErrors{}
	fe.Check(in.Subject == SubjectCase || in.Subject == SubjectWork, "subject", "请选择监督事项。")
	if in.Subject == SubjectCase {
		fe.Check(in.CaseRef != "", "case_ref", "请填写案号或处罚决定书文号。")
		fe.Check(utf8.RuneCountInString(in.CaseRef) <= 60, "case_ref", "案号或文号不能超过60字。")
	} else {
		in.CaseRef = "" // a case's number belongs to an opinion on a case only
	}
	checkText(fe, "text", in.Text, "请填写监督意见。")
	if err := fe.Err(); err != nil {
		return 0, err
	}
	today := s.Clock.Today()
	var id int64
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		if in.Subject == SubjectCase {
			var known bool
			if err := tx.QueryRow(ctx, `SELECT supervision_case_known($1)`, in.CaseRef).Scan(&known); err != nil {
				return err
			}
			if !known {
				return zhifa.FieldErrors{"case_ref": "本镇没有该案号或文号的案件，请按公示的处罚决定书核对后填写（如：紫毛坝综执罚〔2025〕3号）。"}
			}
		}
		cal, err := loadCalendar(ctx, tx)
		if err != nil {
			return err
		}
		due := cal.AddWorkdays(today, ResponseWorkingDays)
		return tx.QueryRow(ctx, `INSERT INTO supervision_opinions (town_id, supervisor_id, supervisor_name, subject, case_ref, text, filed_on, due_on)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			a.TownID, a.UserID, a.DisplayName, string(in.Subject), in.CaseRef, in.Text,
			today.Format(time.DateOnly), due.Format(time.DateOnly)).Scan(&id)
	})
	return id, zhifa.Annotate(err, "file supervision opinion")
}

// Respond records the answer to opinion id, by the town's 队长 or 镇负责人
// or the county; an opinion is answered once.
func (s *Service) Respond(ctx context.Context, id int64, text string) error {
	a := zhifa.ActorFrom(ctx)
	text = strings.TrimSpace(text)
	fe := zhifa.FieldErrors{}
	checkText(fe, "text", text, "请填写答复内容。")
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, $2::int)`, lockResponse, id%(1<<31)); err != nil {
			return err
		}
		o, err := getOpinion(ctx, tx, id)
		if err != nil {
			return err
		}
		if !CanRespond(a, o.TownID) {
			return zhifa.Errorf(zhifa.EFORBIDDEN, "监督意见由%s队长、镇负责人或县司法局答复。", o.TownName)
		}
		if o.Response != nil {
			return zhifa.Errorf(zhifa.ECONFLICT, "该监督意见已由%s于%s答复，不能再次答复。", o.Response.ResponderName, cnDate(o.Response.RespondedOn))
		}
		if err := fe.Err(); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO supervision_responses (opinion_id, town_id, responder_id, responder_name, responder_role, text, responded_on)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, o.TownID, a.UserID, a.DisplayName, string(a.Role), text,
			s.Clock.Today().Format(time.DateOnly))
		return err
	})
	return zhifa.Annotate(err, fmt.Sprintf("answer supervision opinion %d", id))
}

// lockResponse serialises two answers to one opinion.
const lockResponse = 7361

// CaseID is the case an opinion's reference names, as the actor may read
// it (the town's staff and the county; 0 when none is found).
func (s *Service) CaseID(ctx context.Context, ref string) (int64, error) {
	if ref == "" {
		return 0, nil
	}
	var id int64
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT id FROM cases WHERE number = $1
			UNION ALL SELECT case_id FROM documents WHERE number = $1 LIMIT 1`, ref).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		return err
	})
	return id, zhifa.Annotate(err, "case of an opinion")
}

// loadCalendar reads the holiday calendar the due dates count on.
func loadCalendar(ctx context.Context, tx pgx.Tx) (deadline.Calendar, error) {
	cal := deadline.Calendar{Holidays: map[string]bool{}, Workdays: map[string]bool{}}
	rows, _ := tx.Query(ctx, `SELECT day, kind FROM holidays`)
	var day time.Time
	var kind string
	_, err := pgx.ForEachRow(rows, []any{&day, &kind}, func() error {
		if kind == "holiday" {
			cal.Holidays[day.Format(time.DateOnly)] = true
		} else {
			cal.Workdays[day.Format(time.DateOnly)] = true
		}
		return nil
	})
	if err != nil {
		return cal, fmt.Errorf("holidays: %w", err)
	}
	return cal, nil
}
