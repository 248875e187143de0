package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The documents of the review, notice and hearing stages, issued over HTTP
// from cases walked to each step: the investigation report and the
// approval before the review, the review opinion with its checklist after
// it, the notice of intended penalty in its two variants (with the hearing
// right where the fine reaches the domain's threshold, APL art. 63), the
// statement record and recheck, and the hearing's notices, record and
// report; each refused, with its reason, before the case allows it.

// reviewDoc issues kind for the case at path and returns the issued
// document's path and page.
func (a *app) reviewDoc(t *testing.T, c *client, path, kind string, fields url.Values) (string, response) {
	t.Helper()
	docPath := a.issueDoc(t, c, path, kind, fields)
	page := c.get(docPath)
	wantStatus(t, page, http.StatusOK)
	return docPath, page
}

// reviewDocRefused posts kind with op=issue and checks that it is refused
// (422) with the reason.
func reviewDocRefused(t *testing.T, c *client, path, kind, why string) {
	t.Helper()
	res := c.post(path+"/documents/new/"+kind, url.Values{"op": {"issue"}})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("issuing %s: status %d, want 422: %.600s", kind, res.status, text(res.body))
	}
	pageSays(t, res, why)
}

var noticeNumberRE = regexp.MustCompile(`^紫毛坝综执罚告〔2025〕[1-9][0-9]*号$`)

// A fine of 3000 yuan on a person (ZY-LY-001) is below the hearing
// threshold (5000 yuan): the notice tells only of statement and defence.
func TestReviewAndNoticeDocuments(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	mustAct(t, p.officer, path, "investigate", nil)
	reviewDocRefused(t, p.officer, path, "investigation_report", "请先在案件页面“填写拟处罚意见”（调查终结后提出处理建议），再制作调查终结报告。")
	investigated(t, p.officer, path, "3000")

	// The report and the approval set out the proposal; the course and
	// the evidence default to the timeline and the evidence on record.
	_, page := a.reviewDoc(t, p.officer, path, "investigation_report", url.Values{
		"course": {"2025年8月25日巡查发现；2025年8月26日立案并询问当事人。"}, "facts": {"经查，当事人于2025年8月20日在住宅外焚烧垃圾。"},
		"evidence": {"1. 现场照片：证明焚烧现场情况。"}, "discretion": {"违法情节一般。"}, "proposal": {"建议对当事人罚款3000元。"}})
	pageSays(t, page, "调查终结报告", "案号：", "刘某", "2025年8月25日巡查发现；2025年8月26日立案并询问当事人。", "1. 现场照片：证明焚烧现场情况。",
		"“对森林防火期内未经批准擅自在森林防火区内野外用火的行政处罚”所规定的违法行为", "建议对当事人罚款3000元。", "承办人员签名")
	form := p.officer.get(path + "/documents/new/investigation_report")
	pageSays(t, form, "现场照片（现场笔录，2025年8月25日", "适用裁量阶次：一般。", "建议对当事人罚款3000元。")
	_, page = a.reviewDoc(t, p.officer, path, "handling_approval", nil)
	pageSays(t, page, "案件处理审批表", "拟处罚意见", "罚款3000元", "违法情节一般，按裁量基准一般阶次。", "承办机构意见", "法制审核意见", "负责人审批意见")

	// Before the review passes: no notice, no review opinion.
	reviewDocRefused(t, p.officer, path, "notice",
		"法制审核尚未通过，不能制作行政处罚事先告知书：告知的是经法制审核通过的拟处罚内容（行政处罚法第四十四条、第五十八条）。")
	reviewDocRefused(t, p.officer, path, "review_opinion", "法制审核尚未完成，不能制作法制审核意见书")
	reviewed(t, p.officer, p.reviewer, path)

	// The review opinion: the reviewer, the checklist and the opinion.
	reviewer := a.user("maoba-reviewer").DisplayName
	_, page = a.reviewDoc(t, p.officer, path, "review_opinion", nil)
	pageSays(t, page, "法制审核意见书", "审核人员 "+reviewer+"（法律职业资格证书编号：", "送审日期 2025年9月1日", "审核完成日期 2025年9月1日",
		"主体 符合", "管辖 符合", "事实 符合", "证据 符合", "定性 符合", "依据 符合", "程序 符合", "裁量 符合", "审核结论 通过",
		"事实清楚，证据确凿，定性准确，适用依据正确，程序合法，裁量适当。")

	// The notice: numbered 罚告, the reviewed penalty, the rights with
	// the periods of the settings, no hearing right.
	notice, page := a.reviewDoc(t, p.officer, path, "notice", url.Values{
		"facts": {"当事人于2025年8月20日在住宅外焚烧垃圾（告知的事实）。"}, "evidence": {"现场照片、询问笔录。"},
		"reasons": {"违反《森林防火条例》第二十五条（告知的理由）。"}})
	if n := a.docNumber(t, notice); !noticeNumberRE.MatchString(n) {
		t.Errorf("the notice's number = %q", n)
	}
	pageSays(t, page, "毛坝镇人民政府", "行政处罚事先告知书", a.docNumber(t, notice), "刘某：",
		"当事人于2025年8月20日在住宅外焚烧垃圾（告知的事实）。", "违反《森林防火条例》第二十五条（告知的理由）。",
		"《中华人民共和国行政处罚法》第四十四条", "罚款3000元（大写：叁仟元整）",
		"根据《中华人民共和国行政处罚法》第四十五条的规定，你有权进行陈述和申辩。你可以自收到本告知书之日起3个工作日内向本机关提出陈述、申辩",
		"不因你陈述、申辩而给予更重的处罚", "逾期未提出的，视为放弃上述权利。")
	pageSaysNot(t, page, "有权要求举行听证", "第六十三条")
	if !strings.Contains(page.body, `data-hearing="false"`) {
		t.Error("the notice is not marked as the variant without the hearing right")
	}
	reviewDocRefused(t, p.officer, path, "hearing_right_notice", "请先送达行政处罚事先告知书：听证申请期自告知之日起计算。")
	reviewDocRefused(t, p.officer, path, "statement_record", "行政处罚事先告知书送达后，当事人才进行陈述、申辩；请先送达事先告知书。")

	mustAct(t, p.officer, path, "serve_notice", nil)
	reviewDocRefused(t, p.officer, path, "notice", "事先告知书已于2025年9月1日送达，拟处罚内容没有加重，无需重新告知")
	reviewDocRefused(t, p.officer, path, "hearing_right_notice", "事先告知的拟处罚不属于应当告知听证权利的情形（行政处罚法第六十三条），不制作听证告知书。")

	// The party states and defends; the officers recheck.
	_, page = a.reviewDoc(t, p.officer, path, "statement_record", url.Values{"start": {"2025年9月1日14时00分"}, "end": {"2025年9月1日14时30分"},
		"place": {"毛坝镇综合行政执法队办公室"}, "content": {"问：你对拟处罚有何意见？\n答：我是初次违法，请求从轻处罚。"}})
	pageSays(t, page, "陈述申辩笔录", "2025年9月1日14时00分至2025年9月1日14时30分", "陈述申辩人", "刘某",
		"答：我是初次违法，请求从轻处罚。", "第四十五条", "陈述申辩人签名")
	reviewDocRefused(t, p.officer, path, "recheck_opinion", "尚无已复核的陈述、申辩")
	mustAct(t, p.officer, path, "add_statement", url.Values{"text": {"当事人称系初次违法，请求从轻处罚。"}})
	mustAct(t, p.officer, path, "recheck_statement", url.Values{"statement_id": {a.latestID(path, "case_statements")},
		"text": {"不予采纳：火势已蔓延至林地，不属于危害后果轻微。"}})
	_, page = a.reviewDoc(t, p.officer, path, "recheck_opinion", nil)
	pageSays(t, page, "复核意见", "告知的拟处罚 罚款3000元", "陈述申辩一（2025年9月1日收到）", "当事人称系初次违法，请求从轻处罚。",
		"不予采纳：火势已蔓延至林地，不属于危害后果轻微。")

	// No hearing was asked: none of its documents.
	reviewDocRefused(t, p.officer, path, "hearing_notice", "当事人尚未申请听证。")
	reviewDocRefused(t, p.officer, path, "hearing_report", "听证尚未结束，不能制作听证报告")
	reviewDocRefused(t, p.officer, path, "discussion_record", "集体讨论尚未记录")
}

