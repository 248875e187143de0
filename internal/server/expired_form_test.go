package server_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"zhifa/internal/server"
	"zhifa/internal/testdb"
)

var restoreJSONRE = regexp.MustCompile(`<script id="restore-form" type="application/json">([^<]*)</script>`)

// keptFields reads the kept form a page gives back ("" map when none).
func keptFields(t *testing.T, body string) (action string, fields map[string]string) {
	t.Helper()
	m := restoreJSONRE.FindStringSubmatch(body)
	if m == nil {
		return "", nil
	}
	var k struct {
		Action string      `json:"action"`
		Fields [][2]string `json:"fields"`
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &k); err != nil {
		t.Fatalf("restore JSON: %v: %s", err, m[1])
	}
	fields = map[string]string{}
	for _, f := range k.Fields {
		fields[f[0]] = f[1]
	}
	return k.Action, fields
}

func (a *app) countCases(party string) int {
	var n int
	if err := a.owner().QueryRow(context.Background(), `SELECT count(*) FROM cases WHERE party_name = $1`, party).Scan(&n); err != nil {
		a.t.Fatal(err)
	}
	return n
}

// A form sent after the session expired is kept: the officer logs in again,
// lands on the form's page and gets the entries back; nothing was filed.
func TestFormKeptAcrossExpiredSession(t *testing.T) {
	a := newApp(t, func(c *server.Config) { c.SessionIdle = 2 * time.Second })
	c := a.login("maoba-officer1")
	wantStatus(t, c.get("/cases/new"), http.StatusOK)
	time.Sleep(2500 * time.Millisecond) // scs measures idleness on the wall clock

	form := url.Values{"csrf_token": {c.csrf}, "procedure": {"general"}, "party_name": {"过期某"},
		"facts": {"在干沙村河道倾倒建筑垃圾约三车，现场已拍照。\n第二行事实。"}, "party_kind": {"person"}}
	res := c.postRaw("/cases/new", form, http.Header{"Referer": {a.ts.URL + "/cases/new"}})
	wantStatus(t, res, http.StatusSeeOther)
	if res.location != "/login?expired=1&next=%2Fcases%2Fnew" {
		t.Fatalf("expired form sent to %q", res.location)
	}
	if n := a.countCases("过期某"); n != 0 {
		t.Fatalf("%d cases filed by an expired form", n)
	}
	login := c.get(res.location)
	mustContain(t, login, "登录已超时，您填写的内容已保留")

	res = c.post("/login", url.Values{"username": {"maoba-officer1"}, "password": {testdb.Password}, "next": {"/cases/new"}})
	wantStatus(t, res, http.StatusSeeOther)
	if res.location != "/cases/new" {
		t.Fatalf("after login sent to %q, want the form's page", res.location)
	}
	page := c.get("/cases/new")
	mustContain(t, page, "登录超时前填写的内容已恢复到下方表单")
	action, fields := keptFields(t, page.body)
	if action != "/cases/new" || fields["party_name"] != "过期某" || fields["facts"] != form.Get("facts") {
		t.Fatalf("kept form: action %q fields %v", action, fields)
	}
	if _, ok := fields["csrf_token"]; ok {
		t.Fatal("the stale CSRF token was kept")
	}
	// Given back once: a reload shows the empty form.
	if _, again := keptFields(t, c.get("/cases/new").body); again != nil {
		t.Fatal("kept form shown twice")
	}
}

// Another user logging in on the same browser gets nothing of it.
func TestKeptFormOnlyForItsUser(t *testing.T) {
	a := newApp(t, func(c *server.Config) { c.SessionIdle = 2 * time.Second })
	c := a.login("maoba-officer1")
	wantStatus(t, c.get("/cases/new"), http.StatusOK)
	time.Sleep(2500 * time.Millisecond)
	res := c.postRaw("/cases/new", url.Values{"csrf_token": {c.csrf}, "party_name": {"别人某"}},
		http.Header{"Referer": {a.ts.URL + "/cases/new"}})
	wantStatus(t, res, http.StatusSeeOther)
	c.get(res.location)
	res = c.post("/login", url.Values{"username": {"maoba-officer2"}, "password": {testdb.Password}, "next": {"/cases/new"}})
	wantStatus(t, res, http.StatusSeeOther)
	page := c.get("/cases/new")
	if _, fields := keptFields(t, page.body); fields != nil {
		t.Fatalf("officer2 was given officer1's entries: %v", fields)
	}
	mustNotContain(t, page, "别人某")
}

