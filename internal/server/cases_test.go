package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5"

	"zhifa/internal/cases"
	"zhifa/internal/database"
	"zhifa/internal/zhifa"
)

// itemsOf returns the item ids of the town's list in force on day, and
// one item of its 2024 list that is no longer in force (for 毛坝镇).
func (a *app) itemsOf(code, day string) []int64 {
	a.t.Helper()
	var ids []int64
	a.mustTx(database.Settings{}, func(tx pgx.Tx) error {
		rows, _ := tx.Query(context.Background(), `SELECT item_id FROM list_version_items
			WHERE version_id = list_version_on((SELECT id FROM towns WHERE code = $1), $2) ORDER BY position`, code, day)
		var err error
		ids, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		return err
	})
	return ids
}

func (a *app) droppedItem() int64 {
	a.t.Helper()
	var id int64
	a.mustTx(database.Settings{}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT item_id FROM list_version_items v JOIN towns t ON t.id = v.town_id AND t.code = 'maoba'
			WHERE version_id = list_version_on(t.id, '2024-06-01')
			EXCEPT SELECT item_id FROM list_version_items WHERE version_id = list_version_on((SELECT id FROM towns WHERE code = 'maoba'), '2025-07-01')
			LIMIT 1`).Scan(&id)
	})
	return id
}

// lastSeq is the last case number used in the town this year.
func (a *app) lastSeq(code string) int {
	a.t.Helper()
	var n int
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT coalesce((SELECT last FROM case_counters c JOIN towns t ON t.id = c.town_id
			WHERE t.code = $1 AND c.year = 2025), 0)`, code).Scan(&n)
	})
	return n
}

// itemID is the id of the catalogue item with code.
func (a *app) itemID(code string) int64 {
	a.t.Helper()
	var id int64
	a.mustTx(database.Settings{}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT id FROM catalogue_items WHERE code = $1`, code).Scan(&id)
	})
	return id
}

// caseForm is the filing form of a case under ZY-LY-001 (野外用火: a person
// is fined 200 to 3000 yuan), the first officer named leading it.
func (a *app) caseForm(officers ...string) url.Values {
	v := url.Values{
		"procedure": {"general"}, "item": {itoa(a.itemID("ZY-LY-001"))}, "source": {"patrol"},
		"party_kind": {"person"}, "party_name": {"刘某"}, "party_id_number": {"610924197001011234"},
		"party_phone": {"13800001234"}, "party_address": {"毛坝镇干沙村三组"}, "place_village": {"干沙村"},
		"place_address": {"刘某住宅外"}, "act_on": {"2025-08-20"}, "discovered_on": {"2025-08-25"},
		"facts": {"当事人在住宅外焚烧垃圾，火势蔓延至林地。"},
	}
	// Each form after an app's first is another party (another ID number),
	// since a second case on the same act is refused (APL art. 29).
	n, _ := formCount.LoadOrStore(a, new(atomic.Int64))
	if k := n.(*atomic.Int64).Add(1) - 1; k > 0 {
		v.Set("party_id_number", idNumber("19700101", fmt.Sprintf("%03d", 123+k)))
	}
	for _, o := range officers {
		v.Add("officer", itoa(a.user(o).ID))
	}
	if len(officers) > 0 {
		v.Set("lead", itoa(a.user(officers[0]).ID))
	}
	return v
}

// formCount counts each app's filing forms (*app → *atomic.Int64).
var formCount sync.Map

var caseIDRE = regexp.MustCompile(`^/cases/(\d+)$`)
var versionRE = regexp.MustCompile(`<h1 data-version="(\d+)">`)

// fileCase files a case and returns its path.
func fileCase(t *testing.T, c *client, form url.Values) string {
	t.Helper()
	res := c.post("/cases/new", form)
	if res.status != http.StatusSeeOther || !caseIDRE.MatchString(res.location) {
		t.Fatalf("filing: status %d to %q: %.600s", res.status, res.location, text(res.body))
	}
	return res.location
}

// act takes an action on the case as the client, with the version on its page.
func act(t *testing.T, c *client, path, action string, fields url.Values) response {
	t.Helper()
	page := c.get(path)
	m := versionRE.FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("no case version on %s for %s: %.800s", path, action, text(page.body))
	}
	form := cloneValues(fields)
	form.Set("action", action)
	form.Set("version", m[1])
	return c.post(path+"/act", form)
}

func mustAct(t *testing.T, c *client, path, action string, fields url.Values) {
	t.Helper()
	res := act(t, c, path, action, fields)
	if res.status != http.StatusSeeOther {
		t.Fatalf("%s: status %d: %.900s", action, res.status, text(res.body))
	}
}

func refused(t *testing.T, c *client, path, action string, fields url.Values, status int, wants ...string) {
	t.Helper()
	res := act(t, c, path, action, fields)
	if res.status != status {
		t.Fatalf("%s: status %d, want %d: %.900s", action, res.status, status, text(res.body))
	}
	mustContain(t, res, wants...)
}

var timelineRE = regexp.MustCompile(`(?s)<ol class="timeline">(.*?)</ol>`)
var entryRE = regexp.MustCompile(`(?s)<li>(.*?)</li>`)

// timeline returns the entries of the case page's timeline (全过程记录) as
// the user reads them; menus and other lists are not counted.
func timeline(t *testing.T, page response) []string {
	t.Helper()
	m := timelineRE.FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("no timeline on the page: %.600s", text(page.body))
	}
	var out []string
	for _, e := range entryRE.FindAllStringSubmatch(m[1], -1) {
		out = append(out, text(e[1]))
	}
	return out
}

// wantOrder fails unless each of wants is in a later timeline entry than
// the one before.
func wantOrder(t *testing.T, entries []string, wants ...string) {
	t.Helper()
	i := 0
	for _, w := range wants {
		for i < len(entries) && !strings.Contains(entries[i], w) {
			i++
		}
		if i == len(entries) {
			t.Errorf("timeline has no %q after the entries before it: %q", w, entries)
			return
		}
		i++
	}
}

// caseID is the id in a case page's path.
func caseID(t testing.TB, path string) int64 {
	t.Helper()
	m := caseIDRE.FindStringSubmatch(path)
	if m == nil {
		t.Fatalf("not a case path: %q", path)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// eventCount is the number of events recorded for the case at path, and
// of those with the given summary if one is given.
func (a *app) eventCount(path string, summary ...string) int {
	a.t.Helper()
	var n int
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT count(*) FROM case_events WHERE case_id = $1 AND ($2 = '' OR summary = $2)`,
			caseID(a.t, path), strings.Join(summary, "")).Scan(&n)
	})
	return n
}

