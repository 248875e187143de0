package server_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5"
	"github.com/xuri/excelize/v2"

	"zhifa/internal/authority"
	"zhifa/internal/database"
	"zhifa/internal/seed"
	"zhifa/internal/testdb"
	"zhifa/internal/zhifa"
)

// listedRE reads the item rows of a list page: number and name.
var listedRE = regexp.MustCompile(`<tr><td class="num">(\d+)</td><td>([^<]+)`)

type pageItem struct{ No, Name string }

func pageItems(body string) []pageItem {
	var out []pageItem
	for _, m := range listedRE.FindAllStringSubmatch(body, -1) {
		out = append(out, pageItem{m[1], strings.TrimSpace(html.UnescapeString(m[2]))})
	}
	return out
}

func TestPublicListNeedsNoLoginAndShowsNothingInternal(t *testing.T) {
	a := newApp(t)
	// A draft exists, with a title that must never show publicly.
	admin := a.login("county-admin")
	res := admin.post("/authority/drafts", url.Values{"title": {"内部草稿甲乙丙"}, "town": {itoa(townID(a, "maoba"))}, "start_from": {itoa(townID(a, "maoba"))}})
	wantStatus(t, res, http.StatusSeeOther)

	anon := a.client()
	res = anon.get("/public/towns")
	wantStatus(t, res, http.StatusOK)
	for _, name := range []string{"城关镇", "毛坝镇", "界岭镇"} {
		mustContain(t, res, name)
	}
	if n := strings.Count(res.body, `/items">查看清单</a>`); n != 17 {
		t.Fatalf("%d town links, want 17", n)
	}
	mustContain(t, res, "示例数据")

	res = anon.get("/public/towns/maoba/items")
	wantStatus(t, res, http.StatusOK)
	_, _, want2025 := seed.SampleCounts()
	items := pageItems(res.body)
	if len(items) != want2025 {
		t.Fatalf("maoba shows %d items, want %d", len(items), want2025)
	}
	for i, it := range items {
		if it.No != itoa(int64(i+1)) {
			t.Fatalf("item %d numbered %s", i+1, it.No)
		}
	}
	mustContain(t, res, "毛坝镇综合行政执法事项清单", "毛坝镇人民政府", "2025年7月1日", "最后更新于", "示例数据",
		"序号", "事项名称", "事项类别", "实施依据", "处罚种类与幅度", "实施主体", "原主管部门", "监督电话")
	// No user names, no drafts, no session.
	for _, u := range a.allUsers() {
		mustNotContain(t, res, u.DisplayName, u.Username)
	}
	mustNotContain(t, res, "内部草稿甲乙丙", "草稿", "csrf_token")
	if c := res.header.Get("Set-Cookie"); c != "" {
		t.Errorf("public page sets a cookie: %s", c)
	}
	wantStatus(t, anon.get("/public/towns/nowhere/items"), http.StatusNotFound)
}

