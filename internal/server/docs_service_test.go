package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Service (送达) of the documents the workflow serves (issue 8): the steps
// that serve the notice, the decision and the 催告 serve the issued
// document, and their 送达回证 hang off it (APL art. 61; AEL art. 38).

// decidedCase takes a new case with a fine (yuan) to 决定: the notice
// issued and served, the statement waived, decided by the head.
func (a *app) decidedCase(t *testing.T, p crew, fine string) string {
	t.Helper()
	path := a.reviewedCase(t, p, fine)
	a.serveNotice(t, p.officer, path, url.Values{"text": {"拟处罚款" + fine + "元。"}})
	mustAct(t, p.officer, path, "waive_statement", nil)
	mustAct(t, p.head, path, "decide", with(url.Values{"amount": {fine}}, confirmed))
	return path
}

// serveForm is the decision's service form: direct, the receipt signed.
var serveForm = url.Values{"method": {"直接送达"}, "service_proof": {"送达回证由当事人签收"}}

// TestServingNeedsTheIssuedDocument: a decision is served only once its
// 决定书 is issued; the case page says which document the step will serve,
// or links to making it; the service is recorded on that document.
func TestServingNeedsTheIssuedDocument(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.decidedCase(t, p, "1000")

	page := p.officer.get(path)
	pageSays(t, page, "《行政处罚决定书》尚未签发，请先制作")
	mustContain(t, page, `href="`+path+`/documents/new/decision"`)
	refused(t, p.officer, path, "serve", serveForm, http.StatusUnprocessableEntity,
		"请先在“文书”中制作并签发《行政处罚决定书》，再记录送达（送达的是已签发的文书）。")
	pageSays(t, p.officer.get(path), "决定") // not served

	doc := a.issueDoc(t, p.officer, path, "decision", nil)
	number := a.docNumber(t, doc)
	if !strings.Contains(number, "罚〔2025〕") {
		t.Fatalf("the issued decision is numbered %q", number)
	}
	pageSays(t, p.officer.get(path), "将送达：《行政处罚决定书》"+number)
	if got := a.servicesOf(t, doc); len(got) != 0 {
		t.Fatalf("the decision has services before it is served: %+v", got)
	}
	mustAct(t, p.officer, path, "serve", with(serveForm, url.Values{"servers": {"执法人员甲、乙"}}))
	got := a.servicesOf(t, doc)
	if len(got) != 1 {
		t.Fatalf("the decision has %d services, want 1", len(got))
	}
	// The recipient defaults to the party; the date to today.
	if s := got[0]; s.method != "直接送达" || s.recipient != "刘某" || s.servers != "执法人员甲、乙" || s.refused ||
		s.servedOn.Format("2006-01-02") != "2025-09-01" {
		t.Errorf("the service recorded: %+v", s)
	}
	page = p.officer.get(path)
	pageSays(t, page, "送达处罚决定书（"+number+"，直接送达）")
	// The document's page lists the service.
	pageSays(t, p.officer.get(doc), "刘某", "直接送达")

	// The 催告 too: once the period to pay is over, it needs its document.
	mustAct(t, p.officer, path, "execute", nil)
	a.gotoDay(t, "2025-09-17")
	refused(t, p.officer, path, "serve_demand", nil, http.StatusUnprocessableEntity, "请先在“文书”中制作并签发《履行催告书》")
	a.serveDemand(t, p.officer, path, nil)
	pageSays(t, p.officer.get(path), "催告 2025-09-17 送达履行催告书")
}

