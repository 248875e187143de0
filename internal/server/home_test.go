package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"zhifa/internal/cases"
)

// homeQueue is a queue of the home page: its count and its cards' HTML.
// The test fails when the page has no such queue.
func homeQueue(t *testing.T, home response, q cases.Queue) (int, string) {
	t.Helper()
	re := regexp.MustCompile(`(?s)<section class="card todo-queue" id="todo-` + string(q) + `" data-count="(\d+)">(.*?)</section>`)
	m := re.FindStringSubmatch(home.body)
	if m == nil {
		t.Fatalf("no queue %s (%s) on the home page: %.1500s", q, q.Label(), text(home.body))
	}
	n, _ := strconv.Atoi(m[1])
	return n, m[2]
}

// hasQueue reports whether the home page shows queue q at all.
func hasQueue(home response, q cases.Queue) bool {
	return strings.Contains(home.body, `id="todo-`+string(q)+`"`)
}

var cardRE = regexp.MustCompile(`(?s)<li class="todo-item" data-case="(\d+)">(.*?)</li>`)

// card is the text of case id's card in queue q ("" when it is not there).
func card(t *testing.T, home response, q cases.Queue, id string) string {
	t.Helper()
	_, body := homeQueue(t, home, q)
	for _, m := range cardRE.FindAllStringSubmatch(body, -1) {
		if m[1] == id {
			return text(m[2])
		}
	}
	return ""
}

// inQueue fails unless case id is in queue q, its card saying each of wants.
func inQueue(t *testing.T, home response, q cases.Queue, id string, wants ...string) {
	t.Helper()
	c := card(t, home, q, id)
	if c == "" {
		_, body := homeQueue(t, home, q)
		t.Fatalf("case %s is not in %s: %s", id, q.Label(), text(body))
	}
	for _, w := range wants {
		if !strings.Contains(c, w) {
			t.Errorf("the card of case %s in %s does not say %q: %s", id, q.Label(), w, c)
		}
	}
}

// notInQueue fails if case id is in queue q.
func notInQueue(t *testing.T, home response, q cases.Queue, id string) {
	t.Helper()
	if c := card(t, home, q, id); c != "" {
		t.Errorf("case %s is still in %s: %s", id, q.Label(), c)
	}
}

// nowhere fails if any queue of the page lists case id.
func nowhere(t *testing.T, home response, id string) {
	t.Helper()
	wantStatus(t, home, http.StatusOK)
	if strings.Contains(home.body, `data-case="`+id+`"`) {
		t.Errorf("case %s is on this home page: %.1500s", id, text(home.body))
	}
}

