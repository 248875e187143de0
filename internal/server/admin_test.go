package server_test

import (
	"net/http"
	"net/url"
	"testing"
)

func TestAdminCreatesUserAndCertificate(t *testing.T) {
	a := newApp(t)
	admin := a.login("county-admin")
	wantStatus(t, admin.get("/admin/users/new"), http.StatusOK)

	// A bad form comes back with every problem next to its field, the
	// entries kept, and nothing written.
	before := len(a.allUsers())
	res := admin.post("/admin/users/new", url.Values{
		"username": {"Bad Name!"}, "display_name": {"李新"}, "phone": {"abc"},
		"role": {"officer"}, "town": {""}, "password": {"short"},
	})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "登录名为3至40位小写字母", "联系电话只能包含数字", "镇级角色必须选择所属镇", "密码至少10位",
		`value="李新"`, `value="abc"`, `<option value="officer" selected>`)
	mustNotContain(t, res, `value="short"`)
	if after := len(a.allUsers()); after != before {
		t.Fatalf("a refused form wrote %d users", after-before)
	}
	// A county role must not have a town.
	res = admin.post("/admin/users/new", url.Values{"username": {"county-x"}, "display_name": {"李新"},
		"role": {"county_reviewer"}, "town": {"maoba"}, "password": {"a-long-password"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "县级角色不属于任何镇", `<option value="maoba" selected>`)

	// A taken username.
	res = admin.post("/admin/users/new", url.Values{"username": {"maoba-leader"}, "display_name": {"李新"},
		"role": {"officer"}, "town": {"maoba"}, "password": {"a-long-password"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "该登录名已被使用")

	// A good one: on to the certificate form.
	res = admin.post("/admin/users/new", url.Values{"username": {"maoba-officer9"}, "display_name": {"李新"},
		"phone": {"0915-4300999"}, "role": {"officer"}, "town": {"maoba"}, "password": {"a-long-password"}})
	wantStatus(t, res, http.StatusSeeOther)
	u := a.user("maoba-officer9")
	if u.TownCode != "maoba" || u.Role != "officer" {
		t.Fatalf("created %+v", u)
	}
	if res.location != "/officers/"+itoa(u.ID)+"/certificate" {
		t.Fatalf("after creating an officer, redirect to %q", res.location)
	}
	mustContain(t, admin.get(res.location), "已创建用户 maoba-officer9", "请登记其执法证")

	// The new officer shows as having no certificate, to the town's leader too.
	leader := a.login("maoba-leader")
	list := leader.get("/officers")
	mustContain(t, list, "李新", "未登记执法证")

	// Certificate form errors keep the entries.
	res = admin.post("/officers/"+itoa(u.ID)+"/certificate", url.Values{"number": {"61092120099"}, "issuer": {""},
		"valid_from": {"2025-13-01"}, "valid_until": {"2024-01-01"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "请填写发证机关", "请填写有效期起始日期", `value="61092120099"`, `value="2024-01-01"`)
	res = admin.post("/officers/"+itoa(u.ID)+"/certificate", url.Values{"number": {"61092120099"}, "issuer": {"紫阳县人民政府"},
		"valid_from": {"2025-03-01"}, "valid_until": {"2025-02-01"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "截止日期不能早于起始日期")
	// A number already held by someone else.
	res = admin.post("/officers/"+itoa(u.ID)+"/certificate", url.Values{"number": {"6109212001"}, "issuer": {"紫阳县人民政府"},
		"valid_from": {"2025-03-01"}, "valid_until": {"2030-02-01"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "该执法证号已登记在其他人员名下")

	// Expiring within 30 days of the test's today (2025-09-01).
	res = admin.post("/officers/"+itoa(u.ID)+"/certificate", url.Values{"number": {"61092120099"}, "issuer": {"紫阳县人民政府"},
		"valid_from": {"2020-09-20"}, "valid_until": {"2025-09-20"}})
	wantStatus(t, res, http.StatusSeeOther)
	page := admin.get(res.location)
	mustContain(t, page, "执法证已保存", "61092120099", "2025-09-20", "即将到期", "剩余19天")

	// The new officer can log in.
	newbie := a.client()
	res = newbie.post("/login", url.Values{"username": {"maoba-officer9"}, "password": {"a-long-password"}})
	wantStatus(t, res, http.StatusSeeOther)
	mustContain(t, newbie.get("/"), "李新", "即将到期")

	// The user list shows it.
	mustContain(t, admin.get("/admin/users?town=maoba"), "maoba-officer9", "李新")
}

func TestAdminEditsUser(t *testing.T) {
	a := newApp(t)
	admin := a.login("county-admin")
	u := a.user("xiangyang-officer2")
	res := admin.get("/admin/users/" + itoa(u.ID))
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, "xiangyang-officer2", `<option value="xiangyang" selected>`, `name="active" value="1" checked`)

	// Move to another town as team leader and reset the password.
	res = admin.post("/admin/users/"+itoa(u.ID), url.Values{"display_name": {u.DisplayName}, "role": {"leader"},
		"town": {"donghe"}, "active": {"1"}, "password": {"reset-password-1"}})
	wantStatus(t, res, http.StatusSeeOther)
	moved := a.user("xiangyang-officer2")
	if moved.TownCode != "donghe" || moved.Role != "leader" {
		t.Fatalf("after edit: %+v", moved)
	}
	// The certificate followed: donghe's leader sees it, xiangyang's does not.
	mustContain(t, a.login("donghe-leader").get("/officers"), u.DisplayName)
	mustNotContain(t, a.login("xiangyang-leader").get("/officers"), u.DisplayName)
	res = a.client().post("/login", url.Values{"username": {"xiangyang-officer2"}, "password": {"reset-password-1"}})
	wantStatus(t, res, http.StatusSeeOther)

	// The administrator cannot lock themself out.
	me := a.user("county-admin")
	res = admin.post("/admin/users/"+itoa(me.ID), url.Values{"display_name": {me.DisplayName}, "role": {"county_admin"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "不能停用自己的账号")
	a.login("county-admin")

	// Unknown ids are 404.
	wantStatus(t, admin.get("/admin/users/999999"), http.StatusNotFound)
	wantStatus(t, admin.get("/admin/users/abc"), http.StatusNotFound)
}

func TestCertificateFlagsAndLeaderEditing(t *testing.T) {
	a := newApp(t)
	// The demo data dates some certificates relative to testdb.Today: in
	// chengguan (town 1) one expires in 10 days; in haoping (town 2) one
	// lapsed 21 days ago.
	cg := a.login("chengguan-leader")
	home := cg.get("/")
	mustContain(t, home, "执法证提醒", "即将到期", "剩余10天")
	expiring := cg.get("/officers?status=expiring")
	mustContain(t, expiring, a.user("chengguan-officer2").DisplayName)
	mustNotContain(t, expiring, a.user("chengguan-officer1").DisplayName)

	county := a.login("county-reviewer")
	res := county.get("/officers?status=expired")
	mustContain(t, res, a.user("haoping-officer2").DisplayName, "已过期21天")
	mustNotContain(t, res, a.user("chengguan-officer2").DisplayName)
	res = county.get("/officers?town=haoping")
	mustContain(t, res, "蒿坪镇执法人员", a.user("haoping-leader").DisplayName)
	mustNotContain(t, res, a.user("chengguan-leader").DisplayName)
	mustContain(t, county.get("/"), "各镇执法队", "执法证已过期或30天内到期", a.user("haoping-officer2").DisplayName)
	mustContain(t, county.get("/towns"), "城关镇综合行政执法队", "界岭镇综合行政执法队")

	// The team leader renews an officer's certificate in their own town.
	o := a.user("chengguan-officer2")
	res = cg.get("/officers/" + itoa(o.ID) + "/certificate")
	wantStatus(t, res, http.StatusOK)
	res = cg.post("/officers/"+itoa(o.ID)+"/certificate", url.Values{"number": {"6109201003"}, "issuer": {"紫阳县人民政府"},
		"valid_from": {"2025-09-01"}, "valid_until": {"2030-08-31"}})
	wantStatus(t, res, http.StatusSeeOther)
	mustContain(t, cg.get("/officers/"+itoa(o.ID)), "2030-08-31", "有效")
	mustNotContain(t, cg.get("/"), "剩余10天")

	// Officers themselves may look but not edit.
	officer := a.login("chengguan-officer1")
	page := officer.get("/officers/" + itoa(o.ID))
	wantStatus(t, page, http.StatusOK)
	mustNotContain(t, page, "登记或更新执法证")
}