// evidenceCount is the number of evidence records of the case at path.
func (a *app) evidenceCount(path string) int {
	a.t.Helper()
	var n int
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT count(*) FROM evidence WHERE case_id = $1`, caseID(a.t, path)).Scan(&n)
	})
	return n
}

var jpegBytes = append([]byte{0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0}, bytes.Repeat([]byte{0x42}, 2000)...)

func (c *client) upload(path string, fields map[string]string, filename string, data []byte) response {
	c.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("csrf_token", c.csrf)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	fw, _ := w.CreateFormFile("file", filename)
	_, _ = fw.Write(data)
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.app.ts.URL+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

// TestGeneralProcedureFromFilingToArchive walks a case through every step
// of the general procedure with the people who take each one.
func TestGeneralProcedureFromFilingToArchive(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	leader := a.login("maoba-leader")
	reviewer := a.login("maoba-reviewer")
	head := a.login("maoba-head")

	number := fmt.Sprintf("紫毛坝综执立〔2025〕%d号", a.lastSeq("maoba")+1)
	// The officer registers the lead and asks for filing; only the team
	// leader approves it (立案审批).
	res := officer.post("/cases/new", a.caseForm("maoba-officer1", "maoba-officer3"))
	wantStatus(t, res, http.StatusSeeOther)
	path := res.location
	mustContain(t, officer.get(path), "待立案", "提交立案审批，待队长审批")
	refused(t, officer, path, "file", confirmed, http.StatusForbidden, "仅限队长")
	refused(t, leader, path, "file", nil, http.StatusUnprocessableEntity, "请勾选确认")
	mustAct(t, leader, path, "file", confirmed)
	page := officer.get(path)
	mustContain(t, page, number, "已立案", "刘某", "610924197001011234", "作出处罚决定", "2025-12-01") // day 90 is Sunday 30 November: moved to Monday

	mustAct(t, officer, path, "investigate", nil)
	// Submitting for review needs evidence and a proposal first.
	refused(t, officer, path, "submit_review", nil, http.StatusUnprocessableEntity, "证据", "拟处罚意见")
	investigated(t, officer, path, "3000")
	mustAct(t, officer, path, "submit_review", nil)

	// The legal review: an officer cannot pass it; the reviewer answers
	// every point of the checklist and writes an opinion.
	refused(t, officer, path, "pass_review", url.Values{"text": {"同意"}}, http.StatusForbidden)
	refused(t, reviewer, path, "pass_review", url.Values{"text": {"同意"}}, http.StatusUnprocessableEntity, "请逐项填写审核要点")
	refused(t, reviewer, path, "pass_review", checklist(), http.StatusUnprocessableEntity, "请填写审核意见")
	mustAct(t, reviewer, path, "pass_review", with(checklist(), url.Values{"text": {"事实清楚，证据确凿，程序合法。"}}))
	mustContain(t, officer.get(path), "告知", "事实清楚，证据确凿，程序合法。", "审核的拟处罚：罚款3000元")

	// The notice cannot be dated before the review passed.
	refused(t, officer, path, "serve_notice", url.Values{"text": {"拟处罚款3000元。"}, "date": {"2025-08-31"}},
		http.StatusUnprocessableEntity, "送达日期不能早于2025年9月1日", "不得倒签")
	a.serveNotice(t, officer, path, url.Values{"text": {"拟处罚款3000元。"}})
	// The statement period (3 working days) has not passed.
	refused(t, head, path, "decide", url.Values{"amount": {"3000"}, "confirm": {"1"}}, http.StatusUnprocessableEntity, "陈述")
	a.clock.Advance(5 * 24 * time.Hour)
	mustAct(t, officer, path, "add_statement", url.Values{"text": {"当事人称系初次违法，请求从轻。"}})
	refused(t, head, path, "decide", url.Values{"amount": {"3000"}, "confirm": {"1"}}, http.StatusUnprocessableEntity, "复核")
	page = officer.get(path)
	sid := regexp.MustCompile(`name="statement_id"><option value="(\d+)"`).FindStringSubmatch(page.body)
	if sid == nil {
		t.Fatalf("no statement to recheck: %.500s", text(page.body))
	}
	mustAct(t, officer, path, "recheck_statement", url.Values{"statement_id": {sid[1]}, "text": {"不予采纳：损失较大。"}})
	// Not heavier than notified.
	refused(t, head, path, "decide", url.Values{"amount": {"3000"}, "warning": {"1"}, "confirm": {"1"}}, http.StatusUnprocessableEntity, "“警告”未经事先告知")
	// Neither an officer nor the team leader decides: the town's head does.
	refused(t, officer, path, "decide", url.Values{"amount": {"3000"}}, http.StatusForbidden)
	refused(t, leader, path, "decide", url.Values{"amount": {"3000"}}, http.StatusForbidden, "镇负责人")
	mustAct(t, head, path, "decide", url.Values{"amount": {"3000"}, "order_measure": {"补植树木60棵"}, "order_due": {"2025-10-31"}, "confirm": {"1"}})
	mustContain(t, officer.get(path), "罚款3000元", "补植树木60棵", "处罚依据", "森林防火条例")

	a.serveDecision(t, officer, path, url.Values{"date": {a.clock.Now().Format(time.DateOnly)}})
	mustAct(t, officer, path, "execute", nil)
	refused(t, officer, path, "close", confirmed, http.StatusUnprocessableEntity, "罚款尚未缴清")
	refused(t, officer, path, "add_payment", url.Values{"amount": {"3000.01"}, "receipt_no": {"SX2025-000123"}},
		http.StatusUnprocessableEntity, "缴款3000.01元超过尚欠罚款3000元")
	mustAct(t, officer, path, "add_payment", url.Values{"amount": {"3000"}, "receipt_no": {"SX2025-000123"}})
	mustContain(t, officer.get(path), "缴纳 3000元，票据号 SX2025-000123")
	refused(t, officer, path, "close", confirmed, http.StatusUnprocessableEntity, "责令改正")
	mustAct(t, officer, path, "order_done", nil)
	mustAct(t, officer, path, "close", confirmed)
	refused(t, officer, path, "archive", confirmed, http.StatusForbidden)
	mustAct(t, leader, path, "archive", confirmed)

	page = officer.get(path)
	mustContain(t, page, "归档", "全过程记录", "批准立案，案号"+number, "法制审核", "送达行政处罚事先告知书", "登记缴纳罚款3000元")
	// Every step taken above is one entry of the case's timeline, in order,
	// and the timeline shows every recorded event.
	entries := timeline(t, page)
	if n := a.eventCount(path); len(entries) != n || n < 18 {
		t.Errorf("timeline shows %d entries of %d recorded events, want at least 18 steps: %q", len(entries), n, entries)
	}
	wantOrder(t, entries, "提交立案审批", "批准立案，案号"+number, "拟处罚意见", "法制审核通过", "送达行政处罚事先告知书", "作出处罚决定", "登记缴纳罚款3000元", "归档")
}

func TestSummaryProcedure(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	form := a.caseForm("maoba-officer1", "maoba-officer3")
	form.Set("procedure", "summary")
	path := fileCase(t, officer, form)
	mustContain(t, officer.get(path), "已立案") // on the spot the officers file at once
	// On the spot: a fine up to 200 yuan for a person (ZY-LY-001 starts at
	// 200), after the party was told and heard.
	spot := with(url.Values{"spot_told": {"1"}}, confirmed)
	refused(t, officer, path, "decide", with(spot, url.Values{"amount": {"500"}}), http.StatusUnprocessableEntity, "简易程序对公民的罚款不得超过200元")
	refused(t, officer, path, "decide", with(confirmed, url.Values{"amount": {"200"}}), http.StatusUnprocessableEntity, "请确认已当场告知当事人")
	refused(t, officer, path, "decide", with(spot, url.Values{"amount": {"100"}}), http.StatusUnprocessableEntity, "罚款100元低于该事项法定幅度（200元至3000元）")
	mustAct(t, officer, path, "decide", with(spot, url.Values{"amount": {"200"}, "warning": {"1"}}))
	// Handed over on the spot: the case is served at once.
	mustContain(t, officer.get(path), "送达", "当场交付")
	mustAct(t, officer, path, "execute", nil)
	// Paid 5 days after the 15-day period (served 09-01, due 09-16): 3% a
	// day of the fine is added (APL art. 72).
	a.clock.Advance(20 * 24 * time.Hour)
	mustAct(t, officer, path, "add_payment", url.Values{"amount": {"200"}, "receipt_no": {"SX2025-9"}})
	mustAct(t, officer, path, "close", confirmed)
	mustContain(t, officer.get(path), "结案", "简易程序", "警告；罚款200元", "加处罚款30元")
}

func TestFilingPreconditions(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	before := len(a.caseIDs())

	res := officer.post("/cases/new", a.caseForm("maoba-officer1"))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "执法人员不得少于两人", `value="刘某"`, `value="干沙村"`)

	// maoba-officer2's certificate lapsed in the demo data.
	res = officer.post("/cases/new", a.caseForm("maoba-officer1", "maoba-officer2"))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, a.user("maoba-officer2").DisplayName, "不在有效期内")

	form := a.caseForm("maoba-officer1", "maoba-officer3")
	form.Set("item", itoa(a.droppedItem()))
	res = officer.post("/cases/new", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "清单之外无执法")

	form = a.caseForm("maoba-officer1", "maoba-officer3")
	form.Set("act_on", "2022-01-01")
	form.Set("discovered_on", "2025-08-25")
	res = officer.post("/cases/new", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "违法行为在2年内未被发现的，不再给予行政处罚")

	form = a.caseForm("maoba-officer1", "maoba-officer3")
	form.Del("lead")
	res = officer.post("/cases/new", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "请在勾选的承办人员中指定一名主办人员")

	if after := len(a.caseIDs()); after != before {
		t.Fatalf("refused filings wrote %d cases", after-before)
	}
	// Reviewers and the county cannot file.
	wantStatus(t, a.login("maoba-reviewer").post("/cases/new", a.caseForm("maoba-officer1", "maoba-officer3")), http.StatusForbidden)
}

func (a *app) caseIDs() []int64 {
	a.t.Helper()
	var ids []int64
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		rows, _ := tx.Query(context.Background(), `SELECT id FROM cases ORDER BY id`)
		var err error
		ids, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		return err
	})
	return ids
}

func TestDecisionPreconditions(t *testing.T) {
	a := newApp(t)
	p := a.people(t)

	// Decision before the legal review: the case is not at that stage.
	path := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	mustAct(t, p.officer, path, "investigate", nil)
	refused(t, p.head, path, "decide", decision("100"), http.StatusConflict, "案件当前状态为“调查取证”，不能“作出处罚决定”")

	// Two cases filed on 2025-09-01 (decision due Monday 2025-12-01), the
	// party waiving statement and defence (1000 yuan: no hearing right).
	extended := p.noticed(t, a, a.caseForm("maoba-officer1", "maoba-officer3"), "1000")
	mustAct(t, p.officer, extended, "waive_statement", nil)
	late := p.noticed(t, a, a.caseForm("maoba-officer1", "maoba-officer3"), "1000")
	mustAct(t, p.officer, late, "waive_statement", nil)

	// Before the period runs out the head (not the team leader) extends it.
	a.clock.Advance(85 * 24 * time.Hour)
	refused(t, p.leader, extended, "extend", url.Values{"reason": {"案情复杂，需补充鉴定。"}}, http.StatusForbidden, "您的角色（队长）不能进行“批准延长办案期限”")
	mustAct(t, p.head, extended, "extend", url.Values{"reason": {"案情复杂，需补充鉴定。"}})
	mustContain(t, p.officer.get(extended), "批准延长办案期限30日（第1次）")

	// Past 90 days: the extended case is decided; the other is overdue and
	// cannot be extended after the fact.
	a.clock.Advance(10 * 24 * time.Hour)
	mustAct(t, p.head, extended, "decide", decision("1000"))
	refused(t, p.head, late, "decide", decision("1000"), http.StatusUnprocessableEntity, "已超过立案之日起90日的决定期限，且未经批准延期")
	mustContain(t, p.leader.get(late), "已逾期")
	refused(t, p.head, late, "extend", url.Values{"reason": {"案情复杂，需补充鉴定。"}}, http.StatusUnprocessableEntity,
		"办案期限已于2025年12月1日届满，延期须在期限届满前批准，不能事后补办")
}

// A reviewer who handled the case may not review it: an officer who became
// the town's legal reviewer after being put on the case.
func TestReviewerWhoHandledTheCase(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	path := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	mustAct(t, officer, path, "investigate", nil)
	investigated(t, officer, path, "1000")
	mustAct(t, officer, path, "submit_review", nil)
	admin := a.login("county-admin")
	u := a.user("maoba-officer3")
	wantStatus(t, admin.post("/admin/users/"+itoa(u.ID), url.Values{"display_name": {u.DisplayName}, "role": {"town_reviewer"},
		"town": {"maoba"}, "active": {"1"}, "legal_qualification_no": {"A20201234567890"}}), http.StatusSeeOther)
	former := a.login("maoba-officer3")
	opinion := with(checklist(), url.Values{"text": {"同意"}})
	refused(t, former, path, "pass_review", opinion, http.StatusUnprocessableEntity, "法制审核人员不得为本案承办人员")
	mustAct(t, a.login("maoba-reviewer"), path, "pass_review", opinion)
}

func TestSuspensionMovesTheDecisionDate(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	leader := a.login("maoba-leader")
	path := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	mustContain(t, officer.get(path), "2025-12-01") // filed 2025-09-01 + 90 days, a Sunday: moved to Monday
	mustAct(t, officer, path, "investigate", nil)
	a.clock.Advance(2 * 24 * time.Hour)
	refused(t, officer, path, "suspend", url.Values{"reason": {"等待林木损失鉴定意见"}}, http.StatusForbidden, "您的角色（执法队员）不能进行“中止案件”")
	mustAct(t, leader, path, "suspend", url.Values{"reason": {"等待林木损失鉴定意见"}})
	page := officer.get(path)
	mustContain(t, page, "中止", "已暂停")
	// While suspended nothing else moves.
	if strings.Contains(page.body, `value="update_facts"`) || strings.Contains(page.body, `value="submit_review"`) {
		t.Error("a suspended case offers other actions")
	}
	refused(t, officer, path, "update_facts", url.Values{"text": {"中止期间的调查记录"}}, http.StatusConflict, "案件已中止，请先恢复")
	a.clock.Advance(10 * 24 * time.Hour)
	mustAct(t, leader, path, "resume", nil)
	mustContain(t, officer.get(path), "2025-12-10", "恢复案件（中止10日）")
}

func TestConcurrentFilingGetsConsecutiveNumbers(t *testing.T) {
	a := newApp(t)
	// The team leader's filings are approved at once, each numbered.
	actor, err := a.srv.Accounts.ActorByID(context.Background(), a.user("maoba-leader").ID)
	if err != nil {
		t.Fatal(err)
	}
	ctx := zhifa.WithActor(context.Background(), actor)
	officers := []int64{a.user("maoba-officer1").ID, a.user("maoba-officer3").ID}
	item := itoa(a.itemsOf("maoba", "2025-09-01")[0])
	const n = 24
	first := a.lastSeq("maoba") + 1
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := a.srv.Cases.File(ctx, cases.FileInput{Procedure: "general", ItemID: item, Source: "complaint", PartyKind: "person",
				PartyName: fmt.Sprintf("当事人%d", i), PlaceVillage: "干沙村", ActOn: "2025-08-01", DiscoveredOn: "2025-08-02", OfficerIDs: officers,
				LeadID: officers[0]})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var seqs []int
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		rows, _ := tx.Query(context.Background(), `SELECT seq FROM cases WHERE number LIKE '紫毛坝综执立〔2025〕%' AND seq >= $1`, first)
		var err error
		seqs, err = pgx.CollectRows(rows, pgx.RowTo[int])
		return err
	})
	sort.Ints(seqs)
	if len(seqs) != n {
		t.Fatalf("%d numbered cases, want %d", len(seqs), n)
	}
	for i, s := range seqs {
		if s != first+i {
			t.Fatalf("numbers %v: not %d..%d without gaps", seqs, first, first+n-1)
		}
	}
}

func TestEvidenceUpload(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	path := fileCase(t, officer, a.caseForm("maoba-officer1", "maoba-officer3"))
	// A PDF named as a photo is refused, the entries kept.
	res := officer.upload(path+"/evidence", map[string]string{"kind": "scene_record", "title": "现场照片甲", "collected_on": "2025-08-25"},
		"photo.jpg", []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "文件内容与文件名不符", "名为JPEG图片，实际是PDF文档", `value="现场照片甲"`)
	res = officer.upload(path+"/evidence", map[string]string{"kind": "scene_record", "title": "现场照片乙", "collected_on": "2025-08-25"},
		"virus.exe", []byte("MZ\x90\x00"))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "不支持此类文件")

	res = officer.upload(path+"/evidence", map[string]string{"kind": "scene_record", "title": "现场照片", "collected_on": "2025-08-25"}, "scene.jpg", jpegBytes)
	wantStatus(t, res, http.StatusSeeOther)
	sum := sha256.Sum256(jpegBytes)
	want := hex.EncodeToString(sum[:])
	page := officer.get(path)
	mustContain(t, page, want, "现场笔录")
	link := regexp.MustCompile(`href="(/cases/\d+/evidence/\d+)"`).FindStringSubmatch(page.body)
	dl := officer.get(link[1])
	wantStatus(t, dl, http.StatusOK)
	got := sha256.Sum256([]byte(dl.body))
	if hex.EncodeToString(got[:]) != want || dl.header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("download differs: %s %s", hex.EncodeToString(got[:]), dl.header.Get("Content-Type"))
	}
	// Another town cannot fetch it.
	wantStatus(t, a.login("haoping-leader").get(link[1]), http.StatusNotFound)

	// Superseding keeps the evidence.
	res = officer.post(link[1]+"/supersede", url.Values{"reason": {"拍摄角度不全，已重拍"}})
	wantStatus(t, res, http.StatusSeeOther)
	mustContain(t, officer.get(path), "已替换：拍摄角度不全，已重拍", want)

	// The database refuses to change the record. The app's role, even in
	// the town's own scope, holds no grant to change the timeline or the
	// files or to delete evidence; it may mark evidence superseded only.
	id := caseID(t, path)
	town := database.Settings{Scope: zhifa.ScopeTown, TownID: townID(a, "maoba")}
	for _, tc := range []struct{ sql, msg string }{
		{`UPDATE case_events SET summary = '篡改' WHERE case_id = $1`, "permission denied for table case_events"},
		{`DELETE FROM case_events WHERE case_id = $1`, "permission denied for table case_events"},
		{`DELETE FROM evidence WHERE case_id = $1`, "permission denied for table evidence"},
		{`UPDATE evidence SET sha256 = repeat('0', 64) WHERE case_id = $1`, "evidence can only be marked superseded, once"},
		{`UPDATE evidence SET superseded_reason = '改写理由' WHERE case_id = $1`, "evidence can only be marked superseded, once"},
		{`UPDATE evidence_files SET data = 'x' WHERE evidence_id IN (SELECT id FROM evidence WHERE case_id = $1)`, "permission denied for table evidence_files"},
	} {
		err := a.inTx(town, func(tx pgx.Tx) error {
			_, err := tx.Exec(context.Background(), tc.sql, id)
			return err
		})
		wantPgError(t, "app role: "+tc.sql, err, pgerrcode.InsufficientPrivilege, tc.msg)
	}
	// The schema owner holds every grant and bypasses row-level security:
	// the triggers alone stop it.
	owner := a.owner()
	for _, tc := range []struct{ sql, msg string }{
		{`UPDATE case_events SET summary = '篡改' WHERE case_id = $1`, "case_events is append-only: published rows cannot be changed or deleted"},
		{`DELETE FROM case_events WHERE case_id = $1`, "case_events is append-only: published rows cannot be changed or deleted"},
		{`DELETE FROM evidence WHERE case_id = $1`, "evidence is never deleted"},
		{`UPDATE evidence SET sha256 = repeat('0', 64) WHERE case_id = $1`, "evidence can only be marked superseded, once"},
		{`UPDATE evidence SET superseded_reason = '改写理由' WHERE case_id = $1 AND superseded_at IS NOT NULL`, "evidence can only be marked superseded, once"},
		// New files are in the file store; the seeded ones from before it stay frozen in evidence_files.
		{`UPDATE evidence_files SET data = 'x' WHERE evidence_id IN (SELECT id FROM evidence WHERE case_id = $1 OR NOT stored)`, "evidence_files is append-only: published rows cannot be changed or deleted"},
		{`DELETE FROM evidence_files WHERE evidence_id IN (SELECT id FROM evidence WHERE case_id = $1 OR NOT stored)`, "evidence_files is append-only: published rows cannot be changed or deleted"},
	} {
		_, err := owner.Exec(context.Background(), tc.sql, id)
		wantPgError(t, "owner: "+tc.sql, err, pgerrcode.InsufficientPrivilege, tc.msg)
	}
	// Nothing changed: the file still downloads with its hash, the timeline
	// is whole.
	dl = officer.get(link[1])
	if got := sha256.Sum256([]byte(dl.body)); hex.EncodeToString(got[:]) != want {
		t.Error("the stored file changed")
	}
	if n := a.eventCount(path); n != len(timeline(t, officer.get(path))) || n < 3 {
		t.Errorf("%d events recorded", n)
	}
}

func TestConcurrentEditsConflict(t *testing.T) {
	a := newApp(t)
	one := a.login("maoba-officer1")
	two := a.login("maoba-officer3")
	path := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	mustAct(t, one, path, "investigate", nil)
	// Both officers open the case at the same version, then both save at
	// the same moment.
	clients := []*client{one, two}
	texts := []string{"第一位执法人员的调查记录。", "第二位执法人员的调查记录。"}
	var reqs []*http.Request
	var seen []string
	for i, c := range clients {
		m := versionRE.FindStringSubmatch(c.get(path).body)
		if m == nil {
			t.Fatalf("no case version on %s", path)
		}
		seen = append(seen, m[1])
		form := url.Values{"action": {"update_facts"}, "version": {m[1]}, "text": {texts[i]}, "csrf_token": {c.csrf}}
		req, err := http.NewRequest(http.MethodPost, a.ts.URL+path+"/act", strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		reqs = append(reqs, req)
	}
	if seen[0] != seen[1] {
		t.Fatalf("the two officers opened versions %s and %s", seen[0], seen[1])
	}
	results := make([]response, len(clients))
	errs := make([]error, len(clients))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			results[i], errs[i] = c.send(reqs[i])
		}()
	}
	close(start)
	wg.Wait()
	winner, loser := -1, -1
	for i, res := range results {
		if errs[i] != nil {
			t.Fatalf("officer %d: %v", i+1, errs[i])
		}
		switch res.status {
		case http.StatusSeeOther:
			if winner >= 0 {
				t.Fatal("both concurrent edits were saved")
			}
			winner = i
		case http.StatusConflict:
			loser = i
		}
	}
	if winner < 0 || loser < 0 {
		t.Fatalf("statuses %d and %d, want one 303 and one 409: %.600s / %.600s",
			results[0].status, results[1].status, text(results[0].body), text(results[1].body))
	}
	// The one who lost is told, with what changed, on the fresh case page.
	mustContain(t, results[loser], "您打开页面后，该案件已被他人修改，您的操作没有保存", "更新调查情况", texts[winner])
	page := one.get(path)
	mustContain(t, page, texts[winner])
	mustNotContain(t, page, texts[loser])
	var changes int
	for _, e := range timeline(t, page) {
		if strings.Contains(e, "更新调查情况") {
			changes++
		}
	}
	if changes != 1 || a.eventCount(path, "更新调查情况") != 1 {
		t.Fatalf("the case shows %d changes of the facts (%d recorded), want 1", changes, a.eventCount(path, "更新调查情况"))
	}
}

func TestCasesAreTownPrivate(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	number := fmt.Sprintf("紫毛坝综执立〔2025〕%d号", a.lastSeq("maoba")+1)
	path := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	other := a.login("haoping-leader")
	wantStatus(t, other.get(path), http.StatusNotFound)
	res := other.post(path+"/act", url.Values{"action": {"investigate"}, "version": {"2"}})
	wantStatus(t, res, http.StatusNotFound)
	mustNotContain(t, other.get("/cases"), "紫毛坝综执立", "刘某")
	// Lists mask the ID number and phone; the case page shows them whole.
	list := officer.get("/cases")
	mustContain(t, list, number, "138****1234")
	mustNotContain(t, list, "13800001234", "610924197001011234")
	// The county reviewer sees every town's cases.
	mustContain(t, a.login("county-reviewer").get("/cases?q="+url.QueryEscape(number)), number, "<td>毛坝镇</td>")
	// Searching by part of the number, by party and by place.
	part := strings.TrimPrefix(number, "紫毛坝综执立")
	for _, q := range []string{part, part[strings.Index(part, "〕")+len("〕"):], "刘某", "干沙村"} {
		mustContain(t, officer.get("/cases?q="+url.QueryEscape(q)), number)
	}
	mustNotContain(t, officer.get("/cases?q="+url.QueryEscape("不存在的当事人")), number)
	// The leader's home page lists the case once its decision deadline
	// (day 90 is Sunday 2025-11-30: Monday 2025-12-01) is within a week,
	// not before.
	leader := a.login("maoba-leader")
	if due := dueList(t, leader.get("/")); strings.Contains(due, number) {
		t.Errorf("the case is on the due list on 2025-09-01: %s", due)
	}
	a.clock.Set(time.Date(2025, 11, 25, 9, 0, 0, 0, zhifa.Local))
	if due := dueList(t, leader.get("/")); !strings.Contains(due, number) || !strings.Contains(due, "2025-12-01") {
		t.Errorf("the case and its deadline are not on the leader's due list on 2025-11-25: %s", due)
	}
}

// dueList is the text of the leader's 需延长办案期限 on the home page: the
// cases whose handling deadline ends within the week.
func dueList(t *testing.T, home response) string {
	t.Helper()
	_, body := homeQueue(t, home, cases.QueueExtend)
	return text(body)
}

func TestReconsiderationOutcomesAreCounted(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	form := a.caseForm("maoba-officer1", "maoba-officer3")
	form.Set("procedure", "summary")
	path := fileCase(t, officer, form)
	mustAct(t, officer, path, "decide", url.Values{"amount": {"200"}, "spot_told": {"1"}, "confirm": {"1"}})
	mustAct(t, officer, path, "add_remedy", url.Values{"remedy_kind": {"reconsideration"}, "text": {"当事人申请行政复议"}})
	county := a.login("county-reviewer")
	mustContain(t, county.get("/"), "行政复议 1 件，其中纠错 0 件", "零复议纠错、零诉讼败诉")
	page := officer.get(path)
	rid := regexp.MustCompile(`name="remedy_id"><option value="(\d+)"`).FindStringSubmatch(page.body)
	if rid == nil {
		t.Fatalf("no pending remedy: %.400s", text(page.body))
	}
	mustAct(t, officer, path, "remedy_outcome", url.Values{"remedy_id": {rid[1]}, "outcome": {"corrected"}, "text": {"复议机关变更罚款金额"}})
	res := county.get("/")
	mustContain(t, res, "行政复议 1 件，其中纠错 1 件")
	mustNotContain(t, res, "零复议纠错")
}

// The county justice bureau reviews decisions of every town.
func TestCountyReviewerReviewsAcrossTowns(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	county := a.login("county-reviewer")
	path := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	mustAct(t, officer, path, "investigate", nil)
	investigated(t, officer, path, "1000")
	refused(t, county, path, "update_facts", url.Values{"text": {"县级不能改写调查情况"}}, http.StatusForbidden, "您的角色（县司法局审核人员）不能进行“保存调查情况”")
	mustAct(t, officer, path, "submit_review", nil)
	mustAct(t, county, path, "pass_review", with(checklist(), url.Values{"text": {"经县司法局审核，同意。"}}))
	page := officer.get(path)
	mustContain(t, page, "告知", a.user("county-reviewer").DisplayName+"：法制审核通过")
}

// The hearing right follows the per-domain threshold; a request made within
// 5 working days of the notice must be heard before the decision, and a
// late one is refused.
func TestHearingRight(t *testing.T) {
	a := newApp(t)
	admin := a.login("county-admin")
	var domain int64
	a.mustTx(database.Settings{}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT domain_id FROM catalogue_items WHERE code = 'ZY-LY-001'`).Scan(&domain)
	})
	// The domain of ZY-LY-001 gives a person the hearing right from 2000
	// yuan (the county default is 5000).
	wantStatus(t, admin.post("/settings/domain", url.Values{"domain": {itoa(domain)}, "key": {"hearing_person_fen"}, "value": {"2000"}}), http.StatusSeeOther)

	p := a.people(t)
	path := p.noticed(t, a, a.caseForm("maoba-officer1", "maoba-officer3"), "3000")
	mustContain(t, p.officer.get(path), "告知听证权利", "听证申请期")
	mustAct(t, p.officer, path, "waive_statement", nil)

	a.clock.Advance(2 * 24 * time.Hour) // within 5 working days
	mustAct(t, p.officer, path, "request_hearing", nil)
	mustContain(t, p.officer.get(path), "当事人申请听证（2025年9月3日提出）")
	a.clock.Advance(7 * 24 * time.Hour)
	refused(t, p.head, path, "decide", decision("3000"), http.StatusUnprocessableEntity, "当事人已申请听证，尚未举行听证")
	mustAct(t, p.officer, path, "serve_hearing_notice", url.Values{"hearing_on": {"2025-09-19"}, "hearing_place": {"毛坝镇政府会议室"},
		"hearing_chair": {itoa(a.user("maoba-officer2").ID)}})
	a.clock.Set(day(time.September, 19))
	// The party stays away without a reason: the request is withdrawn.
	mustAct(t, p.officer, path, "hold_hearing", url.Values{"outcome": {"absent"}, "attendance": {"调查人员、主持人、记录员；当事人未到场"}})
	mustAct(t, p.head, path, "decide", decision("3000"))

	// A second case: the party asks too late.
	path = p.noticed(t, a, a.caseForm("maoba-officer1", "maoba-officer3"), "3000")
	a.clock.Advance(10 * 24 * time.Hour)
	refused(t, p.officer, path, "request_hearing", nil, http.StatusUnprocessableEntity, "听证申请须在告知书送达后5个工作日内提出")
}

