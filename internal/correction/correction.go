// Package correction owns correction tasks (整改/纠错任务), the last step of
// the three-level correction loop (三级纠错): a filing review that orders a
// correction, a dossier evaluation's findings, or a reconsideration or
// lawsuit that corrected a decision opens a task against the town; the
// town answers what it did (a new decision, a withdrawal, an explanation);
// the county closes it or sends it back. Other packages open tasks in their
// own transaction with Open.
package correction

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/database"
	"zhifa/internal/zhifa"
)

// Source is what opened a task.
type Source string

const (
	SourceFiling     Source = "filing"     // 重大行政处罚决定备案审查: 责令纠正 / 撤销建议
	SourceEvaluation Source = "evaluation" // 案卷评查: a finding
	SourceRemedy     Source = "remedy"     // 复议纠错、诉讼败诉
)

// Label is the source's Chinese name.
func (s Source) Label() string {
	switch s {
	case SourceFiling:
		return "备案审查"
	case SourceEvaluation:
		return "案卷评查"
	case SourceRemedy:
		return "复议诉讼纠错"
	}
	return string(s)
}

// Status is where a task stands.
type Status string

const (
	StatusOpen     Status = "open"     // waiting for the town
	StatusAnswered Status = "answered" // waiting for the county
	StatusClosed   Status = "closed"
)

// Label is the status's Chinese name.
func (s Status) Label() string {
	switch s {
	case StatusOpen:
		return "待整改"
	case StatusAnswered:
		return "已报整改情况，待审核"
	case StatusClosed:
		return "已销号"
	}
	return string(s)
}

// EventKind is a step of a task.
type EventKind string

const (
	EventAnswer EventKind = "answer" // the town reports what it did
	EventClose  EventKind = "close"  // the county accepts it
	EventReturn EventKind = "return" // the county sends it back
)

// AnswerKind is what the town did.
type AnswerKind string

const (
	AnswerNewDecision AnswerKind = "new_decision" // 重新作出决定
	AnswerWithdrawal  AnswerKind = "withdrawal"   // 撤销原决定
	AnswerExplanation AnswerKind = "explanation"  // 说明理由（不需纠正或已整改）
)

// AnswerKinds label what the town did, in the form's order.
var AnswerKinds = []struct {
	Kind  AnswerKind
	Label string
}{{AnswerNewDecision, "重新作出决定"}, {AnswerWithdrawal, "撤销原决定"}, {AnswerExplanation, "整改说明（已整改或说明理由）"}}

// AnswerLabel is the label of k.
func AnswerLabel(k AnswerKind) string {
	for _, a := range AnswerKinds {
		if a.Kind == k {
			return a.Label
		}
	}
	return string(k)
}

// Task is a correction task.
type Task struct {
	ID         int64      `db:"id"`
	TownID     int64      `db:"town_id"`
	TownName   string     `db:"town_name"`
	CaseID     *int64     `db:"case_id"`
	CaseNumber string     `db:"case_number"`
	Source     Source     `db:"source"`
	SourceID   int64      `db:"source_id"`
	Title      string     `db:"title"`
	Detail     string     `db:"detail"`
	DueOn      time.Time  `db:"due_on"`
	Status     Status     `db:"status"`
	OpenedBy   string     `db:"opened_by"`
	OpenedAt   time.Time  `db:"opened_at"`
	ClosedOn   *time.Time `db:"closed_on"`
	Events     []Event    `db:"-"`
}

// Overdue reports whether the town's answer is late on today.
func (t *Task) Overdue(today time.Time) bool {
	return t.Status == StatusOpen && today.After(t.DueOn)
}

// Event is one answer or decision on a task.
type Event struct {
	ID         int64      `db:"id"`
	Kind       EventKind  `db:"kind"`
	AnswerKind AnswerKind `db:"answer_kind"`
	Text       string     `db:"text"`
	OnDate     time.Time  `db:"on_date"`
	ActorName  string     `db:"actor_name"`
	At         time.Time  `db:"at"`
}

// New is a task to open.
type New struct {
	TownID   int64
	CaseID   int64 // 0: not about one case (a town-wide finding)
	Source   Source
	SourceID int64
	Title    string
	Detail   string
	DueOn    time.Time
}

// Open opens a task in the caller's transaction (the filing review, the
// evaluation, the remedy outcome that calls for it) and returns its id. A
// task already opened for the same source and title is not opened twice.
func Open(ctx context.Context, tx pgx.Tx, a *zhifa.Actor, n New) (int64, error) {
	var caseID, openedBy *int64
	if n.CaseID != 0 {
		caseID = &n.CaseID
	}
	if a != nil && a.UserID != 0 {
		openedBy = &a.UserID
	}
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO corrections (town_id, case_id, source, source_id, title, detail, due_on, opened_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (source, source_id, title) DO UPDATE SET title = EXCLUDED.title RETURNING id`,
		n.TownID, caseID, string(n.Source), n.SourceID, n.Title, n.Detail, n.DueOn.Format(time.DateOnly), openedBy).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("open correction task: %w", err)
	}
	return id, nil
}

// Service reads and moves tasks.
type Service struct {
	DB    *database.DB
	Clock zhifa.Clock
}

// Filter narrows the task list.
type Filter struct {
	TownID int64  // county: one town (0 = all)
	Status Status // "" = all
	Source Source // "" = all
	CaseID int64
}

const taskColumns = `c.id, c.town_id, t.name AS town_name, c.case_id, coalesce(k.number, '') AS case_number, c.source, c.source_id,
	c.title, c.detail, c.due_on, c.status, coalesce(u.display_name, '系统') AS opened_by, c.opened_at, c.closed_on`

const taskFrom = ` FROM corrections c JOIN towns t ON t.id = c.town_id LEFT JOIN cases k ON k.id = c.case_id
	LEFT JOIN users u ON u.id = c.opened_by`

// List is the tasks the actor may read (RLS: a town its own), the open
// ones first by due date.
func (s *Service) List(ctx context.Context, f Filter) ([]Task, error) {
	var out []Task
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT `+taskColumns+taskFrom+`
			WHERE ($1 = 0 OR c.town_id = $1) AND ($2 = '' OR c.status = $2) AND ($3 = '' OR c.source = $3) AND ($4 = 0 OR c.case_id = $4)
			ORDER BY c.status = 'closed', c.due_on, c.id`, f.TownID, string(f.Status), string(f.Source), f.CaseID)
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowToStructByName[Task])
		return err
	})
	return out, zhifa.Annotate(err, "correction tasks")
}

