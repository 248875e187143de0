package server_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/database"
	"zhifa/internal/doctype"
	"zhifa/internal/zhifa"
)

// The documents of the decision, service, execution and closing stages,
// issued over HTTP from cases walked to each step: the decision with every
// element of APL art. 59, its 送达回证, the 不予处罚 and 当场 decisions, the
// deferral, the 催告 and the court application, the closing approval and
// the filing of a major decision; each refused, with its reason, before
// the case allows it.

// decFormFields reads the boxes of kind's form for the case at path as the
// officer finds them filled in from the case, to issue them unchanged.
func decFormFields(t *testing.T, c *client, path, kind string) url.Values {
	t.Helper()
	page := c.get(path + "/documents/new/" + kind)
	wantStatus(t, page, http.StatusOK)
	out := url.Values{}
	for _, f := range doctype.Of(doctype.Kind(kind)).Fields {
		name := regexp.QuoteMeta(f.Name)
		ta := regexp.MustCompile(`(?s)<textarea[^>]* name="` + name + `"[^>]*>(.*?)</textarea>`).FindStringSubmatch(page.body)
		in := regexp.MustCompile(`<input[^>]* name="` + name + `"[^>]* value="([^"]*)"`).FindStringSubmatch(page.body)
		switch {
		case ta != nil:
			out.Set(f.Name, html.UnescapeString(ta[1]))
		case in != nil:
			out.Set(f.Name, html.UnescapeString(in[1]))
		}
	}
	return out
}

// decRefused posts kind with op=issue and wants it refused (422) with why.
func decRefused(t *testing.T, c *client, path, kind, why string) {
	t.Helper()
	res := c.post(path+"/documents/new/"+kind, url.Values{"op": {"issue"}})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("issuing %s: status %d, want 422: %.600s", kind, res.status, text(res.body))
	}
	pageSays(t, res, why)
}

// decIssue issues kind with the boxes as filled in from the case, over
// them the fields given, and returns the issued document's path and page.
func (a *app) decIssue(t *testing.T, c *client, path, kind string, fields url.Values) (string, response) {
	t.Helper()
	form := decFormFields(t, c, path, kind)
	for k, v := range fields {
		form[k] = v
	}
	docPath := a.issueDoc(t, c, path, kind, form)
	page := c.get(docPath)
	wantStatus(t, page, http.StatusOK)
	return docPath, page
}

var decisionNumberRE = regexp.MustCompile(`^紫毛坝综执罚〔2025〕[1-9][0-9]*号$`)

// decDecidedCase takes a new case to 决定: a fine of fine yuan, noticed, the
// statement waived in writing, decided by the head with an order to
// correct. The decision document is not issued yet.
func (a *app) decDecidedCase(t *testing.T, p crew, fine string) string {
	t.Helper()
	path := a.reviewedCase(t, p, fine)
	a.serveNotice(t, p.officer, path, url.Values{"text": {"拟处罚款" + fine + "元。"}})
	mustAct(t, p.officer, path, "waive_statement", nil)
	decRefused(t, p.officer, path, "decision", "负责人尚未作出处罚决定：请先在案件页面“作出处罚决定”，再制作《行政处罚决定书》。")
	mustAct(t, p.head, path, "decide", with(decision(fine), url.Values{"order_measure": {"清理焚烧现场"}, "order_due": {"2025-09-15"}}))
	return path
}