// navBadge is the count beside the menu entry href (0 without a badge).
func navBadge(t *testing.T, res response, href string) int {
	t.Helper()
	re := regexp.MustCompile(`<a href="` + regexp.QuoteMeta(href) + `"[^>]*>[^<]*<span class="nav-count"[^>]*>(\d+)</span>`)
	m := re.FindStringSubmatch(res.body)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// An officer's home: a lead not yet submitted, then waiting for the
// leader's approval among the officer's cases; the leader's 待批准立案
// until approved; a document draft until it is issued. Nobody else's.
func TestHomeOfficerAndLeaderFiling(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	leader := a.login("maoba-leader")
	form := a.caseForm("maoba-officer1", "maoba-officer3")
	form.Set("lead_only", "1")
	path := fileCase(t, officer, form)
	id := itoa(caseID(t, path))

	home := officer.get("/")
	inQueue(t, home, cases.QueueLeads, id, "刘某", "提交立案审批", "待立案")
	inQueue(t, home, cases.QueueMyCases, id, "提交立案审批")
	pageSays(t, home, "待完成的笔录和文书 0 件", cases.QueueDrafts.Empty())
	mine := navBadge(t, home, "/")
	if mine < 1 {
		t.Fatalf("no to-do count beside 首页: %d", mine)
	}
	// Neither another officer's home nor another town's.
	nowhere(t, a.login("maoba-officer2").get("/"), id)
	nowhere(t, a.login("chengguan-officer1").get("/"), id)
	nowhere(t, a.login("chengguan-leader").get("/"), id)
	lhome := leader.get("/")
	notInQueue(t, lhome, cases.QueueFilingApproval, id)
	approvals, _ := homeQueue(t, lhome, cases.QueueFilingApproval)
	leaderCount := navBadge(t, lhome, "/")

	// Asked for filing: off the officer's leads, onto the leader's desk.
	mustAct(t, officer, path, "request_filing", nil)
	home = officer.get("/")
	notInQueue(t, home, cases.QueueLeads, id)
	inQueue(t, home, cases.QueueMyCases, id, "等待队长批准立案")
	if got := navBadge(t, home, "/"); got != mine-1 {
		t.Errorf("the officer's count is %d after asking for filing, want %d", got, mine-1)
	}
	lhome = leader.get("/")
	inQueue(t, lhome, cases.QueueFilingApproval, id, "批准立案", "刘某", "今日提交")
	if n, _ := homeQueue(t, lhome, cases.QueueFilingApproval); n != approvals+1 {
		t.Errorf("待批准立案 counts %d, want %d", n, approvals+1)
	}
	if got := navBadge(t, lhome, "/"); got != leaderCount+1 {
		t.Errorf("the leader's count is %d, want %d", got, leaderCount+1)
	}

	// Approved: gone from the leader's queue.
	mustAct(t, leader, path, "file", confirmed)
	lhome = leader.get("/")
	notInQueue(t, lhome, cases.QueueFilingApproval, id)
	if got := navBadge(t, lhome, "/"); got != leaderCount {
		t.Errorf("the leader's count is %d after approving, want %d", got, leaderCount)
	}
	inQueue(t, officer.get("/"), cases.QueueMyCases, id, "开始调查")

	// A record saved as a draft is to finish, and links to its draft.
	mustAct(t, officer, path, "investigate", nil)
	res := officer.post(path+"/documents/new/inquiry", url.Values{"op": {"save"}})
	wantStatus(t, res, http.StatusSeeOther)
	home = officer.get("/")
	inQueue(t, home, cases.QueueDrafts, id, "完成并出具《询问笔录》", "今日保存")
	_, drafts := homeQueue(t, home, cases.QueueDrafts)
	if !strings.Contains(drafts, `href="`+path+`/documents/new/inquiry"`) {
		t.Errorf("the draft's card does not link to the draft: %s", drafts)
	}
	// The other handler did not write it.
	notInQueue(t, a.login("maoba-officer3").get("/"), cases.QueueDrafts, id)
	a.issueDoc(t, officer, path, "inquiry", nil)
	notInQueue(t, officer.get("/"), cases.QueueDrafts, id)
}

// The reviewer's 待法制审核, oldest first, until the review passes; then,
// once the notice is served and the party waived its statement, the
// head's 待作出决定 until the decision. The menu counts them.
func TestHomeReviewThenDecision(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	county := a.login("county-reviewer")
	reviewerHome := p.reviewer.get("/")
	queued, _ := homeQueue(t, reviewerHome, cases.QueueReview)
	if got := navBadge(t, reviewerHome, "/review"); got != queued {
		t.Errorf("待审核 in the menu counts %d, the home page %d", got, queued)
	}
	countyQueued := navBadge(t, county.get("/"), "/review")
	headHome := p.head.get("/")
	deciding, _ := homeQueue(t, headHome, cases.QueueDecide)
	headCount := navBadge(t, headHome, "/")

	id := a.submittedCase(t, p)
	path := "/cases/" + id
	reviewerHome = p.reviewer.get("/")
	inQueue(t, reviewerHome, cases.QueueReview, id, "刘某", "法制审核", "承办人")
	if n, body := homeQueue(t, reviewerHome, cases.QueueReview); n != queued+1 {
		t.Errorf("待法制审核 counts %d, want %d", n, queued+1)
	} else if ids := cardRE.FindAllStringSubmatch(body, -1); ids[len(ids)-1][1] != id {
		t.Errorf("the newest submission is not last in the queue: %v", ids)
	}
	pageSays(t, reviewerHome, "待法制审核 "+itoa(int64(queued+1))+" 件")
	if got := navBadge(t, reviewerHome, "/review"); got != queued+1 {
		t.Errorf("待审核 in the menu counts %d, want %d", got, queued+1)
	}
	if got := navBadge(t, reviewerHome, "/"); got != queued+1 {
		t.Errorf("首页 in the reviewer's menu counts %d, want %d", got, queued+1)
	}
	countyHome := county.get("/")
	inQueue(t, countyHome, cases.QueueReview, id, "毛坝镇")
	if got := navBadge(t, countyHome, "/review"); got != countyQueued+1 {
		t.Errorf("the county's 待审核 counts %d, want %d", got, countyQueued+1)
	}
	nowhere(t, a.login("chengguan-reviewer").get("/"), id)

	// Passed: off the queue; a notice is due first, so not yet the head's.
	mustAct(t, p.reviewer, path, "pass_review", with(checklist(), url.Values{"text": {"同意。"}}))
	reviewerHome = p.reviewer.get("/")
	notInQueue(t, reviewerHome, cases.QueueReview, id)
	if got := navBadge(t, reviewerHome, "/review"); got != queued {
		t.Errorf("待审核 counts %d after the review passed, want %d", got, queued)
	}
	notInQueue(t, p.head.get("/"), cases.QueueDecide, id)
	inQueue(t, p.officer.get("/"), cases.QueueMyCases, id, "送达行政处罚事先告知书")

	// Served: the party's statement period runs, the head waits.
	a.serveNotice(t, p.officer, path, url.Values{"text": {"拟处罚款1000元。"}})
	notInQueue(t, p.head.get("/"), cases.QueueDecide, id)
	// Waived in writing: the head may decide now.
	mustAct(t, p.officer, path, "waive_statement", nil)
	headHome = p.head.get("/")
	inQueue(t, headHome, cases.QueueDecide, id, "作出处罚决定", "刘某", "告知")
	if n, _ := homeQueue(t, headHome, cases.QueueDecide); n != deciding+1 {
		t.Errorf("待作出决定 counts %d, want %d", n, deciding+1)
	}
	if got := navBadge(t, headHome, "/"); got != headCount+1 {
		t.Errorf("the head's count is %d, want %d", got, headCount+1)
	}
	nowhere(t, a.login("chengguan-head").get("/"), id)

	// Decided: gone.
	mustAct(t, p.head, path, "decide", with(url.Values{"amount": {"1000"}}, confirmed))
	headHome = p.head.get("/")
	notInQueue(t, headHome, cases.QueueDecide, id)
	if got := navBadge(t, headHome, "/"); got != headCount {
		t.Errorf("the head's count is %d after deciding, want %d", got, headCount)
	}
	inQueue(t, p.officer.get("/"), cases.QueueMyCases, id, "送达行政处罚决定书")
}

// A mitigated penalty must be discussed collectively (APL art. 57 ¶2):
// the reviewed case waits in the leader's 待准备决定 (to put it to
// discussion, then to record it), and only then in the head's 待作出决定.
func TestHomeDiscussionBeforeDecision(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	id := itoa(caseID(t, path))
	mustAct(t, p.officer, path, "investigate", nil)
	investigated(t, p.officer, path, "1000")
	mustAct(t, p.officer, path, "propose", url.Values{"tier": {"较轻"}, "amount": {"500"},
		"reasoning": {"主动消除违法后果，从轻处罚。"}, "mitigation": {"主动消除或者减轻违法行为危害后果（行政处罚法第三十二条第一项）"}})
	reviewed(t, p.officer, p.reviewer, path)
	a.serveNotice(t, p.officer, path, url.Values{"text": {"拟处罚款500元。"}})
	mustAct(t, p.officer, path, "waive_statement", nil)

	inQueue(t, p.leader.get("/"), cases.QueuePrepareDecision, id, "提交集体讨论", "告知")
	notInQueue(t, p.head.get("/"), cases.QueueDecide, id)

	mustAct(t, p.leader, path, "to_discussion", nil)
	inQueue(t, p.leader.get("/"), cases.QueuePrepareDecision, id, "记录集体讨论", "集体讨论")
	notInQueue(t, p.head.get("/"), cases.QueueDecide, id)

	mustAct(t, p.leader, path, "record_discussion", a.discussion("同意从轻处罚，罚款500元"))
	notInQueue(t, p.leader.get("/"), cases.QueuePrepareDecision, id)
	inQueue(t, p.head.get("/"), cases.QueueDecide, id, "作出处罚决定", "集体讨论")
	nowhere(t, a.login("chengguan-leader").get("/"), id)

	mustAct(t, p.head, path, "decide", with(url.Values{"amount": {"500"}}, confirmed))
	notInQueue(t, p.head.get("/"), cases.QueueDecide, id)
}

// The handlers' transfer proposal waits in the head's 待审批事项 until the
// head decides it.
func TestHomeHeadApprovals(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	id := itoa(caseID(t, path))
	headHome := p.head.get("/")
	pending, _ := homeQueue(t, headHome, cases.QueueApprovals)
	headCount := navBadge(t, headHome, "/")
	notInQueue(t, headHome, cases.QueueApprovals, id)

	mustAct(t, p.officer, path, "propose_transfer", url.Values{"receiving_body": {"紫阳县公安局"}, "reason": {"涉嫌失火罪，过火面积较大。"}})
	headHome = p.head.get("/")
	inQueue(t, headHome, cases.QueueApprovals, id, "决定是否移送", "刘某", "今日提交")
	if n, _ := homeQueue(t, headHome, cases.QueueApprovals); n != pending+1 {
		t.Errorf("待审批事项 counts %d, want %d", n, pending+1)
	}
	if got := navBadge(t, headHome, "/"); got != headCount+1 {
		t.Errorf("the head's count is %d, want %d", got, headCount+1)
	}
	nowhere(t, a.login("chengguan-head").get("/"), id)
	if hasQueue(p.officer.get("/"), cases.QueueApprovals) || hasQueue(p.leader.get("/"), cases.QueueApprovals) {
		t.Errorf("the head's approvals are on a field role's home page")
	}

	mustAct(t, p.head, path, "transfer", with(url.Values{"receiving_body": {"紫阳县公安局"}, "reason": {"涉嫌失火罪，依法移送。"}}, confirmed))
	headHome = p.head.get("/")
	notInQueue(t, headHome, cases.QueueApprovals, id)
	if got := navBadge(t, headHome, "/"); got != headCount {
		t.Errorf("the head's count is %d after deciding, want %d", got, headCount)
	}
	// A transferred case is over for the town: no longer among the handler's.
	notInQueue(t, p.officer.get("/"), cases.QueueMyCases, id)
}

// The leader sees the handling deadline coming (需延长办案期限) until the
// head extends it, and the case among 已逾期案件 once a deadline passed;
// the county sees the town's overdue cases, linked to the town's list.
func TestHomeDeadlinesAndCounty(t *testing.T) {
	a := newApp(t)
	p := a.crew(t)
	path := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	id := itoa(caseID(t, path))
	notInQueue(t, p.leader.get("/"), cases.QueueExtend, id)

	// Day 90 of the handling period is Sunday 30 November: Monday 1 December.
	a.gotoDay(t, "2025-11-25")
	home := p.leader.get("/")
	inQueue(t, home, cases.QueueExtend, id, "报请负责人批准延长办案期限", "6天后届满", "办案期限 2025-12-01")
	notInQueue(t, home, cases.QueueOverdue, id)
	nowhere(t, a.login("chengguan-leader").get("/"), id)
	mustAct(t, p.head, path, "extend", url.Values{"reason": {"案情复杂，需补充鉴定。"}})
	notInQueue(t, p.leader.get("/"), cases.QueueExtend, id)

	// Long past the extended deadline: overdue, for the leader and the county.
	a.gotoDay(t, "2026-03-02")
	home = p.leader.get("/")
	inQueue(t, home, cases.QueueOverdue, id, "办案期限已于")
	notInQueue(t, home, cases.QueueExtend, id)
	overdue, _ := homeQueue(t, home, cases.QueueOverdue)
	inQueue(t, p.officer.get("/"), cases.QueueMyCases, id, "已逾期")
	nowhere(t, a.login("chengguan-leader").get("/"), id)

	for _, who := range []string{"county-reviewer", "county-admin"} {
		res := a.login(who).get("/")
		row := regexp.MustCompile(`(?s)<tr data-town="maoba">(.*?)</tr>`).FindStringSubmatch(res.body)
		if row == nil {
			t.Fatalf("%s: 毛坝镇 is not among the towns with something pending: %.1500s", who, text(res.body))
		}
		if !strings.Contains(row[1], `href="/cases?town=maoba&amp;due=overdue"`) || !strings.Contains(text(row[1]), "毛坝镇 "+itoa(int64(overdue))) {
			t.Errorf("%s: 毛坝镇's row does not link its %d overdue cases: %s", who, overdue, row[1])
		}
		if !strings.Contains(row[1], "town=maoba") {
			t.Errorf("%s: no link to 毛坝镇's reviews: %s", who, row[1])
		}
	}
	// The county's link lists the case.
	mustContain(t, a.login("county-reviewer").get("/cases?town=maoba&due=overdue"), `href="`+path+`"`)
}
