package documents

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/cases"
	"zhifa/internal/doctype"
	"zhifa/internal/zhifa"
)

// Tied are the documents whose service is a workflow step: the case page's
// step records it (and moves the case), not the document's own form.
var Tied = map[doctype.Kind]string{
	doctype.Notice:   "送达事先告知书",
	doctype.Decision: "送达",
	doctype.Demand:   "送达履行催告书",
}

// checkService validates a service record; the workflow step or the form
// checks the date itself (its floor depends on the step).
func checkService(ctx context.Context, tx pgx.Tx, c *cases.Case, svc *doctype.Service) error {
	fe := zhifa.FieldErrors{}
	svc.Method = strings.TrimSpace(svc.Method)
	svc.Recipient = strings.TrimSpace(svc.Recipient)
	if svc.Recipient == "" {
		svc.Recipient = c.PartyName
	}
	fe.Check(slices.Contains(doctype.ServiceMethods, svc.Method), "method", "请选择送达方式。")
	for name, v := range map[string]string{"recipient": svc.Recipient, "relation": svc.Relation, "address": svc.Address,
		"servers": svc.Servers, "witness": svc.Witness, "note": svc.Note} {
		fe.Check(utf8.RuneCountInString(v) <= 200, name, "不能超过200个字。")
	}
	if svc.Refused || svc.Method == doctype.ServeLeft {
		svc.Refused = true
		fe.Check(strings.TrimSpace(svc.Witness) != "" || strings.TrimSpace(svc.Note) != "", "witness",
			"拒绝签收（留置送达）须注明见证人，或在备注中写明拍照、录像等记录情况。")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	if svc.Method == doctype.ServeElectronic {
		// APL art. 61 ¶2: electronic service only with the party's consent,
		// on record in a signed 送达地址确认书.
		var consent bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM documents d WHERE d.case_id = $1 AND d.kind = $2
			AND NOT EXISTS (SELECT FROM documents r WHERE r.supersedes = d.id) AND d.data->'Fields'->>'consent' = '同意')`,
			c.ID, string(doctype.EServiceConsent)).Scan(&consent); err != nil {
			return err
		}
		if !consent {
			return zhifa.FieldErrors{"method": "当事人尚未签署同意电子送达的《送达地址确认书》，不能电子送达（行政处罚法第六十一条）。"}
		}
	}
	if svc.ScanID != 0 {
		var ok bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM evidence WHERE id = $1 AND case_id = $2 AND superseded_at IS NULL)`,
			svc.ScanID, c.ID).Scan(&ok); err != nil {
			return err
		}
		if !ok {
			return zhifa.FieldErrors{"scan": "签收回证的扫描件须是本案的证据材料。"}
		}
	}
	return nil
}