// The 行政处罚决定书 carries every element of APL art. 59: the party, the
// facts and evidence, the notice and what the party said, the penalty and
// its basis, the order to correct, how and where to pay and the surcharge
// standard, the remedies, the issuing body and date. It is served with a
// 送达回证 that names it.
func TestDecisionDocument(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.decDecidedCase(t, p, "1000")
	decRefused(t, p.officer, path, "no_penalty_decision", "本案未决定不予行政处罚（当前状态：决定）")
	decRefused(t, p.officer, path, "spot_decision", "《当场行政处罚决定书》只用于简易程序")

	// The boxes come filled in from the case.
	form := p.officer.get(path + "/documents/new/decision")
	pageSays(t, form, "经查，当事人于2025年8月20日在住宅外焚烧垃圾。", "1.现场照片（现场笔录）。",
		"当事人书面表示放弃陈述、申辩的权利。", "违法情节一般，按裁量基准一般阶次。")

	docPath, page := a.decIssue(t, p.officer, path, "decision", nil)
	number := a.docNumber(t, docPath)
	if !decisionNumberRE.MatchString(number) {
		t.Fatalf("decision numbered %q, want 紫毛坝综执罚〔2025〕n号", number)
	}
	pageSays(t, page, "行政处罚决定书", number,
		"当事人：刘某，男，1970年1月1日出生", "身份证件号码：610924197001011234", "住址：毛坝镇干沙村三组",
		"你森林防火期内未经批准擅自在森林防火区内野外用火一案，本机关于2025年9月1日立案调查，现已调查终结。经查，当事人于2025年8月20日在住宅外焚烧垃圾。",
		"以上事实有下列证据证明：1.现场照片（现场笔录）。",
		"本机关于2025年9月1日向你送达《行政处罚事先告知书》，告知拟作出行政处罚的内容及事实、理由、依据和你依法享有的陈述、申辩的权利。当事人书面表示放弃陈述、申辩的权利。",
		"本机关认为，违法情节一般，按裁量基准一般阶次。",
		"依据《森林防火条例》第五十条、第五十三条的规定，本机关决定对你作出如下行政处罚：罚款1000元（大写：壹仟元整）。",
		"同时，依据《中华人民共和国行政处罚法》第二十八条第一款的规定，责令你于2025年9月15日前清理焚烧现场。",
		"到紫阳县农村信用合作联社营业网点缴纳罚款（户名：紫阳县财政局非税收入汇缴结算户",
		"到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不超过罚款本数",
		"可以在收到本决定书之日起60日内向紫阳县人民政府申请行政复议，或者在6个月内依法向紫阳县人民法院提起行政诉讼。",
		"行政复议或者行政诉讼期间，本决定不停止执行",
		"毛坝镇人民政府", "2025年9月1日")
	// The order to correct is not among the penalties.
	pageSaysNot(t, page, "行政处罚：罚款1000元（大写：壹仟元整）；责令改正")

	// Before service a blank 送达回证 is printed for signature.
	receipt := p.officer.get(docPath + "/receipt")
	wantStatus(t, receipt, http.StatusOK)
	pageSays(t, receipt, "送达回证", "《行政处罚决定书》", number, "刘某", "□直接送达", "□留置送达", "受送达人签名（盖章）")

	// Served by the step: the receipt names the method and the recipient.
	mustAct(t, p.officer, path, "serve", url.Values{"method": {"直接送达"}, "service_proof": {"送达回证由当事人签收"}, "servers": {"王某、李某"}})
	receipt = p.officer.get(docPath + "/receipt")
	pageSays(t, receipt, "送达回证", "《行政处罚决定书》", number, "送达方式 直接送达", "送达时间 2025年9月1日", "受送达人签名（盖章） 刘某", "送达人 王某、李某")
	pageSaysNot(t, receipt, "□直接送达")

	// The filing of a major decision with the justice bureau cites it.
	// A fine of 1000 yuan is not a major decision: nothing to file.
	decRefused(t, p.officer, path, "major_filing", "本案处罚决定未达到重大行政处罚标准")
}

