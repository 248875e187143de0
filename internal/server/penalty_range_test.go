package server_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/authority"
	"zhifa/internal/database"
	"zhifa/internal/testdb"
)

const dustItem = "对施工工地未采取扬尘污染防治措施的行政处罚" // ZY-HJ-001, 大气污染防治法第一百一十五条

func itemIDByCode(a *app, code string) int64 {
	var id int64
	_ = a.inTx(database.Settings{}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT id FROM catalogue_items WHERE code = $1`, code).Scan(&id)
	})
	return id
}

// rowText is the text of the table row that names the item.
func rowText(t *testing.T, body, name string) string {
	t.Helper()
	i := strings.Index(body, ">"+name)
	if i < 0 {
		t.Fatalf("no row names %q; page text: %.600s", name, text(body))
	}
	end := strings.Index(body[i:], "</tr>")
	return text(body[i : i+end])
}

func TestCountyAdminEditsAnItemsPenaltyRange(t *testing.T) {
	a := newApp(t)
	admin := a.login("county-admin")
	id := itemIDByCode(a, "ZY-HJ-001")
	path := "/authority/catalogue/" + itoa(id)

	// The form shows the seeded range in yuan and the ticked kinds.
	edit := admin.get(path)
	wantStatus(t, edit, http.StatusOK)
	mustContain(t, edit, `name="fine_min_person" type="text" value="10000"`, `name="fine_max_org" type="text" value="100000"`,
		`name="suspension" value="1" checked`)
	mustNotContain(t, edit, `name="warning" value="1" checked`)
	vals := formValues(edit.body)
	vals.Set("suspension", "1")

	// A minimum above the maximum is refused, with what was typed kept.
	bad := cloneValues(vals)
	bad.Set("fine_min_org", "200000")
	bad.Set("fine_max_org", "150000")
	bad.Set("other_penalty", "通报批评")
	res := admin.post(path, bad)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "法人或者其他组织（单位）罚款下限（200000元）高于上限（150000元），请更正。",
		`name="fine_min_org" type="text" value="200000"`, `name="fine_max_org" type="text" value="150000"`,
		`name="other_penalty" type="text" value="通报批评"`, `name="suspension" value="1" checked`)
	// A fine typed as 5万 is not an amount.
	bad.Set("fine_max_org", "5万")
	res = admin.post(path, bad)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "法人或者其他组织（单位）罚款上限应为以元为单位的金额", `value="5万"`)

	// A valid change: the organisation's range and a warning.
	good := cloneValues(vals)
	good.Set("fine_min_org", "20,000")
	good.Set("fine_max_org", "200000元")
	good.Set("warning", "1")
	res = admin.post(path, good)
	wantStatus(t, res, http.StatusSeeOther)
	cat := admin.get("/authority/catalogue?q=ZY-HJ-001")
	row := rowText(t, cat.body, dustItem)
	for _, want := range []string{"罚款幅度（个人） 1万元至10万元", "罚款幅度（单位） 2万元至20万元",
		"其他处罚种类 警告；暂扣许可证件、降低资质等级、责令停产停业、责令关闭、限制从业"} {
		if !strings.Contains(row, want) {
			t.Errorf("catalogue row lacks %q: %s", want, row)
		}
	}

	// The list in force keeps the range it was published with.
	pub := a.client().get("/public/towns/maoba/items")
	if row := rowText(t, pub.body, dustItem); !strings.Contains(row, "罚款幅度（单位） 1万元至10万元") {
		t.Errorf("published row changed with the catalogue: %s", row)
	}
	// The lead's check reads the catalogue as it stands now.
	_ = a.inTx(database.Settings{}, func(tx pgx.Tx) error {
		kind, p, err := authority.ItemPenalties(context.Background(), tx, id)
		if err != nil {
			t.Fatal(err)
		}
		if kind != "行政处罚" || p.CheckFine(true, 20000*100) != "" ||
			p.CheckFine(true, 10000*100) != "罚款10000元低于该事项法定幅度（20000元至200000元），无法定减轻情节的不得低于下限（行政处罚法第三十二条）。" {
			t.Errorf("ItemPenalties = %q, %+v", kind, p)
		}
		return nil
	})

	// Publishing a new version copies the new range into it.
	res = admin.post("/authority/drafts", url.Values{"title": {"2025年9月调整"}, "town": {itoa(townID(a, "maoba"))},
		"start_from": {itoa(townID(a, "maoba"))}})
	wantStatus(t, res, http.StatusSeeOther)
	effective := testdb.Today.AddDate(0, 0, 10).Format(time.DateOnly)
	res = admin.post(res.location+"/publish", url.Values{"effective_from": {effective}})
	wantStatus(t, res, http.StatusSeeOther)
	pub = a.client().get("/public/towns/maoba/items?on=" + effective)
	if row := rowText(t, pub.body, dustItem); !strings.Contains(row, "罚款幅度（单位） 2万元至20万元") {
		t.Errorf("new version lacks the new range: %s", row)
	}
}

func TestPublicListAndCSVShowPenaltyRanges(t *testing.T) {
	a := newApp(t)
	c := a.client()
	page := c.get("/public/towns/maoba/items")
	wantStatus(t, page, http.StatusOK)
	dust := rowText(t, page.body, dustItem)
	for _, want := range []string{"罚款幅度（个人） 1万元至10万元", "罚款幅度（单位） 1万元至10万元",
		"其他处罚种类 暂扣许可证件、降低资质等级、责令停产停业、责令关闭、限制从业"} {
		if !strings.Contains(dust, want) {
			t.Errorf("public row lacks %q: %s", want, dust)
		}
	}

	res := c.get("/public/towns/maoba/items.csv")
	wantStatus(t, res, http.StatusOK)
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := func(name string) int { return slices.Index(records[0], name) }
	person, org, other := col("罚款幅度（个人）"), col("罚款幅度（单位）"), col("其他处罚种类")
	if person < 0 || org < 0 || other < 0 {
		t.Fatalf("csv header %v", records[0])
	}
	byCode := map[string][]string{}
	for _, r := range records[1:] {
		byCode[r[2]] = r
	}
	for code, want := range map[string][3]string{
		"ZY-HJ-001": {"1万元至10万元", "1万元至10万元", "暂扣许可证件、降低资质等级、责令停产停业、责令关闭、限制从业"},
		"ZY-HJ-003": {"500元至2000元", "1万元至10万元", "—"}, // the law distinguishes persons and organisations
		"ZY-LY-001": {"200元至3000元", "1万元至5万元", "警告；责令补种树木"},
	} {
		r, ok := byCode[code]
		if !ok {
			t.Errorf("%s not in the csv", code)
			continue
		}
		if got := [3]string{r[person], r[org], r[other]}; got != want {
			t.Errorf("%s: csv penalties %v, want %v", code, got, want)
		}
		// The page shows the same text.
		if !strings.Contains(text(page.body), "罚款幅度（个人） "+want[0]) {
			t.Errorf("%s: page lacks %q", code, want[0])
		}
	}
}

// Every sample 行政处罚 item carries structured penalties; ZY-HJ-001 has
// 大气污染防治法第一百一十五条's 10,000 to 100,000 yuan.
func TestSampleCataloguePenalties(t *testing.T) {
	a := newApp(t)
	var missing []string
	_ = a.inTx(database.Settings{}, func(tx pgx.Tx) error {
		rows, _ := tx.Query(context.Background(), `SELECT code FROM catalogue_items WHERE kind = '行政处罚'
			AND fine_min_person_fen IS NULL AND fine_min_org_fen IS NULL AND NOT warning AND NOT confiscation
			AND NOT suspension AND NOT revocation AND other_penalty = '' ORDER BY code`)
		var err error
		missing, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if len(missing) > 0 {
		t.Errorf("行政处罚 items without penalties: %v", missing)
	}
	_ = a.inTx(database.Settings{}, func(tx pgx.Tx) error {
		kind, p, err := authority.ItemPenalties(context.Background(), tx, itemIDByCode(a, "ZY-HJ-001"))
		if err != nil {
			t.Fatal(err)
		}
		for _, org := range []bool{false, true} {
			if min, max := p.FineRange(org); kind != "行政处罚" || min == nil || max == nil || *min != 1000000 || *max != 10000000 {
				t.Errorf("ZY-HJ-001 (org %v): %s %v %v", org, kind, min, max)
			}
		}
		// An inspection item takes no penalty.
		kind, p, err = authority.ItemPenalties(context.Background(), tx, itemIDByCode(a, "ZY-AQ-004"))
		if err != nil || kind != "行政检查" || !p.Empty() {
			t.Errorf("ZY-AQ-004: %q %+v %v", kind, p, err)
		}
		return nil
	})
}
