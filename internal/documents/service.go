// Package documents makes the documents (文书) of a case from its data and
// the officer's own words, numbers and freezes them when issued, records
// their service (送达回证), and binds them with the evidence into the
// dossier (案卷). Layouts are templ components in web (one per kind); this
// package calls them through Render so it holds no HTML itself.
package documents

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/cases"
	"zhifa/internal/database"
	"zhifa/internal/doctype"
	"zhifa/internal/filestore"
	"zhifa/internal/zhifa"
)

// Renderer renders a document's layout to HTML (web.RenderDocument).
type Renderer func(ctx context.Context, d *Doc) (string, error)

// Service makes, issues and serves documents.
type Service struct {
	DB     *database.DB
	Clock  zhifa.Clock
	Render Renderer
	Files  filestore.Store // the evidence pictures printed in the dossier
}

// Issued is an issued document as stored.
type Issued struct {
	ID           int64           `db:"id"`
	CaseID       int64           `db:"case_id"`
	Kind         string          `db:"kind"`
	Title        string          `db:"title"`
	Number       *string         `db:"number"`
	IssuedOn     time.Time       `db:"issued_on"`
	IssuedAt     time.Time       `db:"issued_at"`
	IssuedBy     string          `db:"issued_by_name"`
	Supersedes   *int64          `db:"supersedes"`
	Reason       string          `db:"supersede_reason"`
	SupersededBy *int64          `db:"superseded_by"`
	HTML         string          `db:"html"`
	Data         []byte          `db:"data"`
	SHA256       string          `db:"sha256"`
	Services     []ServiceRecord `db:"-"`
}

// Meta is the kind's description.
func (d *Issued) Meta() *doctype.Meta { return doctype.Of(doctype.Kind(d.Kind)) }

// NumberText is the 文号, or "" for an internal form.
func (d *Issued) NumberText() string {
	if d.Number == nil {
		return ""
	}
	return *d.Number
}

// Served reports whether the document has a service record.
func (d *Issued) Served() bool { return len(d.Services) > 0 }

// maxField bounds every box of a document form (as the case page's forms).
const maxField = 8000

// errCounty: documents are the town government's; the county reads them.
var errCounty = zhifa.Errorf(zhifa.EFORBIDDEN, "文书由镇人民政府制作和签发，县级用户只能查阅。")

func writer(ctx context.Context) (*zhifa.Actor, error) {
	a := zhifa.ActorFrom(ctx)
	if a == nil || a.Role.IsCounty() || a.TownID == 0 {
		return nil, errCounty
	}
	return a, nil
}

// kindOf checks a kind named in a request.
func kindOf(k string) (*doctype.Meta, error) {
	m := doctype.Of(doctype.Kind(k))
	if m == nil || m.Kind == doctype.ServiceReceipt {
		return nil, zhifa.Errorf(zhifa.ENOTFOUND, "没有这种文书。")
	}
	return m, nil
}

