package cases

import (
	"strings"
	"time"

	"zhifa/internal/doctype"
)

// ServiceInput is what the serve steps' forms add (送达事先告知书, 送达处罚决定书,
// 送达履行催告书): the 送达回证 of the issued document they serve.
type ServiceInput struct {
	Recipient      string // form field recipient: who signed (受送达人 or 代收人); blank is the party
	Relation       string // form field relation: 代收人与当事人关系
	Servers        string // form field servers: 送达人
	ServiceWitness string // form field service_witness: the witness of a refusal (留置送达)
	ServiceNote    string // form field service_note: how a refusal was recorded (photos, video), other notes
	Refused        bool   // form field refused=1: the recipient refused to sign (留置送达)
	ReceiptScanID  int64  // form field receipt_scan_id: the signed 送达回证 scanned among the evidence
}

// serve records, on the latest issued and unserved document of kind, its
// service on day by method: the law ties the step to that document, so it
// refuses when none is issued (see Documents.Serve).
func (x *act) serve(kind doctype.Kind, day time.Time, method string) (doctype.Served, error) {
	in := x.in.ServiceInput
	return x.s.Docs.Serve(x.ctx, x.tx, x.c, kind, doctype.Service{
		Method:    strings.TrimSpace(method),
		ServedOn:  day.Format(time.DateOnly),
		Recipient: strings.TrimSpace(in.Recipient),
		Relation:  strings.TrimSpace(in.Relation),
		Servers:   strings.TrimSpace(in.Servers),
		Refused:   in.Refused,
		Witness:   strings.TrimSpace(in.ServiceWitness),
		Note:      strings.TrimSpace(in.ServiceNote),
		ScanID:    in.ReceiptScanID,
	})
}

// directUnlessSaid is the method of a notice or a 催告 whose form names
// none: served directly, as AEL art. 38 wants of a 催告 and as a notice is
// ordinarily served.
func directUnlessSaid(method string) string {
	if m := strings.TrimSpace(method); m != "" {
		return m
	}
	return doctype.ServeDirect
}

// servedText names the served document and the method for the timeline:
// （紫毛坝综执罚〔2025〕1号，直接送达）.
func servedText(d doctype.Served, method string) string {
	if d.Number == "" {
		return "（" + method + "）"
	}
	return "（" + d.Number + "，" + method + "）"
}

// noticeUntold refuses a notice that does not tell the hearing right the
// law gives the party.
const noticeUntold = "该告知书未告知听证权利，而本案应当告知（行政处罚法第六十三条）：请制作新的告知书替代原告知书。"
