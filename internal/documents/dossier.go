package documents

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/cases"
	"zhifa/internal/doctype"
	"zhifa/internal/workflow"
	"zhifa/internal/zhifa"
)

// Dossier is a case bound as one file (案卷, documents.md §3): the cover,
// the items in procedure order (each issued document followed by its
// 送达回证, the evidence after the investigation's records) and the notes
// of the 备考表. Page numbers are the printer's business (web, pdf).
type Dossier struct {
	Case       *cases.Case
	S          Settings
	Issuer     string // 全宗名称 and the issuer of external documents: 紫阳县毛坝镇人民政府
	Team       string // the handling unit, 责任者 of internal forms
	Title      string // 案件名称: party + act + 案
	CaseNumber string
	Handlers   string // 承办人
	Decision   string // the decision's 文号 ("" if none)
	Result     string // 处理结果
	Retention  string // 保管期限
	BoundBy    string // 立卷人: who bound it (the user downloading it)
	BoundOn    time.Time
	binder     *zhifa.Actor
	Items      []*Item
	// Notes for the 备考表: documents replaced, evidence replaced or kept
	// outside the paper file.
	Superseded []string
	Elsewhere  []string
}

// Item kinds.
const (
	ItemDocument = "document"
	ItemReceipt  = "receipt"
	ItemEvidence = "evidence"
)

// Item is one entry of the 卷内目录 and its pages.
type Item struct {
	Kind   string // ItemDocument, ItemReceipt, ItemEvidence
	Title  string // 题名
	Number string // 文号 (external documents)
	Author string // 责任者
	Date   time.Time
	Note   string // 备注
	// A document: its id (for its page) and its frozen HTML.
	DocID int64
	HTML  string
	// A receipt: the Doc its layout is rendered from (made from the served
	// document as issued, with the service record).
	Receipt *Doc
	// Evidence: the record and, for a photograph, the picture.
	Evidence *EvidenceItem
}

// EvidenceItem is a piece of evidence with its 证据说明.
type EvidenceItem struct {
	cases.Evidence
	KindLabel string
	Image     []byte // the picture printed, for an image the browser shows
}

// Superseded reports whether the evidence was replaced.
func (e *EvidenceItem) Superseded() bool { return e.SupersededAt != nil }

// printable are the image types a browser draws.
var printable = map[string]bool{"image/jpeg": true, "image/png": true, "image/gif": true, "image/webp": true, "image/bmp": true}

// Limits on the pictures put into one dossier: a case with hundreds of
// large photographs would otherwise make a PDF of gigabytes.
const (
	maxImage       = 16 << 20
	maxImagesTotal = 160 << 20
)

// Dossier gathers case caseID as one file, in one read transaction, for
// the actor in ctx (who binds it).
func (s *Service) Dossier(ctx context.Context, caseID int64) (*Dossier, error) {
	a := zhifa.ActorFrom(ctx)
	today := s.Clock.Today()
	d := &Dossier{BoundOn: today, binder: a}
	if a != nil {
		d.BoundBy = a.DisplayName
	}
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		c, _, err := cases.Load(ctx, tx, caseID, today, false)
		if err != nil {
			return err
		}
		d.Case, d.CaseNumber = c, c.NumberOrLead()
		if d.S, _, err = settingsOn(ctx, tx, today); err != nil {
			return err
		}
		var county string
		if err := tx.QueryRow(ctx, `SELECT t.government_name, t.team_name, co.name FROM towns t JOIN counties co ON co.id = t.county_id
			WHERE t.id = $1`, c.TownID).Scan(&d.Issuer, &d.Team, &county); err != nil {
			return fmt.Errorf("town of case %d: %w", c.ID, err)
		}
		// The full official name, as build writes it on every document.
		if d.Issuer == "" {
			d.Issuer = c.TownName + "人民政府"
		}
		if !strings.HasPrefix(d.Issuer, county) {
			d.Issuer = county + d.Issuer
		}
		issued, err := listIssued(ctx, tx, caseID, true)
		if err != nil {
			return err
		}
		evidence, err := s.dossierEvidence(ctx, tx, c, d)
		if err != nil {
			return err
		}
		d.bind(issued, evidence)
		return nil
	})
	if err != nil {
		return nil, zhifa.Annotate(err, fmt.Sprintf("dossier of case %d", caseID))
	}
	d.cover()
	return d, nil
}

// dossierEvidence reads the case's evidence with the pictures to print.
func (s *Service) dossierEvidence(ctx context.Context, tx pgx.Tx, c *cases.Case, d *Dossier) ([]*Item, error) {
	var out []*Item
	total := 0
	for _, e := range c.Evidence {
		ev := &EvidenceItem{Evidence: e, KindLabel: cases.Label(cases.EvidenceKinds, e.Kind)}
		it := &Item{Kind: ItemEvidence, Title: e.Title, Author: e.CollectedBy, Date: e.CollectedOn, Evidence: ev}
		switch {
		case printable[e.ContentType] && e.SizeBytes <= maxImage && total+int(e.SizeBytes) <= maxImagesTotal:
			f, _, err := cases.OpenEvidence(ctx, tx, s.Files, e.ID)
			if err != nil {
				return nil, fmt.Errorf("evidence file %d: %w", e.ID, err)
			}
			ev.Image, err = io.ReadAll(io.LimitReader(f, maxImage))
			f.Close()
			if err != nil {
				return nil, fmt.Errorf("evidence file %d: %w", e.ID, err)
			}
			total += len(ev.Image)
			it.Note = "照片"
		default:
			// Recordings, documents and oversized pictures are listed with
			// their hash; the files stay in the system.
			it.Note = "电子文件另存"
			var taken string // when and where a photo or video says it was taken
			if t := e.TakenText(); t != "" {
				taken += "，拍摄时间" + t
			}
			if p := e.PlaceText(); p != "" {
				taken += "，拍摄地点" + p
			}
			d.Elsewhere = append(d.Elsewhere, fmt.Sprintf("证据“%s”（%s，%s，SHA-256：%s%s）以电子文件保存于办案系统，未随卷打印。",
				e.Title, e.Filename, Size(e.SizeBytes), e.SHA256, taken))
		}
		if ev.Superseded() {
			it.Note = "已被替换"
			d.Superseded = append(d.Superseded, fmt.Sprintf("证据“%s”已于%s标记为已替换（%s），保留在卷。",
				e.Title, DateCN(ev.SupersededAt.In(zhifa.Local)), e.SupersededReason))
		}
		out = append(out, it)
	}
	return out, nil
}