// TestRefusalToSignNeedsAWitness: 留置送达 (民事诉讼法 art. 89) is recorded
// with the witness, or a note of how the refusal was recorded.
func TestRefusalToSignNeedsAWitness(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.decidedCase(t, p, "1000")
	doc := a.issueDoc(t, p.officer, path, "decision", nil)
	const msg = "拒绝签收（留置送达）须注明见证人，或在备注中写明拍照、录像等记录情况。"
	refused(t, p.officer, path, "serve", with(serveForm, url.Values{"refused": {"1"}}), http.StatusUnprocessableEntity, msg)
	left := url.Values{"method": {"留置送达"}, "service_proof": {"当事人拒绝签收，留置送达"}}
	refused(t, p.officer, path, "serve", left, http.StatusUnprocessableEntity, msg)
	if got := a.servicesOf(t, doc); len(got) != 0 {
		t.Fatalf("a refused service was recorded: %+v", got)
	}
	mustAct(t, p.officer, path, "serve", with(left, url.Values{"note": {"当事人拒绝签收，执法记录仪全程录像，决定书留置于其住所"}}))
	if got := a.servicesOf(t, doc); len(got) != 1 || !got[0].refused || got[0].method != "留置送达" || !strings.Contains(got[0].note, "执法记录仪") {
		t.Errorf("the service recorded: %+v", got)
	}
}

// TestElectronicServiceNeedsConsent: 电子送达 only with the party's consent
// on record in an issued 送达地址确认书 (APL art. 61 ¶2).
func TestElectronicServiceNeedsConsent(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.decidedCase(t, p, "1000")
	doc := a.issueDoc(t, p.officer, path, "decision", nil)
	electronic := url.Values{"method": {"电子送达（当事人同意）"}, "service_proof": {"短信送达，当事人回复确认收到"}}
	const msg = "当事人尚未签署同意电子送达的《送达地址确认书》，不能电子送达（行政处罚法第六十一条）。"
	refused(t, p.officer, path, "serve", electronic, http.StatusUnprocessableEntity, msg)
	consent := func(answer string) url.Values {
		return url.Values{"address": {"紫阳县毛坝镇干沙村3组"}, "channel": {"手机号码13800000000"}, "consent": {answer}}
	}
	a.issueDoc(t, p.officer, path, "e_service_consent", consent("不同意"))
	refused(t, p.officer, path, "serve", electronic, http.StatusUnprocessableEntity, msg)
	a.issueDoc(t, p.officer, path, "e_service_consent", consent("同意"))
	mustAct(t, p.officer, path, "serve", electronic)
	if got := a.servicesOf(t, doc); len(got) != 1 || got[0].method != "电子送达（当事人同意）" {
		t.Errorf("the service recorded: %+v", got)
	}
}

// TestNoticeMustTellTheHearingRight: a notice served must tell the party of
// the hearing the law gives them (APL art. 63); one that does not is
// replaced, not served. The notice's text defaults to the document.
func TestNoticeMustTellTheHearingRight(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.reviewedCase(t, p, "3000") // below the hearing threshold
	refused(t, p.officer, path, "serve_notice", nil, http.StatusUnprocessableEntity, "请先在“文书”中制作并签发《行政处罚事先告知书》")
	doc := a.issueDoc(t, p.officer, path, "notice", nil)
	// The handlers flag a heavy penalty (a large confiscation): the party
	// has the right to a hearing, which this notice does not tell.
	refused(t, p.officer, path, "serve_notice", url.Values{"heavy_penalty": {"1"}}, http.StatusUnprocessableEntity,
		"该告知书未告知听证权利，而本案应当告知（行政处罚法第六十三条）：请制作新的告知书替代原告知书。")
	if got := a.servicesOf(t, doc); len(got) != 0 {
		t.Fatalf("a refused notice was recorded as served: %+v", got)
	}
	mustAct(t, p.officer, path, "serve_notice", url.Values{"recipient": {"刘某"}})
	if got := a.servicesOf(t, doc); len(got) != 1 || got[0].method != "直接送达" || got[0].recipient != "刘某" {
		t.Errorf("the notice's service: %+v", got)
	}
	page := p.officer.get(path)
	pageSays(t, page, "见《行政处罚事先告知书》紫毛坝")
	pageSaysNot(t, page, "已告知听证权利")
}
