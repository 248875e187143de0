package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5"

	"zhifa/internal/database"
	"zhifa/internal/zhifa"
	"zhifa/web"
)

// 行政处罚决定公示 (APL art. 48) over HTTP, as the town's officers, its
// 队长 and the public: the redacted preview, publishing it, the public
// pages (a town's, the county's, one decision, the home page), the
// deadline in working days, the decision not to publish, and the
// withdrawal after a reconsideration changed the decision.

// pubParty is a person whose every detail the public pages must hide.
func pubParty(seq string) url.Values {
	return url.Values{"party_kind": {"person"}, "party_name": {"欧阳娜娜"}, "party_id_number": {idNumber("19850308", seq)},
		"party_phone": {"13912345678"}, "party_address": {"毛坝镇干沙村三组25号"}}
}

// pubFacts name the party, a house number, a witness with a phone, and a
// neighbour no rule can know.
const pubFacts = "经查，当事人欧阳娜娜于2025年8月20日在毛坝镇干沙村三组25号住宅外焚烧垃圾，火势蔓延至林地，邻居张秀英协助扑灭。" +
	"在场证人：王建国，联系电话13700001111。"

// pubCase files a case of the party (fields over caseForm), takes it to
// the head's decision of a fine of fine yuan, decided on the clock's
// today, and issues the 行政处罚决定书; it returns the case's path.
func (a *app) pubCase(t *testing.T, p crew, party url.Values, fine string) string {
	t.Helper()
	return a.pubCaseOn(t, p, party, fine, time.Time{})
}

// pubCaseOn is pubCase with the decision made on decideOn (the clock is
// moved there first; zero: today).
func (a *app) pubCaseOn(t *testing.T, p crew, party url.Values, fine string, decideOn time.Time) string {
	t.Helper()
	form := a.caseForm("maoba-officer1", "maoba-officer3")
	for k, v := range party {
		form[k] = v
	}
	path := a.filedCase(t, form)
	mustAct(t, p.officer, path, "investigate", nil)
	investigated(t, p.officer, path, fine)
	mustAct(t, p.officer, path, "update_facts", url.Values{"text": {pubFacts}})
	reviewed(t, p.officer, p.reviewer, path)
	a.serveNotice(t, p.officer, path, url.Values{"text": {"拟处罚款" + fine + "元。"}})
	mustAct(t, p.officer, path, "waive_statement", nil)
	if !decideOn.IsZero() {
		a.clock.Set(decideOn)
	}
	mustAct(t, p.head, path, "decide", with(decision(fine), url.Values{"order_measure": {"清理焚烧现场"}, "order_due": {"2025-09-30"}}))
	a.decIssue(t, p.officer, path, "decision", nil) // the boxes as filled in from the case
	return path
}

var previewRE = regexp.MustCompile(`name="preview" value="([0-9a-f]{64})"`)

// previewOf reads the publish form's preview hash from the publication page.
func previewOf(t *testing.T, page response) string {
	t.Helper()
	m := previewRE.FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("no publish form on the page: %.1200s", text(page.body))
	}
	return m[1]
}

var publicIDRE = regexp.MustCompile(`href="/public/decisions/(\d+)"`)

