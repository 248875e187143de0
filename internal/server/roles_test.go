package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/account"
	"zhifa/internal/database"
	"zhifa/internal/zhifa"
)

// TestTownHead: the town's 行政机关负责人 (镇负责人) logs in to a home page
// of its own town with the cases awaiting its decision, reads its town's
// cases and no other town's, and is refused the field staff's forms.
func TestTownHead(t *testing.T) {
	a := newApp(t)
	head := a.user("maoba-head")
	if head.Role != string(zhifa.RoleHead) || head.TownCode != "maoba" {
		t.Fatalf("demo head: %+v", head)
	}
	c := a.login("maoba-head")

	// Its home page: what awaits its decision and approval (the queues
	// themselves are tested in home_test.go), and the town's due list.
	home := c.get("/")
	wantStatus(t, home, http.StatusOK)
	mustContain(t, home, "毛坝镇镇负责人工作台", head.DisplayName, `id="todo-decide"`, `id="todo-approvals"`,
		`href="/cases"`, "毛坝镇全部案件", "即将到期和已逾期的案件")
	pageSays(t, home, "待作出决定", "待审批事项")
	// Not the field staff's home: no certificate of its own.
	mustNotContain(t, home, "我的执法证")
	mustContain(t, home, `href="/cases"`, `href="/officers"`, `href="/authority"`)
	mustNotContain(t, home, `href="/admin/users"`, `href="/towns"`)

	// Its town's cases, and only those.
	list := c.get("/cases")
	wantStatus(t, list, http.StatusOK)
	mustContain(t, list, "毛坝镇案件", "紫毛坝综执立")
	for _, code := range []string{"chengguan", "haoping", "donghe", "jieling"} {
		if prefix := "紫" + a.townShort(code) + "综执立"; strings.Contains(list.body, prefix) {
			t.Errorf("maoba-head's case list shows a case of %s", code)
		}
	}
	mustNotContain(t, list, `href="/cases/new"`)
	own := a.townCases("maoba")[0]
	wantStatus(t, c.get("/cases/"+itoa(own)), http.StatusOK)
	for _, other := range []string{"chengguan", "jieling"} {
		res := c.get("/cases/" + itoa(a.townCases(other)[0]))
		wantStatus(t, res, http.StatusNotFound)
		mustContain(t, res, "没有找到该案件")
	}

	// The head files no case and records no certificate.
	res := c.get("/cases/new")
	wantStatus(t, res, http.StatusForbidden)
	mustContain(t, res, "您的角色无权访问此页面")
	officer := itoa(a.user("maoba-officer1").ID)
	wantStatus(t, c.get("/officers"), http.StatusOK)
	wantStatus(t, c.get("/officers/"+officer), http.StatusOK)
	wantStatus(t, c.get("/officers/"+officer+"/certificate"), http.StatusForbidden)
	wantStatus(t, c.get("/admin/users"), http.StatusForbidden)

	// Every town has its head.
	heads := 0
	for _, u := range a.allUsers() {
		if u.Role == string(zhifa.RoleHead) {
			heads++
			if u.Username != u.TownCode+"-head" {
				t.Errorf("head %s of town %s", u.Username, u.TownCode)
			}
		}
	}
	if heads != 17 {
		t.Errorf("%d demo heads, want one for each of the 17 towns", heads)
	}
}

