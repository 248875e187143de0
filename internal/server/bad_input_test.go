package server_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5"

	"zhifa/internal/database"
	"zhifa/internal/testdb"
	"zhifa/internal/zhifa"
)

// Bad input everywhere (issue 10, item 9): over-long text, NUL bytes and
// invalid UTF-8, CSV injection, caching of personal data, and a filing form
// sent twice.

// An over-long address is refused at its box with the form's own message;
// the form tells the browser the limit; and where only the database
// bounds a column, its refusal comes back as a Chinese message at the form,
// not a 500.
func TestOverLongTextIsRefusedWithTheFieldsMessage(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")

	form := a.caseForm("maoba-officer1", "maoba-officer3")
	newForm := officer.get("/cases/new")
	mustContain(t, newForm, `name="party_address" type="text" value="" maxlength="200"`, `name="facts" rows="4" maxlength="4000"`)
	form.Set("party_address", strings.Repeat("址", 201))
	res := officer.post("/cases/new", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "住址不超过200字。")
	form.Set("party_address", strings.Repeat("址", 200))
	path := fileCase(t, officer, form)

	// 裁量阶次 is bounded only by the database (cases.proposal_tier, 200).
	mustAct(t, a.login("maoba-leader"), path, "file", confirmed)
	mustAct(t, officer, path, "investigate", nil)
	res = officer.upload(path+"/evidence", map[string]string{"kind": "scene_record", "title": "现场照片", "collected_on": "2025-08-25"}, "scene.jpg", jpegBytes)
	wantStatus(t, res, http.StatusSeeOther)
	mustAct(t, officer, path, "update_facts", url.Values{"text": {"经查，当事人于2025年8月20日在住宅外焚烧垃圾。"}})
	refused(t, officer, path, "propose", url.Values{"amount": {"500"}, "tier": {strings.Repeat("较", 201)}, "reasoning": {"违法情节一般。"}},
		http.StatusUnprocessableEntity, "“裁量阶次”过长：不能超过200个字，请精简后重新提交。")
	mustAct(t, officer, path, "propose", url.Values{"amount": {"500"}, "tier": {"一般"}, "reasoning": {"违法情节一般。"}})
}

