package server_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/database"
	"zhifa/internal/procedure"
	"zhifa/internal/zhifa"
)

// settingValue reads a stored setting (fen for money); ok is false when the
// row does not exist. domainID 0 reads the county default.
func settingValue(t *testing.T, a *app, key string, domainID int64) (v int64, ok bool) {
	t.Helper()
	err := a.inTx(database.Settings{}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT value FROM procedure_settings
			WHERE key = $1 AND domain_id IS NOT DISTINCT FROM nullif($2, 0)`, key, domainID).Scan(&v)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false
	} else if err != nil {
		t.Fatal(err)
	}
	return v, true
}

func domainID(t *testing.T, a *app, name string) int64 {
	t.Helper()
	var id int64
	err := a.inTx(database.Settings{}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT id FROM domains WHERE name = $1`, name).Scan(&id)
	})
	if err != nil {
		t.Fatalf("domain %s: %v", name, err)
	}
	return id
}

func holidayCount(t *testing.T, a *app, year int) int {
	t.Helper()
	var n int
	err := a.inTx(database.Settings{}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT count(*) FROM holidays WHERE extract(year FROM day) = $1`, year).Scan(&n)
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSettingsAdminChangesDefaultsAndDomainOverrides(t *testing.T) {
	a := newApp(t)
	admin := a.login("county-admin")

	res := admin.get("/settings")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, "办案设置", "陈述申辩期（告知送达后）", "3个工作日", "实务设定（3至5个工作日）",
		"听证标准：对个人罚款达到", "5000元", "100000元", "90日", "2年", "20 MB",
		`action="/settings"`, `action="/settings/domain"`, "尚无按领域的设置")

	// A county default, in its own unit.
	res = admin.post("/settings", url.Values{"key": {"statement_working_days"}, "value": {"5"}})
	wantStatus(t, res, http.StatusSeeOther)
	if !strings.HasPrefix(res.location, "/settings") {
		t.Fatalf("redirect to %q", res.location)
	}
	if v, _ := settingValue(t, a, "statement_working_days", 0); v != 5 {
		t.Fatalf("statement_working_days = %d, want 5", v)
	}
	res = admin.get("/settings")
	mustContain(t, res, "已保存全县默认值", `<td class="num">5个工作日</td><td>实务设定（3至5个工作日）`)
	mustNotContain(t, res, `<td class="num">3个工作日</td><td>实务设定（3至5个工作日）`)

	// Money is typed in yuan and stored in fen, without floating point.
	res = admin.post("/settings", url.Values{"key": {"hearing_org_fen"}, "value": {" 80000.05 "}})
	wantStatus(t, res, http.StatusSeeOther)
	if v, _ := settingValue(t, a, "hearing_org_fen", 0); v != 8000005 {
		t.Fatalf("hearing_org_fen = %d, want 8000005", v)
	}
	mustContain(t, admin.get("/settings"), "80000.05元")

	// A domain's own hearing threshold, set and then changed (an upsert).
	nat := domainID(t, a, "自然资源")
	res = admin.post("/settings/domain", url.Values{"domain": {itoa(nat)}, "key": {"hearing_person_fen"}, "value": {"20000"}})
	wantStatus(t, res, http.StatusSeeOther)
	if v, ok := settingValue(t, a, "hearing_person_fen", nat); !ok || v != 2000000 {
		t.Fatalf("override = %d (exists %v), want 2000000", v, ok)
	}
	res = admin.post("/settings/domain", url.Values{"domain": {itoa(nat)}, "key": {"hearing_person_fen"}, "value": {"15000.5"}})
	wantStatus(t, res, http.StatusSeeOther)
	if v, _ := settingValue(t, a, "hearing_person_fen", nat); v != 1500050 {
		t.Fatalf("override = %d, want 1500050", v)
	}
	if v, _ := settingValue(t, a, "hearing_person_fen", 0); v != 500000 {
		t.Fatalf("the county default changed to %d", v)
	}
	res = admin.get("/settings")
	mustContain(t, res, "已保存领域设置", "自然资源", "15000.50元", "5000元", `action="/settings/domain/remove"`)
	mustNotContain(t, res, "尚无按领域的设置")

	// The officers see the same values.
	off := a.login("maoba-officer1")
	mustContain(t, off.get("/settings"), "5个工作日", "自然资源", "15000.50元")

	// Removing the override returns the domain to the county default.
	rm := url.Values{"domain": {itoa(nat)}, "key": {"hearing_person_fen"}}
	wantStatus(t, admin.post("/settings/domain/remove", rm), http.StatusSeeOther)
	if _, ok := settingValue(t, a, "hearing_person_fen", nat); ok {
		t.Fatal("override still there")
	}
	res = admin.get("/settings")
	mustContain(t, res, "已移除领域设置", "尚无按领域的设置")
	wantStatus(t, admin.post("/settings/domain/remove", rm), http.StatusNotFound)
}

func TestSettingsBadValuesAreExplainedAndChangeNothing(t *testing.T) {
	a := newApp(t)
	admin := a.login("county-admin")
	cases := []struct {
		key, value, msg string
	}{
		{"statement_working_days", "abc", "请填写整数"},
		{"statement_working_days", "-1", "不能为负数"},
		{"statement_working_days", "2.5", "请填写整数"},
		{"statement_working_days", "", "请填写数值"},
		{"decision_days", "0", "应为1至90之间的整数（单位：日）"},
		{"decision_days", "366", "作出处罚决定期限不得超过法定的90日（行政处罚法第六十条）"},
		{"limitation_years", "99999999999999999999", "-error\">追责时效为法定的2年，不能修改（行政处罚法第三十六条）"},
		{"hearing_person_fen", "abc", "请填写金额（元）"},
		{"hearing_person_fen", "-1", "金额不能为负数"},
		{"hearing_person_fen", "12.345", "最多保留两位小数"},
		{"hearing_person_fen", "0", "金额应在0.01元至100000000元之间"},
		{"summary_person_cap_fen", "500", "简易程序对个人罚款上限不得超过法定的200元（行政处罚法第五十一条）"},
		{"evidence_max_bytes", "10", "应为1048576至8589934592之间的整数（单位：字节）"},
	}
	for _, tc := range cases {
		before, _ := settingValue(t, a, tc.key, 0)
		res := admin.post("/settings", url.Values{"key": {tc.key}, "value": {tc.value}})
		if res.status != http.StatusUnprocessableEntity {
			t.Errorf("%s = %q: status %d, want 422", tc.key, tc.value, res.status)
			continue
		}
		mustContain(t, res, tc.msg, "填写的内容有误", `id="value-`+tc.key+`" name="value" type="text" size="10" value="`+tc.value+`"`)
		if after, _ := settingValue(t, a, tc.key, 0); after != before {
			t.Errorf("%s = %q changed the value from %d to %d", tc.key, tc.value, before, after)
		}
	}
	// An unknown key is not found.
	wantStatus(t, admin.post("/settings", url.Values{"key": {"no_such_key"}, "value": {"1"}}), http.StatusNotFound)

	// The per-domain form says everything that is wrong at once and keeps what was typed.
	res := admin.post("/settings/domain", url.Values{"domain": {""}, "key": {"decision_days"}, "value": {"0"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "请选择领域。", "应为1至90之间的整数", `value="0"`, `<option value="decision_days" selected>`)
	nat := domainID(t, a, "自然资源")
	res = admin.post("/settings/domain", url.Values{"domain": {itoa(nat)}, "key": {"evidence_max_bytes"}, "value": {"2097152"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "该设置项全县统一，不能按领域设置。")
	res = admin.post("/settings/domain", url.Values{"domain": {"999999"}, "key": {"hearing_org_fen"}, "value": {"50000"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "请选择有效的领域。", `value="50000"`)
	res = admin.post("/settings/domain", url.Values{"domain": {itoa(nat)}, "key": {"hearing_org_fen"}, "value": {"abc"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "请填写金额（元）", `value="abc"`)
	var n int
	_ = a.inTx(database.Settings{}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT count(*) FROM procedure_settings WHERE domain_id IS NOT NULL`).Scan(&n)
	})
	if n != 0 {
		t.Fatalf("%d overrides stored after failed submits", n)
	}
}

