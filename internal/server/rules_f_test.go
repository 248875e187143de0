package server_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"zhifa/internal/seed"
	"zhifa/internal/testdb"
)

// Jurisdiction by area (APL art. 22): the place of the act is one of the
// town's villages, chosen from a list; a village of another town is refused.
func TestPlaceOfTheActIsInTheTown(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")

	// The filing form offers 毛坝镇's villages, not another town's.
	page := officer.get("/cases/new")
	wantStatus(t, page, http.StatusOK)
	for _, v := range seed.SampleVillages("maoba") {
		mustContain(t, page, `<option value="`+v+`">`+v+`</option>`)
	}
	mustContain(t, page, `<select id="place_village" name="place_village">`, "请选择本镇辖区内的村（社区）")
	mustNotContain(t, page, "蒿坪社区", "金星村")

	// A village of 蒿坪镇 is refused, and the form keeps what was typed.
	form := a.caseForm("maoba-officer1", "maoba-officer3")
	form.Set("place_village", "金星村")
	res := officer.post("/cases/new", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "发生地须为本镇辖区内的村（社区）；不在本镇辖区的，应移送所在地的镇或县级主管部门（行政处罚法第二十二条）",
		`value="刘某住宅外"`, `value="刘某"`)
	// Nor is a place typed freely, or none at all.
	form.Set("place_village", "干沙")
	res = officer.post("/cases/new", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "发生地须为本镇辖区内的村（社区）")
	form.Set("place_village", "")
	res = officer.post("/cases/new", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "请选择违法行为发生地所在的本镇村（社区）。")

	// A failed form keeps the chosen village selected.
	form.Set("place_village", "双河村")
	form.Set("act_on", "2025-09-02") // after today: refused, for another reason
	res = officer.post("/cases/new", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, `<option value="双河村" selected>双河村</option>`)

	// The town's own village is accepted.
	form.Set("act_on", "2025-08-20")
	path := fileCase(t, officer, form)
	pageSays(t, officer.get(path), "双河村")

	// 蒿坪镇's officer sees 蒿坪镇's villages, and may file there.
	other := a.login("haoping-officer1")
	mustContain(t, other.get("/cases/new"), `<option value="金星村">金星村</option>`)
	mustNotContain(t, other.get("/cases/new"), "干沙村")
}

// checkedBoxRE reads the ticked boxes of a form.
var checkedBoxRE = regexp.MustCompile(`<input type="checkbox" name="([a-z_]+)" value="1" checked>`)

// itemFormValues reads the catalogue item form: the text fields, selects,
// text areas and ticked boxes.
func itemFormValues(body string) url.Values {
	v := formValues(body)
	for _, m := range checkedBoxRE.FindAllStringSubmatch(body, -1) {
		v.Set(m[1], "1")
	}
	return v
}