var errNotFound = zhifa.Errorf(zhifa.ENOTFOUND, "没有找到该整改任务。")

// Get is one task with its answers and decisions.
func (s *Service) Get(ctx context.Context, id int64) (*Task, error) {
	var out *Task
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = get(ctx, tx, id, false)
		return err
	})
	return out, zhifa.Annotate(err, fmt.Sprintf("correction task %d", id))
}

func get(ctx context.Context, tx pgx.Tx, id int64, lock bool) (*Task, error) {
	q := `SELECT ` + taskColumns + taskFrom + ` WHERE c.id = $1`
	if lock {
		q += ` FOR UPDATE OF c`
	}
	rows, _ := tx.Query(ctx, q, id)
	t, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByName[Task])
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	rows, _ = tx.Query(ctx, `SELECT id, kind, answer_kind, text, on_date, actor_name, at FROM correction_events
		WHERE correction_id = $1 ORDER BY id`, id)
	t.Events, err = pgx.CollectRows(rows, pgx.RowToStructByName[Event])
	return t, err
}

// checkText bounds a written answer or decision.
func checkText(text string) (string, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return "", zhifa.FieldErrors{"text": "请填写内容。"}
	}
	if n := utf8.RuneCountInString(text); n > 4000 {
		return "", zhifa.FieldErrors{"text": fmt.Sprintf("不能超过4000字（现有%d字）。", n)}
	}
	return text, nil
}

// step records one event on task id and moves its status, in one
// transaction, after allowed checks the task and the actor.
func (s *Service) step(ctx context.Context, id int64, kind EventKind, answer AnswerKind, text string,
	allowed func(a *zhifa.Actor, t *Task) error, to Status) error {
	text, err := checkText(text)
	if err != nil {
		return err
	}
	a := zhifa.ActorFrom(ctx)
	today := s.Clock.Today()
	err = s.DB.Tx(ctx, func(tx pgx.Tx) error {
		t, err := get(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if err := allowed(a, t); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO correction_events (correction_id, town_id, kind, answer_kind, text, on_date, actor_id, actor_name)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, id, t.TownID, string(kind), string(answer), text, today.Format(time.DateOnly),
			a.UserID, a.DisplayName); err != nil {
			return err
		}
		var closed *string
		if to == StatusClosed {
			d := today.Format(time.DateOnly)
			closed = &d
		}
		_, err = tx.Exec(ctx, `UPDATE corrections SET status = $2, closed_on = $3 WHERE id = $1`, id, string(to), closed)
		return err
	})
	return zhifa.Annotate(err, fmt.Sprintf("correction task %d: %s", id, kind))
}

// Answer is the town's report of what it did.
func (s *Service) Answer(ctx context.Context, id int64, kind AnswerKind, text string) error {
	if AnswerLabel(kind) == string(kind) {
		return zhifa.FieldErrors{"answer_kind": "请选择整改方式。"}
	}
	return s.step(ctx, id, EventAnswer, kind, text, func(a *zhifa.Actor, t *Task) error {
		if a == nil || a.Role.IsCounty() || a.TownID != t.TownID {
			return zhifa.Errorf(zhifa.EFORBIDDEN, "整改情况由被要求整改的镇报送。")
		}
		if t.Status != StatusOpen {
			return zhifa.Errorf(zhifa.ECONFLICT, "该任务当前为“%s”，不能再报送整改情况。", t.Status.Label())
		}
		return nil
	}, StatusAnswered)
}

// countyDecides: only the county's reviewers accept or return an answer.
func countyDecides(a *zhifa.Actor, t *Task) error {
	if a == nil || a.Role != zhifa.RoleCountyReviewer {
		return zhifa.Errorf(zhifa.EFORBIDDEN, "整改情况由县司法局审核人员审核。")
	}
	if t.Status != StatusAnswered {
		return zhifa.Errorf(zhifa.ECONFLICT, "该任务当前为“%s”：镇报送整改情况后才能审核。", t.Status.Label())
	}
	return nil
}

// Close accepts the town's answer (销号).
func (s *Service) Close(ctx context.Context, id int64, text string) error {
	return s.step(ctx, id, EventClose, "", text, countyDecides, StatusClosed)
}

// Return sends the answer back: the town must correct again.
func (s *Service) Return(ctx context.Context, id int64, text string) error {
	return s.step(ctx, id, EventReturn, "", text, countyDecides, StatusOpen)
}