func TestSettingsReadOnlyForOthers(t *testing.T) {
	a := newApp(t)
	nat := domainID(t, a, "自然资源")
	for _, username := range []string{"maoba-officer1", "maoba-leader", "county-reviewer"} {
		c := a.login(username)
		res := c.get("/settings")
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "陈述申辩期（告知送达后）", "3个工作日", "只有县级管理员可以修改设置")
		mustNotContain(t, res, `action="/settings"`, `action="/settings/domain"`, `action="/settings/domain/remove"`)
		res = c.get("/settings/holidays?year=2026")
		wantStatus(t, res, http.StatusOK)
		mustNotContain(t, res, `action="/settings/holidays"`, `action="/settings/holidays/remove"`)

		posts := []struct {
			path string
			form url.Values
		}{
			{"/settings", url.Values{"key": {"statement_working_days"}, "value": {"5"}}},
			{"/settings/domain", url.Values{"domain": {itoa(nat)}, "key": {"hearing_person_fen"}, "value": {"1"}}},
			{"/settings/domain/remove", url.Values{"domain": {itoa(nat)}, "key": {"hearing_person_fen"}}},
			{"/settings/holidays", url.Values{"day": {"2027-10-01"}, "kind": {"holiday"}, "name": {"国庆节"}}},
			{"/settings/holidays/remove", url.Values{"day": {"2027-10-01"}}},
		}
		for _, p := range posts {
			wantStatus(t, c.post(p.path, p.form), http.StatusForbidden)
		}
	}
	if v, _ := settingValue(t, a, "statement_working_days", 0); v != 3 {
		t.Fatalf("statement_working_days = %d after refused posts", v)
	}
	if n := holidayCount(t, a, 2027); n != 0 {
		t.Fatalf("%d holidays after refused posts", n)
	}

	// The service refuses too, whatever the route does.
	officer := a.user("maoba-officer1")
	ctx := zhifa.WithActor(context.Background(), &zhifa.Actor{UserID: officer.ID, Username: officer.Username,
		Role: zhifa.RoleOfficer, TownID: townID(a, "maoba")})
	svc := &procedure.Service{DB: a.db.DB}
	for name, err := range map[string]error{
		"SetDefault":     svc.SetDefault(ctx, "statement_working_days", "5"),
		"SetForDomain":   svc.SetForDomain(ctx, "hearing_person_fen", nat, "1"),
		"ClearForDomain": svc.ClearForDomain(ctx, "hearing_person_fen", nat),
		"AddHoliday":     svc.AddHoliday(ctx, "2027-10-01", "holiday", "国庆节"),
		"RemoveHoliday":  svc.RemoveHoliday(ctx, "2027-10-01"),
	} {
		if zhifa.ErrorCode(err) != zhifa.EFORBIDDEN {
			t.Errorf("%s as an officer: %v, want EFORBIDDEN", name, err)
		}
	}
}