// 不予行政处罚 (APL art. 33): the ground, its provision and the education
// given; the remedy says nothing of execution, there being none.
func TestNoPenaltyDecisionDocument(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.filedCase(t, a.itemForm("ZY-HJ-003", "maoba-officer1", "maoba-officer3"))
	mustAct(t, p.officer, path, "investigate", nil)
	res := p.officer.upload(path+"/evidence", map[string]string{"kind": "scene_record", "title": "现场照片", "collected_on": "2025-08-25"}, "scene.jpg", jpegBytes)
	wantStatus(t, res, http.StatusSeeOther)
	mustAct(t, p.officer, path, "update_facts", url.Values{"text": {"经查，当事人系初次违法，已自行扑灭火源，未造成损失。"}})
	mustAct(t, p.officer, path, "propose", url.Values{"no_penalty": {"1"}, "reasoning": {"初次违法且危害后果轻微并及时改正。"}})
	reviewed(t, p.officer, p.reviewer, path)
	decRefused(t, p.officer, path, "no_penalty_decision", "本案未决定不予行政处罚（当前状态：待决定）")
	decRefused(t, p.officer, path, "decision", "负责人尚未作出处罚决定")
	mustAct(t, p.head, path, "no_penalty", url.Values{"no_penalty_kind": {"first_offence"}, "reason": {"首次违法，危害后果轻微并已及时改正"},
		"education": {"当场宣讲森林防火条例，当事人签署承诺书"}})
	decRefused(t, p.officer, path, "decision", "本案已决定不予行政处罚，请制作《不予行政处罚决定书》。")

	docPath, page := a.decIssue(t, p.officer, path, "no_penalty_decision", nil)
	if n := a.docNumber(t, docPath); !strings.HasPrefix(n, "紫毛坝综执不罚〔2025〕") {
		t.Errorf("numbered %q, want 紫毛坝综执不罚〔2025〕n号", n)
	}
	pageSays(t, page, "不予行政处罚决定书", "刘某", "现已调查终结。经查，当事人系初次违法，已自行扑灭火源，未造成损失。",
		"本机关认为，首次违法，危害后果轻微并已及时改正。",
		"你系初次违法且危害后果轻微并及时改正。依据《中华人民共和国行政处罚法》第三十三条第一款的规定，本机关决定对你不予行政处罚。",
		"本机关已依法对你进行教育（《中华人民共和国行政处罚法》第三十三条第三款）：当场宣讲森林防火条例，当事人签署承诺书。",
		"向紫阳县人民政府申请行政复议", "紫阳县人民法院")
	pageSaysNot(t, page, "不停止执行", "缴纳罚款")
	decRefused(t, p.officer, path, "major_filing", "本案已决定不予行政处罚")
}

// 当场处罚 (APL arts. 51, 52): the act, the time and place, the fine and its
// basis, reconsideration first, the officers' signatures, and the party's
// refusal to sign noted.
func TestSpotDecisionDocument(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	form := a.caseForm("maoba-officer1", "maoba-officer3")
	form.Set("procedure", "summary")
	res := p.officer.post("/cases/new", form)
	if res.status != http.StatusSeeOther || !caseIDRE.MatchString(res.location) {
		t.Fatalf("filing: status %d to %q: %.600s", res.status, res.location, text(res.body))
	}
	path := res.location
	decRefused(t, p.officer, path, "spot_decision", "尚未作出当场处罚决定")
	mustAct(t, p.officer, path, "decide", with(confirmed, url.Values{"amount": {"200"}, "warning": {"1"}, "spot_told": {"1"},
		"spot_statement": {"当事人表示认错"}, "refused_to_sign": {"1"}}))
	decRefused(t, p.officer, path, "decision", "简易程序案件当场作出处罚决定，请制作《当场行政处罚决定书》。")
	decRefused(t, p.officer, path, "major_filing", "不属于重大行政处罚")

	docPath, page := a.decIssue(t, p.officer, path, "spot_decision", nil)
	if n := a.docNumber(t, docPath); !strings.HasPrefix(n, "紫毛坝综执当罚〔2025〕") {
		t.Errorf("numbered %q, want 紫毛坝综执当罚〔2025〕n号", n)
	}
	pageSays(t, page, "当场行政处罚决定书", "刘某", "违法时间：2025年8月20日", "违法地点：干沙村刘某住宅外",
		"违法事实：当事人在住宅外焚烧垃圾，火势蔓延至林地。", "你陈述、申辩：当事人表示认错。",
		"本机关决定对你作出如下行政处罚：一、警告；二、罚款200元（大写：贰佰元整）。",
		"除依法当场收缴的罚款外，执法人员不得自行收缴罚款",
		"日内向紫阳县人民政府申请行政复议；对行政复议决定不服的，可以依法向紫阳县人民法院提起行政诉讼。",
		"执法人员（签名）及执法证号", "当事人拒绝签收本决定书，执法人员已当场注明。", "处罚时间：2025年9月1日")
	pageSaysNot(t, page, "当事人（签名或捺印）")
}