// publish previews the case's decision with the extra names and publishes
// it as c; it returns the public page's path.
func (a *app) publish(t *testing.T, c *client, path, extra string) string {
	t.Helper()
	page := c.post(path+"/publication", url.Values{"op": {"preview"}, "extra_names": {extra}})
	wantStatus(t, page, http.StatusOK)
	res := c.post(path+"/publication", url.Values{"op": {"publish"}, "extra_names": {extra}, "preview": {previewOf(t, page)}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("publish: status %d: %.900s", res.status, text(res.body))
	}
	m := publicIDRE.FindStringSubmatch(c.get(path + "/publication").body)
	if m == nil {
		t.Fatal("the publication page does not link the public page")
	}
	return "/public/decisions/" + m[1]
}

// secrets are what the case holds of the party and the people in its
// facts that no public page may show.
var secrets = []string{"欧阳娜娜", "娜娜", "13912345678", "139 1234", "干沙村三组25号", "25号", "王建国", "13700001111", "张秀英",
	"19850308", "610924198503", "csrf_token"}

// publicPages are every public page that could show a decision.
func publicPages(decision string) []string {
	return []string{"/public", "/public/decisions", "/public/decisions?q=焚烧", "/public/towns/maoba/decisions",
		"/public/towns/maoba/decisions?q=欧阳某", decision}
}

func TestPublishDecision(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.pubCase(t, p, pubParty("462"), "1000")
	anon := a.client()

	// The case page says what is due, by when: 7 working days from 1 September.
	casePage := p.leader.get(path)
	pageSays(t, casePage, "处罚决定公示", "应于 2025-09-10 前公示（决定之日起7个工作日，行政处罚法第四十八条）", "进行中", "剩余9天")

	// The preview: the text of the issued decision, redacted by rule.
	page := p.officer.get(path + "/publication")
	wantStatus(t, page, http.StatusOK)
	pageSays(t, page, "公示内容预览", "当事人 欧阳某", "当事人：欧阳某，女", "经查，当事人欧阳某于2025年8月20日在（已隐去）住宅外焚烧垃圾",
		"在场证人：王某，联系电话（已隐去）。", "罚款1000元", "毛坝镇人民政府", "紫毛坝综执罚〔2025〕")
	for _, s := range []string{"欧阳娜娜", "13912345678", "25号", "王建国", "13700001111", "1985年3月8日", "身份证件号码", "缴纳罚款（户名"} {
		if strings.Contains(previewText(t, page), s) {
			t.Errorf("the preview shows %q", s)
		}
	}
	// The neighbour is named in the facts without a label: the officer adds her.
	pageSays(t, page, "邻居张秀英协助扑灭")
	bad := p.officer.post(path+"/publication", url.Values{"op": {"preview"}, "extra_names": {"张"}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	pageSays(t, bad, "“张”不像一个姓名：每个姓名2至20个字，多个姓名用顿号或换行分开。")
	mustContain(t, bad, `>张</textarea>`)
	page = p.officer.post(path+"/publication", url.Values{"op": {"preview"}, "extra_names": {"张秀英"}})
	wantStatus(t, page, http.StatusOK)
	pageSays(t, page, "邻居张某协助扑灭")
	mustContain(t, page, `name="extra_names" value="张秀英"`)

	// The reviewer and the county see the preview, without the forms;
	// another town does not see the case at all.
	for _, who := range []string{"maoba-reviewer", "county-reviewer"} {
		res := a.login(who).get(path + "/publication")
		wantStatus(t, res, http.StatusOK)
		mustNotContain(t, res, `name="preview"`, "确认公示")
	}
	wantStatus(t, a.login("chengguan-officer1").get(path+"/publication"), http.StatusNotFound)
	refusedPost := a.login("maoba-reviewer").post(path+"/publication", url.Values{"op": {"publish"}, "extra_names": {"张秀英"}, "preview": {previewOf(t, page)}})
	wantStatus(t, refusedPost, http.StatusForbidden)
	pageSays(t, refusedPost, "只有本案的承办人员、队长或镇负责人可以公示处罚决定。")

	// What is published is what was previewed: another preview's hash is
	// refused, and nothing is written.
	stale := p.officer.post(path+"/publication", url.Values{"op": {"publish"}, "extra_names": {""}, "preview": {previewOf(t, page)}})
	wantStatus(t, stale, http.StatusConflict)
	pageSays(t, stale, "公示内容与您预览的不一致（补充的姓名、案件或决定书已有变动），没有公示。")
	if n := a.publicRows(t); n != 0 {
		t.Fatalf("%d public rows after a refused publication", n)
	}
	res := p.officer.post(path+"/publication", url.Values{"op": {"publish"}, "extra_names": {"张秀英"}, "preview": {previewOf(t, page)}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("publish: status %d: %.900s", res.status, text(res.body))
	}
	done := p.officer.get(res.location)
	pageSays(t, done, "已公示：公众可在本镇和全县的行政处罚决定公示页面查看", "已于 2025-09-01 公示")
	again := p.leader.post(path+"/publication", url.Values{"op": {"publish"}, "preview": {previewOf(t, page)}})
	wantStatus(t, again, http.StatusConflict)
	pageSays(t, again, "本决定已于2025年9月1日公示，不能重复公示。")
	decision := "/public/decisions/" + publicIDRE.FindStringSubmatch(done.body)[1]

	// The public pages, without a login.
	one := anon.get(decision)
	wantStatus(t, one, http.StatusOK)
	pageSays(t, one, "行政处罚决定书", "欧阳某", "经查，当事人欧阳某于2025年8月20日", "邻居张某协助扑灭", "公示日期：2025年9月1日")
	if one.header.Get("Set-Cookie") != "" {
		t.Errorf("a public page sets a cookie: %s", one.header.Get("Set-Cookie"))
	}
	for _, pth := range publicPages(decision) {
		res := anon.get(pth)
		wantStatus(t, res, http.StatusOK)
		mustNotContain(t, res, secrets...)
	}
	town := anon.get("/public/towns/maoba/decisions")
	pageSays(t, town, "毛坝镇行政处罚决定公示", "公示决定共 1 件", "欧阳某", "罚款1000元")
	pageSays(t, anon.get("/public/towns/chengguan/decisions"), "城关镇行政处罚决定公示", "公示决定共 0 件", "没有符合条件的公示决定。")
	mustNotContain(t, anon.get("/public/towns/chengguan/decisions"), "欧阳某")
	pageSays(t, anon.get("/public/decisions?q=焚烧+林地"), "含“焚烧 林地”的公示决定共 1 件")
	pageSays(t, anon.get("/public/decisions?q=非法采砂"), "公示决定共 0 件")
	pageSays(t, anon.get("/public/decisions?town=maoba"), "公示决定共 1 件")
	pageSays(t, anon.get("/public/decisions?town=chengguan"), "公示决定共 0 件")
	wantStatus(t, anon.get("/public/towns/nowhere/decisions"), http.StatusNotFound)
	wantStatus(t, anon.get("/public/decisions/999999"), http.StatusNotFound)
	wantStatus(t, anon.get("/public/decisions/abc"), http.StatusNotFound)
	for _, q := range []string{"?page=0", "?page=-3", "?page=x", "?page=99999999999999999999", "?page=922337203685477580", "?q=%25_%5C"} {
		wantStatus(t, anon.get("/public/decisions"+q), http.StatusOK)
	}

	// The record: the timeline says who published what.
	pageSays(t, p.leader.get(path), "公示《行政处罚决定书》（紫毛坝综执罚〔2025〕", "已于 2025-09-01 公示")
}

var previewArticleRE = regexp.MustCompile(`(?s)<article class="pub-doc">.*?</article>`)

// previewText is the preview's text (the page around it names the party
// in full: it is the town's own page).
func previewText(t *testing.T, page response) string {
	t.Helper()
	m := previewArticleRE.FindString(page.body)
	if m == "" {
		t.Fatalf("no preview on the page: %.800s", text(page.body))
	}
	return text(m)
}

// publicRows counts the rows the public can read.
func (a *app) publicRows(t *testing.T) int {
	t.Helper()
	var n int
	a.mustTx(database.Settings{}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT count(*) FROM public_decisions`).Scan(&n)
	})
	return n
}

// The period to publish is a setting in working days (7 by default), kept
// by the county administrator with the other periods; it is counted over
// the holidays and adjusted working days of the calendar, and the case
// page shows it overdue to the 队长.
func TestPublicationDeadlineIsASetting(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.pubCaseOn(t, p, pubParty("473"), "1000", day(time.September, 26))
	// 26 September 2025 (Friday) + 7 working days: 28 September (a Sunday
	// worked), 29, 30, the holidays of 1-8 October, 9, 10, 11 (a Saturday
	// worked), 13 October.
	pageSays(t, p.leader.get(path), "应于 2025-10-13 前公示（决定之日起7个工作日，行政处罚法第四十八条）")

	admin := a.login("county-admin")
	settings := admin.get("/settings")
	pageSays(t, settings, "行政处罚决定公示期限（决定后）", "7个工作日")
	res := admin.post("/settings", url.Values{"key": {"publication_working_days"}, "value": {"0"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	res = admin.post("/settings", url.Values{"key": {"publication_working_days"}, "value": {"10"}})
	wantStatus(t, res, http.StatusSeeOther)
	pageSays(t, p.leader.get(path), "应于 2025-10-16 前公示（决定之日起10个工作日，行政处罚法第四十八条）")
	wantStatus(t, a.login("maoba-leader").post("/settings", url.Values{"key": {"publication_working_days"}, "value": {"3"}}), http.StatusForbidden)

	a.clock.Set(day(time.October, 17))
	page := p.leader.get(path)
	pageSays(t, page, "应于 2025-10-16 前公示", "已逾期", "逾期1天")
	mustContain(t, page, `class="badge due-overdue"`)
	// Published late, the timeline and the page say so.
	a.publish(t, p.officer, path, "张秀英")
	page = p.leader.get(path)
	pageSays(t, page, "已于 2025-10-17 公示", "逾期公示", "（公示期限2025年10月16日已过）")
}

// A decision changed on reconsideration is withdrawn within three working
// days of the change: the case shows it due, then overdue; the officer
// withdraws it with a reason; the public page then says it was withdrawn
// and shows nothing of the text, and the lists drop it.
func TestWithdrawalAfterReconsideration(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.pubCase(t, p, pubParty("484"), "1000")
	mustAct(t, p.officer, path, "serve", url.Values{"method": {"直接送达"}, "service_proof": {"送达回证由当事人签收"}})
	decision := a.publish(t, p.officer, path, "张秀英")
	anon := a.client()
	pageSays(t, anon.get(decision), "经查，当事人欧阳某于2025年8月20日")

	a.clock.Set(day(time.September, 8))
	mustAct(t, p.officer, path, "add_remedy", url.Values{"remedy_kind": {"reconsideration"}, "text": {"当事人申请行政复议"}})
	a.clock.Set(day(time.September, 15))
	mustAct(t, p.officer, path, "remedy_outcome", url.Values{"remedy_id": {a.latestID(path, "case_remedies")}, "outcome": {"corrected"},
		"text": {"复议机关撤销原处罚决定"}})
	// 15 September (Monday) + 3 working days.
	pageSays(t, p.leader.get(path), "本决定已于 2025-09-15 被变更或撤销（行政复议纠错）", "应于 2025-09-18 前撤回公示（行政处罚法第四十八条第二款）", "待撤回")
	// Three days on, the leader sees it overdue on the case page.
	a.clock.Set(day(time.September, 19))
	page := p.leader.get(path)
	pageSays(t, page, "撤回已逾期", "逾期1天")
	mustContain(t, page, `href="/cases/`+itoa(caseID(t, path))+`/publication">撤回公示</a>`)

	// The withdrawal needs its reason; nothing changes without one.
	form := p.officer.get(path + "/publication")
	pageSays(t, form, "原行政处罚决定已于2025年9月15日被变更或撤销（行政复议纠错），依法撤回公示。")
	res := p.officer.post(path+"/publication/withdraw", url.Values{"withdraw_reason": {"  "}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	pageSays(t, res, "请填写撤回公示的理由。")
	pageSays(t, anon.get(decision), "经查，当事人欧阳某于2025年8月20日")
	wantStatus(t, a.login("maoba-reviewer").post(path+"/publication/withdraw", url.Values{"withdraw_reason": {"撤回"}}), http.StatusForbidden)

	res = p.officer.post(path+"/publication/withdraw", url.Values{"withdraw_reason": {"复议机关撤销原处罚决定，依法撤回公示。"}})
	wantStatus(t, res, http.StatusSeeOther)
	pageSays(t, p.officer.get(res.location), "已撤回公示：公示页面已注明该决定已撤回，不再显示决定内容。",
		"2025-09-01 公示，2025-09-19 由")
	gone := anon.get(decision)
	wantStatus(t, gone, http.StatusOK)
	pageSays(t, gone, "该行政处罚决定已于 2025年9月19日 撤回公示，不再公开其内容。")
	mustNotContain(t, gone, "焚烧垃圾", "罚款1000元", "欧阳某")
	for _, pth := range []string{"/public", "/public/decisions", "/public/towns/maoba/decisions", "/public/decisions?q=焚烧"} {
		res := anon.get(pth)
		mustNotContain(t, res, "焚烧垃圾", decision)
	}
	pageSays(t, anon.get("/public/towns/maoba/decisions"), "公示决定共 0 件")
	// The town keeps the record of what was published.
	var kept, shown *string
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT p.body, d.body FROM publications p JOIN public_decisions d ON d.id = p.id
			WHERE p.case_id = $1`, caseID(t, path)).Scan(&kept, &shown)
	})
	if kept == nil || !strings.Contains(*kept, "焚烧垃圾") || shown != nil {
		t.Errorf("after the withdrawal: the record keeps %v, the public row shows %v", kept != nil, shown)
	}
	pageSays(t, p.leader.get(path), "撤回行政处罚决定公示（应于2025年9月18日前撤回）：复议机关撤销原处罚决定")

	// A decision changed is not published again.
	res = p.officer.post(path+"/publication", url.Values{"op": {"publish"}, "preview": {strings.Repeat("0", 64)}})
	wantStatus(t, res, http.StatusConflict)
	pageSays(t, res, "本决定已于2025年9月15日被变更或撤销（行政复议纠错），不再公示。")
}

// Not publishing is the 队长's or the 镇负责人's decision, with a ground and
// an explanation, kept on the record.
func TestNotPublishingNeedsALeaderAndAGround(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.pubCase(t, p, pubParty("495"), "1000")
	mustNotContain(t, p.officer.get(path+"/publication"), "不予公开（由队长或镇负责人决定）")
	res := p.officer.post(path+"/publication/exempt", url.Values{"ground": {"no_impact"}, "reason": {"情节轻微"}})
	wantStatus(t, res, http.StatusForbidden)
	pageSays(t, res, "不予公开由队长或镇负责人决定。")

	page := p.leader.get(path + "/publication")
	pageSays(t, page, "不予公开（由队长或镇负责人决定）", "不具有一定社会影响（行政处罚法第四十八条第一款）")
	res = p.leader.post(path+"/publication/exempt", url.Values{"ground": {""}, "reason": {"焚烧垃圾一次，已清理，影响范围仅限本户"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	pageSays(t, res, "请选择不予公开的理由。")
	mustContain(t, res, ">焚烧垃圾一次，已清理，影响范围仅限本户</textarea>")
	res = p.leader.post(path+"/publication/exempt", url.Values{"ground": {"no_impact"}, "reason": {""}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	pageSays(t, res, "请说明不予公开的具体理由。")

	res = p.leader.post(path+"/publication/exempt", url.Values{"ground": {"no_impact"}, "reason": {"焚烧垃圾一次，已清理，影响范围仅限本户"}})
	wantStatus(t, res, http.StatusSeeOther)
	pageSays(t, p.leader.get(path), "已于 2025-09-01 决定不予公开", "不具有一定社会影响（行政处罚法第四十八条第一款）。焚烧垃圾一次",
		"决定行政处罚决定不予公开：不具有一定社会影响")
	res = p.officer.post(path+"/publication", url.Values{"op": {"publish"}, "preview": {strings.Repeat("0", 64)}})
	wantStatus(t, res, http.StatusConflict)
	pageSays(t, res, "已于2025年9月1日决定本决定不予公开（不具有一定社会影响（行政处罚法第四十八条第一款））。")
	if n := a.publicRows(t); n != 0 {
		t.Errorf("%d public rows", n)
	}
}

// A decision made on the spot (简易程序) is not in the scope of the
// publication: the case page has no section, the page says why.
func TestSummaryDecisionsAreNotPublished(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	form := a.caseForm("maoba-officer1", "maoba-officer3")
	form.Set("procedure", "summary")
	path := fileCase(t, officer, form)
	mustAct(t, officer, path, "decide", url.Values{"amount": {"200"}, "spot_told": {"1"}, "confirm": {"1"}})
	mustNotContain(t, officer.get(path), `id="publication"`)
	pageSays(t, officer.get(path+"/publication"), "简易程序当场作出的处罚决定不在公示范围内。")
	res := officer.post(path+"/publication", url.Values{"op": {"publish"}, "preview": {strings.Repeat("0", 64)}})
	wantStatus(t, res, http.StatusConflict)
	pageSays(t, res, "简易程序当场作出的处罚决定不在公示范围内。")
}

// An organisation is named in full; its legal representative, an
// individual, by surname.
func TestOrganisationNamedInFull(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.pubCase(t, p, url.Values{"party_kind": {"org"}, "party_name": {"紫阳县毛坝镇兴旺农家乐有限公司"},
		"party_id_number": {"91610924MA70ABCD1X"}, "party_legal_rep": {"司马相如"}, "party_phone": {"0915-5212345"},
		"party_address": {"毛坝镇干沙村三组18号"}}, "20000")
	decision := a.publish(t, p.officer, path, "欧阳娜娜、张秀英")
	page := a.client().get(decision)
	pageSays(t, page, "当事人 紫阳县毛坝镇兴旺农家乐有限公司", "当事人名称：紫阳县毛坝镇兴旺农家乐有限公司", "统一社会信用代码：91610924MA70ABCD1X",
		"法定代表人（负责人）：司马某", "住所（经营场所）：毛坝镇干沙村三组", "罚款20000元")
	mustNotContain(t, page, "司马相如", "相如", "18号", "5212345", "欧阳娜娜", "张秀英", "王建国")
}

// The town's record is private like every case table; the public rows are
// readable by everyone and only the town writes its own; neither changes
// but by a withdrawal, and the public row always holds the record's text.
func TestPublicationTablesArePrivate(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.pubCase(t, p, pubParty("506"), "1000")
	a.publish(t, p.officer, path, "")
	ctx := context.Background()
	maoba, chengguan := a.townID("maoba"), a.townID("chengguan")
	own := database.Settings{Scope: zhifa.ScopeTown, TownID: maoba, UserID: a.user("maoba-officer1").ID}
	other := database.Settings{Scope: zhifa.ScopeTown, TownID: chengguan, UserID: a.user("chengguan-officer1").ID}
	count := func(s database.Settings, sql string) int {
		t.Helper()
		var n int
		a.mustTx(s, func(tx pgx.Tx) error { return tx.QueryRow(ctx, sql).Scan(&n) })
		return n
	}
	for _, c := range []struct {
		name        string
		s           database.Settings
		record, pub int
	}{
		{"毛坝镇", own, 1, 1}, {"城关镇", other, 0, 1}, {"no tenancy (the public pages)", database.Settings{}, 0, 1},
		{"the county", database.Settings{Scope: zhifa.ScopeCountyRead}, 1, 1},
	} {
		if n := count(c.s, `SELECT count(*) FROM publications`); n != c.record {
			t.Errorf("%s reads %d publication records, want %d", c.name, n, c.record)
		}
		if n := count(c.s, `SELECT count(*) FROM public_decisions`); n != c.pub {
			t.Errorf("%s reads %d public rows, want %d", c.name, n, c.pub)
		}
	}
	// Another town, or no tenancy, changes nothing of them.
	for _, s := range []database.Settings{other, {}} {
		err := a.inTx(s, func(tx pgx.Tx) error {
			for _, sql := range []string{`UPDATE publications SET withdrawn_on = '2025-09-02', withdrawn_by = 1, withdraw_reason = '篡改'`,
				`UPDATE public_decisions SET body = NULL, withdrawn_on = '2025-09-02'`} {
				tag, err := tx.Exec(ctx, sql)
				if err != nil {
					return err
				}
				if tag.RowsAffected() != 0 {
					t.Errorf("%v: %s changed %d rows", s, sql, tag.RowsAffected())
				}
			}
			return nil
		})
		if err != nil {
			t.Errorf("%v: %v", s, err)
		}
	}
	var id int64
	a.mustTx(own, func(tx pgx.Tx) error { return tx.QueryRow(ctx, `SELECT id FROM publications`).Scan(&id) })
	// Writing a row for another town is refused: the record by the policy,
	// the public row already by its guard, which finds no record of the
	// town's to show.
	err := a.inTx(other, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO publications (case_id, town_id, kind, decided_on, due_on, on_date, actor_id, actor_name,
			ground, reason) VALUES ($1, $2, 'exempt', '2025-09-01', '2025-09-10', '2025-09-01', $3, '伪造', 'no_impact', '伪造')`,
			caseID(t, path), maoba, a.user("chengguan-officer1").ID)
		return err
	})
	wantPgError(t, "城关镇 writing 毛坝镇's record", err, pgerrcode.InsufficientPrivilege, `new row violates row-level security policy for table "publications"`)
	err = a.inTx(other, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO public_decisions (id, town_id, doc_number, party, item, penalty, authority, decided_on,
			published_on, body) VALUES ($1, $2, 'x', 'x', 'x', 'x', 'x', '2025-09-01', '2025-09-01', '伪造')`, id, maoba)
		return err
	})
	wantPgError(t, "城关镇 publishing for 毛坝镇", err, pgerrcode.CheckViolation, "public_decisions: only the text of a standing publication is shown")
	// The town itself cannot edit what it published, nor show a text that
	// is not its record's.
	err = a.inTx(own, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE public_decisions SET body = body || '（改）'`)
		return err
	})
	wantPgError(t, "editing a public text", err, pgerrcode.InsufficientPrivilege, "public_decisions: a published decision changes only by its withdrawal, once")
	err = a.inTx(own, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE publications SET body = '改'`)
		return err
	})
	wantPgError(t, "editing the record", err, pgerrcode.InsufficientPrivilege, "publications: a record changes only by its withdrawal, once")
	_, err = a.owner().Exec(ctx, `DELETE FROM public_decisions`)
	wantPgError(t, "deleting a public row as the owner", err, pgerrcode.InsufficientPrivilege, "is append-only")
	_, err = a.owner().Exec(ctx, `INSERT INTO public_decisions (id, town_id, doc_number, party, item, penalty, authority, decided_on,
		published_on, body) SELECT id, town_id, 'x', 'x', 'x', 'x', 'x', decided_on, on_date, '别的内容' FROM publications`)
	wantPgError(t, "a public text other than the record's", err, pgerrcode.CheckViolation, "public_decisions: only the text of a standing publication is shown")
}

// The public home page: the county's figures for the year, summed from the
// summary table; each town's list and decisions; no login.
func TestPublicHomePage(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.pubCase(t, p, pubParty("517"), "1000")
	a.publish(t, p.officer, path, "张秀英")
	var filed, closed, fine int64
	if err := a.owner().QueryRow(context.Background(), `SELECT coalesce(sum(filed), 0), coalesce(sum(closed), 0), coalesce(sum(fine_fen), 0)
		FROM case_stats WHERE month >= '2025-01-01' AND month < '2026-01-01'`).Scan(&filed, &closed, &fine); err != nil {
		t.Fatal(err)
	}
	if filed == 0 || fine == 0 {
		t.Fatalf("no figures to show: filed %d, fines %d", filed, fine)
	}
	res := a.client().get("/public")
	wantStatus(t, res, http.StatusOK)
	if res.header.Get("Set-Cookie") != "" {
		t.Errorf("the home page sets a cookie")
	}
	pageSays(t, res, "紫阳县综合行政执法公示", "2025年执法数据", itoa(filed)+" 立案（件）", itoa(closed)+" 结案（件）",
		web.WanYuan(fine)+" 作出罚款决定", "1 公示处罚决定（件）", "毛坝镇人民政府行政处罚决定书（紫毛坝综执罚〔2025〕")
	mustContain(t, res, `href="/static/public.css"`, `href="/public/decisions"`)
	var towns []string
	a.mustTx(database.Settings{}, func(tx pgx.Tx) error {
		rows, _ := tx.Query(context.Background(), `SELECT code FROM towns ORDER BY id`)
		var err error
		towns, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if len(towns) != 17 {
		t.Fatalf("%d towns", len(towns))
	}
	for _, code := range towns {
		mustContain(t, res, `href="/public/towns/`+code+`/items"`, `href="/public/towns/`+code+`/decisions"`)
	}
	mustNotContain(t, res, secrets...)
	// A logged-in officer gets the same anonymous page.
	mustNotContain(t, p.officer.get("/public"), "退出", "csrf_token")
}

// The lists are paged, 20 a page, newest first, the search kept in the
// page links.
func TestPublicListsArePaged(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.pubCase(t, p, pubParty("541"), "1000")
	a.publish(t, p.officer, path, "")
	// 24 more, written as the owner on empty cases of 毛坝镇, published on
	// successive days from the record of the first.
	ctx := context.Background()
	owner := a.owner()
	for i := 1; i <= 24; i++ {
		var id int64
		if err := owner.QueryRow(ctx, `WITH c AS (
				INSERT INTO cases (town_id, procedure, state, item_id, source, party_kind, party_name, act_on, discovered_on, created_by, state_entered_on)
				SELECT town_id, procedure, 'lead', item_id, source, party_kind, '空白案件', act_on, discovered_on, created_by, discovered_on
				FROM cases WHERE id = $1 RETURNING id, town_id)
			INSERT INTO publications (case_id, town_id, kind, document_id, decided_on, due_on, on_date, actor_id, actor_name, body, sha256)
			SELECT c.id, c.town_id, 'published', f.document_id, f.decided_on, f.due_on, f.on_date + $2::int, f.actor_id, f.actor_name,
				'第' || $2::int || '号样例文本', f.sha256
			FROM c, publications f WHERE f.case_id = $1 RETURNING id`, caseID(t, path), i).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if _, err := owner.Exec(ctx, `INSERT INTO public_decisions (id, town_id, doc_number, party, item, penalty, authority, decided_on,
				published_on, body)
			SELECT id, town_id, '样例〔2025〕' || $2::int || '号', '李某', '样例事项', '警告', '毛坝镇人民政府', decided_on, on_date, body
			FROM publications WHERE id = $1`, id, i); err != nil {
			t.Fatal(err)
		}
	}
	anon := a.client()
	first := anon.get("/public/towns/maoba/decisions")
	pageSays(t, first, "公示决定共 25 件，第 1 / 2 页。", "样例〔2025〕24号")
	mustContain(t, first, `href="/public/towns/maoba/decisions?page=2" rel="next"`)
	mustNotContain(t, first, "样例〔2025〕4号<", "rel=\"prev\"")
	second := anon.get("/public/towns/maoba/decisions?page=2")
	pageSays(t, second, "第 2 / 2 页", "样例〔2025〕4号", "样例〔2025〕1号", "紫毛坝综执罚〔2025〕")
	mustContain(t, second, `<td class="num">21</td>`, `<td class="num">25</td>`, `rel="prev"`)
	search := anon.get("/public/decisions?q=样例&town=maoba&page=2")
	pageSays(t, search, "含“样例”的公示决定共 24 件，第 2 / 2 页。")
	mustContain(t, search, `href="/public/decisions?page=1&amp;q=%E6%A0%B7%E4%BE%8B&amp;town=maoba"`)
}