func TestHolidaysAddDuplicateRemove(t *testing.T) {
	a := newApp(t)
	admin := a.login("county-admin")

	res := admin.get("/settings/holidays?year=2027")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, "2027年节假日安排", "2027年尚未登记节假日", `action="/settings/holidays"`)

	res = admin.post("/settings/holidays", url.Values{"day": {"2027-10-01"}, "kind": {"holiday"}, "name": {"国庆节"}})
	wantStatus(t, res, http.StatusSeeOther)
	if res.location != "/settings/holidays?year=2027" {
		t.Fatalf("redirect to %q", res.location)
	}
	res = admin.post("/settings/holidays", url.Values{"day": {"2027-10-09"}, "kind": {"workday"}, "name": {"国庆节调休上班"}})
	wantStatus(t, res, http.StatusSeeOther)
	res = admin.get("/settings/holidays?year=2027")
	mustContain(t, res, "2027-10-01", "周五", "放假", "国庆节", "2027-10-09", "周六", "调休上班",
		"共登记放假 1 天、调休上班 1 天", `action="/settings/holidays/remove"`)
	mustNotContain(t, admin.get("/settings/holidays?year=2026"), "2027-10-01")

	// A day already in the calendar is a field error, with the form kept.
	res = admin.post("/settings/holidays", url.Values{"day": {"2027-10-01"}, "kind": {"holiday"}, "name": {"重复"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "该日期已登记为“放假（国庆节）”", `value="2027-10-01"`, `value="重复"`)

	// Other bad input.
	bad := []struct{ day, kind, name, msg string }{
		{"2027-02-30", "holiday", "", "日期格式应为"},
		{"明天", "holiday", "", "日期格式应为"},
		{"", "holiday", "", "请填写日期"},
		{"1999-10-01", "holiday", "", "日期应在2000年至2100年之间"},
		{"2027-10-02", "", "", "请选择放假或调休上班"},
		{"2027-10-11", "workday", "", "调休上班日应为周六或周日"},
		{"2027-10-02", "holiday", strings.Repeat("节", 21), "名称不超过20个字"},
	}
	for _, tc := range bad {
		res := admin.post("/settings/holidays", url.Values{"day": {tc.day}, "kind": {tc.kind}, "name": {tc.name}})
		if res.status != http.StatusUnprocessableEntity {
			t.Errorf("%+v: status %d, want 422", tc, res.status)
			continue
		}
		mustContain(t, res, tc.msg)
	}
	if n := holidayCount(t, a, 2027); n != 2 {
		t.Fatalf("%d days in 2027, want 2", n)
	}

	// Removing.
	wantStatus(t, admin.post("/settings/holidays/remove", url.Values{"day": {"2027-10-01"}}), http.StatusSeeOther)
	res = admin.get("/settings/holidays?year=2027")
	mustContain(t, res, "已删除 2027-10-01", "<td>2027-10-09</td>")
	mustNotContain(t, res, "<td>2027-10-01</td>")
	wantStatus(t, admin.post("/settings/holidays/remove", url.Values{"day": {"2027-10-01"}}), http.StatusNotFound)
	wantStatus(t, admin.post("/settings/holidays/remove", url.Values{"day": {"x"}}), http.StatusUnprocessableEntity)

	// The year is checked.
	wantStatus(t, admin.get("/settings/holidays?year=abc"), http.StatusUnprocessableEntity)
	wantStatus(t, admin.get("/settings/holidays?year=3000"), http.StatusUnprocessableEntity)
	res = admin.get("/settings/holidays")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, "2025年节假日安排") // the test clock's year
}

