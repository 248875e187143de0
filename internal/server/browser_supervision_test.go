package server_test

import (
	"net/http"
	"strings"
	"testing"

	"zhifa/internal/testdb"
)

// TestBrowserTrainingAndSupervision fills every form of issue 13's
// training and supervisors in Chromium: 毛坝镇's 队长 records a session
// (a bad number of hours refused at its box, the entries kept) and ticks
// its attendance; the county administrator appoints a supervisor for
// 城关镇 (a term ending before it starts refused) and renews 毛坝镇's; the
// new supervisor logs in and files an opinion on a case by its number;
// 城关镇's 队长 answers it, and the supervisor reads the answer.
func TestBrowserTrainingAndSupervision(t *testing.T) {
	a := newApp(t)
	b := newBrowser(t, a)

	// A training session and its attendance.
	b.login("maoba-leader")
	b.open("/training")
	b.open("/training/new")
	form := "#training-new"
	b.fill(form, "organiser", "maoba", "held_on", "2025-08-28", "topic", "行政强制措施实务", "hours", "两个半", "trainer", "县司法局 李某")
	if st := b.submit(form); st != http.StatusUnprocessableEntity {
		t.Fatalf("hours in words: status %d", st)
	}
	if errs := b.texts(form + " p.error"); !strings.Contains(errs, "学时应为数字") {
		t.Errorf("the refusal is not at the box: %q", errs)
	}
	if !b.holds(form+` [name="topic"]`, "input/text", "行政强制措施实务") {
		t.Error("the refused form lost the topic")
	}
	b.fill(form, "hours", "2.5")
	if st := b.submit(form); st != http.StatusOK {
		t.Fatalf("record the session: status %d: %s", st, b.texts(".form-error, p.error"))
	}
	if f := b.flash(); f != "已登记培训，请勾选参训人员。" {
		t.Errorf("flash %q", f)
	}
	o1, o2 := a.user("maoba-officer1"), a.user("maoba-officer2")
	att := "#attendance-form"
	b.fill(att, `[name="officer"][value="`+itoa(o1.ID)+`"]`, "1", `[name="officer"][value="`+itoa(o2.ID)+`"]`, "1")
	if st := b.submit(att); st != http.StatusOK {
		t.Fatalf("attendance: status %d: %s", st, b.texts(".form-error, p.error"))
	}
	if f := b.flash(); !strings.Contains(f, "新增2人") {
		t.Errorf("flash %q", f)
	}
	if got := b.text("#attendance"); !strings.Contains(got, o1.DisplayName) || !strings.Contains(got, o2.DisplayName) || !strings.Contains(got, "2 人") {
		t.Errorf("attendance shown: %q", got)
	}

	// The county administrator appoints a supervisor for 城关镇.
	b.login("county-admin")
	b.open("/supervision")
	b.open("/supervision/supervisors")
	b.open("/supervision/supervisors/new")
	form = "#appoint"
	b.fill(form, "display_name", "孙某某", "town", "chengguan", "affiliation", "政协委员", "phone", "13900002222",
		"term_from", "2025-09-01", "term_until", "2025-08-01", "username", "chengguan-supervisor", "password", testdb.Password)
	if st := b.submit(form); st != http.StatusUnprocessableEntity {
		t.Fatalf("a term ending before it starts: status %d", st)
	}
	if errs := b.texts(form + " p.error"); !strings.Contains(errs, "任期截止日期不能早于起始日期。") {
		t.Errorf("the refusal is not at the box: %q", errs)
	}
	if !b.holds(form+` [name="display_name"]`, "input/text", "孙某某") {
		t.Error("the refused form lost the name")
	}
	b.fill(form, "term_until", "2027-08-31", "password", testdb.Password)
	if st := b.submit(form); st != http.StatusOK {
		t.Fatalf("appoint: status %d: %s", st, b.texts(".form-error, p.error"))
	}
	if f := b.flash(); !strings.Contains(f, "已聘任执法监督员 孙某某") {
		t.Errorf("flash %q", f)
	}
	// 毛坝镇's supervisor renewed through the term form.
	b.open("/supervision/supervisors/" + itoa(a.user("maoba-supervisor").ID))
	b.fill("#renew", "term_until", "2027-12-31")
	if st := b.submit("#renew"); st != http.StatusOK || b.flash() != "任期已保存。" {
		t.Fatalf("renew: status %d, flash %q", st, b.flash())
	}

	// The new supervisor files an opinion on a case of their town.
	number := a.caseNumber(t, "chengguan")
	b.login("chengguan-supervisor")
	if got := b.text("#term"); !strings.Contains(got, "2025-09-01 至 2027-08-31") {
		t.Errorf("the term on the home page: %q", got)
	}
	b.open("/supervision/opinions/new")
	form = "#opinion-new"
	b.fill(form, "subject", "case", "case_ref", number, "text", "该案罚款数额是否符合裁量基准，请说明。")
	if st := b.submit(form); st != http.StatusOK {
		t.Fatalf("file the opinion: status %d: %s", st, b.texts(".form-error, p.error"))
	}
	if f := b.flash(); !strings.Contains(f, "监督意见已提交") {
		t.Errorf("flash %q", f)
	}
	opinion := b.path()

	// 城关镇's 队长 answers it from the queue.
	b.login("chengguan-leader")
	b.open("/supervision")
	if got := b.text("#opinions"); !strings.Contains(got, number) || !strings.Contains(got, "待答复") {
		t.Errorf("the leader's queue: %q", got)
	}
	b.open(opinion)
	if got := b.text("#opinion-case"); got != number {
		t.Errorf("the case link: %q", got)
	}
	b.fill("#opinion-response", "text", "经复核，罚款数额在裁量基准第二档内，已向监督员说明。")
	if st := b.submit("#opinion-response"); st != http.StatusOK {
		t.Fatalf("answer: status %d: %s", st, b.texts(".form-error, p.error"))
	}
	if f := b.flash(); !strings.HasPrefix(f, "答复已保存") {
		t.Errorf("flash %q", f)
	}

	b.login("chengguan-supervisor")
	b.open(opinion)
	if got := b.text("#response"); !strings.Contains(got, "裁量基准第二档") || !strings.Contains(got, a.user("chengguan-leader").DisplayName) {
		t.Errorf("the answer as the supervisor reads it: %q", got)
	}
}