// The database refuses over-long text itself, under the app's role, with
// the check_violation of the column's named limit; through the app's
// transactions it reads as the user's message.
func TestDatabaseBoundsFreeText(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	path := fileCase(t, officer, a.caseForm("maoba-officer1", "maoba-officer3"))
	id := caseID(t, path)
	u := a.user("maoba-officer1")
	town := database.Settings{Scope: zhifa.ScopeTown, TownID: townID(a, "maoba"), UserID: u.ID}
	ctx := context.Background()
	for _, tc := range []struct {
		sql, constraint, message string
	}{
		{`UPDATE cases SET party_address = repeat('址', 201) WHERE id = $1`, "cases_party_address_max200", "“住址”过长：不能超过200个字"},
		{`UPDATE cases SET facts = repeat('事', 20001) WHERE id = $1`, "cases_facts_max20000", "“案情（事实）”过长：不能超过20000个字"},
		{`INSERT INTO case_events (case_id, town_id, at, actor_id, actor_name, action, summary, reason)
			SELECT id, town_id, now(), $2, '甲', 'note', '摘要', repeat('理', 20001) FROM cases WHERE id = $1`,
			"case_events_reason_max20000", "“理由”过长：不能超过20000个字"},
		{`INSERT INTO case_statements (case_id, town_id, received_on, content, recheck)
			SELECT id, town_id, current_date, repeat('述', 20001), '' FROM cases WHERE id = $1`,
			"case_statements_content_max20000", "“陈述、申辩内容”过长：不能超过20000个字"},
	} {
		err := a.inTx(town, func(tx pgx.Tx) error {
			args := []any{id}
			if strings.Contains(tc.sql, "$2") {
				args = append(args, u.ID)
			}
			_, err := tx.Exec(ctx, tc.sql, args...)
			return err
		})
		wantPgError(t, tc.sql, err, pgerrcode.CheckViolation, tc.constraint)
		if zhifa.ErrorCode(err) != zhifa.EINVALID || !strings.Contains(zhifa.ErrorMessage(err), tc.message) {
			t.Errorf("%s: the user reads %q (%s), want %q", tc.constraint, zhifa.ErrorMessage(err), zhifa.ErrorCode(err), tc.message)
		}
	}
	// A row just at the limit goes in.
	if err := a.inTx(town, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE cases SET party_address = repeat('址', 200) WHERE id = $1`, id)
		return err
	}); err != nil {
		t.Fatalf("an address of 200 characters: %v", err)
	}
}

// Every free-text column of a town-owned table has an upper bound on its
// length (a CHECK on length, a list of values or a bounded pattern), but
// for the codes, states and hashes the app writes itself. A new column
// without one fails here: give it a limit in its migration (see 0022).
func TestEveryTextColumnIsBounded(t *testing.T) {
	a := newApp(t)
	unbounded := map[string]bool{ // written by the app, never typed
		"case_events.action": true, "case_events.from_state": true, "case_events.to_state": true,
		"cases.number": true, "cases.state": true,
		"document_counters.code": true, "document_drafts.kind": true,
		"documents.code": true, "documents.html": true, "documents.kind": true, "documents.number": true,
		"eval_dossiers.grade": true, "eval_scores.auto_evidence": true, "eval_scores.code": true,
		"users.password_hash": true,
	}
	rows, err := a.owner().Query(context.Background(), `SELECT c.relname || '.' || a.attname
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		WHERE c.relkind = 'r' AND a.atttypid IN ('text'::regtype, 'varchar'::regtype)
		  AND EXISTS (SELECT FROM pg_attribute t WHERE t.attrelid = c.oid AND t.attname = 'town_id' AND NOT t.attisdropped)
		  AND NOT EXISTS (SELECT FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'c' AND k.conkey = ARRAY[a.attnum]
		       AND pg_get_constraintdef(k.oid) ~ ('(length\(' || a.attname || '\) <= \d+|' || a.attname || ' = ANY \(ARRAY\[|'
		           || a.attname || ' ~ ''\^[^'']*\{\d+(,\d+)?\}\$'')'))
		ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	cols, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cols {
		if !unbounded[c] {
			t.Errorf("free-text column %s has no length limit", c)
		}
	}
}

// A NUL byte or bytes that are not UTF-8, in a form or in a query string,
// are refused with 400 before any handler sees them, on public pages too.
func TestNULAndInvalidUTF8Give400(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	const msg = "提交的内容含有无效字符（空字符或不是 UTF-8 编码的文字），请检查后重新提交。"
	before := a.caseCount()
	for _, bad := range []string{"刘\x00某", "刘\xff某", "\xe5\x88"} {
		form := a.caseForm("maoba-officer1", "maoba-officer3")
		form.Set("party_name", bad)
		res := officer.post("/cases/new", form)
		wantStatus(t, res, http.StatusBadRequest)
		mustContain(t, res, msg)
		// In a field's name too.
		form = a.caseForm("maoba-officer1", "maoba-officer3")
		form.Set("x"+bad, "1")
		wantStatus(t, officer.post("/cases/new", form), http.StatusBadRequest)
	}
	if n := a.caseCount(); n != before {
		t.Fatalf("%d cases filed from bad forms", n-before)
	}
	// The login form, anonymous.
	res := a.client().post("/login", url.Values{"username": {"maoba-officer1\x00"}, "password": {testdb.Password}})
	wantStatus(t, res, http.StatusBadRequest)
	for _, path := range []string{"/cases?q=%00", "/cases?q=%FF", "/cases?q=%E5%88", "/cases?%00=1", "/cases/1%00",
		"/public/towns/maoba/items?q=%00", "/public/towns/maoba/items.csv?q=%C0%AF"} {
		c := officer
		if strings.HasPrefix(path, "/public") {
			c = a.client()
		}
		res := c.get(path)
		if res.status != http.StatusBadRequest || !strings.Contains(res.body, msg) {
			t.Errorf("GET %s: status %d, want 400 with the message", path, res.status)
		}
	}
	// Good text passes: the same searches without the bad bytes.
	wantStatus(t, officer.get("/cases?q="+url.QueryEscape("刘某")), http.StatusOK)
	wantStatus(t, a.client().get("/public/towns/maoba/items?q="+url.QueryEscape("森林")), http.StatusOK)
}

// No cell of the CSV download of an item list starts as a formula: text
// the county typed as =…, +…, -… or @… gets a leading quote.
func TestCSVInjectionIsNeutralised(t *testing.T) {
	a := newApp(t)
	admin := a.login("county-admin")
	maoba := townID(a, "maoba")
	res := admin.post("/authority/drafts", url.Values{"title": {"公式测试"}, "town": {itoa(maoba)}, "start_from": {itoa(maoba)}})
	wantStatus(t, res, http.StatusSeeOther)
	draft := res.location
	id := checkedItems(admin.get(draft).body)[0]
	vals := formValues(admin.get("/authority/catalogue/" + itoa(id)).body)
	vals.Set("former_department", `=HYPERLINK("http://evil.example","点击")`)
	vals.Set("penalty_types", "+1+1")
	vals.Set("other_penalty", "@SUM(A1:A9)")
	vals.Set("name", "-对某违法行为的行政处罚")
	wantStatus(t, admin.post("/authority/catalogue/"+itoa(id), vals), http.StatusSeeOther)
	today := testdb.Today.Format(time.DateOnly)
	wantStatus(t, admin.post(draft+"/publish", url.Values{"effective_from": {today}}), http.StatusSeeOther)

	res = a.client().get("/public/towns/maoba/items.csv?on=" + today)
	wantStatus(t, res, http.StatusOK)
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	for _, r := range records[1:] {
		for _, cell := range r {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("a cell starts as a formula: %q", cell)
			}
			if strings.HasPrefix(cell, "'") {
				seen = append(seen, cell)
			}
		}
	}
	for _, want := range []string{`'=HYPERLINK("http://evil.example","点击")`, "'-对某违法行为的行政处罚", "'@SUM(A1:A9)"} {
		if !strings.Contains(strings.Join(seen, "\n"), want) {
			t.Errorf("no cell %q among the neutralised %q", want, seen)
		}
	}
	// The page shows the text as typed.
	mustContain(t, a.client().get("/public/towns/maoba/items?on="+today), "-对某违法行为的行政处罚")
}

