package server_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/cases"
	"zhifa/internal/database"
	"zhifa/internal/zhifa"
)

// setParty gives a seeded case its party and place (as the schema owner).
func setParty(t *testing.T, a *app, id int64, party, village, address string) {
	t.Helper()
	if _, err := a.owner().Exec(context.Background(),
		`UPDATE cases SET party_name = $2, place_village = $3, place_address = $4 WHERE id = $1`,
		id, party, village, address); err != nil {
		t.Fatal(err)
	}
}

// listed is the set of case ids one list page links to.
func listed(t *testing.T, c *client, path string) []int64 {
	t.Helper()
	res := c.get(path)
	wantStatus(t, res, http.StatusOK)
	var ids []int64
	for _, s := range caseLinks(res) {
		ids = append(ids, mustInt(t, s))
	}
	return ids
}

func searchPath(q string, more ...string) string {
	return "/cases?q=" + url.QueryEscape(q) + strings.Join(more, "")
}

// A party or place search finds the right cases: by one character, two
// (a name or a village is often two; trigrams cannot index them) or more,
// the place as the list shows it, letters in any case, % and _ as
// themselves; a town never another town's case, the county every town's.
func TestSearchPartyAndPlace(t *testing.T) {
	a := newApp(t)
	maoba := seedList(t, a, "maoba", "检索甲", 2019, 12)
	haoping := seedList(t, a, "haoping", "检索甲", 2019, 12)
	setParty(t, a, maoba[0].ID, "欧阳某某", "青杠村", "第29组")
	setParty(t, a, maoba[1].ID, "ABC建材有限公司", "双河村", "河坝街12号")
	setParty(t, a, maoba[2].ID, "100%纯净水厂", "双河村", "第1组")
	setParty(t, a, maoba[3].ID, "a_b商行", "双河村", "第2组")
	setParty(t, a, maoba[4].ID, "axb商行", "双河村", "第3组")
	setParty(t, a, haoping[0].ID, "欧阳某某", "青杠村", "第29组") // the same name and place in another town
	leader := a.login("maoba-leader")
	county := a.login("county-reviewer")

	for _, c := range []struct {
		q    string
		want []int64
	}{
		{"欧阳某某", []int64{maoba[0].ID}},
		{"欧阳", []int64{maoba[0].ID}},
		{"欧", []int64{maoba[0].ID}},
		{"阳某", []int64{maoba[0].ID}},
		{"青杠村 第29组", []int64{maoba[0].ID}},
		{"杠村", []int64{maoba[0].ID}},
		{"第29组", []int64{maoba[0].ID}},
		{"abc", []int64{maoba[1].ID}},
		{"Bc", []int64{maoba[1].ID}},
		{"河坝街12", []int64{maoba[1].ID}},
		{"100%", []int64{maoba[2].ID}},
		{"10%", nil},
		{"0%", []int64{maoba[2].ID}},
		{"%", []int64{maoba[2].ID}},
		{"a_b", []int64{maoba[3].ID}},
		{"_", []int64{maoba[3].ID}},
		{"不存在的当事人", nil},
		{"某某某", nil},
	} {
		got := listed(t, leader, searchPath(c.q))
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("town search %q: %v, want %v", c.q, got, c.want)
		}
	}

	// Every seeded party of the town (检索甲1…12) and none of the other's.
	var want []int64
	for _, c := range maoba[5:] {
		want = append(want, c.ID)
	}
	slices.Reverse(want)
	if got := listed(t, leader, searchPath("检索甲")); !slices.Equal(got, want) {
		t.Errorf("town search 检索甲: %v, want %v (newest first)", got, want)
	}
	if got := listed(t, leader, searchPath("检索")); !slices.Equal(got, want) {
		t.Errorf("town search 检索: %v, want %v", got, want)
	}

	// The county finds across towns, or in the town it picks.
	for _, q := range []string{"欧阳某某", "欧阳", "青杠村 第29组"} {
		if got := listed(t, county, searchPath(q)); !slices.Equal(got, []int64{haoping[0].ID, maoba[0].ID}) {
			t.Errorf("county search %q: %v, want haoping's %d and maoba's %d", q, got, haoping[0].ID, maoba[0].ID)
		}
		if got := listed(t, county, searchPath(q, "&town=haoping")); !slices.Equal(got, []int64{haoping[0].ID}) {
			t.Errorf("county search %q in haoping: %v, want %d", q, got, haoping[0].ID)
		}
	}
	// haoping's leader finds only haoping's.
	if got := listed(t, a.login("haoping-leader"), searchPath("欧阳")); !slices.Equal(got, []int64{haoping[0].ID}) {
		t.Errorf("haoping search 欧阳: %v, want %d", got, haoping[0].ID)
	}
	// A town user's ?town= does not reach another town.
	if got := listed(t, leader, searchPath("欧阳", "&town=haoping")); slices.Contains(got, haoping[0].ID) {
		t.Errorf("maoba's ?town=haoping found haoping's case: %v", got)
	}
	// A number is found by the number, not as text.
	mustContain(t, leader.get(searchPath(maoba[6].Number)), `href="/cases/`+itoa(maoba[6].ID)+`"`)
	if got := listed(t, leader, searchPath("〔2019〕7")); !slices.Equal(got, []int64{maoba[6].ID}) {
		t.Errorf("〔2019〕7: %v, want %d", got, maoba[6].ID)
	}
}