func townID(a *app, code string) int64 {
	a.t.Helper()
	var id int64
	a.mustTx(database.Settings{}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT id FROM towns WHERE code = $1`, code).Scan(&id)
	})
	return id
}

func TestListOnDateShowsTheVersionInForce(t *testing.T) {
	a := newApp(t)
	c := a.client()
	_, want2024, want2025 := seed.SampleCounts()
	cases := []struct {
		on      string
		items   int
		mention string
	}{
		{"2024-05-31", 0, "尚无公布的执法事项清单"},
		{"2024-06-01", want2024, "2024年6月1日"},
		{"2025-06-30", want2024, "2024年6月1日"},
		{"2025-07-01", want2025, "2025年7月1日"},
		{"2026-01-01", want2025, "2025年7月1日"},
	}
	for _, tc := range cases {
		res := c.get("/public/towns/maoba/items?on=" + tc.on)
		wantStatus(t, res, http.StatusOK)
		if n := len(pageItems(res.body)); n != tc.items {
			t.Errorf("on %s: %d items, want %d", tc.on, n, tc.items)
		}
		mustContain(t, res, tc.mention, `value="`+tc.on+`"`)
	}
	// Other towns had no list before July 2025.
	res := c.get("/public/towns/haoping/items?on=2025-06-30")
	mustContain(t, res, "蒿坪镇2025年6月30日尚无公布的执法事项清单")
	// A bad date is explained and kept in the form.
	res = c.get("/public/towns/maoba/items?on=2025-13-40")
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "格式不正确", `value="2025-13-40"`)
}

func TestSearchByDomainAndKeyword(t *testing.T) {
	a := newApp(t)
	c := a.client()
	all := pageItems(c.get("/public/towns/maoba/items").body)
	res := c.get("/public/towns/maoba/items?domain=" + url.QueryEscape("林业"))
	forestry := pageItems(res.body)
	if len(forestry) == 0 || len(forestry) >= len(all) {
		t.Fatalf("forestry filter: %d of %d items", len(forestry), len(all))
	}
	if n := strings.Count(res.body, `<tr class="group">`); n != 1 {
		t.Fatalf("forestry filter shows %d domain groups", n)
	}
	mustContain(t, res, "林业（")
	// Keyword search looks in the name and the legal basis.
	res = c.get("/public/towns/maoba/items?q=" + url.QueryEscape("森林法"))
	byLaw := pageItems(res.body)
	if len(byLaw) == 0 || len(byLaw) >= len(all) {
		t.Fatalf("keyword 森林法: %d of %d", len(byLaw), len(all))
	}
	mustContain(t, res, "找到")
	res = c.get("/public/towns/maoba/items?q=" + url.QueryEscape("不存在的事项xyz"))
	mustContain(t, res, "没有符合条件的事项")
	// Numbers stay those of the full list.
	for _, it := range forestry {
		if !slices.Contains(all, it) {
			t.Errorf("filtered item %v not in the full list with the same number", it)
		}
	}
	// The county's catalogue search.
	county := a.login("county-reviewer")
	res = county.get("/authority/catalogue?q=" + url.QueryEscape("森林法"))
	wantStatus(t, res, http.StatusOK)
	mustNotContain(t, res, "新增事项") // the reviewer reads only
	if n := strings.Count(res.body, "<tr><td>ZY-"); n == 0 {
		t.Fatal("catalogue search found nothing")
	}
}

func TestDownloadsHoldExactlyThePageItems(t *testing.T) {
	a := newApp(t)
	c := a.client()
	for _, query := range []string{"", "?domain=" + url.QueryEscape("城乡建设"), "?on=2024-06-01&q=" + url.QueryEscape("处罚")} {
		page := pageItems(c.get("/public/towns/maoba/items" + query).body)
		if len(page) == 0 {
			t.Fatalf("query %q: empty page", query)
		}
		res := c.get("/public/towns/maoba/items.csv" + query)
		wantStatus(t, res, http.StatusOK)
		if !strings.HasPrefix(res.header.Get("Content-Disposition"), "attachment") {
			t.Errorf("csv is not a download: %q", res.header.Get("Content-Disposition"))
		}
		body := strings.TrimPrefix(res.body, "\ufeff")
		records, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatalf("read csv: %v", err)
		}
		if !slices.Equal(records[0], authority.ExportHeader) {
			t.Fatalf("csv header %v", records[0])
		}
		var fromCSV []pageItem
		for _, r := range records[1:] {
			fromCSV = append(fromCSV, pageItem{r[0], r[3]})
		}
		if !slices.Equal(fromCSV, page) {
			t.Fatalf("query %q: csv items differ from the page:\ncsv  %v\npage %v", query, fromCSV, page)
		}

		res = c.get("/public/towns/maoba/items.xlsx" + query)
		wantStatus(t, res, http.StatusOK)
		f, err := excelize.OpenReader(bytes.NewReader([]byte(res.body)))
		if err != nil {
			t.Fatalf("open xlsx: %v", err)
		}
		rows, err := f.GetRows(f.GetSheetList()[0])
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(rows[0][0], "毛坝镇") || !slices.Equal(rows[1], authority.ExportHeader) {
			t.Fatalf("xlsx title/header: %v / %v", rows[0], rows[1])
		}
		var fromXLSX []pageItem
		for _, r := range rows[2:] {
			fromXLSX = append(fromXLSX, pageItem{r[0], r[3]})
		}
		if !slices.Equal(fromXLSX, page) {
			t.Fatalf("query %q: xlsx items differ from the page:\nxlsx %v\npage %v", query, fromXLSX, page)
		}
	}
	wantStatus(t, c.get("/public/towns/maoba/items.csv?on=2020-01-01"), http.StatusNotFound)
	wantStatus(t, c.get("/public/towns/maoba/items.xlsx?on=bad"), http.StatusUnprocessableEntity)
}

func TestPublishingANewVersionKeepsTheOldOne(t *testing.T) {
	a := newApp(t)
	admin := a.login("county-admin")
	maoba, haoping := townID(a, "maoba"), townID(a, "haoping")
	before := pageItems(a.client().get("/public/towns/maoba/items").body)

	// Draft for two towns, starting from 毛坝镇's list.
	res := admin.post("/authority/drafts", url.Values{"title": {"2025年9月调整"}, "town": {itoa(maoba), itoa(haoping)}, "start_from": {itoa(maoba)}})
	wantStatus(t, res, http.StatusSeeOther)
	draftPath := res.location
	page := admin.get(draftPath)
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page, "与现行清单相同")

	// Drop two items, add one from the catalogue, and change one item's text.
	catalogue := a.catalogueIDs()
	selected := checkedItems(page.body)
	dropped := selected[:2]
	var added int64
	for _, id := range catalogue {
		if !slices.Contains(selected, id) {
			added = id
			break
		}
	}
	keep := slices.Concat(selected[2:], []int64{added})
	form := url.Values{"town": {itoa(maoba), itoa(haoping)}}
	for _, id := range keep {
		form.Add("item", itoa(id))
	}
	res = admin.post(draftPath, form)
	wantStatus(t, res, http.StatusSeeOther)
	changedID := keep[0]
	oldName := a.itemName(changedID)
	edit := admin.get("/authority/catalogue/" + itoa(changedID))
	wantStatus(t, edit, http.StatusOK)
	vals := formValues(edit.body)
	vals.Set("name", oldName+"（修订）")
	res = admin.post("/authority/catalogue/"+itoa(changedID), vals)
	wantStatus(t, res, http.StatusSeeOther)

	page = admin.get(draftPath)
	mustContain(t, page, "新增 1 项，删除 2 项，内容变更 1 项", "删除："+a.itemName(dropped[0]), "新增："+a.itemName(added), "事项名称")

	// The effective date may not be in the past.
	res = admin.post(draftPath+"/publish", url.Values{"effective_from": {"2025-08-01"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "生效日期不能早于今天", `value="2025-08-01"`)
	// 蒿坪镇 already has a version from 2025-07-01; a clash is explained.
	effective := testdb.Today.AddDate(0, 0, 10)
	res = admin.post(draftPath+"/publish", url.Values{"effective_from": {effective.Format(time.DateOnly)}})
	wantStatus(t, res, http.StatusSeeOther)
	res = admin.post(draftPath+"/publish", url.Values{"effective_from": {effective.Format(time.DateOnly)}})
	wantStatus(t, res, http.StatusConflict)
	mustContain(t, res, "不能再修改")

	pub := a.client()
	// Today the old version is still in force, unchanged.
	now := pageItems(pub.get("/public/towns/maoba/items").body)
	if !slices.Equal(now, before) {
		t.Fatalf("the list in force changed before its effective date")
	}
	// From the effective date, the new one.
	next := pub.get("/public/towns/maoba/items?on=" + effective.Format(time.DateOnly))
	nextItems := pageItems(next.body)
	if len(nextItems) != len(before)-1 {
		t.Fatalf("new version has %d items, want %d", len(nextItems), len(before)-1)
	}
	mustContain(t, next, oldName+"（修订）", a.itemName(added))
	mustNotContain(t, next, a.itemName(dropped[0]))
	// The old version still reads as published, with the old name.
	old := pub.get("/public/towns/maoba/items?on=" + testdb.Today.Format(time.DateOnly))
	mustContain(t, old, oldName)
	mustNotContain(t, old, oldName+"（修订）")
	_, want2024, _ := seed.SampleCounts()
	if n := len(pageItems(pub.get("/public/towns/maoba/items?on=2024-06-01").body)); n != want2024 {
		t.Fatalf("the 2024 version now has %d items", n)
	}
	// Both towns got the version.
	if n := len(pageItems(pub.get("/public/towns/haoping/items?on=" + effective.Format(time.DateOnly)).body)); n != len(before)-1 {
		t.Fatalf("haoping's new version has %d items", n)
	}
	// The internal history lists all three of 毛坝镇's versions.
	hist := a.login("maoba-leader").get("/authority/towns/maoba/items")
	mustContain(t, hist, "历次版本", "2024-06-01", "2025-07-01", effective.Format(time.DateOnly))

	// The database refuses to change a published version: the app's role,
	// even in the county administrator's scope, holds no grant to; the
	// schema owner, who holds every grant, is stopped by the triggers.
	owner := a.owner()
	for _, tc := range []struct{ sql, table string }{
		{`UPDATE list_version_items SET name = '篡改' WHERE town_id = $1`, "list_version_items"},
		{`DELETE FROM list_version_items WHERE town_id = $1`, "list_version_items"},
		{`UPDATE list_versions SET effective_from = '2020-01-01' WHERE town_id = $1`, "list_versions"},
		{`DELETE FROM list_versions WHERE town_id = $1`, "list_versions"},
	} {
		err := a.inTx(database.Settings{Scope: zhifa.ScopeCountyAdmin}, func(tx pgx.Tx) error {
			_, err := tx.Exec(context.Background(), tc.sql, maoba)
			return err
		})
		wantPgError(t, "app role: "+tc.sql, err, pgerrcode.InsufficientPrivilege, "permission denied for table "+tc.table)
		_, err = owner.Exec(context.Background(), tc.sql, maoba)
		wantPgError(t, "owner: "+tc.sql, err, pgerrcode.InsufficientPrivilege, tc.table+" is append-only: published rows cannot be changed or deleted")
	}
	if got := pageItems(pub.get("/public/towns/maoba/items?on=" + effective.Format(time.DateOnly)).body); !slices.Equal(got, nextItems) {
		t.Errorf("the published version changed: %v", got)
	}
}

var checkedRE = regexp.MustCompile(`name="item" value="(\d+)" checked`)

func checkedItems(body string) []int64 {
	var out []int64
	for _, m := range checkedRE.FindAllStringSubmatch(body, -1) {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		out = append(out, id)
	}
	return out
}

var inputRE = regexp.MustCompile(`<input id="([a-z_]+)" name="[a-z_]+" type="text" value="([^"]*)"`)
var selectedRE = regexp.MustCompile(`<select id="([a-z_]+)" name="[a-z_]+">(?:\s*<option[^>]*>[^<]*</option>)*?\s*<option value="([^"]*)" selected>`)
var textareaRE = regexp.MustCompile(`<textarea id="([a-z_]+)" name="[a-z_]+" rows="\d+"[^>]*>([^<]*)</textarea>`)