// Pages and files sent to a logged-in user are not cached; the public item
// lists are.
func TestPersonalDataIsNotCached(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	path := fileCase(t, officer, a.caseForm("maoba-officer1", "maoba-officer3"))
	res := officer.upload(path+"/evidence", map[string]string{"kind": "scene_record", "title": "现场照片", "collected_on": "2025-08-25"}, "scene.jpg", jpegBytes)
	wantStatus(t, res, http.StatusSeeOther)
	evidence := path + "/evidence/" + a.latestID(path, "evidence")
	for _, p := range []string{path, evidence, "/cases", "/officers", "/"} {
		res := officer.get(p)
		wantStatus(t, res, http.StatusOK)
		if cc := res.header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
			t.Errorf("GET %s: Cache-Control %q, want no-store", p, cc)
		}
	}
	for _, p := range []string{"/public/towns/maoba/items", "/public/towns/maoba/items.csv"} {
		res := officer.get(p)
		wantStatus(t, res, http.StatusOK)
		if cc := res.header.Get("Cache-Control"); strings.Contains(cc, "no-store") {
			t.Errorf("public GET %s: Cache-Control %q", p, cc)
		}
	}
}

var idempotencyRE = regexp.MustCompile(`name="idempotency_key" value="([A-Za-z0-9_-]+)"`)