// build assembles the Doc of kind for c: the county wording in force on
// day, the town, and fields over the defaults the kind derives from the case.
func build(ctx context.Context, tx pgx.Tx, m *doctype.Meta, c *cases.Case, r cases.Rules, st Settings, fields map[string]string) (*Doc, error) {
	d := &Doc{Kind: m.Kind, Meta: m, Case: c, Rules: r, S: st, CaseNumber: c.NumberOrLead(), Draft: true, Fields: map[string]string{}}
	var code, short string
	if err := tx.QueryRow(ctx, `SELECT t.government_name, t.team_name, t.code, t.short_name, co.name, co.bureau_name
		FROM towns t JOIN counties co ON co.id = t.county_id WHERE t.id = $1`, c.TownID).
		Scan(&d.Issuer, &d.Team, &code, &short, &d.County, &d.Bureau); err != nil {
		return nil, fmt.Errorf("town of case %d: %w", c.ID, err)
	}
	// The town acts in its own full official name, as on its seal
	// (documents.md §1.1): 紫阳县毛坝镇人民政府.
	if d.Issuer == "" {
		d.Issuer = c.TownName + "人民政府"
	}
	if !strings.HasPrefix(d.Issuer, d.County) {
		d.Issuer = d.County + d.Issuer
	}
	dec, err := decisionInForce(ctx, tx, c.ID)
	if err != nil {
		return nil, err
	}
	d.Decision = dec
	rule := rulesOf(m.Kind)
	if rule.prepare != nil {
		rule.prepare(d)
	}
	if rule.defaults != nil {
		for k, v := range rule.defaults(d) {
			d.Fields[k] = v
		}
	}
	for k, v := range fields {
		if m.Field(k) != nil {
			d.Fields[k] = v
		}
	}
	// Again, now that the officer's words are in: a ticked box may change
	// what the document says (the notice's hearing right).
	if rule.prepare != nil {
		rule.prepare(d)
	}
	return d, nil
}

// Draft is the next document of kind for the case: the saved draft, or the
// defaults derived from the case, for the form and the preview.
func (s *Service) Draft(ctx context.Context, caseID int64, kind string) (*Doc, error) {
	m, err := kindOf(kind)
	if err != nil {
		return nil, err
	}
	var d *Doc
	today := s.Clock.Today()
	err = s.DB.Tx(ctx, func(tx pgx.Tx) error {
		c, r, err := cases.Load(ctx, tx, caseID, today, false)
		if err != nil {
			return err
		}
		st, _, err := settingsOn(ctx, tx, today)
		if err != nil {
			return err
		}
		saved, err := draftFields(ctx, tx, caseID, m.Kind)
		if err != nil {
			return err
		}
		d, err = build(ctx, tx, m, c, r, st, saved)
		return err
	})
	return d, zhifa.Annotate(err, fmt.Sprintf("draft %s of case %d", kind, caseID))
}

// Why is the reason the document cannot be made now ("" when it can).
func Why(d *Doc) string {
	if r := rulesOf(d.Kind); r.when != nil {
		return r.when(d.Case)
	}
	return ""
}

func draftFields(ctx context.Context, tx pgx.Tx, caseID int64, k doctype.Kind) (map[string]string, error) {
	var raw []byte
	err := tx.QueryRow(ctx, `SELECT fields FROM document_drafts WHERE case_id = $1 AND kind = $2`, caseID, string(k)).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("draft: %w", err)
	}
	var f map[string]string
	return f, json.Unmarshal(raw, &f)
}

// checkFields bounds every field; when issuing, the required ones must be
// filled in.
func checkFields(m *doctype.Meta, fields map[string]string, issuing bool) error {
	fe := zhifa.FieldErrors{}
	for _, f := range m.Fields {
		v := strings.TrimSpace(fields[f.Name])
		if utf8.RuneCountInString(v) > maxField {
			fe.Add(f.Name, fmt.Sprintf("不能超过%d个字（现有%d字）。", maxField, utf8.RuneCountInString(v)))
		}
		if issuing && f.Required && v == "" {
			fe.Add(f.Name, "签发前请填写“"+f.Label+"”。")
		}
	}
	return fe.Err()
}

