package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"zhifa/internal/testdb"
)

// secPostLogin posts the login form as c, with c's current form token, and
// without touching c (safe from many goroutines at once: the cookie jar is).
func secPostLogin(c *client, token, username, password string) (response, error) {
	form := url.Values{"username": {username}, "password": {password}, "csrf_token": {token}}
	req, err := http.NewRequest(http.MethodPost, c.app.ts.URL+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		return response{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.http.Do(req)
	if err != nil {
		return response{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return response{status: res.StatusCode, body: string(b), location: res.Header.Get("Location"), header: res.Header}, err
}

// secParallelLogins fires n logins at once (user(i) with a wrong password)
// from one client and tallies the answers by message.
func secParallelLogins(t *testing.T, a *app, n int, user func(i int) string) (wrong, throttled int, messages map[string]int) {
	t.Helper()
	c := a.client()
	c.get("/login")
	token := c.csrf
	var mu sync.Mutex
	messages = map[string]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			res, err := secPostLogin(c, token, user(i), "wrong-password")
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				messages["error: "+err.Error()]++
			case res.status == http.StatusUnauthorized && strings.Contains(res.body, "登录名或密码不正确"):
				wrong++
			case res.status == http.StatusTooManyRequests && strings.Contains(res.body, "登录失败次数过多，"):
				throttled++
				if strings.Contains(res.body, "该账号登录失败次数过多") {
					messages["account"]++
				} else if strings.Contains(res.body, "本机登录失败次数过多") {
					messages["address"]++
				}
			default:
				messages[http.StatusText(res.status)+": "+text(res.body)[:min(200, len(text(res.body)))]]++
			}
		}()
	}
	close(start)
	wg.Wait()
	return wrong, throttled, messages
}

func (a *app) loginFailures(where string, arg any) int {
	a.t.Helper()
	var n int
	if err := a.owner().QueryRow(context.Background(), `SELECT count(*) FROM login_failures WHERE `+where, arg).Scan(&n); err != nil {
		a.t.Fatal(err)
	}
	return n
}

// Fifty wrong passwords at once for one account: the throttle check and the
// count are one step, so no more than the limit (5) are ever checked; the
// others are told the account is locked, and then so is the right password.
func TestLoginThrottleHoldsUnderParallelAttempts(t *testing.T) {
	a := newApp(t)
	hasher := a.srv.Accounts.Hasher
	before := hasher.Checks()
	wrong, throttled, other := secParallelLogins(t, a, 50, func(int) string { return "maoba-officer1" })
	checked := hasher.Checks() - before
	if checked > 5 || wrong != 5 || throttled != 45 || other["account"] != 45 {
		t.Fatalf("50 parallel wrong passwords: %d passwords checked (limit 5), %d told wrong, %d throttled, other answers %v",
			checked, wrong, throttled, other)
	}
	if n := a.loginFailures("username = $1", "maoba-officer1"); n != 5 {
		t.Fatalf("%d failures recorded, want 5", n)
	}
	res := a.client().post("/login", url.Values{"username": {"maoba-officer1"}, "password": {testdb.Password}})
	wantStatus(t, res, http.StatusTooManyRequests)
	mustContain(t, res, "该账号登录失败次数过多，已暂时锁定，请15分钟后再试。")
	if n := hasher.Checks() - before; n != 5 {
		t.Fatalf("a locked account's password was checked: %d checks", n)
	}
	// The lock passes with the window, and a good login clears the count.
	a.clock.Advance(16 * time.Minute)
	a.login("maoba-officer1")
	if n := a.loginFailures("username = $1", "maoba-officer1"); n != 0 {
		t.Fatalf("%d failures left after a good login", n)
	}
}

// The same from one address over many accounts: at most the per-address
// limit (20) is checked.
func TestLoginThrottlePerAddressUnderParallelAttempts(t *testing.T) {
	a := newApp(t)
	hasher := a.srv.Accounts.Hasher
	before := hasher.Checks()
	wrong, throttled, other := secParallelLogins(t, a, 50, func(i int) string { return "nobody-" + itoa(int64(i)) })
	checked := hasher.Checks() - before
	if checked > 20 || wrong != 20 || throttled != 30 || other["address"] != 30 {
		t.Fatalf("50 parallel wrong logins from one address: %d passwords checked (limit 20), %d told wrong, %d throttled, other answers %v",
			checked, wrong, throttled, other)
	}
	res := a.client().post("/login", url.Values{"username": {"maoba-leader"}, "password": {testdb.Password}})
	wantStatus(t, res, http.StatusTooManyRequests)
	mustContain(t, res, "本机登录失败次数过多，请15分钟后再试。")
}

// countingBody is a request body of left bytes (head, then 'a's) that
// counts what is read of it.
type countingBody struct {
	head string
	left int64
	read atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	if b.left == 0 {
		return 0, io.EOF
	}
	k := min(int64(len(p)), b.left)
	for i := range p[:k] {
		p[i] = 'a'
		if at := b.read.Load() + int64(i); at < int64(len(b.head)) {
			p[i] = b.head[at]
		}
	}
	b.left -= k
	b.read.Add(k)
	return int(k), nil
}

// serveDirect runs one request through the router in this goroutine, so
// what the server read of the body is exactly what the handlers read.
func (a *app) serveDirect(method, path, contentType string, body *countingBody, declared bool, cookies ...*http.Cookie) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, body)
	req.ContentLength = -1
	if declared {
		req.ContentLength = body.left
	}
	req.Header.Set("Content-Type", contentType)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	a.srv.Handler().ServeHTTP(rec, req)
	return rec
}