// The filing form carries an idempotency key: the same POST sent again,
// after the first was filed or while it is being filed, files nothing more
// and goes to the case it filed. The key is the user's own.
func TestFilingTheSameFormTwiceFilesOnce(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	page := officer.get("/cases/new")
	m := idempotencyRE.FindStringSubmatch(page.body)
	if m == nil {
		t.Fatal("the filing form carries no idempotency key")
	}
	key := m[1]
	if m2 := idempotencyRE.FindStringSubmatch(officer.get("/cases/new").body); m2 == nil || m2[1] == key {
		t.Fatal("each filing form needs its own key")
	}
	form := a.caseForm("maoba-officer1", "maoba-officer3")
	form.Set("idempotency_key", key)

	// A refused form keeps its key: nothing was filed with it.
	bad := cloneValues(form)
	bad.Set("party_name", "")
	res := officer.post("/cases/new", bad)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, `name="idempotency_key" value="`+key+`"`)

	before := a.caseCount()
	first := fileCase(t, officer, form)
	res = officer.post("/cases/new", form) // the reply was lost: the browser sends it again
	wantStatus(t, res, http.StatusSeeOther)
	if res.location != first {
		t.Fatalf("the second POST went to %q, want %q", res.location, first)
	}
	mustContain(t, officer.get(first), "该表单已提交过，案件已登记，未重复登记。")
	if n := a.caseCount() - before; n != 1 {
		t.Fatalf("%d cases filed from one form", n)
	}

	// Sent twice at once (a double click): one case, both to it.
	form = a.caseForm("maoba-officer1", "maoba-officer3")
	form.Set("idempotency_key", idempotencyRE.FindStringSubmatch(officer.get("/cases/new").body)[1])
	form.Set("csrf_token", officer.csrf)
	before = a.caseCount()
	var wg sync.WaitGroup
	locations := make([]string, 4)
	errs := make([]error, 4)
	for i := range locations {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodPost, a.ts.URL+"/cases/new", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			res, err := officer.send(req)
			if err == nil && res.status != http.StatusSeeOther {
				err = &statusError{res.status, text(res.body)}
			}
			locations[i], errs[i] = res.location, err
		}()
	}
	wg.Wait()
	for i := range locations {
		if errs[i] != nil || locations[i] != locations[0] || !caseIDRE.MatchString(locations[i]) {
			t.Fatalf("parallel POST %d: %q, %v (first went to %q)", i, locations[i], errs[i], locations[0])
		}
	}
	if n := a.caseCount() - before; n != 1 {
		t.Fatalf("%d cases filed from one form sent at once", n)
	}

	// Another user's form with the same key is their own filing.
	other := a.login("maoba-officer3")
	form2 := a.caseForm("maoba-officer3", "maoba-officer1")
	form2.Set("idempotency_key", key)
	if p := fileCase(t, other, form2); p == first {
		t.Fatal("another officer's filing was sent to the first officer's case")
	}
}

type statusError struct {
	status int
	body   string
}

func (e *statusError) Error() string { return http.StatusText(e.status) + ": " + e.body }

// caseCount is the number of cases in every town.
func (a *app) caseCount() int {
	a.t.Helper()
	var n int
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT count(*) FROM cases`).Scan(&n)
	})
	return n
}

// Idempotency keys are each user's own: another user of the same town
// reads none of them, and no key can point at another town's case.
func TestIdempotencyKeysAreTheUsersOwn(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	form := a.caseForm("maoba-officer1", "maoba-officer3")
	form.Set("idempotency_key", strings.Repeat("k", 43))
	path := fileCase(t, officer, form)
	ctx := context.Background()
	maoba := townID(a, "maoba")
	as := func(user string, town int64) database.Settings {
		return database.Settings{Scope: zhifa.ScopeTown, TownID: town, UserID: a.user(user).ID}
	}
	count := func(s database.Settings) int {
		var n int
		a.mustTx(s, func(tx pgx.Tx) error { return tx.QueryRow(ctx, `SELECT count(*) FROM idempotency_keys`).Scan(&n) })
		return n
	}
	if n := count(as("maoba-officer1", maoba)); n != 1 {
		t.Fatalf("the officer reads %d of their keys, want 1", n)
	}
	if n := count(as("maoba-officer3", maoba)); n != 0 {
		t.Fatalf("another officer reads %d keys", n)
	}
	if n := count(database.Settings{Scope: zhifa.ScopeCountyRead}); n != 0 {
		t.Fatalf("the county reads %d keys", n)
	}
	// 蒿坪镇's officer cannot point a key at 毛坝镇's case, even naming 毛坝镇.
	haoping := townID(a, "haoping")
	for _, town := range []int64{haoping, maoba} {
		err := a.inTx(as("haoping-officer1", haoping), func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `INSERT INTO idempotency_keys (user_id, key, town_id, case_id) VALUES ($1, $2, $3, $4)`,
				a.user("haoping-officer1").ID, strings.Repeat("h", 43), town, caseID(t, path))
			return err
		})
		wantPgError(t, "a key on another town's case", err, pgerrcode.InsufficientPrivilege,
			`new row violates row-level security policy for table "idempotency_keys"`)
	}
}
