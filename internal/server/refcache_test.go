package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/account"
	"zhifa/internal/database"
	"zhifa/internal/filestore"
	"zhifa/internal/refcache"
	"zhifa/internal/server"
	"zhifa/internal/testdb"
)

// The reference cache (internal/refcache) must never show data that has
// changed: every change below is visible on the very next request, on the
// instance that made it and on a second instance over the same database,
// which learns of it by LISTEN/NOTIFY.

// twin is a second app instance over a's database, as another server
// process would be: its own pool, sessions manager, cache and listener, on
// the same clock.
func (a *app) twin(t *testing.T, channel ...string) *app {
	t.Helper()
	ctx := context.Background()
	db, err := database.Open(ctx, a.db.AppURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	files, err := filestore.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cfg := server.Config{SessionIdle: 30 * time.Minute, SessionLifetime: 12 * time.Hour, Files: files}
	if len(channel) > 0 { // an instance that hears none of the triggers' notifications
		cfg.RefChannel = channel[0]
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := server.New(db, account.New(db, account.NewHasher(account.CheapParams), a.clock.Now), a.clock.Now, log, cfg)
	t.Cleanup(srv.Wait)
	t.Cleanup(srv.ListenForChanges())
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &app{t: t, db: &testdb.DB{DB: db, Name: a.db.Name}, clock: a.clock, srv: srv, ts: ts}
}

// listening waits until each app's cache listens (until then it is bypassed
// and a test of invalidation would prove nothing).
func listening(t *testing.T, apps ...*app) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for _, a := range apps {
		for !a.srv.Ref.Live() {
			if time.Now().After(deadline) {
				t.Fatal("the reference cache is not listening")
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
}

// cached fetches path twice and checks the second answer came (in part)
// from the cache, so that what follows tests invalidation, not a miss.
func cached(t *testing.T, c *client, path string, wants ...string) {
	t.Helper()
	mustContain(t, c.get(path), wants...)
	before := c.app.srv.Ref.Stats().Hits
	mustContain(t, c.get(path), wants...)
	if c.app.srv.Ref.Stats().Hits == before {
		t.Fatalf("GET %s: nothing came from the cache", path)
	}
}

// officerOption is the /cases filter's option for an officer.
func officerOption(u userRow) string {
	return `<option value="` + itoa(u.ID) + `">` + u.DisplayName + `</option>`
}

// officerBox is the filing form's checkbox for an officer.
func officerBox(u userRow) string { return `name="officer" value="` + itoa(u.ID) + `"` }

func TestRefCacheListPublished(t *testing.T) {
	a := newApp(t)
	b := a.twin(t)
	listening(t, a, b)
	maoba := townID(a, "maoba")
	admin := a.login("county-admin")

	// A draft of 毛坝镇's list without its first item.
	res := admin.post("/authority/drafts", url.Values{"title": {"2025年9月调整"}, "town": {itoa(maoba)}, "start_from": {itoa(maoba)}})
	wantStatus(t, res, http.StatusSeeOther)
	draft := res.location
	selected := checkedItems(admin.get(draft).body)
	dropped := selected[0]
	form := url.Values{"town": {itoa(maoba)}}
	for _, id := range selected[1:] {
		form.Add("item", itoa(id))
	}
	wantStatus(t, admin.post(draft, form), http.StatusSeeOther)
	option := `<option value="` + itoa(dropped) + `">` + a.itemName(dropped) + `</option>`

	leaders := []*client{a.login("maoba-leader"), b.login("maoba-leader")}
	publics := []*client{a.client(), b.client()}
	publicCount := len(pageItems(publics[0].get("/public/towns/maoba/items").body))
	for _, c := range leaders {
		cached(t, c, "/cases", option)
	}
	for _, c := range publics {
		cached(t, c, "/public/towns/maoba/items", a.itemName(dropped))
	}

	// Published on instance a, in force from today.
	res = admin.post(draft+"/publish", url.Values{"effective_from": {testdb.Today.Format(time.DateOnly)}})
	wantStatus(t, res, http.StatusSeeOther)
	for i, c := range leaders {
		res := c.get("/cases")
		wantStatus(t, res, http.StatusOK)
		if strings.Contains(res.body, option) {
			t.Errorf("instance %d: the /cases filter still offers the item taken off the list", i)
		}
	}
	for i, c := range publics {
		res := c.get("/public/towns/maoba/items")
		if n := len(pageItems(res.body)); n != publicCount-1 {
			t.Errorf("instance %d: the public list has %d items, want %d", i, n, publicCount-1)
		}
	}
}

// leadCase registers a lead (not filed) through a: its page shows the
// filing deadline, counted in working days from discovery (2025-08-25).
func leadCase(t *testing.T, a *app) string {
	t.Helper()
	form := a.caseForm(twoHandlers...)
	form.Set("lead_only", "1")
	res := a.login("maoba-officer1").post("/cases/new", form)
	if res.status != http.StatusSeeOther || !caseIDRE.MatchString(res.location) {
		t.Fatalf("lead: status %d to %q: %.600s", res.status, res.location, text(res.body))
	}
	return res.location
}

// filingDue is the filing deadline's row on a case page.
func filingDue(due string, days int) []string {
	return []string{`<td data-label="截止日期">` + due + `</td>`, "发现之日起" + itoa(int64(days)) + "个工作日内立案"}
}

func TestRefCacheSettingChanged(t *testing.T) {
	a := newApp(t)
	b := a.twin(t)
	listening(t, a, b)
	path := leadCase(t, a)
	officers := []*client{a.login("maoba-officer1"), b.login("maoba-officer1")}
	for _, c := range officers {
		cached(t, c, path, filingDue("2025-09-15", 15)...)
	}
	admin := a.login("county-admin")
	wantStatus(t, admin.post("/settings", url.Values{"key": {"filing_working_days"}, "value": {"10"}}), http.StatusSeeOther)
	for i, c := range officers {
		res := c.get(path)
		for _, want := range filingDue("2025-09-08", 10) {
			if !strings.Contains(res.body, want) {
				t.Errorf("instance %d: the case page does not show %q after the setting changed", i, want)
			}
		}
	}
	// A domain's own value, and its removal, likewise.
	var dom int64 // ZY-LY-001's
	a.mustTx(database.Settings{}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT domain_id FROM catalogue_items WHERE code = 'ZY-LY-001'`).Scan(&dom)
	})
	wantStatus(t, admin.post("/settings/domain", url.Values{"domain": {itoa(dom)}, "key": {"filing_working_days"}, "value": {"5"}}), http.StatusSeeOther)
	for _, c := range officers {
		mustContain(t, c.get(path), filingDue("2025-09-01", 5)...)
	}
	wantStatus(t, admin.post("/settings/domain/remove", url.Values{"domain": {itoa(dom)}, "key": {"filing_working_days"}}), http.StatusSeeOther)
	for _, c := range officers {
		mustContain(t, c.get(path), filingDue("2025-09-08", 10)...)
	}
}

func TestRefCacheHolidayAdded(t *testing.T) {
	a := newApp(t)
	b := a.twin(t)
	listening(t, a, b)
	path := leadCase(t, a)
	officers := []*client{a.login("maoba-officer1"), b.login("maoba-officer1")}
	for _, c := range officers {
		cached(t, c, path, filingDue("2025-09-15", 15)...)
	}
	// A day off within the 15 working days moves the deadline a day on.
	admin := a.login("county-admin")
	wantStatus(t, admin.post("/settings/holidays", url.Values{"day": {"2025-09-10"}, "kind": {"holiday"}, "name": {"测试"}}), http.StatusSeeOther)
	for i, c := range officers {
		if res := c.get(path); !strings.Contains(res.body, filingDue("2025-09-16", 15)[0]) {
			t.Errorf("instance %d: the case page does not count the new holiday", i)
		}
	}
	wantStatus(t, admin.post("/settings/holidays/remove", url.Values{"day": {"2025-09-10"}}), http.StatusSeeOther)
	for _, c := range officers {
		mustContain(t, c.get(path), filingDue("2025-09-15", 15)...)
	}
}

func TestRefCacheOfficerMovedOrDeactivated(t *testing.T) {
	a := newApp(t)
	b := a.twin(t)
	listening(t, a, b)
	moved, left := a.user("maoba-officer2"), a.user("maoba-officer3")
	maobaLeaders := []*client{a.login("maoba-leader"), b.login("maoba-leader")}
	chengguanLeaders := []*client{a.login("chengguan-leader"), b.login("chengguan-leader")}
	filers := []*client{a.login("maoba-officer1"), b.login("maoba-officer1")}
	for i := range 2 {
		cached(t, maobaLeaders[i], "/cases", officerOption(moved), officerOption(left))
		cached(t, chengguanLeaders[i], "/cases")
		cached(t, filers[i], "/cases/new", officerBox(moved), officerBox(left))
	}
	mustNotContain(t, chengguanLeaders[0].get("/cases"), officerOption(moved))

	// Moved to 城关镇 on instance a.
	admin := a.login("county-admin")
	res := admin.post("/admin/users/"+itoa(moved.ID), url.Values{"display_name": {moved.DisplayName}, "role": {"officer"},
		"town": {"chengguan"}, "active": {"1"}})
	wantStatus(t, res, http.StatusSeeOther)
	for i := range 2 {
		if strings.Contains(maobaLeaders[i].get("/cases").body, officerOption(moved)) {
			t.Errorf("instance %d: 毛坝镇 still lists the officer who moved away", i)
		}
		if !strings.Contains(chengguanLeaders[i].get("/cases").body, officerOption(moved)) {
			t.Errorf("instance %d: 城关镇 does not list the officer who moved in", i)
		}
		if strings.Contains(filers[i].get("/cases/new").body, officerBox(moved)) {
			t.Errorf("instance %d: the filing form still offers the officer who moved away", i)
		}
	}

	// Deactivated: no longer offered as a handler.
	res = admin.post("/admin/users/"+itoa(left.ID), url.Values{"display_name": {left.DisplayName}, "role": {"officer"}, "town": {"maoba"}})
	wantStatus(t, res, http.StatusSeeOther)
	for i := range 2 {
		if strings.Contains(filers[i].get("/cases/new").body, officerBox(left)) {
			t.Errorf("instance %d: the filing form still offers the deactivated officer", i)
		}
	}
}

// An instance that hears no notification at all (one arriving late, say)
// still never shows what changed before a request: the request reads the
// reference data's versions with its session, in the same round trip, and
// the instance drops what moved before it reads.
func TestRefCacheWithoutNotifications(t *testing.T) {
	a := newApp(t)
	deaf := a.twin(t, "zhifa_ref_unheard")
	listening(t, a, deaf)
	path := leadCase(t, a)
	officer := deaf.login("maoba-officer1")
	cached(t, officer, path, filingDue("2025-09-15", 15)...)
	left := a.user("maoba-officer3")
	filer := deaf.login("maoba-officer2")
	cached(t, filer, "/cases/new", officerBox(left))
	drops := deaf.srv.Ref.Stats().Drops

	admin := a.login("county-admin")
	wantStatus(t, admin.post("/settings", url.Values{"key": {"filing_working_days"}, "value": {"10"}}), http.StatusSeeOther)
	mustContain(t, officer.get(path), filingDue("2025-09-08", 10)...)
	wantStatus(t, admin.post("/settings/holidays", url.Values{"day": {"2025-09-03"}, "kind": {"holiday"}, "name": {"测试"}}), http.StatusSeeOther)
	mustContain(t, officer.get(path), filingDue("2025-09-09", 10)...)
	res := admin.post("/admin/users/"+itoa(left.ID), url.Values{"display_name": {left.DisplayName}, "role": {"officer"}, "town": {"maoba"}})
	wantStatus(t, res, http.StatusSeeOther)
	mustNotContain(t, filer.get("/cases/new"), officerBox(left))
	if deaf.srv.Ref.Stats().Drops == drops {
		t.Error("the instance dropped nothing: it did not learn of the changes")
	}
	// And what is unchanged is served from memory again.
	cached(t, officer, path, filingDue("2025-09-09", 10)...)
}

// A town never sees another town's cached officers, nor the county's list;
// the county never gets a town's.
func TestRefCacheTownsNeverShareOfficers(t *testing.T) {
	a := newApp(t)
	listening(t, a)
	byTown := map[string][]userRow{}
	for _, u := range a.allUsers() {
		if u.Role == "officer" || u.Role == "leader" {
			byTown[u.TownCode] = append(byTown[u.TownCode], u)
		}
	}
	county := a.login("county-reviewer")
	cached(t, county, "/officers", officerTable(byTown["chengguan"][0]))
	for _, code := range []string{"maoba", "chengguan", "donghe"} {
		c := a.login(code + "-leader")
		cached(t, c, "/cases")
		for _, page := range []string{"/cases", "/officers"} {
			res := c.get(page)
			for town, users := range byTown {
				for _, u := range users {
					has := strings.Contains(res.body, u.DisplayName)
					if has != (town == code) {
						t.Errorf("%s-leader GET %s: shows %s of %s: %v", code, page, u.Username, town, has)
					}
				}
			}
		}
	}
	// The county still sees every town's.
	res := county.get("/officers")
	for _, users := range byTown {
		mustContain(t, res, officerTable(users[0]))
	}
}

// officerTable is the officer's link on the /officers page.
func officerTable(u userRow) string { return `href="/officers/` + itoa(u.ID) + `"` }

// A notification missed while the listener's connection was down never
// leaves stale data: the cache is bypassed until it listens again, and then
// starts empty.
func TestRefCacheLostConnection(t *testing.T) {
	a := newApp(t)
	b := a.twin(t)
	listening(t, a, b)
	path := leadCase(t, a)
	officer := b.login("maoba-officer1")
	cached(t, officer, path, filingDue("2025-09-15", 15)...)

	// The listener's connection is cut (as a restart of the database or a
	// network failure would), and the setting changes meanwhile.
	ctx := context.Background()
	var cut int
	a.mustTx(database.Settings{}, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity
			WHERE datname = current_database() AND application_name = $1`, refcache.ApplicationName).Scan(&cut)
	})
	if cut != 2 {
		t.Fatalf("cut %d listeners, want 2", cut)
	}
	if _, err := a.owner().Exec(ctx, `UPDATE procedure_settings SET value = 10 WHERE key = 'filing_working_days' AND domain_id IS NULL`); err != nil {
		t.Fatal(err)
	}
	// Within moments the listener finds out, and the page is right again.
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(officer.get(path).body, filingDue("2025-09-08", 10)[1]) {
		if time.Now().After(deadline) {
			t.Fatal("the change made while the listener was cut off is still not shown")
		}
		time.Sleep(20 * time.Millisecond)
	}
	listening(t, a, b) // and it listens again
	cached(t, officer, path, filingDue("2025-09-08", 10)...)
}
