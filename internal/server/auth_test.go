package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"zhifa/internal/server"
	"zhifa/internal/testdb"
)

func TestLoginAndLogout(t *testing.T) {
	a := newApp(t)
	c := a.client()

	res := c.get("/")
	wantStatus(t, res, http.StatusSeeOther)
	if res.location != "/login" {
		t.Fatalf("anonymous home redirects to %q, want /login", res.location)
	}
	res = c.get("/login")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, `name="username"`, `name="password"`, "登录")
	before := c.sessionCookie()

	res = c.post("/login", url.Values{"username": {"chengguan-officer1"}, "password": {testdb.Password}})
	wantStatus(t, res, http.StatusSeeOther)
	if res.location != "/" {
		t.Fatalf("login redirects to %q, want /", res.location)
	}
	if after := c.sessionCookie(); after == "" || after == before {
		t.Fatalf("session token was not renewed on login (before %q, after %q)", before, after)
	}
	officer := a.user("chengguan-officer1")
	res = c.get("/")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, officer.DisplayName, "城关镇", "执法队员", "我的执法证", "欢迎")

	res = c.post("/logout", nil)
	wantStatus(t, res, http.StatusSeeOther)
	if res.location != "/login" {
		t.Fatalf("logout redirects to %q", res.location)
	}
	res = c.get("/login")
	mustContain(t, res, "您已安全退出")
	wantStatus(t, c.get("/officers"), http.StatusSeeOther)
}

func TestLoginRedirectsBackToRequestedPage(t *testing.T) {
	a := newApp(t)
	c := a.client()
	res := c.get("/officers?status=expired")
	if res.location != "/login?next=%2Fofficers%3Fstatus%3Dexpired" {
		t.Fatalf("redirect to %q", res.location)
	}
	res = c.post("/login", url.Values{"username": {"maoba-leader"}, "password": {testdb.Password}, "next": {"/officers?status=expired"}})
	if res.location != "/officers?status=expired" {
		t.Fatalf("after login to %q", res.location)
	}
	// An off-site next is ignored.
	c2 := a.client()
	res = c2.post("/login", url.Values{"username": {"maoba-leader"}, "password": {testdb.Password}, "next": {"//evil.example/x"}})
	if res.location != "/" {
		t.Fatalf("off-site next followed: %q", res.location)
	}
}