// bind orders the items: the documents as issued (procedure order), each
// external one followed by a 送达回证 per service, and the evidence after
// the investigation's documents (before the first document of the review
// stage), where the investigation produced it.
func (d *Dossier) bind(issued []*Issued, evidence []*Item) {
	placed := false
	put := func() {
		if !placed {
			d.Items = append(d.Items, evidence...)
			placed = true
		}
	}
	byID := map[int64]*Issued{}
	for _, doc := range issued {
		byID[doc.ID] = doc
	}
	for _, doc := range issued {
		m := doc.Meta()
		if m == nil { // a kind no longer known: bound with its stored title
			m = &doctype.Meta{Kind: doctype.Kind(doc.Kind), Title: doc.Title, Stage: doctype.StageInvestigation, External: doc.Number != nil}
		}
		if m.Stage > doctype.StageInvestigation {
			put()
		}
		it := &Item{Kind: ItemDocument, Title: m.Title, Number: doc.NumberText(), Date: doc.IssuedOn, DocID: doc.ID, HTML: doc.HTML,
			Author: d.Team}
		if m.External {
			it.Author = d.Issuer
		}
		if doc.Supersedes != nil {
			if old := byID[*doc.Supersedes]; old != nil {
				it.Note = "替代" + orTitle(old)
			}
		}
		if doc.SupersededBy != nil {
			repl := byID[*doc.SupersededBy]
			it.Note = strings.TrimPrefix(it.Note+"；", "；") + "已被替代"
			if repl != nil {
				d.Superseded = append(d.Superseded, fmt.Sprintf("《%s》%s已被%s替代（%s），原文书保留在卷。",
					m.Title, doc.NumberText(), orTitle(repl), repl.Reason))
			}
		}
		d.Items = append(d.Items, it)
		if !m.External || len(doc.Services) == 0 {
			continue
		}
		receipts, err := doc.Receipts()
		if err != nil {
			// A document whose data cannot be read still has its frozen
			// text; its receipt is noted instead of printed.
			it.Note = strings.TrimPrefix(it.Note+"；", "；") + "送达回证另附"
			continue
		}
		for _, r := range receipts {
			ri := &Item{Kind: ItemReceipt, Title: "送达回证（" + m.Title + "）", Author: d.Issuer, Receipt: r, Note: r.Service.Method}
			r.IssuedOn, r.Draft = r.Service.ServedOn, false
			ri.Date = r.Service.ServedOn
			d.Items = append(d.Items, ri)
		}
	}
	put()
}

func orTitle(d *Issued) string {
	if n := d.NumberText(); n != "" {
		return n
	}
	return "《" + d.Title + "》（" + DateCN(d.IssuedOn) + "）"
}

// cover fills the cover's facts from the case and its documents.
func (d *Dossier) cover() {
	c := d.Case
	d.Title = CaseTitle(c)
	var names []string
	for _, o := range c.ActiveOfficers() {
		names = append(names, o.DisplayName)
	}
	d.Handlers = strings.Join(names, "、")
	// 立卷人 is the town's: whoever archived the case, else (a file still
	// open) the one who binds it now, if of the town, else the lead handler.
	for _, e := range c.Events {
		if e.Action == string(workflow.ActArchive) {
			d.BoundBy, d.BoundOn = e.ActorName, e.At.In(zhifa.Local)
		}
	}
	if a := d.binder; c.State != workflow.Archived && (a == nil || a.Role.IsCounty()) {
		d.BoundBy = ""
		for _, o := range c.ActiveOfficers() {
			if o.Lead {
				d.BoundBy = o.DisplayName
			}
		}
	}
	d.Retention = d.S.RetentionGeneral
	if c.Procedure == workflow.Summary {
		d.Retention = d.S.RetentionSummary
	}
	for _, it := range d.Items {
		if it.Kind != ItemDocument || strings.Contains(it.Note, "已被替代") {
			continue
		}
		switch it.Title {
		case doctype.Of(doctype.Decision).Title, doctype.Of(doctype.NoPenaltyDecision).Title, doctype.Of(doctype.SpotDecision).Title:
			d.Decision = it.Number
		}
	}
	switch {
	case c.DecidedOn != nil && len(c.Penalties) > 0:
		d.Result = cases.DescribePenalties(c.Penalties)
	case c.OutcomeReason != "":
		d.Result = c.State.Label() + "：" + c.OutcomeReason
	default:
		d.Result = c.State.Label()
	}
}

// Size writes a file size: 2.4 MB, 860 KB, 120 字节.
func Size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", (n+512)>>10)
	}
	return fmt.Sprintf("%d 字节", n)
}

// Date8 writes a date as the 卷内目录 does (DA/T 22): 20250901.
func Date8(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("20060102")
}