// A search matching more cases than the totals count lists every one of
// them, newest first, page after page; the page says the total is at least
// SearchLimit and how to narrow. With another condition, or in the
// deadline order, every match is there, and with another condition counted
// exactly. Another town's matches are never among them.
func TestSearchPastTheCount(t *testing.T) {
	a := newApp(t)
	n := cases.SearchLimit + 30
	seeded := seedList(t, a, "maoba", "海量某", 2018, n)
	seedList(t, a, "haoping", "海量某", 2018, 40)
	officer := a.login("maoba-officer1")

	res := officer.get(searchPath("海量某"))
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, `id="search-capped"`, cases.SearchCappedNote)
	if got := text(res.body); !strings.Contains(got, "共 "+itoa(int64(cases.SearchLimit))+" 件以上") ||
		strings.Contains(got, "其中已逾期") {
		t.Errorf("the capped search's total: %.300s", got)
	}
	want := newestFirst(seeded)
	for _, q := range []string{"海量某", "海量", "量"} {
		if ids, _, _ := walk(t, officer, searchPath(q)); !slices.Equal(ids, want) {
			t.Errorf("paging %s gave %d cases, want all %d newest first", q, len(ids), len(want))
		}
	}

	// A narrower search is counted exactly, without the note.
	res = officer.get(searchPath("海量某" + itoa(int64(n-1))))
	mustNotContain(t, res, `id="search-capped"`)
	if m := totalRE.FindStringSubmatch(text(res.body)); m == nil || m[1] != "1" {
		t.Errorf("海量某%d: total %v, want 1", n-1, m)
	}

	// With a state: every match in that state, counted exactly.
	var review []listCase
	for _, c := range seeded {
		if c.State == "review" {
			review = append(review, c)
		}
	}
	ids, total, _ := walk(t, officer, searchPath("海量某", "&state=review"))
	if total != len(review) || !slices.Equal(ids, newestFirst(review)) {
		t.Errorf("海量某 in 法制审核: total %d, %d listed, want %d", total, len(ids), len(review))
	}
	// In the deadline order: every match, in that order (counted as above).
	ids, total, _ = walk(t, officer, searchPath("海量某", "&sort=due"))
	if total != cases.SearchLimit || !slices.Equal(ids, byDue(seeded)) {
		t.Errorf("海量某 by deadline: total %d, %d listed (in order: %v), want %d", total, len(ids), slices.Equal(ids, byDue(seeded)), n)
	}

	// The download holds every match too.
	if rows := readExport(t, officer, "/cases.xlsx?q="+url.QueryEscape("海量某")); len(rows)-4 != n {
		t.Errorf("the download has %d cases, want %d", len(rows)-4, n)
	} else if !strings.HasSuffix(rows[2][0], "共 "+itoa(int64(n))+" 件") {
		t.Errorf("the download says %q", rows[2][0])
	}
}

