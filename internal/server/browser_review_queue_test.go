package server_test

import (
	"net/http"
	"strings"
	"testing"
)

// The county reviewer finds the 待审核 list from the menu and narrows it,
// and the case list, to one town through their town filters.
func TestBrowserReviewQueueTownFilter(t *testing.T) {
	a := newApp(t)
	mine := a.submittedCase(t, a.crew(t))
	b := newBrowser(t, a)
	b.login("county-reviewer")

	b.open("/")
	if got := b.text(`#review-queue-count`); !strings.Contains(got, "待法制审核 18 件") {
		t.Errorf("the county's home page counts %q, want 18 cases (one demo case per town and ours)", got)
	}
	if href := b.eval(`(Array.from(document.querySelectorAll("nav a")).find(e => e.innerText.trim().startsWith("待审核")) || {href: ""}).href`); !strings.HasSuffix(href, "/review") {
		t.Fatalf("no 待审核 in the menu: %q", href)
	}
	// The menu counts the queue beside it.
	if n := b.eval(`(document.querySelector("nav a[href='/review'] .nav-count") || {innerText: ""}).innerText`); n != "18" {
		t.Errorf("待审核 in the menu counts %q, want 18", n)
	}
	b.open("/review")
	if towns := b.texts("#review-queue tbody td:first-child"); !strings.Contains(towns, "城关镇") || !strings.Contains(towns, "毛坝镇") {
		t.Fatalf("the county's queue is not every town's: %s", towns)
	}
	const filter = `form.town-filter`
	b.fill(filter, "town", "maoba")
	if st := b.submit(filter); st != http.StatusOK {
		t.Fatalf("filter by town: status %d", st)
	}
	if q := b.eval(`location.pathname + location.search`); q != "/review?town=maoba" {
		t.Errorf("the filter went to %s", q)
	}
	if towns := b.texts("#review-queue tbody td:first-child"); towns != "毛坝镇 | 毛坝镇" {
		t.Errorf("?town=maoba shows the towns %q, want two rows of 毛坝镇", towns)
	}
	if ids := b.eval(`Array.from(document.querySelectorAll("#review-queue tbody tr")).map(e => e.dataset.case).join(",")`); !strings.HasSuffix(ids, ","+mine) {
		t.Errorf("our case %s is not last (newest submission) in %s", mine, ids)
	}
	if sel := b.eval(`document.querySelector("form.town-filter select[name=town]").value`); sel != "maoba" {
		t.Errorf("the filter shows %q after filtering, want maoba", sel)
	}
	b.fill(filter, "town", "")
	b.submit(filter)
	if n := b.eval(`String(document.querySelectorAll("#review-queue tbody tr").length)`); n != "18" {
		t.Errorf("全部镇 shows %s rows, want 18", n)
	}

	// The case list: the town beside the other filters.
	b.open("/cases")
	const cases = `form.filters[action="/cases"]`
	b.fill(cases, "town", "chengguan", "state", "review")
	if st := b.submit(cases); st != http.StatusOK {
		t.Fatalf("filter the case list: status %d", st)
	}
	if towns := b.texts("table.data tbody td:first-child"); towns != "城关镇" {
		t.Errorf("the case list filtered to 城关镇 under review shows %q", towns)
	}
	if q := b.eval(`location.search`); !strings.Contains(q, "town=chengguan") || !strings.Contains(q, "state=review") {
		t.Errorf("the case list's filter went to %s", q)
	}
}