// insertService stores the service of document docID.
func insertService(ctx context.Context, tx pgx.Tx, a *zhifa.Actor, c *cases.Case, docID int64, svc doctype.Service, day time.Time) error {
	var scan *int64
	if svc.ScanID != 0 {
		scan = &svc.ScanID
	}
	_, err := tx.Exec(ctx, `INSERT INTO document_services (document_id, case_id, town_id, method, served_on, recipient, relation, address,
		servers, refused, witness, note, scan_evidence, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		docID, c.ID, c.TownID, svc.Method, day.Format(time.DateOnly), svc.Recipient, strings.TrimSpace(svc.Relation),
		strings.TrimSpace(svc.Address), strings.TrimSpace(svc.Servers), svc.Refused, strings.TrimSpace(svc.Witness),
		strings.TrimSpace(svc.Note), scan, a.UserID)
	if err != nil {
		return fmt.Errorf("service of document %d: %w", docID, err)
	}
	return nil
}

// Serve implements cases.Documents: the workflow step that serves a notice,
// a decision or a 催告 records its service on the latest issued document of
// that kind not yet served or replaced.
func (s *Service) Serve(ctx context.Context, tx pgx.Tx, c *cases.Case, k doctype.Kind, svc doctype.Service) (doctype.Served, error) {
	m := doctype.Of(k)
	var out doctype.Served
	var number *string
	var hearing *bool
	var issued time.Time
	err := tx.QueryRow(ctx, `SELECT d.id, d.number, d.title, (d.data->>'Hearing')::boolean, d.issued_on FROM documents d
		WHERE d.case_id = $1 AND d.kind = $2
		  AND NOT EXISTS (SELECT FROM documents r WHERE r.supersedes = d.id)
		  AND NOT EXISTS (SELECT FROM document_services v WHERE v.document_id = d.id)
		ORDER BY d.id DESC LIMIT 1`, c.ID, string(k)).Scan(&out.ID, &number, &out.Title, &hearing, &issued)
	if errors.Is(err, pgx.ErrNoRows) {
		return out, zhifa.Errorf(zhifa.EINVALID, "请先在“文书”中制作并签发《%s》，再记录送达（送达的是已签发的文书）。", m.Title)
	}
	if err != nil {
		return out, fmt.Errorf("document to serve: %w", err)
	}
	if number != nil {
		out.Number = *number
	}
	if hearing != nil {
		out.Hearing = *hearing
	}
	if err := checkService(ctx, tx, c, &svc); err != nil {
		return out, err
	}
	day, err := time.ParseInLocation(time.DateOnly, svc.ServedOn, zhifa.Local)
	if err != nil {
		return out, zhifa.FieldErrors{"date": "请填写送达日期。"}
	}
	// What is served is the document as issued: it cannot have been
	// served before it existed.
	if issued = time.Date(issued.Year(), issued.Month(), issued.Day(), 0, 0, 0, 0, zhifa.Local); day.Before(issued) {
		return out, zhifa.FieldErrors{"date": "送达日期不能早于《" + m.Title + "》签发之日（" + DateCN(issued) + "），不得倒签。"}
	}
	return out, insertService(ctx, tx, zhifa.ActorFrom(ctx), c, out.ID, svc, day)
}

// RecordService records the service of an external document that no
// workflow step serves (责令改正通知书, 查封扣押决定书, 听证通知书...).
func (s *Service) RecordService(ctx context.Context, caseID, docID int64, svc doctype.Service, date string) error {
	a, err := writer(ctx)
	if err != nil {
		return err
	}
	today := s.Clock.Today()
	err = s.DB.Tx(ctx, func(tx pgx.Tx) error {
		c, _, err := cases.Load(ctx, tx, caseID, today, true)
		if err != nil {
			return err
		}
		var kind string
		var issued time.Time
		var replaced bool
		err = tx.QueryRow(ctx, `SELECT kind, issued_on, EXISTS (SELECT FROM documents r WHERE r.supersedes = d.id)
			FROM documents d WHERE id = $1 AND case_id = $2`, docID, caseID).Scan(&kind, &issued, &replaced)
		if errors.Is(err, pgx.ErrNoRows) {
			return zhifa.Errorf(zhifa.ENOTFOUND, "没有找到该文书。")
		}
		if err != nil {
			return err
		}
		m := doctype.Of(doctype.Kind(kind))
		if step, ok := Tied[m.Kind]; ok {
			return zhifa.Errorf(zhifa.EINVALID, "《%s》的送达请在案件页面的“%s”操作中记录：送达同时推进办案流程。", m.Title, step)
		}
		if !m.External {
			return zhifa.Errorf(zhifa.EINVALID, "《%s》是内部文书，不需要送达。", m.Title)
		}
		if replaced {
			return zhifa.Errorf(zhifa.EINVALID, "该文书已被替代，请送达替代它的文书。")
		}
		if err := checkService(ctx, tx, c, &svc); err != nil {
			return err
		}
		day := today
		if strings.TrimSpace(date) != "" {
			if day, err = time.ParseInLocation(time.DateOnly, strings.TrimSpace(date), zhifa.Local); err != nil {
				return zhifa.FieldErrors{"date": "日期格式应为 2025-09-01。"}
			}
		}
		issued = time.Date(issued.Year(), issued.Month(), issued.Day(), 0, 0, 0, 0, zhifa.Local)
		if day.Before(issued) || day.After(today) {
			return zhifa.FieldErrors{"date": "送达日期不能早于文书签发之日（" + DateCN(issued) + "），也不能晚于今天，不得倒签。"}
		}
		if err := insertService(ctx, tx, a, c, docID, svc, day); err != nil {
			return err
		}
		return cases.AddEvent(ctx, tx, a, c, s.Clock(), "serve_document", "送达《"+m.Title+"》（"+svc.Method+"，受送达人："+svc.Recipient+"）", day)
	})
	return zhifa.Annotate(err, fmt.Sprintf("serve document %d of case %d", docID, caseID))
}