// A word common enough that the search reads the newest cases in order
// (search_case_ids, migration 0031) finds every match too, also when the
// newest cases hold none of them (then it goes on by an index below them),
// in a town and county-wide.
func TestSearchCommonWords(t *testing.T) {
	a := newApp(t)
	const n = 2400 // 48 pages: walk reads at most 50
	old := seedList(t, a, "maoba", "常见某", 2017, n)
	newer := seedList(t, a, "maoba", "较新某", 2018, n) // registered after: the newest hold no 常见某
	other := seedList(t, a, "haoping", "常见某", 2017, 30)
	officer := a.login("maoba-officer1")
	for _, q := range []string{"常见某", "常见", "常"} {
		if ids, _, _ := walk(t, officer, searchPath(q)); !slices.Equal(ids, newestFirst(old)) {
			t.Errorf("paging %s gave %d cases, want all %d newest first", q, len(ids), n)
		}
	}
	if ids, _, _ := walk(t, officer, searchPath("较新某")); !slices.Equal(ids, newestFirst(newer)) {
		t.Errorf("paging 较新某 gave %d cases, want all %d", len(ids), n)
	}
	// The county: every town's, or maoba's.
	county := a.login("county-reviewer")
	for _, q := range []string{"常见某", "常见"} {
		if ids, _, _ := walk(t, county, searchPath(q)); !slices.Equal(ids, newestFirst(append(slices.Clone(old), other...))) {
			t.Errorf("county paging %s gave %d cases, want %d", q, len(ids), n+len(other))
		}
		if ids, _, _ := walk(t, county, searchPath(q, "&town=maoba")); !slices.Equal(ids, newestFirst(old)) {
			t.Errorf("county paging %s in maoba gave %d cases, want %d", q, len(ids), n)
		}
	}

	// Words of every density, which take each of the search's ways (in
	// order only, in order then by an index, by an index at once; the
	// count going on from the page's search), list every match newest
	// first and count them up to SearchLimit, as the ILIKE of the rows
	// says.
	ctx := context.Background()
	maoba := townID(a, "maoba")
	truth := func(q string, towns []int64) []int64 {
		rows, _ := a.owner().Query(ctx, `SELECT id FROM cases WHERE town_id = ANY ($2)
			AND (party_name || ' ' || place_village || ' ' || place_address) ILIKE '%' || $1 || '%' ORDER BY id DESC`, q, towns)
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			t.Fatal(err)
		}
		return ids
	}
	var every []int64
	if err := a.owner().QueryRow(ctx, `SELECT array_agg(id) FROM towns`).Scan(&every); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"常见某1", "常见某12", "常见某2399", "某1", "某23", "较新某24", "第1组", "干沙村 第7", "沙村 第1"} {
		for _, w := range []struct {
			who   *client
			towns []int64
		}{{officer, []int64{maoba}}, {county, every}} {
			want := truth(q, w.towns)
			if len(want) > 50*50 {
				t.Fatalf("%s: %d matches, more than walk reads", q, len(want))
			}
			ids, total, _ := walk(t, w.who, searchPath(q))
			if !slices.Equal(ids, want) {
				t.Errorf("search %q in %v: %d listed, want %d", q, w.towns, len(ids), len(want))
			}
			if total != min(len(want), cases.SearchLimit) {
				t.Errorf("search %q in %v: total %d, want %d of %d", q, w.towns, total, min(len(want), cases.SearchLimit), len(want))
			}
		}
	}
}

// A new case is found by its party and place, and a corrected party and
// place replace the old ones in the search (case_search follows the case,
// migration 0031).
func TestSearchFollowsTheCase(t *testing.T) {
	a := newApp(t)
	form := a.caseForm("maoba-officer1", "maoba-officer3")
	form.Set("party_name", "甄检索")
	form.Set("place_address", "望江楼下")
	path := a.filedCase(t, form)
	id := caseID(t, path)
	officer := a.login("maoba-officer1")
	for _, q := range []string{"甄检索", "甄检", "望江楼", "干沙村 望江"} {
		if got := listed(t, officer, searchPath(q)); !slices.Equal(got, []int64{id}) {
			t.Errorf("search %q after filing: %v, want %d", q, got, id)
		}
	}
	mustAct(t, officer, path, "update_party", url.Values{"party_name": {"贾更名"}, "party_id_number": {"610924197001011234"},
		"party_phone": {"13900005678"}, "party_address": {"毛坝镇干沙村四组"}, "place_village": {"干沙村"}, "place_address": {"观澜亭"}})
	for q, want := range map[string][]int64{"甄检索": nil, "望江楼": nil, "贾更名": {id}, "观澜": {id}} {
		if got := listed(t, officer, searchPath(q)); !slices.Equal(got, want) {
			t.Errorf("search %q after the correction: %v, want %v", q, got, want)
		}
	}
}