// Execution: the 催告 once the period to pay is over, with the surcharge;
// the court application once its window opens, signed by the head; the
// closing approval with how the case ended.
func TestDemandAndEnforcementDocuments(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.executingCase(t, p, "1000") // served Mon 2025-09-01, due 09-16
	decNo := a.decisionNumber(t, path)
	decRefused(t, p.officer, path, "demand", "缴纳罚款的期限（2025年9月16日）尚未届满：当事人逾期不履行的，方可催告（行政强制法第三十五条）。")
	decRefused(t, p.officer, path, "enforcement_request", "尚未送达履行催告书")
	decRefused(t, p.officer, path, "closing_approval", "尚不能结案：罚款尚未缴清（已缴0元，应缴1000元），且未申请法院强制执行。")

	a.gotoDay(t, "2025-09-17")
	docPath, page := a.decIssue(t, p.officer, path, "demand", nil)
	if n := a.docNumber(t, docPath); !strings.HasPrefix(n, "紫毛坝综执催〔2025〕") {
		t.Errorf("numbered %q, want 紫毛坝综执催〔2025〕n号", n)
	}
	pageSays(t, page, "履行催告书", "刘某：", "本机关于2025年9月1日作出"+decNo+"《行政处罚决定书》，决定对你处以罚款1000元（大写：壹仟元整）",
		"该决定书已于2025年9月1日送达你。",
		"一、缴纳罚款1000元（大写：壹仟元整）；",
		"二、缴纳加处罚款：截至本催告书作出之日为30元（大写：叁拾元整）",
		"自收到本催告书之日起10个工作日内履行上述义务，到紫阳县农村信用合作联社营业网点缴纳",
		"你有权进行陈述和申辩", "《中华人民共和国行政强制法》第三十六条")
	// The party refuses to sign: the receipt says so, with the witness.
	mustAct(t, p.officer, path, "serve_demand", url.Values{"method": {"留置送达"}, "refused": {"1"}, "witness": {"村委会主任张某"},
		"servers": {"王某、李某"}})
	receipt := p.officer.get(docPath + "/receipt")
	pageSays(t, receipt, "送达回证", "《履行催告书》", "送达方式 留置送达", "受送达人签名（盖章） 受送达人拒绝签收（留置送达）",
		"见证人 村委会主任张某", "送达人 王某、李某")

	decRefused(t, p.officer, path, "enforcement_request", "尚不能申请人民法院强制执行：催告送达满10个工作日且复议、诉讼期限届满后方可申请（最早2026-03-03）")
	a.gotoDay(t, "2026-03-10")
	_, page = a.decIssue(t, p.officer, path, "enforcement_request", nil)
	pageSays(t, page, "强制执行申请书", "申请人：", "毛坝镇人民政府", "被申请人：刘某",
		"申请事项：请求紫阳县人民法院依法强制执行本机关"+decNo+"《行政处罚决定书》确定的下列义务：罚款1000元（大写：壹仟元整）；加处罚款1000元（大写：壹仟元整）",
		"被申请人在法定期限内未申请行政复议，也未提起行政诉讼，又不履行行政处罚决定。",
		"本机关于2025年9月17日向被申请人送达履行催告书，催告其在10个工作日内履行义务。被申请人收到催告书后未提出陈述、申辩，催告期满后仍未履行",
		"《中华人民共和国行政强制法》第五十三条、第五十四条、第五十五条", "此致", "本机关负责人（签名）")
	mustAct(t, p.head, path, "apply_enforcement", url.Values{"court": {"紫阳县人民法院"}})

	_, page = a.decIssue(t, p.officer, path, "closing_approval", nil)
	pageSays(t, page, "结案审批表", "案号：", "罚款未缴清：已缴0元，应缴1000元。", "2025年9月17日送达履行催告书。",
		"2026年3月10日向紫阳县人民法院申请强制执行。", "承办机构意见", "负责人审批意见")
}