// A fine of 20000 yuan on a person (ZY-HJ-001) reaches the hearing
// threshold: the notice tells of the hearing right, the party asks for a
// hearing, and its notice, record and report follow; the decision is then
// discussed collectively.
func TestHearingDocuments(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.filedCase(t, a.itemForm("ZY-HJ-001", "maoba-officer1", "maoba-officer3"))
	mustAct(t, p.officer, path, "investigate", nil)
	investigated(t, p.officer, path, "20000")
	reviewed(t, p.officer, p.reviewer, path)

	notice, page := a.reviewDoc(t, p.officer, path, "notice", nil)
	if n := a.docNumber(t, notice); !noticeNumberRE.MatchString(n) {
		t.Errorf("the notice's number = %q", n)
	}
	pageSays(t, page, "罚款20000元（大写：贰万元整）", "你有权进行陈述和申辩",
		"根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，你有权要求举行听证。要求听证的，应当自收到本告知书之日起5个工作日内向本机关提出",
		"当事人不承担组织听证的费用。", "逾期未提出的，视为放弃上述权利。")
	if !strings.Contains(page.body, `data-hearing="true"`) {
		t.Error("the notice is not marked as the variant with the hearing right")
	}
	// The defaults: the case's facts, the evidence, the item.
	form := p.officer.get(path + "/documents/new/notice")
	pageSays(t, form, "经查，当事人于2025年8月20日在住宅外焚烧垃圾。", "1. 现场照片（现场笔录", "“对施工工地未采取扬尘污染防治措施的行政处罚”所规定的违法行为")

	mustAct(t, p.officer, path, "serve_notice", nil)
	// Told separately: the same right, with the last day to ask.
	hrn, page := a.reviewDoc(t, p.officer, path, "hearing_right_notice", nil)
	if n := a.docNumber(t, hrn); !strings.HasPrefix(n, "紫毛坝综执听告〔2025〕") {
		t.Errorf("the hearing right notice's number = %q", n)
	}
	pageSays(t, page, "听证告知书", "刘某：", "本机关于2025年9月1日向你送达了行政处罚事先告知书", "罚款20000元",
		"应当自收到行政处罚事先告知书之日起5个工作日内（即2025年9月8日前）向本机关提出")

	mustAct(t, p.officer, path, "request_hearing", nil)
	reviewDocRefused(t, p.officer, path, "hearing_right_notice", "当事人已申请听证，请制作听证通知书。")
	reviewDocRefused(t, p.officer, path, "hearing_notice", "请先在案件页面“送达听证通知书”中确定举行听证的日期、地点和主持人（行政处罚法第六十四条）。")
	chair := a.user("maoba-leader")
	mustAct(t, p.officer, path, "serve_hearing_notice", url.Values{"hearing_on": {"2025-09-10"}, "hearing_place": {"毛坝镇政府会议室"},
		"hearing_chair": {itoa(chair.ID)}})

	hn, page := a.reviewDoc(t, p.officer, path, "hearing_notice", url.Values{"officers": {"听证员孙某，记录员钱某"}})
	if n := a.docNumber(t, hn); !strings.HasPrefix(n, "紫毛坝综执听通〔2025〕") {
		t.Errorf("the hearing notice's number = %q", n)
	}
	pageSays(t, page, "听证通知书", "刘某：", "本机关决定于2025年9月10日在毛坝镇政府会议室举行听证",
		"听证主持人："+chair.DisplayName+"；听证员、记录员：听证员孙某，记录员钱某。", "本次听证公开举行。", "有权申请回避",
		"也可以委托一至二人代理", "无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃听证权利")

	_, page = a.reviewDoc(t, p.officer, path, "hearing_record", url.Values{"start": {"2025年9月10日9时00分"}, "end": {"2025年9月10日10时30分"},
		"record": {"调查人员：当事人未采取防尘措施。\n当事人：对事实无异议，请求从轻。"}})
	pageSays(t, page, "听证笔录", "毛坝镇政府会议室", "公开举行", "听证主持人： "+chair.DisplayName, "委托代理人： 无",
		"当事人：对事实无异议，请求从轻。", "由听证主持人在笔录中注明")
	reviewDocRefused(t, p.officer, path, "hearing_report", "听证尚未结束，不能制作听证报告：请先在案件页面“记录听证”。")

	a.clock.Set(day(time.September, 10))
	wantStatus(t, p.officer.upload(path+"/evidence", map[string]string{"kind": "documentary", "title": "听证笔录（签字）", "collected_on": "2025-09-10"},
		"transcript.jpg", jpegBytes), http.StatusSeeOther)
	mustAct(t, p.officer, path, "hold_hearing", url.Values{"outcome": {"held"}, "attendance": {"当事人刘某、调查人员、主持人、记录员"},
		"transcript": {"当事人对事实无异议，请求从轻。"}, "scan_evidence_id": {a.latestID(path, "evidence")}})
	_, page = a.reviewDoc(t, p.officer, path, "hearing_report", url.Values{"issues": {"裁量是否适当（争议焦点）"}, "opinion": {"建议维持原处罚意见（主持人意见）"}})
	pageSays(t, page, "听证报告", "听证时间 2025年9月10日", "参加人员 当事人刘某、调查人员、主持人、记录员", "听证情况 听证已举行",
		"拟作出的行政处罚 罚款20000元", "裁量是否适当（争议焦点）", "建议维持原处罚意见（主持人意见）", "负责人审批意见")

	// Reviewed again and discussed (APL art. 57 ¶2): the discussion record.
	mustAct(t, p.officer, path, "resubmit_review", url.Values{"reason": {"听证后根据听证笔录重新审核"}})
	mustAct(t, p.reviewer, path, "pass_review", with(checklist(), url.Values{"text": {"听证笔录未提出新的事实，维持原意见。"}}))
	_, page = a.reviewDoc(t, p.officer, path, "review_opinion", nil)
	pageSays(t, page, "送审日期 2025年9月10日", "听证笔录未提出新的事实，维持原意见。")
	mustAct(t, p.leader, path, "to_discussion", nil)
	reviewDocRefused(t, p.officer, path, "discussion_record", "集体讨论尚未记录")
	mustAct(t, p.leader, path, "record_discussion", a.discussion("维持罚款20000元"))
	form = p.officer.get(path + "/documents/new/discussion_record")
	pageSays(t, form, "分管副镇长王某：")
	_, page = a.reviewDoc(t, p.officer, path, "discussion_record", url.Values{"views": {"镇负责人：同意维持（发言）。"}})
	pageSays(t, page, "集体讨论笔录", "时间： 2025年9月10日", "分管副镇长王某", "镇负责人：同意维持（发言）。", "讨论结论： 维持罚款20000元",
		"承办人员汇报", "拟处罚意见：罚款20000元。", "参加人员签名")
}