// APL art. 33 ¶1: 首违不罚 applies only to items on the 首违不罚清单.
func TestFirstOffenceNeedsTheItemOnTheList(t *testing.T) {
	a := newApp(t)
	p := a.people(t)
	if seed.FirstOffenceListed("ZY-LY-001") || !seed.FirstOffenceListed("ZY-SR-001") {
		t.Fatal("sample 首违不罚清单 changed: ZY-LY-001 must be off it, ZY-SR-001 on it")
	}
	proposeNone := func(form url.Values) string {
		t.Helper()
		path := a.filedCase(t, form)
		mustAct(t, p.officer, path, "investigate", nil)
		wantStatus(t, p.officer.upload(path+"/evidence", map[string]string{"kind": "scene_record", "title": "现场照片", "collected_on": "2025-08-25"},
			"scene.jpg", jpegBytes), http.StatusSeeOther)
		mustAct(t, p.officer, path, "update_facts", url.Values{"text": {"经查，当事人系初次违法，危害后果轻微，已当场改正。"}})
		mustAct(t, p.officer, path, "propose", url.Values{"no_penalty": {"1"}, "reasoning": {"初次违法且危害后果轻微并及时改正。"}})
		mustAct(t, p.officer, path, "submit_review", nil)
		mustAct(t, p.reviewer, path, "pass_review", with(checklist(), url.Values{"text": {"同意不予处罚。"}}))
		return path
	}
	first := url.Values{"no_penalty_kind": {"first_offence"}, "reason": {"初次违法，危害后果轻微并已及时改正"},
		"education": {"当场宣讲相关法规，当事人签署承诺书"}}

	// 野外用火 (ZY-LY-001) is not on the list: refused.
	unlisted := proposeNone(a.caseForm(twoHandlers...))
	refused(t, p.head, unlisted, "no_penalty", first, http.StatusUnprocessableEntity,
		"该事项未列入首违不罚清单，不能以“初次违法”不予处罚（行政处罚法第三十三条第一款）")
	pageSays(t, p.head.get(unlisted), "待决定")
	// Another ground of art. 33 remains open.
	minor := cloneValues(first)
	minor.Set("no_penalty_kind", "minor")
	mustAct(t, p.head, unlisted, "no_penalty", minor)
	pageSays(t, p.officer.get(unlisted), "不予处罚 违法行为轻微并及时改正，没有造成危害后果（第三十三条第一款）")

	// 占道摆摊设点 (ZY-SR-001) is on the list: accepted.
	listed := proposeNone(a.itemForm("ZY-SR-001", twoHandlers...))
	mustAct(t, p.head, listed, "no_penalty", first)
	pageSays(t, p.officer.get(listed), "不予处罚 初次违法且危害后果轻微并及时改正（首违不罚，第三十三条第一款）",
		"教育情况 当场宣讲相关法规，当事人签署承诺书")
}

// The county administrator puts an item on the 首违不罚清单; the published
// list shows the mark from the next version on, and the downloads carry it.
func TestFirstOffenceListOnTheCatalogueAndTheLists(t *testing.T) {
	a := newApp(t)
	admin := a.login("county-admin")
	pub := a.client()
	id := a.itemID("ZY-SR-006")
	name := a.itemName(id)
	markedRE := func(name string) *regexp.Regexp {
		return regexp.MustCompile(regexp.QuoteMeta(name) + `(?:</a>)?\s*<span class="badge first-offence"[^>]*>首违不罚</span>`)
	}
	// Seeded: 占道摆摊设点 is marked on 毛坝镇's public list, 建筑垃圾 is not.
	list := pub.get("/public/towns/maoba/items")
	if !markedRE(a.itemName(a.itemID("ZY-SR-001"))).MatchString(list.body) {
		t.Fatal("ZY-SR-001 is not marked 首违不罚 on the public list")
	}
	if markedRE(name).MatchString(list.body) {
		t.Fatal("ZY-SR-006 is marked 首违不罚 before it was listed")
	}

	// The item form has the box, unticked.
	edit := admin.get("/authority/catalogue/" + itoa(id))
	wantStatus(t, edit, http.StatusOK)
	mustContain(t, edit, `<input type="checkbox" name="first_offence_list" value="1"> 列入首违不罚清单`)
	vals := itemFormValues(edit.body)
	// Only 行政处罚 items may be on the list.
	bad := cloneValues(vals)
	bad.Set("first_offence_list", "1")
	bad.Set("kind", "行政检查")
	for _, k := range []string{"fine_min_person", "fine_max_person", "fine_min_org", "fine_max_org", "warning", "confiscation", "suspension", "revocation", "other_penalty"} {
		bad.Del(k)
	}
	res := admin.post("/authority/catalogue/"+itoa(id), bad)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "只有行政处罚事项才能列入首违不罚清单。")

	vals.Set("first_offence_list", "1")
	res = admin.post("/authority/catalogue/"+itoa(id), vals)
	wantStatus(t, res, http.StatusSeeOther)
	mustContain(t, admin.get("/authority/catalogue/"+itoa(id)), `<input type="checkbox" name="first_offence_list" value="1" checked> 列入首违不罚清单`)
	if !markedRE(name).MatchString(admin.get("/authority/catalogue").body) {
		t.Fatal("the catalogue does not mark the item 首违不罚")
	}
	// The list in force is frozen: no mark yet.
	if markedRE(name).MatchString(pub.get("/public/towns/maoba/items").body) {
		t.Fatal("the published list changed with the catalogue")
	}

	// A new version for 毛坝镇 carries the flag; the draft shows the change.
	maoba := townID(a, "maoba")
	res = admin.post("/authority/drafts", url.Values{"title": {"首违不罚清单调整"}, "town": {itoa(maoba)}, "start_from": {itoa(maoba)}})
	wantStatus(t, res, http.StatusSeeOther)
	draft := res.location
	mustContain(t, admin.get(draft), "内容变更 1 项", "首违不罚清单")
	effective := testdb.Today.AddDate(0, 0, 10).Format(time.DateOnly)
	wantStatus(t, admin.post(draft+"/publish", url.Values{"effective_from": {effective}}), http.StatusSeeOther)
	next := pub.get("/public/towns/maoba/items?on=" + effective)
	if !markedRE(name).MatchString(next.body) {
		t.Fatalf("the new version does not mark %s 首违不罚", name)
	}

	// The CSV has a 首违不罚 column: 是 for listed items, 否 for other penalty items.
	res = pub.get("/public/towns/maoba/items.csv?on=" + effective)
	wantStatus(t, res, http.StatusOK)
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(records[0], "首违不罚")
	if col < 0 {
		t.Fatalf("no 首违不罚 column: %v", records[0])
	}
	got := map[string]string{}
	for _, r := range records[1:] {
		got[r[2]] = r[col]
	}
	for code, want := range map[string]string{"ZY-SR-006": "是", "ZY-SR-001": "是", "ZY-LY-001": "否", "ZY-SR-010": "—"} {
		if got[code] != want {
			t.Errorf("csv 首违不罚 of %s = %q, want %q", code, got[code], want)
		}
	}
	// Today's CSV still says 否 for the item.
	res = pub.get("/public/towns/maoba/items.csv")
	records, _ = csv.NewReader(strings.NewReader(strings.TrimPrefix(res.body, "\ufeff"))).ReadAll()
	for _, r := range records[1:] {
		if r[2] == "ZY-SR-006" && r[col] != "否" {
			t.Errorf("today's csv says %q for ZY-SR-006", r[col])
		}
	}
}