// Changing a period moves the due dates the lists show.
func TestSettingsChangeMovesDueDates(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	path := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	number := regexp.MustCompile(`<h1 data-version="\d+">([^<]+)</h1>`).FindStringSubmatch(officer.get(path).body)[1]
	list := officer.get("/cases?q=" + url.QueryEscape(number))
	mustContain(t, list, "2025-12-01") // 90 days after filing on 2025-09-01 is Sunday 30 November: moved to Monday
	wantStatus(t, a.login("county-admin").post("/settings", url.Values{"key": {"decision_days"}, "value": {"60"}}), http.StatusSeeOther)
	a.srv.Wait()
	list = officer.get("/cases?q=" + url.QueryEscape(number))
	mustContain(t, list, "2025-10-31")
	mustNotContain(t, list, "2025-12-01")
}

// Before the notice, the party's details and the place can be corrected;
// the timeline says what was corrected. Bad entries come back with the
// message and what was typed.
func TestCorrectingTheParty(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	path := fileCase(t, officer, a.caseForm("maoba-officer1", "maoba-officer3"))
	fix := url.Values{"party_name": {"刘某某"}, "party_id_number": {"610924197001011234"}, "party_phone": {"13900005678"},
		"party_address": {"毛坝镇干沙村三组"}, "place_village": {"干沙村"}, "place_address": {"刘某住宅外"}}
	bad := cloneValues(fix)
	bad.Set("party_id_number", "12345")
	refused(t, officer, path, "update_party", bad, http.StatusUnprocessableEntity, "身份证号码应为18位", `value="12345"`, `value="13900005678"`)
	mustAct(t, officer, path, "update_party", fix)
	page := officer.get(path)
	mustContain(t, page, "刘某某", "13900005678", "更正当事人、联系电话")
	refused(t, officer, path, "update_party", fix, http.StatusUnprocessableEntity, "没有任何更改")
}