// formValues reads a rendered form back, as the browser would submit it.
func formValues(body string) url.Values {
	v := url.Values{}
	for _, re := range []*regexp.Regexp{inputRE, selectedRE, textareaRE} {
		for _, m := range re.FindAllStringSubmatch(body, -1) {
			v.Set(m[1], html.UnescapeString(m[2]))
		}
	}
	return v
}

func (a *app) catalogueIDs() []int64 {
	a.t.Helper()
	var ids []int64
	a.mustTx(database.Settings{}, func(tx pgx.Tx) error {
		rows, _ := tx.Query(context.Background(), `SELECT id FROM catalogue_items ORDER BY id`)
		var err error
		ids, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		return err
	})
	return ids
}

func (a *app) itemName(id int64) string {
	a.t.Helper()
	var name string
	a.mustTx(database.Settings{}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT name FROM catalogue_items WHERE id = $1`, id).Scan(&name)
	})
	return name
}

func TestTownUsersReadTheirListButCannotEdit(t *testing.T) {
	a := newApp(t)
	for _, username := range []string{"maoba-leader", "maoba-officer1", "maoba-reviewer"} {
		c := a.login(username)
		res := c.get("/authority")
		if res.status != http.StatusSeeOther || res.location != "/authority/towns/maoba/items" {
			t.Fatalf("%s /authority → %d %q", username, res.status, res.location)
		}
		res = c.get(res.location)
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, "毛坝镇综合行政执法事项清单", "历次版本")
		mustNotContain(t, res, "新建草稿", "新增事项")
		wantStatus(t, c.get("/authority/towns/haoping/items"), http.StatusNotFound)
		wantStatus(t, c.get("/authority/towns/haoping/items.csv"), http.StatusNotFound)
		for _, path := range []string{"/authority/catalogue", "/authority/catalogue/new", "/authority/drafts", "/authority/domains"} {
			wantStatus(t, c.get(path), http.StatusForbidden)
		}
		wantStatus(t, c.post("/authority/drafts", url.Values{"title": {"越权"}, "town": {"1"}}), http.StatusForbidden)
		wantStatus(t, c.post("/authority/catalogue/new", url.Values{"code": {"X-001"}}), http.StatusForbidden)
		wantStatus(t, c.post("/authority/drafts/1/publish", url.Values{"effective_from": {"2030-01-01"}}), http.StatusForbidden)
	}
	// The county reviewer reads but does not edit.
	r := a.login("county-reviewer")
	wantStatus(t, r.get("/authority/catalogue"), http.StatusOK)
	wantStatus(t, r.get("/authority/drafts"), http.StatusOK)
	wantStatus(t, r.get("/authority/towns/haoping/items"), http.StatusOK)
	wantStatus(t, r.post("/authority/drafts", url.Values{"title": {"越权"}, "town": {"1"}}), http.StatusForbidden)

	// In the database too: a town's scope cannot write the catalogue or
	// read drafts (one exists: the county sees it).
	wantStatus(t, a.login("county-admin").post("/authority/drafts", url.Values{"title": {"县级内部草稿"}, "town": {itoa(townID(a, "maoba"))},
		"start_from": {itoa(townID(a, "maoba"))}}), http.StatusSeeOther)
	var countyDrafts int
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT count(*) FROM list_drafts`).Scan(&countyDrafts)
	})
	if countyDrafts == 0 {
		t.Fatal("the county sees no draft")
	}
	town := database.Settings{Scope: zhifa.ScopeTown, TownID: townID(a, "maoba")}
	err := a.inTx(town, func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), `UPDATE catalogue_items SET name = name || 'x'`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = a.inTx(town, func(tx pgx.Tx) error {
		var changed, drafts int
		if err := tx.QueryRow(context.Background(), `SELECT count(*) FROM catalogue_items WHERE name LIKE '%x'`).Scan(&changed); err != nil {
			return err
		}
		if err := tx.QueryRow(context.Background(), `SELECT count(*) FROM list_drafts`).Scan(&drafts); err != nil {
			return err
		}
		if changed != 0 {
			t.Errorf("a town's scope changed %d catalogue items", changed)
		}
		if drafts != 0 {
			t.Errorf("a town's scope reads %d drafts", drafts)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = a.inTx(town, func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), `INSERT INTO catalogue_items (code, name, kind, domain_id, violation_basis, former_department)
			SELECT 'X-999', '越权新增的事项', '行政处罚', min(id), 'x', 'x' FROM domains`)
		return err
	})
	wantPgError(t, "a town's scope inserting a catalogue item", err, pgerrcode.InsufficientPrivilege,
		`new row violates row-level security policy for table "catalogue_items"`)
}