// The county administrator keeps each town's villages; the filing form
// follows. Town staff and the county reviewer may not change them.
func TestCountyAdminKeepsTheVillages(t *testing.T) {
	a := newApp(t)
	admin := a.login("county-admin")
	page := admin.get("/authority/villages?town=maoba")
	wantStatus(t, page, http.StatusOK)
	pageSays(t, page, "毛坝镇（8个）", "干沙村", "柳树村")

	res := admin.post("/authority/villages", url.Values{"town": {"maoba"}, "name": {"干沙村"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "本镇已有该村（社区）。")
	res = admin.post("/authority/villages", url.Values{"town": {"maoba"}, "name": {"村"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "村（社区）名称应为2至20个字")
	res = admin.post("/authority/villages", url.Values{"town": {"maoba"}, "name": {"石板沟村"}})
	wantStatus(t, res, http.StatusSeeOther)
	pageSays(t, admin.get(res.location), "毛坝镇（9个）", "石板沟村")
	wantStatus(t, admin.post("/authority/villages/remove", url.Values{"town": {"maoba"}, "name": {"柳树村"}}), http.StatusSeeOther)

	officer := a.login("maoba-officer1")
	form := officer.get("/cases/new")
	mustContain(t, form, `<option value="石板沟村">石板沟村</option>`)
	mustNotContain(t, form, `<option value="柳树村">`)
	f := a.caseForm("maoba-officer1", "maoba-officer3")
	f.Set("place_village", "柳树村")
	res = officer.post("/cases/new", f)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "发生地须为本镇辖区内的村（社区）；不在本镇辖区的，应移送所在地的镇或县级主管部门（行政处罚法第二十二条）")
	f.Set("place_village", "石板沟村")
	fileCase(t, officer, f)

	for _, who := range []string{"maoba-leader", "county-reviewer"} {
		c := a.login(who)
		wantStatus(t, c.get("/authority/villages"), http.StatusForbidden)
		wantStatus(t, c.post("/authority/villages", url.Values{"town": {"maoba"}, "name": {"越权村"}}), http.StatusForbidden)
	}
}