// What a first page's search leaves for its count (a transaction-local
// setting, which the app role could write too) is tested again: set by
// hand to another town's case, it finds and counts nothing of that town.
func TestSearchStateIsTested(t *testing.T) {
	a := newApp(t)
	maoba := seedList(t, a, "maoba", "状态某", 2019, 3)
	haoping := seedList(t, a, "haoping", "状态某", 2019, 3)
	town := townID(a, "maoba")
	leader := a.user("maoba-leader")
	s := database.Settings{Scope: zhifa.ScopeTown, TownID: town, UserID: leader.ID}
	ctx := context.Background()
	a.mustTx(s, func(tx pgx.Tx) error {
		// The page's search, then the count, as the list runs them.
		var page, count []int64
		if err := tx.QueryRow(ctx, `SELECT search_case_ids('状态某', NULL, NULL, 51, true)`).Scan(&page); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT search_case_ids('状态某', NULL, NULL, 201, false)`).Scan(&count); err != nil {
			return err
		}
		if want := newestFirst(maoba); !slices.Equal(page, want) || len(count) != len(want) {
			t.Errorf("page %v and count %v, want %v", page, count, want)
		}
		// A forged state (migration 0041's): every match known, two of
		// them, haoping's first.
		if _, err := tx.Exec(ctx, `SELECT set_config('zhifa.search_state',
			concat_ws(E'\x1f', md5('状态某') || '/' || $1::text || '/' || $1::text, 'true', '0', '1', '1', '', '2', $2::text), true)`,
			itoa(town), itoa(haoping[0].ID)+","+itoa(maoba[0].ID)); err != nil {
			return err
		}
		var matched int
		if err := tx.QueryRow(ctx, `SELECT search_case_ids('状态某', NULL, NULL, 201, false)`).Scan(&count); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT matched FROM search_case_totals('状态某', NULL, 201, '2025-01-01', '2025-01-08')`).Scan(&matched); err != nil {
			return err
		}
		if slices.Contains(count, haoping[0].ID) || matched != 1 {
			t.Errorf("with haoping's case in the state: %v, %d matched; want maoba's %d alone", count, matched, maoba[0].ID)
		}
		return nil
	})
}

// newestFirst are the cases' ids, the newest first.
func newestFirst(cs []listCase) []int64 {
	var ids []int64
	for _, c := range cs {
		ids = append(ids, c.ID)
	}
	slices.Sort(ids)
	slices.Reverse(ids)
	return ids
}

// A search's totals count its overdue and due-soon cases as the list
// shows them, for a town and for the county, across the town's own and
// the county's every town; they come from what the page's search found
// (migration 0041), so another town's matches never count for a town.
func TestSearchTotalsCountDeadlines(t *testing.T) {
	a := newApp(t)
	seedList(t, a, "maoba", "期限甲", 2019, 30)
	seedList(t, a, "haoping", "期限甲", 2019, 12)
	today := zhifa.Clock(a.clock.Now).Today()
	day := func(n int) string { return today.AddDate(0, 0, n).Format(time.DateOnly) }
	ctx := context.Background()
	if _, err := a.owner().Exec(ctx, `UPDATE case_due d SET next_due_key = 'decision',
			next_due_on = CASE c.id % 4 WHEN 0 THEN $1::date WHEN 1 THEN $2::date WHEN 2 THEN $3::date END
		FROM cases c WHERE c.id = d.case_id AND c.party_name LIKE '期限甲%'`, day(-5), day(3), day(30)); err != nil {
		t.Fatal(err)
	}
	count := func(town string) [3]int {
		var out [3]int
		a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE d.next_due_on < $2),
					count(*) FILTER (WHERE d.next_due_on >= $2 AND d.next_due_on <= $3)
				FROM cases c JOIN towns t ON t.id = c.town_id LEFT JOIN case_due d ON d.case_id = c.id
				WHERE c.party_name LIKE '期限甲%' AND ($1 = '' OR t.code = $1)`, town, day(0), day(7)).
				Scan(&out[0], &out[1], &out[2])
		})
		return out
	}
	leader, county := a.login("maoba-leader"), a.login("county-reviewer")
	for _, c := range []struct {
		who  *client
		path string
		town string
	}{
		{leader, searchPath("期限甲"), "maoba"},
		{county, searchPath("期限甲"), ""},
		{county, searchPath("期限甲", "&town=haoping"), "haoping"},
	} {
		got, want := listTotals(t, c.who, c.path), count(c.town)
		if got != want || want[1] == 0 || want[2] == 0 {
			t.Errorf("GET %s: totals %v, counted %v (all, overdue, due soon)", c.path, got, want)
		}
	}
}