func TestCatalogueEditing(t *testing.T) {
	a := newApp(t)
	admin := a.login("county-admin")
	res := admin.get("/authority/catalogue/new")
	wantStatus(t, res, http.StatusOK)
	res = admin.post("/authority/catalogue/new", url.Values{"code": {"bad code"}, "name": {"对某违法行为的行政处罚"}, "kind": {"行政处罚"},
		"violation_basis": {"《某法》第一条"}, "discretion": {"没有分隔符的一行"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "事项编码为3至30位", "请选择领域", "须填写处罚依据", "请填写原主管部门", "裁量基准第1行格式",
		`value="对某违法行为的行政处罚"`, "没有分隔符的一行")
	domains := admin.get("/authority/domains")
	mustContain(t, domains, "环境保护")
	res = admin.post("/authority/domains", url.Values{"name": {"文物保护"}})
	wantStatus(t, res, http.StatusSeeOther)
	res = admin.post("/authority/domains", url.Values{"name": {"文物保护"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "已有同名领域")
	var domainID int64
	a.mustTx(database.Settings{}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT id FROM domains WHERE name = '文物保护'`).Scan(&domainID)
	})
	good := url.Values{"code": {"zy-ww-001"}, "name": {"对损毁文物保护单位标志的行政处罚"}, "kind": {"行政处罚"}, "domain": {itoa(domainID)},
		"violation_basis": {"《中华人民共和国文物保护法》第六十六条"}, "penalty_basis": {"《中华人民共和国文物保护法》第六十六条"},
		"penalty_types": {"警告、罚款"}, "penalty_range": {"处五千元以上五万元以下罚款"}, "former_department": {"紫阳县文化和旅游广电局"},
		"discretion": {"情节轻微 | 警告\n情节一般｜处五千元以上二万元以下罚款"}}
	res = admin.post("/authority/catalogue/new", good)
	wantStatus(t, res, http.StatusSeeOther)
	res = admin.get("/authority/catalogue?domain=" + url.QueryEscape("文物保护"))
	mustContain(t, res, "ZY-WW-001", "对损毁文物保护单位标志的行政处罚")
	res = admin.post("/authority/catalogue/new", good)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "该事项编码已存在")
}

// TestItemInForceRule is the rule later case filing relies on, in Go and
// in the database.
func TestItemInForceRule(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	maoba := townID(a, "maoba")
	// An item on 毛坝镇's 2024 list but not on its 2025 list, and one on both.
	var dropped, kept int64
	err := a.inTx(database.Settings{}, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT item_id FROM list_version_items WHERE version_id = list_version_on($1, '2024-06-01')
			EXCEPT SELECT item_id FROM list_version_items WHERE version_id = list_version_on($1, '2025-07-01') LIMIT 1`, maoba).Scan(&dropped); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT item_id FROM list_version_items WHERE version_id = list_version_on($1, '2025-07-01') LIMIT 1`, maoba).Scan(&kept)
	})
	if err != nil {
		t.Fatal(err)
	}
	svc := a.srv.Authority
	day := func(s string) time.Time { d, _ := time.ParseInLocation(time.DateOnly, s, zhifa.Local); return d }
	cases := []struct {
		item int64
		town int64
		on   string
		want bool
	}{
		{dropped, maoba, "2024-05-31", false}, // before any list
		{dropped, maoba, "2024-06-01", true},
		{dropped, maoba, "2025-06-30", true},
		{dropped, maoba, "2025-07-01", false}, // removed in the 2025 list
		{kept, maoba, "2025-07-01", true},
		{kept, townID(a, "haoping"), "2025-06-30", false}, // haoping had no list yet
	}
	for _, tc := range cases {
		got, err := svc.ItemInForce(ctx, tc.town, tc.item, day(tc.on))
		if err != nil || got != tc.want {
			t.Errorf("item %d town %d on %s: %v (err %v), want %v", tc.item, tc.town, tc.on, got, err, tc.want)
		}
	}

	// A table that references an item (as cases will) gets the check as a
	// trigger, so no row can name an item outside the list.
	owner, err := pgx.Connect(ctx, a.db.OwnerURL())
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close(ctx)
	_, err = owner.Exec(ctx, `CREATE TABLE probe_cases (town_id bigint, item_id bigint, filed_on date);
		CREATE TRIGGER probe_item BEFORE INSERT OR UPDATE ON probe_cases FOR EACH ROW
		EXECUTE FUNCTION authority_check_item('town_id', 'item_id', 'filed_on')`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := owner.Exec(ctx, `INSERT INTO probe_cases VALUES ($1, $2, '2025-06-30')`, maoba, dropped); err != nil {
		t.Errorf("an item in force was refused: %v", err)
	}
	_, err = owner.Exec(ctx, `INSERT INTO probe_cases VALUES ($1, $2, '2025-07-01')`, maoba, dropped)
	wantPgError(t, "an item outside the list", err, pgerrcode.CheckViolation, "清单之外无执法")
	_, err = owner.Exec(ctx, `UPDATE probe_cases SET filed_on = '2025-08-01'`)
	wantPgError(t, "moving the filing date outside the item's list", err, pgerrcode.CheckViolation, "清单之外无执法")
}