// SaveDraft keeps the officer's words of the next document of kind.
func (s *Service) SaveDraft(ctx context.Context, caseID int64, kind string, fields map[string]string) error {
	a, err := writer(ctx)
	if err != nil {
		return err
	}
	m, err := kindOf(kind)
	if err != nil {
		return err
	}
	if err := checkFields(m, fields, false); err != nil {
		return err
	}
	err = s.DB.Tx(ctx, func(tx pgx.Tx) error {
		c, _, err := cases.Load(ctx, tx, caseID, s.Clock.Today(), false)
		if err != nil {
			return err
		}
		raw, err := json.Marshal(fields)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO document_drafts (case_id, town_id, kind, fields, updated_by) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (case_id, kind) DO UPDATE SET fields = EXCLUDED.fields, updated_by = EXCLUDED.updated_by, updated_at = now()`,
			c.ID, c.TownID, string(m.Kind), raw, a.UserID)
		return err
	})
	return zhifa.Annotate(err, fmt.Sprintf("save draft %s of case %d", kind, caseID))
}

// IssueInput is what the issue form sends.
type IssueInput struct {
	Kind       string
	Fields     map[string]string
	Supersedes int64 // the document this one replaces, if any
	Reason     string
}

// Issue numbers, renders and freezes the next document of a kind, in one
// transaction with the case row locked: the document is made from the
// case exactly as it stands, and its number is taken only if it is kept.
func (s *Service) Issue(ctx context.Context, caseID int64, in IssueInput) (*Issued, error) {
	return s.issueCase(ctx, caseID, in, true)
}

// issueCase is Issue; the demo data's IssuePast skips the rule of when
// the kind may be made and the timeline entry (as it says why).
func (s *Service) issueCase(ctx context.Context, caseID int64, in IssueInput, now bool) (*Issued, error) {
	a, err := writer(ctx)
	if err != nil {
		return nil, err
	}
	m, err := kindOf(in.Kind)
	if err != nil {
		return nil, err
	}
	if err := checkFields(m, in.Fields, true); err != nil {
		return nil, err
	}
	today := s.Clock.Today()
	var out *Issued
	err = s.DB.Tx(ctx, func(tx pgx.Tx) error {
		c, r, err := cases.Load(ctx, tx, caseID, today, true)
		if err != nil {
			return err
		}
		st, settingsID, err := settingsOn(ctx, tx, today)
		if err != nil {
			return err
		}
		d, err := build(ctx, tx, m, c, r, st, in.Fields)
		if err != nil {
			return err
		}
		if why := Why(d); why != "" && now {
			return zhifa.Errorf(zhifa.EINVALID, "%s", why)
		}
		if in.Supersedes != 0 {
			if d.Supersedes, err = supersedable(ctx, tx, c.ID, m.Kind, in.Supersedes, in.Reason); err != nil {
				return err
			}
		} else if !m.Many {
			// One in force: a wrong one is replaced, never issued twice.
			var n int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM documents d WHERE d.case_id = $1 AND d.kind = $2
				AND NOT EXISTS (SELECT FROM documents r WHERE r.supersedes = d.id)`, c.ID, string(m.Kind)).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return zhifa.FieldErrors{"supersedes": "本案已签发《" + m.Title + "》。如原文书有误，请选择被替代的文书并说明原因，制作替代文书。"}
			}
		}
		out, err = s.issue(ctx, tx, a, d, settingsID, today, 0)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM document_drafts WHERE case_id = $1 AND kind = $2`, c.ID, string(m.Kind)); err != nil || !now {
			return err
		}
		summary := "签发《" + m.Title + "》"
		if out.Number != nil {
			summary += *out.Number
		}
		if d.Supersedes != nil {
			summary += "，替代" + d.Supersedes.Number + "（" + d.Supersedes.Reason + "）"
		}
		return cases.AddEvent(ctx, tx, a, c, s.Clock(), "issue_document", summary, time.Time{})
	})
	return out, zhifa.Annotate(err, fmt.Sprintf("issue %s of case %d", in.Kind, caseID))
}

// issue takes the number, renders and stores d. serves is the document a
// 送达回证 proves served (0 otherwise).
func (s *Service) issue(ctx context.Context, tx pgx.Tx, a *zhifa.Actor, d *Doc, settingsID int64, today time.Time, serves int64) (*Issued, error) {
	m := d.Meta
	var year, seq *int
	var number *string
	if m.External {
		var code, short string
		if err := tx.QueryRow(ctx, `SELECT code, short_name FROM towns WHERE id = $1`, d.Case.TownID).Scan(&code, &short); err != nil {
			return nil, err
		}
		y := today.Year()
		var n int
		// The counter row is locked until commit: numbers are unique, and
		// gap-free because a rolled-back issue returns its number.
		if err := tx.QueryRow(ctx, `INSERT INTO document_counters (town_id, code, year, last) VALUES ($1, $2, $3, 1)
			ON CONFLICT (town_id, code, year) DO UPDATE SET last = document_counters.last + 1 RETURNING last`,
			d.Case.TownID, m.Code, y).Scan(&n); err != nil {
			return nil, fmt.Errorf("document number: %w", err)
		}
		no := d.S.TownCode(code, short) + m.Code + "〔" + strconv.Itoa(y) + "〕" + strconv.Itoa(n) + "号"
		year, seq, number = &y, &n, &no
		d.Number = no
	}
	d.IssuedOn = today
	d.Draft = false
	html, err := s.Render(ctx, d)
	if err != nil {
		return nil, fmt.Errorf("render %s: %w", m.Kind, err)
	}
	data, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("data of %s: %w", m.Kind, err)
	}
	sum := sha256.Sum256([]byte(html))
	var supersedes *int64
	reason := ""
	if d.Supersedes != nil {
		supersedes, reason = &d.Supersedes.ID, d.Supersedes.Reason
	}
	var servesID, sid *int64
	if serves != 0 {
		servesID = &serves
	}
	if settingsID != 0 {
		sid = &settingsID
	}
	out := &Issued{CaseID: d.Case.ID, Kind: string(m.Kind), Title: m.Title, Number: number, IssuedOn: today,
		IssuedBy: a.DisplayName, Supersedes: supersedes, Reason: reason, HTML: html, Data: data, SHA256: hex.EncodeToString(sum[:])}
	err = tx.QueryRow(ctx, `INSERT INTO documents (case_id, town_id, kind, title, code, year, seq, number, issued_on, issued_by, issued_by_name,
			supersedes, supersede_reason, serves, settings_id, html, data, sha256)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id, issued_at`,
		d.Case.ID, d.Case.TownID, string(m.Kind), m.Title, m.Code, year, seq, number, today.Format(time.DateOnly), a.UserID, a.DisplayName,
		supersedes, reason, servesID, sid, html, data, out.SHA256).Scan(&out.ID, &out.IssuedAt)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", m.Kind, err)
	}
	return out, nil
}

// supersedable checks that id is an issued document of the case and kind,
// not yet replaced, and that a reason is given.
func supersedable(ctx context.Context, tx pgx.Tx, caseID int64, k doctype.Kind, id int64, reason string) (*Ref, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, zhifa.FieldErrors{"reason": "请说明替代原文书的原因（原文书保留在案卷中）。"}
	}
	if utf8.RuneCountInString(reason) > 500 {
		return nil, zhifa.FieldErrors{"reason": "原因不超过500字。"}
	}
	ref := &Ref{ID: id, Reason: reason}
	var kind string
	var number *string
	var replaced bool
	err := tx.QueryRow(ctx, `SELECT kind, title, number, EXISTS (SELECT FROM documents r WHERE r.supersedes = d.id)
		FROM documents d WHERE d.id = $1 AND d.case_id = $2`, id, caseID).Scan(&kind, &ref.Title, &number, &replaced)
	if errors.Is(err, pgx.ErrNoRows) || kind != string(k) {
		return nil, zhifa.FieldErrors{"supersedes": "被替代的文书须是本案已签发的同类文书。"}
	}
	if err != nil {
		return nil, err
	}
	if replaced {
		return nil, zhifa.FieldErrors{"supersedes": "该文书已被替代，请选择现行的文书。"}
	}
	if number != nil {
		ref.Number = *number
	} else {
		ref.Number = "（" + ref.Title + "）"
	}
	return ref, nil
}

const issuedColumns = `d.id, d.case_id, d.kind, d.title, d.number, d.issued_on, d.issued_at, d.issued_by_name, d.supersedes,
	d.supersede_reason, (SELECT r.id FROM documents r WHERE r.supersedes = d.id) AS superseded_by, d.sha256, `

// withText reads the stored text and data too; lists leave them out.
const (
	withText    = `d.html, d.data`
	withoutText = `'' AS html, '{}'::jsonb AS data`
)

// List is the case's issued documents in the order they were issued, each
// with its services.
func (s *Service) List(ctx context.Context, caseID int64) ([]*Issued, error) {
	var out []*Issued
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = listIssued(ctx, tx, caseID, true)
		return err
	})
	return out, zhifa.Annotate(err, fmt.Sprintf("documents of case %d", caseID))
}

// listIssued reads the case's issued documents in the order issued, with
// their text when full.
func listIssued(ctx context.Context, tx pgx.Tx, caseID int64, full bool) ([]*Issued, error) {
	var out []*Issued
	b := &pgx.Batch{}
	queueIssued(b, caseID, full, &out)
	return out, tx.SendBatch(ctx, b).Close()
}

// queueIssued queues listIssued's two reads (the documents, their
// services) on b, for one round trip with whatever else b holds: *out is
// set once b is read.
func queueIssued(b *pgx.Batch, caseID int64, full bool, out *[]*Issued) {
	cols := issuedColumns + withoutText
	if full {
		cols = issuedColumns + withText
	}
	var docs []*Issued
	b.Queue(`SELECT `+cols+` FROM documents d WHERE d.case_id = $1 ORDER BY d.issued_at, d.id`, caseID).Query(func(rows pgx.Rows) error {
		var err error
		docs, err = pgx.CollectRows(rows, pgx.RowToAddrOfStructByName[Issued])
		return err
	})
	b.Queue(sqlServices, caseID).Query(func(rows pgx.Rows) error {
		svc, err := collectServices(rows)
		if err != nil {
			return err
		}
		for _, d := range docs {
			d.Services = svc[d.ID]
		}
		*out = docs
		return nil
	})
}

// sqlServices reads the service records of a case ($1).
const sqlServices = `SELECT s.id, s.document_id, s.method, s.served_on, s.recipient, s.relation, s.address, s.servers, s.refused,
		s.witness, s.note, s.scan_evidence, u.display_name AS recorded_by, s.recorded_at
		FROM document_services s JOIN users u ON u.id = s.recorded_by WHERE s.case_id = $1 ORDER BY s.id`

func services(ctx context.Context, tx pgx.Tx, caseID int64) (map[int64][]ServiceRecord, error) {
	rows, _ := tx.Query(ctx, sqlServices, caseID)
	return collectServices(rows)
}

// collectServices reads service records by document.
func collectServices(rows pgx.Rows) (map[int64][]ServiceRecord, error) {
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[ServiceRecord])
	if err != nil {
		return nil, fmt.Errorf("services: %w", err)
	}
	out := map[int64][]ServiceRecord{}
	for _, r := range list {
		out[r.DocumentID] = append(out[r.DocumentID], r)
	}
	return out, nil
}

// Get is one issued document of the case.
func (s *Service) Get(ctx context.Context, caseID, docID int64) (*Issued, error) {
	var out *Issued
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT `+issuedColumns+withText+` FROM documents d WHERE d.case_id = $1 AND d.id = $2`, caseID, docID)
		var err error
		out, err = pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByName[Issued])
		if errors.Is(err, pgx.ErrNoRows) {
			return zhifa.Errorf(zhifa.ENOTFOUND, "没有找到该文书。")
		}
		if err != nil {
			return err
		}
		svc, err := services(ctx, tx, caseID)
		out.Services = svc[out.ID]
		return err
	})
	return out, zhifa.Annotate(err, fmt.Sprintf("document %d of case %d", docID, caseID))
}