// A POST from a browser that never logged in is still refused as before:
// there is nobody to keep it for.
func TestFormWithoutLoginIsRefused(t *testing.T) {
	a := newApp(t)
	c := a.client()
	res := c.postRaw("/cases/new", url.Values{"csrf_token": {"x"}, "party_name": {"某"}}, nil)
	wantStatus(t, res, http.StatusForbidden)
	mustContain(t, res, "页面已过期或来源不明")
}

// In the browser: the idle warning shows before the timeout and 继续工作
// keeps the session; a form sent after the timeout comes back filled after
// the login, and sending it then files the case.
func TestBrowserSessionTimeout(t *testing.T) {
	a := newApp(t, func(c *server.Config) { c.SessionIdle = 6 * time.Second })
	b := newBrowser(t, a)
	b.login("maoba-officer1")
	b.open("/cases/new")
	if b.eval(`String(document.getElementById("idle-warning").hidden)`) != "true" {
		t.Fatal("idle warning shown at once")
	}
	time.Sleep(4500 * time.Millisecond) // the warning comes 2 s before the 6 s timeout
	if got := b.eval(`document.getElementById("idle-warning").hidden ? "" : document.getElementById("idle-warning-text").innerText`); !strings.Contains(got, "秒后自动退出登录") {
		t.Fatalf("idle warning before the timeout: %q", got)
	}
	if _, err := chromedp.Run(b.ctx, chromedp.Click(chromedp.CSS(`#idle-keep`))); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if b.eval(`String(document.getElementById("idle-warning").hidden)`) != "true" {
		t.Fatal("idle warning still shown after 继续工作")
	}
	time.Sleep(3 * time.Second) // 7.8 s since the page: alive only thanks to 继续工作
	res, err := chromedp.RunResponse(b.ctx, chromedp.Navigate(a.ts.URL+"/cases/new"))
	if err != nil || res.Status != http.StatusOK || b.path() != "/cases/new" {
		t.Fatalf("session not kept alive: %v, at %s", err, b.path())
	}

	form := `form[action="/cases/new"]`
	b.fill(form, "procedure", "general", "item", itoa(a.itemID("ZY-HJ-001")), "source", "patrol", "party_kind", "person",
		"party_name", "超时某", "party_id_number", b.nextID(), "party_phone", "13800001234",
		"party_address", "毛坝镇干沙村三组", "place_village", "干沙村", "place_address", "超时某住宅东侧河道",
		"act_on", "2025-08-20", "discovered_on", "2025-08-25", "facts", "在河道倾倒垃圾，等待中会话超时。",
		`[name="officer"][value="`+itoa(a.user("maoba-officer3").ID)+`"]`, "1", "lead", itoa(a.user("maoba-officer1").ID))
	time.Sleep(6500 * time.Millisecond) // the session expires while the officer types
	if got := b.text("#idle-warning-text"); !strings.Contains(got, "登录已超时") {
		t.Fatalf("after the timeout the bar says %q", got)
	}
	b.submit(form)
	if b.path() != "/login" || !strings.Contains(b.text("main"), "您填写的内容已保留") {
		t.Fatalf("after the timeout the form went to %s: %s", b.path(), b.text("main"))
	}
	b.fill(`form[action="/login"]`, "username", "maoba-officer1", "password", testdb.Password)
	b.submit(`form[action="/login"]`)
	if b.path() != "/cases/new" {
		t.Fatalf("after login landed on %s", b.path())
	}
	if got := b.eval(`document.querySelector('form[action="/cases/new"] [name="party_name"]').value`); got != "超时某" {
		t.Fatalf("party name after login: %q", got)
	}
	if got := b.eval(`document.querySelector('form[action="/cases/new"] [name="facts"]').value`); got != "在河道倾倒垃圾，等待中会话超时。" {
		t.Fatalf("facts after login: %q", got)
	}
	if got := b.eval(`String(document.querySelector('[name="officer"][value="` + itoa(a.user("maoba-officer3").ID) + `"]').checked)`); got != "true" {
		t.Fatal("the ticked handler was not restored")
	}
	b.submit(form)
	if !caseIDRE.MatchString(b.path()) || a.countCases("超时某") != 1 {
		t.Fatalf("resubmitting the restored form: at %s, %d cases: %s", b.path(), a.countCases("超时某"), b.texts(".form-error, p.error"))
	}
}