// TestAdminCreatesHead: the county administrator can create a head, who must
// belong to a town and is not sent to a certificate form.
func TestAdminCreatesHead(t *testing.T) {
	a := newApp(t)
	admin := a.login("county-admin")
	mustContain(t, admin.get("/admin/users/new"), `<option value="head">镇负责人</option>`)
	res := admin.post("/admin/users/new", url.Values{"username": {"gaotan-head2"}, "display_name": {"周某某（副镇长）"},
		"role": {"head"}, "town": {""}, "password": {"a-long-password"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "镇级角色必须选择所属镇", `<option value="head" selected>`)
	res = admin.post("/admin/users/new", url.Values{"username": {"gaotan-head2"}, "display_name": {"周某某（副镇长）"},
		"role": {"head"}, "town": {"gaotan"}, "password": {"a-long-password"}})
	wantStatus(t, res, http.StatusSeeOther)
	if res.location != "/admin/users" {
		t.Fatalf("after creating a head, redirect to %q", res.location)
	}
	u := a.user("gaotan-head2")
	if u.Role != "head" || u.TownCode != "gaotan" {
		t.Fatalf("created %+v", u)
	}
	mustContain(t, admin.get("/admin/users?town=gaotan&role=head"), "gaotan-head2", "周某某（副镇长）", "镇负责人")
	newHead := a.client()
	wantStatus(t, newHead.post("/login", url.Values{"username": {"gaotan-head2"}, "password": {"a-long-password"}}), http.StatusSeeOther)
	mustContain(t, newHead.get("/"), "高滩镇镇负责人工作台", "周某某（副镇长）")
}

// TestReviewerQualification: the county administrator records a reviewer's
// 法律职业资格证书编号 on the user form; the list shows it.
func TestReviewerQualification(t *testing.T) {
	a := newApp(t)
	admin := a.login("county-admin")
	rev := a.user("maoba-reviewer")
	path := "/admin/users/" + itoa(rev.ID)

	// The demo number is on record and on the form.
	seeded := qualification(t, a, rev.ID)
	if seeded == "" {
		t.Fatal("the demo reviewer has no qualification number")
	}
	mustContain(t, admin.get(path), "法律职业资格证书编号", `value="`+seeded+`"`)
	mustContain(t, admin.get("/admin/users?role=county_reviewer"), qualification(t, a, a.user("county-reviewer").ID))

	// A bad number is refused with the entries kept, and nothing changes.
	form := url.Values{"display_name": {"新名字"}, "phone": {"0915-4399999"}, "role": {"town_reviewer"}, "town": {"maoba"},
		"active": {"1"}, "legal_qualification_no": {"A2015-1234/56"}}
	res := admin.post(path, form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "法律职业资格证书编号应为1至40位数字或字母。", `value="A2015-1234/56"`, `value="新名字"`, `value="0915-4399999"`)
	form.Set("legal_qualification_no", strings.Repeat("1", 41))
	res = admin.post(path, form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "法律职业资格证书编号应为1至40位数字或字母。")
	if got := qualification(t, a, rev.ID); got != seeded {
		t.Fatalf("a refused form changed the number to %q", got)
	}
	mustNotContain(t, admin.get("/admin/users?town=maoba"), "新名字")

	// A good one is saved and listed.
	form.Set("legal_qualification_no", " B20201234567890 ")
	res = admin.post(path, form)
	wantStatus(t, res, http.StatusSeeOther)
	if got := qualification(t, a, rev.ID); got != "B20201234567890" {
		t.Fatalf("saved number %q", got)
	}
	mustContain(t, admin.get("/admin/users?town=maoba"), "maoba-reviewer", "新名字", "法律职业资格证书编号", "B20201234567890")

	// Blank clears it; the list says none is on record.
	form.Set("legal_qualification_no", "")
	wantStatus(t, admin.post(path, form), http.StatusSeeOther)
	if got := qualification(t, a, rev.ID); got != "" {
		t.Fatalf("cleared number is %q", got)
	}
	mustContain(t, admin.get("/admin/users?town=maoba&role=town_reviewer"), "未登记")

	// A new county reviewer with a number.
	res = admin.post("/admin/users/new", url.Values{"username": {"county-reviewer2"}, "display_name": {"司法局新人"},
		"role": {"county_reviewer"}, "password": {"a-long-password"}, "legal_qualification_no": {"A20231234500001"}})
	wantStatus(t, res, http.StatusSeeOther)
	if got := qualification(t, a, a.user("county-reviewer2").ID); got != "A20231234500001" {
		t.Fatalf("new reviewer's number %q", got)
	}

	// Only reviewers keep one.
	o := a.user("maoba-officer3")
	wantStatus(t, admin.post("/admin/users/"+itoa(o.ID), url.Values{"display_name": {o.DisplayName}, "role": {"officer"},
		"town": {"maoba"}, "active": {"1"}, "legal_qualification_no": {"A20231234500002"}}), http.StatusSeeOther)
	if got := qualification(t, a, o.ID); got != "" {
		t.Fatalf("an officer got the number %q", got)
	}
}

// TestQualificationOnlyByAdmin: nobody but the county administrator sets a
// reviewer's number, not even the reviewer.
func TestQualificationOnlyByAdmin(t *testing.T) {
	a := newApp(t)
	rev := a.user("maoba-reviewer")
	before := qualification(t, a, rev.ID)
	form := url.Values{"display_name": {rev.DisplayName}, "role": {"town_reviewer"}, "town": {"maoba"},
		"active": {"1"}, "legal_qualification_no": {"HACK0001"}}
	for _, who := range []string{"maoba-reviewer", "maoba-leader", "maoba-head", "county-reviewer"} {
		c := a.login(who)
		res := c.get("/admin/users/" + itoa(rev.ID))
		wantStatus(t, res, http.StatusForbidden)
		res = c.post("/admin/users/"+itoa(rev.ID), form)
		wantStatus(t, res, http.StatusForbidden)
		mustContain(t, res, "您的角色无权访问此页面")
	}
	if got := qualification(t, a, rev.ID); got != before {
		t.Fatalf("refused requests changed the number from %q to %q", before, got)
	}
	// The service refuses too, whatever the route.
	ctx := zhifa.WithActor(context.Background(), &zhifa.Actor{UserID: rev.ID, Username: rev.Username,
		Role: zhifa.RoleTownReviewer, TownID: townID(a, "maoba")})
	err := account.New(a.db.DB, account.NewHasher(account.CheapParams), a.clock.Now).Update(ctx, rev.ID,
		account.UserInput{DisplayName: rev.DisplayName, Role: zhifa.RoleTownReviewer, TownCode: "maoba", Active: true, LegalQualificationNo: "HACK0002"})
	if zhifa.ErrorCode(err) != zhifa.EFORBIDDEN || zhifa.ErrorMessage(err) != "只有县级管理员可以管理用户。" {
		t.Fatalf("a reviewer updating itself: %v", err)
	}
}

// qualification reads the number through account.LegalQualification, in the
// county's scope.
func qualification(t *testing.T, a *app, userID int64) string {
	t.Helper()
	var no string
	err := a.inTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		var err error
		no, err = account.LegalQualification(context.Background(), tx, userID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return no
}