func TestHolidaysSample(t *testing.T) {
	// The sample is well formed: dates, kinds, no day twice, adjusted
	// working days on weekends only.
	seen := map[string]bool{}
	counts := map[string]int{}
	for _, h := range procedure.Sample {
		d, err := time.ParseInLocation(time.DateOnly, h.Day, zhifa.Local)
		if err != nil {
			t.Fatalf("%s: %v", h.Day, err)
		}
		if seen[h.Day] {
			t.Fatalf("%s twice", h.Day)
		}
		seen[h.Day] = true
		switch h.Kind {
		case "holiday":
		case "workday":
			if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
				t.Errorf("%s is a %s but listed as an adjusted working day", h.Day, wd)
			}
		default:
			t.Errorf("%s: kind %q", h.Day, h.Kind)
		}
		counts[h.Day[:4]+" "+h.Kind]++
	}
	want := map[string]int{"2025 holiday": 28, "2025 workday": 5, "2026 holiday": 33, "2026 workday": 6}
	for k, n := range want {
		if counts[k] != n {
			t.Errorf("%s: %d days, want %d", k, counts[k], n)
		}
	}

	// Seeding twice inserts each day once, and the page shows them.
	a := newApp(t)
	for range 2 {
		err := a.db.Tx(zhifa.WithActor(context.Background(), zhifa.System), func(tx pgx.Tx) error {
			return procedure.SeedHolidays(context.Background(), tx)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := holidayCount(t, a, 2025) + holidayCount(t, a, 2026); n != len(procedure.Sample) {
		t.Fatalf("%d days seeded, want %d", n, len(procedure.Sample))
	}
	res := a.login("maoba-officer1").get("/settings/holidays?year=2026")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, "共登记放假 33 天、调休上班 6 天", "2026-02-15", "春节", "2026-02-28", "春节调休上班")
}