func TestWrongPasswordKeepsUsernameAndSaysWhy(t *testing.T) {
	a := newApp(t)
	c := a.client()
	res := c.post("/login", url.Values{"username": {"chengguan-officer1"}, "password": {"not-the-password"}})
	wantStatus(t, res, http.StatusUnauthorized)
	mustContain(t, res, "登录名或密码不正确", `value="chengguan-officer1"`)
	mustNotContain(t, res, "not-the-password")

	res = c.post("/login", url.Values{"username": {"nobody-here"}, "password": {"whatever-pass"}})
	wantStatus(t, res, http.StatusUnauthorized)
	mustContain(t, res, "登录名或密码不正确")

	res = c.post("/login", url.Values{"username": {""}, "password": {""}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "请填写登录名", "请填写密码")
	wantStatus(t, c.get("/officers"), http.StatusSeeOther) // still not logged in
}

func TestThrottlePerAccount(t *testing.T) {
	a := newApp(t)
	c := a.client()
	for i := 0; i < 5; i++ {
		res := c.post("/login", url.Values{"username": {"maoba-officer1"}, "password": {"wrong-password"}})
		wantStatus(t, res, http.StatusUnauthorized)
	}
	// Locked now, even with the right password, and from another address
	// (a new client counts the same account).
	res := a.client().post("/login", url.Values{"username": {"maoba-officer1"}, "password": {testdb.Password}})
	wantStatus(t, res, http.StatusTooManyRequests)
	mustContain(t, res, "登录失败次数过多", "15分钟")
	// Other accounts are not affected.
	a.login("maoba-officer2")

	a.clock.Advance(16 * time.Minute)
	a.login("maoba-officer1")
}

func TestThrottlePerAddress(t *testing.T) {
	a := newApp(t)
	c := a.client()
	for i := 0; i < 20; i++ {
		// Spread over accounts so the per-account limit is never reached.
		user := []string{"a-nobody", "b-nobody", "c-nobody", "d-nobody", "e-nobody"}[i%5]
		wantStatus(t, c.post("/login", url.Values{"username": {user}, "password": {"wrong-password"}}), http.StatusUnauthorized)
	}
	res := c.post("/login", url.Values{"username": {"huangu-leader"}, "password": {testdb.Password}})
	wantStatus(t, res, http.StatusTooManyRequests)
	mustContain(t, res, "本机登录失败次数过多")
	a.clock.Advance(16 * time.Minute)
	a.login("huangu-leader")
}

func TestDeactivatedUserCannotLogIn(t *testing.T) {
	a := newApp(t)
	officer := a.login("gaotan-officer1")
	admin := a.login("county-admin")
	u := a.user("gaotan-officer1")
	res := admin.post("/admin/users/"+itoa(u.ID), url.Values{
		"display_name": {u.DisplayName}, "role": {"officer"}, "town": {"gaotan"}, // active unchecked
	})
	wantStatus(t, res, http.StatusSeeOther)
	// The open session ends at its next request.
	wantStatus(t, officer.get("/officers"), http.StatusSeeOther)
	res = a.client().post("/login", url.Values{"username": {"gaotan-officer1"}, "password": {testdb.Password}})
	wantStatus(t, res, http.StatusUnauthorized)
	mustContain(t, res, "该账号已停用")
}

func TestCSRFRejectsPostsWithoutToken(t *testing.T) {
	a := newApp(t)
	c := a.login("chengguan-officer1")
	change := url.Values{"current": {testdb.Password}, "new": {"a-new-password-1"}, "confirm": {"a-new-password-1"}}

	res := c.postRaw("/account/password", change, nil) // no token at all
	wantStatus(t, res, http.StatusForbidden)
	mustContain(t, res, "页面已过期或来源不明")

	bad := cloneValues(change)
	bad.Set("csrf_token", "forged")
	wantStatus(t, c.postRaw("/account/password", bad, nil), http.StatusForbidden)

	// A cross-site browser request is refused even with the right token.
	withToken := cloneValues(change)
	withToken.Set("csrf_token", c.csrf)
	res = c.postRaw("/account/password", withToken, http.Header{"Sec-Fetch-Site": {"cross-site"}})
	wantStatus(t, res, http.StatusForbidden)

	// Logout and login are protected too.
	wantStatus(t, c.postRaw("/logout", url.Values{}, nil), http.StatusForbidden)
	wantStatus(t, a.client().postRaw("/login", url.Values{"username": {"chengguan-leader"}, "password": {testdb.Password}}, nil), http.StatusForbidden)

	// Nothing changed: the old password still works.
	a.login("chengguan-officer1")
	// And with the token the same request goes through.
	wantStatus(t, c.post("/account/password", change), http.StatusSeeOther)
}

func TestChangeOwnPassword(t *testing.T) {
	a := newApp(t)
	c := a.login("hanwang-reviewer")
	res := c.get("/account/password")
	wantStatus(t, res, http.StatusOK)

	res = c.post("/account/password", url.Values{"current": {"wrong-current"}, "new": {"brand-new-pass"}, "confirm": {"brand-new-pass"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "当前密码不正确")

	res = c.post("/account/password", url.Values{"current": {testdb.Password}, "new": {"short"}, "confirm": {"other"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "密码至少10位", "两次输入的新密码不一致")

	res = c.post("/account/password", url.Values{"current": {testdb.Password}, "new": {"brand-new-pass"}, "confirm": {"brand-new-pass"}})
	wantStatus(t, res, http.StatusSeeOther)
	mustContain(t, c.get("/"), "密码已修改")

	old := a.client().post("/login", url.Values{"username": {"hanwang-reviewer"}, "password": {testdb.Password}})
	wantStatus(t, old, http.StatusUnauthorized)
	res = a.client().post("/login", url.Values{"username": {"hanwang-reviewer"}, "password": {"brand-new-pass"}})
	wantStatus(t, res, http.StatusSeeOther)
}

func TestSessionIdleTimeout(t *testing.T) {
	a := newApp(t, func(c *server.Config) { c.SessionIdle = 2 * time.Second })
	c := a.login("dongmu-leader")
	wantStatus(t, c.get("/officers"), http.StatusOK)
	time.Sleep(2500 * time.Millisecond) // scs measures idleness on the wall clock
	wantStatus(t, c.get("/officers"), http.StatusSeeOther)
}

func TestSessionAbsoluteTimeout(t *testing.T) {
	a := newApp(t, func(c *server.Config) { c.SessionLifetime = 2 * time.Second })
	c := a.login("dongmu-leader")
	// Activity does not extend the session past its lifetime.
	deadline := time.Now().Add(2600 * time.Millisecond)
	last := 0
	for time.Now().Before(deadline) {
		last = c.get("/officers").status
		time.Sleep(250 * time.Millisecond)
	}
	if last != http.StatusSeeOther {
		t.Fatalf("session still valid after its lifetime: status %d", last)
	}
}

func TestHealthAndReadiness(t *testing.T) {
	a := newApp(t)
	c := a.client()
	res := c.get("/healthz")
	wantStatus(t, res, http.StatusOK)
	if strings.TrimSpace(res.body) != "ok" {
		t.Fatalf("healthz body %q", res.body)
	}
	res = c.get("/readyz")
	wantStatus(t, res, http.StatusOK)
	if strings.TrimSpace(res.body) != "ready" {
		t.Fatalf("readyz body %q", res.body)
	}
	a.db.Close() // the database goes away
	wantStatus(t, c.get("/readyz"), http.StatusServiceUnavailable)
	wantStatus(t, c.get("/healthz"), http.StatusOK)
}
