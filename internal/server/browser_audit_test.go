package server_test

import (
	"net/http"
	"strings"
	"testing"
)

// The county reviewer finds 访问记录 in the menu and narrows the log with
// its filter form: town, case, user, kind and dates; the form keeps what
// was chosen.
func TestBrowserAuditFilter(t *testing.T) {
	a := newApp(t)
	maoba, chengguan := itoa(a.aCaseOf("maoba")), itoa(a.aCaseOf("chengguan"))
	m := a.login("maoba-officer2")
	wantStatus(t, m.get("/cases/"+maoba), http.StatusOK)
	wantStatus(t, m.get("/cases/"+maoba+"/dossier"), http.StatusOK)
	wantStatus(t, a.login("chengguan-officer1").get("/cases/"+chengguan), http.StatusOK)

	b := newBrowser(t, a)
	b.login("county-reviewer")
	b.open("/")
	if href := b.eval(`(Array.from(document.querySelectorAll("nav a")).find(e => e.innerText.trim() === "访问记录") || {href: ""}).href`); !strings.HasSuffix(href, "/audit") {
		t.Fatalf("no 访问记录 in the menu: %q", href)
	}
	b.open("/audit")
	if users := b.texts("table.audit-log tbody td:nth-child(5) small"); users != "chengguan-officer1 | maoba-officer2 | maoba-officer2" {
		t.Fatalf("the whole log, newest first: %q", users)
	}

	const form = `form.audit-filter`
	b.fill(form, "town", "maoba", "user", "maoba-officer2", "what", "dossier", "from", "2025-09-01", "to", "2025-09-01")
	if st := b.submit(form); st != http.StatusOK {
		t.Fatalf("filter: status %d", st)
	}
	if got := b.texts("table.audit-log tbody td:nth-child(4)"); !strings.HasPrefix(got, "案卷") || strings.Contains(got, "|") {
		t.Errorf("the filtered log shows %q, want the one dossier read", got)
	}
	if towns := b.texts("table.audit-log tbody td:nth-child(2)"); towns != "毛坝镇" {
		t.Errorf("towns %q", towns)
	}
	for field, want := range map[string]string{"town": "maoba", "user": "maoba-officer2", "what": "dossier", "from": "2025-09-01", "to": "2025-09-01"} {
		if got := b.eval(`document.querySelector("form.audit-filter [name=` + field + `]").value`); got != want {
			t.Errorf("after filtering the form shows %s = %q, want %q", field, got, want)
		}
	}

	// By case (its id), every kind, every town.
	b.fill(form, "town", "", "user", "", "what", "", "case", chengguan)
	b.submit(form)
	if users := b.texts("table.audit-log tbody td:nth-child(5) small"); users != "chengguan-officer1" {
		t.Errorf("the case's log shows %q", users)
	}
	// A day with no reads.
	b.fill(form, "case", "", "from", "2025-09-02", "to", "")
	b.submit(form)
	if got := b.text("p.audit-empty"); got != "没有符合条件的访问记录。" {
		t.Errorf("an empty result says %q", got)
	}
}