// 延期缴纳 (APL art. 66 ¶2): the approval form on the party's request, the
// decision once the head approved; paid, the closing approval lists the
// payment with its receipt.
func TestDeferralAndClosingDocuments(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.executingCase(t, p, "1000")
	decNo := a.decisionNumber(t, path)
	a.gotoDay(t, "2025-09-10")
	decRefused(t, p.officer, path, "deferral_decision", "负责人尚未批准延期（分期）缴纳罚款")
	_, page := a.decIssue(t, p.officer, path, "deferral_approval", url.Values{"reason": {"当事人家庭经济困难，附村委会证明"}})
	pageSays(t, page, "延期（分期）缴纳罚款审批表", "案号：", "刘某（", decNo+"《行政处罚决定书》", "罚款金额 1000元（大写：壹仟元整）",
		"当事人申请理由及困难证明 当事人家庭经济困难，附村委会证明", "建议准予延期（分期）缴纳罚款。")

	mustAct(t, p.head, path, "defer_payment", url.Values{"date": {"2025-09-09"}, "new_due": {"2025-10-31"}, "text": {"当事人经济困难"}})
	docPath, page := a.decIssue(t, p.officer, path, "deferral_decision", nil)
	if n := a.docNumber(t, docPath); !strings.HasPrefix(n, "紫毛坝综执延缴〔2025〕") {
		t.Errorf("numbered %q, want 紫毛坝综执延缴〔2025〕n号", n)
	}
	pageSays(t, page, "延期（分期）缴纳罚款决定书", "刘某：", "本机关于2025年9月1日作出"+decNo+"《行政处罚决定书》",
		"申请延期（分期）缴纳罚款（当事人经济困难）", "《中华人民共和国行政处罚法》第六十六条第二款",
		"准予你延期至2025年10月31日前缴纳罚款1000元（大写：壹仟元整）。", "每日按罚款数额的百分之三加处罚款")

	decRefused(t, p.officer, path, "closing_approval", "尚不能结案")
	mustAct(t, p.officer, path, "add_payment", url.Values{"amount": {"1000"}, "receipt_no": {"SX2025-11"}})
	decRefused(t, p.officer, path, "demand", "当事人已履行处罚决定，不需要催告。")
	_, page = a.decIssue(t, p.officer, path, "closing_approval", nil)
	pageSays(t, page, "结案审批表", "2025年9月1日作出处罚决定：罚款1000元；2025年9月1日直接送达。",
		"缴纳情况：2025年9月10日缴纳罚款1000元，票据号SX2025-11。", "罚款1000元已全部缴清。", "建议结案。")
}

// The 送达地址确认书 the party signs, consenting to electronic service.
func TestEServiceConsentDocument(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.reviewedCase(t, p, "1000")
	_, page := a.decIssue(t, p.officer, path, "e_service_consent", url.Values{"consent": {"同意"}})
	pageSays(t, page, "送达地址确认书", "确认的送达地址 毛坝镇干沙村三组", "电子送达方式 手机号码13800001234（短信）", "☑同意 □不同意",
		"《中华人民共和国行政处罚法》第六十一条第二款", "应当及时书面告知本机关", "受送达人（签名或捺印）")
}

// decisionNumber is the 文号 of the case's issued 行政处罚决定书.
func (a *app) decisionNumber(t *testing.T, path string) string {
	t.Helper()
	var n string
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT coalesce(max(number), '') FROM documents WHERE case_id = $1 AND kind = 'decision'`,
			caseID(t, path)).Scan(&n)
	})
	if !decisionNumberRE.MatchString(n) {
		t.Fatalf("the case's decision is numbered %q", n)
	}
	return n
}