// An anonymous 20 MB POST is refused with 413 before anything reads it:
// declared, it is not read at all; of unknown length, it is cut off at the
// form limit (1 MB). The evidence route's larger limit is only for a
// logged-in session, and a logged-in user's ordinary forms keep the small one.
func TestRequestBodiesAreLimitedByRoute(t *testing.T) {
	a := newApp(t)
	const big = 20 << 20
	const refusal = "提交的内容过大（超过1 MB），请精简后重新提交。"
	form := "application/x-www-form-urlencoded"
	multi := "multipart/form-data; boundary=xyz"
	for _, tc := range []struct {
		name, path, contentType string
		declared                bool
		maxRead                 int64
	}{
		{"declared login form", "/login", form, true, 0},
		{"declared anonymous upload", "/cases/1/evidence", multi, true, 0},
		{"declared anywhere", "/no/such/page", form, true, 0},
		{"unknown-length login form", "/login", form, false, 1<<20 + 1},
		{"unknown-length anonymous upload", "/cases/1/evidence", multi, false, 1<<20 + 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := &countingBody{left: big}
			if tc.contentType == multi {
				body.head = "--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.mp4\"\r\nContent-Type: video/mp4\r\n\r\n"
			}
			rec := a.serveDirect(http.MethodPost, tc.path, tc.contentType, body, tc.declared)
			if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), refusal) {
				t.Fatalf("status %d, want 413 with %q; page: %.300s", rec.Code, refusal, text(rec.Body.String()))
			}
			if n := body.read.Load(); n > tc.maxRead {
				t.Fatalf("the server read %d bytes of a refused body, want at most %d", n, tc.maxRead)
			}
		})
	}

	// Over the network, a sender that declares 20 MB and then sends nothing
	// is answered at once: the server does not wait for the body.
	c := a.client()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, a.ts.URL+"/login", stall{ctx})
	req.ContentLength = big
	req.Header.Set("Content-Type", form)
	res, err := c.send(req)
	if err != nil {
		t.Fatalf("a declared 20 MB body was not refused before it was sent: %v", err)
	}
	wantStatus(t, res, http.StatusRequestEntityTooLarge)
	mustContain(t, res, refusal)

	// A logged-in user's forms keep the small limit (2 MB of text refused)…
	officer := a.login("maoba-officer1")
	res = officer.post("/account/password", url.Values{"current": {strings.Repeat("x", 2<<20)}})
	wantStatus(t, res, http.StatusRequestEntityTooLarge)
	mustContain(t, res, refusal)
	// …and the evidence upload takes the configured file limit (20 MB).
	path := fileCase(t, officer, a.caseForm("maoba-officer1", "maoba-officer3"))
	fields := map[string]string{"kind": "audiovisual", "title": "执法记录仪截图", "collected_on": "2025-08-25"}
	res = officer.upload(path+"/evidence", fields, "scene.jpg", jpegOfSize(3<<20))
	wantStatus(t, res, http.StatusSeeOther)
	if n := a.evidenceCount(path); n != 1 {
		t.Fatalf("%d evidence records after a 3 MB upload, want 1", n)
	}
}

// After login only a clean path on this site is followed; anything a
// browser could read as another site goes home.
func TestNextAfterLoginStaysOnThisSite(t *testing.T) {
	a := newApp(t)
	bad := []string{
		"//evil.example", "//evil.example/x", "/%09/evil.example", "/\t/evil.example", "/\\evil.example",
		"\\\\evil.example", "/%5Cevil.example", "https://evil.example", "http:/evil.example", "javascript:alert(1)",
		"/%2F%2Fevil", "/%2f/evil.example", " /officers", "/officers\r\nSet-Cookie: x=1", "/%0d%0aLocation:evil",
		"evil.example", "/officers\x00", "/\u00a0/evil.example", "///evil.example",
	}
	for _, next := range bad {
		t.Run(url.QueryEscape(next), func(t *testing.T) {
			c := a.client()
			res := c.post("/login", url.Values{"username": {"maoba-leader"}, "password": {testdb.Password}, "next": {next}})
			if strings.ContainsRune(next, 0) {
				// A NUL byte is refused before anything reads the form.
				wantStatus(t, res, http.StatusBadRequest)
				return
			}
			wantStatus(t, res, http.StatusSeeOther)
			if res.location != "/" {
				t.Fatalf("next %q led to %q, want /", next, res.location)
			}
			// Nor does the login form carry it on.
			page := a.client().get("/login?next=" + url.QueryEscape(next))
			mustNotContain(t, page, "evil")
		})
	}
	for _, next := range []string{"/officers?status=expired", "/cases/12", "/cases?q=%E5%88%98&state=filed", "/"} {
		c := a.client()
		page := c.get("/login?next=" + url.QueryEscape(next))
		mustContain(t, page, `name="next" value="`+strings.ReplaceAll(next, "&", "&amp;")+`"`)
		res := c.post("/login", url.Values{"username": {"maoba-leader"}, "password": {testdb.Password}, "next": {next}})
		if res.location != next {
			t.Errorf("next %q led to %q", next, res.location)
		}
	}
}

func (a *app) sessionRows() int {
	a.t.Helper()
	var n int
	if err := a.owner().QueryRow(context.Background(), `SELECT count(*) FROM sessions`).Scan(&n); err != nil {
		a.t.Fatal(err)
	}
	return n
}

// Anonymous visitors store no session: the login form's token is signed
// from a cookie, and the session is made at login. Forged logins are still
// refused.
func TestAnonymousVisitorsStoreNoSession(t *testing.T) {
	a := newApp(t)
	for i := range 100 {
		c := a.client()
		if i%2 == 1 {
			c.http.Jar = nil // a client that keeps no cookies at all
		}
		res := c.get("/login")
		wantStatus(t, res, http.StatusOK)
		if c.csrf == "" {
			t.Fatal("the login form carries no token")
		}
	}
	// Nor do other anonymous requests: a page that is not there, a wrong
	// password, a logout without a login, the way to a page behind login.
	c := a.client()
	wantStatus(t, c.get("/no/such/page"), http.StatusNotFound)
	wantStatus(t, c.get("/cases?state=filed"), http.StatusSeeOther)
	wantStatus(t, c.post("/login", url.Values{"username": {"maoba-officer1"}, "password": {"wrong-password"}}), http.StatusUnauthorized)
	wantStatus(t, c.post("/logout", nil), http.StatusSeeOther)
	if n := a.sessionRows(); n != 0 {
		t.Fatalf("anonymous requests stored %d sessions", n)
	}
	if c.sessionCookie() != "" {
		t.Fatal("an anonymous visitor was given a session cookie")
	}

	// The form works: a login makes the session…
	res := c.post("/login", url.Values{"username": {"maoba-officer1"}, "password": {testdb.Password}})
	wantStatus(t, res, http.StatusSeeOther)
	if n := a.sessionRows(); n != 1 {
		t.Fatalf("%d sessions after one login, want 1", n)
	}
	mustContain(t, c.get("/"), "欢迎")
	// …and after logout, once the farewell is shown, nothing is left.
	wantStatus(t, c.post("/logout", nil), http.StatusSeeOther)
	mustContain(t, c.get("/login"), "您已安全退出")
	if n := a.sessionRows(); n != 0 {
		t.Fatalf("%d sessions left after logout", n)
	}

	// Forged logins. The forger has a good token of its own, for its own
	// cookie.
	forger := a.client()
	forger.get("/login")
	good := url.Values{"username": {"maoba-leader"}, "password": {testdb.Password}, "csrf_token": {forger.csrf}}
	const refused = "页面已过期或来源不明，请返回上一页刷新后重新提交。"
	victim := a.client()
	victim.get("/login")
	for _, tc := range []struct {
		name   string
		c      *client
		form   url.Values
		header http.Header
	}{
		{"cross-site browser request", forger, good, http.Header{"Sec-Fetch-Site": {"cross-site"}}},
		{"cross-origin request", forger, good, http.Header{"Origin": {"https://evil.example"}}},
		{"another visitor's token", victim, good, nil},
		{"no cookie", a.client(), good, nil},
		{"no token", forger, url.Values{"username": {"maoba-leader"}, "password": {testdb.Password}}, nil},
		{"forged token", forger, url.Values{"username": {"maoba-leader"}, "password": {testdb.Password}, "csrf_token": {"forged"}}, nil},
	} {
		res := tc.c.postRaw("/login", tc.form, tc.header)
		if res.status != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", tc.name, res.status)
		}
		if tc.header == nil && !strings.Contains(res.body, refused) {
			t.Errorf("%s: page does not say %q: %.300s", tc.name, refused, text(res.body))
		}
	}
	if n := a.sessionRows(); n != 0 {
		t.Fatalf("forged logins stored %d sessions", n)
	}
	wantStatus(t, forger.postRaw("/login", good, nil), http.StatusSeeOther)
}
