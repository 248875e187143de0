package server_test

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// Officers work in the field with a phone in hand: every page must fit a
// 360–400 px screen without sideways scrolling, and every button must be
// big enough for a thumb (44 px, the common touch-target size).

const phoneWidth, phoneHeight = 390, 844

// phone makes the tab a phone width px wide and 844 px high (a mobile
// viewport that honours the page's <meta name="viewport">).
func (b *browser) phone(width int64) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, chromedp.EmulateViewport(width, phoneHeight, chromedp.EmulatePortrait, chromedp.EmulateMobile)); err != nil {
		b.t.Fatalf("phone viewport: %v", err)
	}
}

// desktop makes the tab a 1366 × 900 office screen.
func (b *browser) desktop() {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, chromedp.EmulateViewport(1366, 900)); err != nil {
		b.t.Fatalf("desktop viewport: %v", err)
	}
}

// screenshot saves the whole page as test-artifacts/<name>.png.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	shot, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(artifactDir(b.t), name+".png"), shot, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// tooWide lists the page's elements that stick out past the right edge of
// a screen width px wide: the innermost ones, which push the page wider.
// "" when the page is no wider than the screen.
func (b *browser) tooWide(width int) string {
	b.t.Helper()
	return b.eval(`(() => {
		const W = ` + itoa(int64(width)) + `;
		const sw = document.documentElement.scrollWidth;
		if (sw <= W) return "";
		const out = [];
		const sticks = e => { const r = e.getBoundingClientRect(); return (r.width > 0 || r.height > 0) && r.right + scrollX > W + 0.5; };
		for (const e of document.body.querySelectorAll("*")) {
			if (!sticks(e) || Array.from(e.children).some(sticks)) continue;
			const cls = e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\s+/).join(".") : "";
			const up = e.parentElement ? e.parentElement.tagName.toLowerCase() + (e.parentElement.className ? "." + String(e.parentElement.className).trim().split(/\s+/).join(".") : "") + " > " : "";
			out.push(up + e.tagName.toLowerCase() + cls + " " + Math.round(e.getBoundingClientRect().width) + "px wide to " + Math.round(e.getBoundingClientRect().right + scrollX) + "px: " + JSON.stringify((e.innerText || e.value || "").trim().slice(0, 40)));
			if (out.length >= 8) break;
		}
		return "the page is " + sw + "px wide: " + (out.join("; ") || "no element sticks out: a pseudo-element or a transform does");
	})()`)
}

// smallTargets lists the visible buttons, lists and text boxes less than
// 44 px high, and the check boxes and radio buttons under 20 px that are
// not in a label of 44 px: too small to hit with a thumb. The menu and
// other folded parts (<details>) are opened first, as a person would.
func (b *browser) smallTargets() string {
	b.t.Helper()
	return b.eval(`(() => {
		const folded = Array.from(document.querySelectorAll("details:not([open])"));
		folded.forEach(d => d.open = true);
		const shown = e => e.checkVisibility({visibilityProperty: true});
		const name = e => e.tagName.toLowerCase() + (e.type ? "[" + e.type + "]" : "") + (e.name ? " " + e.name : "") + " " +
			JSON.stringify((e.innerText || e.value || e.getAttribute("aria-label") || "").trim().slice(0, 20));
		const out = [];
		for (const e of document.querySelectorAll("button, .button, input[type=submit], select, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), header nav a, summary")) {
			if (shown(e) && e.getBoundingClientRect().height < 43.5) out.push(name(e) + " " + Math.round(e.getBoundingClientRect().height) + "px high");
		}
		for (const e of document.querySelectorAll("input[type=checkbox], input[type=radio]")) {
			if (!shown(e)) continue;
			const r = e.getBoundingClientRect();
			const l = e.closest("label") || (e.id && document.querySelector("label[for='" + e.id + "']"));
			if (Math.min(r.width, r.height) < 19.5 && !(l && l.getBoundingClientRect().height >= 43.5)) {
				out.push(name(e) + " " + Math.round(r.width) + "×" + Math.round(r.height) + "px" + (l ? " in a label " + Math.round(l.getBoundingClientRect().height) + "px high" : ""));
			}
		}
		folded.forEach(d => d.open = false);
		return out.slice(0, 12).join("; ") + (out.length > 12 ? "; and " + (out.length - 12) + " more" : "");
	})()`)
}

// fitsPhone opens path on the phone, wants it no wider than the screen and
// its controls big enough to touch, and saves its picture as
// test-artifacts/phone-<name>.png.
func (b *browser) fitsPhone(name, path string) {
	b.t.Helper()
	b.open(path)
	b.screenshot("phone-" + name)
	if wide := b.tooWide(phoneWidth); wide != "" {
		b.t.Errorf("%s (%s) on a %d px phone: %s", name, path, phoneWidth, wide)
	}
	if small := b.smallTargets(); small != "" {
		b.t.Errorf("%s (%s) on a phone: too small to touch: %s", name, path, small)
	}
}

// phoneCase is the id of the town's demo case of party (the seed's
// 刘某 is 毛坝镇's first real case: closed, with evidence and a timeline).
func (a *app) phoneCase(town, party string) string {
	a.t.Helper()
	var id int64
	if err := a.owner().QueryRow(context.Background(), `SELECT c.id FROM cases c JOIN towns t ON t.id = c.town_id
		WHERE t.code = $1 AND c.party_name = $2 ORDER BY c.id LIMIT 1`, town, party).Scan(&id); err != nil {
		a.t.Fatalf("demo case of %s in %s: %v", party, town, err)
	}
	return "/cases/" + itoa(id)
}

// TestPhonePages opens the pages of every role on a 390 × 844 phone: none
// is wider than the screen, every button, list and text box is at least
// 44 px high and every check box can be hit; each page's picture is left
// in test-artifacts/phone-*.png. On a 1366 px office screen the case list
// and the case page keep their tables.
func TestPhonePages(t *testing.T) {
	a := newApp(t)
	officer := a.loginAs(t, "maoba-officer1")
	fresh := a.investigatingCase(t) // a case of this test's own, with a document issued
	doc := a.issueDoc(t, officer, fresh, "correction_order", correctionOrder)
	closed := a.phoneCase("maoba", "刘某")
	investigating := a.phoneCase("maoba", "李某")
	review := a.phoneCase("maoba", "某建筑公司")
	executing := a.phoneCase("maoba", "吴某")
	county := a.loginAs(t, "county-reviewer")
	round := evOpen(t, county, url.Values{"name": {"2025年案卷评查"}, "period_from": {"2025-01-01"}, "period_to": {"2025-08-31"},
		"towns": {itoa(a.townID("maoba"))}, "per_town": {"2"}, "seed": {"42"}, "reviewers": {itoa(a.user("county-reviewer").ID)}})
	dossiers, order := evSample(t, county, round)
	if len(order) == 0 {
		t.Fatalf("the round %s drew no dossier", round)
	}

	b := newBrowser(t, a)
	b.phone(phoneWidth)
	b.fitsPhone("login", "/login")
	b.fitsPhone("public-towns", "/public/towns")
	b.fitsPhone("public-items", "/public/towns/maoba/items")

	b.login("maoba-officer1")
	officerPages := []struct{ name, path string }{
		{"officer-home", "/"},
		{"officer-cases", "/cases"},
		{"officer-case-closed", closed},
		{"officer-case-investigating", investigating},
		{"officer-case-executing", executing},
		{"officer-case-fresh", fresh},
		{"officer-new-case", "/cases/new"},
		{"officer-documents", fresh + "/documents"},
		{"officer-document-draft", fresh + "/documents/new/correction_order"},
		{"officer-document", doc},
		{"officer-dossier", closed + "/dossier"},
		{"officer-authority", "/authority"},
		{"officer-items", "/authority/towns/maoba/items"},
		{"officer-officers", "/officers"},
		{"officer-officer", "/officers/" + itoa(a.user("maoba-officer1").ID)},
		{"officer-filings", "/filings"},
		{"officer-evaluations", "/evaluations"},
		{"officer-corrections", "/corrections"},
		{"officer-password", "/account/password"},
	}
	for _, p := range officerPages {
		b.fitsPhone(p.name, p.path)
	}
	// The smallest common phones are 360 px wide.
	b.phone(360)
	for _, p := range officerPages {
		b.open(p.path)
		if wide := b.tooWide(360); wide != "" {
			t.Errorf("%s (%s) on a 360 px phone: %s", p.name, p.path, wide)
		}
	}
	b.phone(phoneWidth)
	// The menu folds behind 菜单, the to-dos marked on it; a tap opens it.
	b.open("/")
	menu := `Array.from(document.querySelectorAll("header nav a")).filter(a => a.checkVisibility()).map(a => a.innerText.trim()).join(",")`
	if got := b.eval(menu); got != "" {
		t.Errorf("on a phone the menu is open before a tap: %s", got)
	}
	if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS("header summary"))); err != nil {
		t.Fatalf("tap 菜单: %v", err)
	}
	if got := b.eval(menu); !strings.Contains(got, "案件") || !strings.Contains(got, "执法人员") {
		t.Errorf("after a tap on 菜单 the menu shows %q", got)
	}
	b.screenshot("phone-officer-menu")
	// The case page reads top to bottom, its actions a tap away: a bar at
	// the top jumps to them, and stays at the top as the page scrolls.
	b.open(investigating)
	jump := `(() => { const a = document.querySelector("a[href='#actions']"); const r = a && a.getBoundingClientRect();
		return r && r.height >= 44 && r.top >= 0 && r.bottom <= innerHeight ? "yes" : ""; })()`
	if b.eval(jump) == "" {
		t.Errorf("the case page shows no link to its actions on the phone's first screen")
	}
	b.eval(`(() => { scrollTo(0, document.documentElement.scrollHeight / 2); return ""; })()`)
	if b.eval(jump) == "" {
		t.Errorf("halfway down the case page the link to its actions is gone")
	}
	if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS("a[href='#actions']"))); err != nil {
		t.Fatalf("tap 操作: %v", err)
	}
	if got := b.eval(`(() => { const r = document.querySelector("#actions h2").getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight ? "yes" : ""; })()`); got == "" {
		t.Errorf("a tap on 操作 does not bring the actions into view")
	}

	b.login("maoba-leader")
	b.fitsPhone("leader-home", "/")
	b.fitsPhone("leader-case-review", review)
	b.fitsPhone("leader-officers", "/officers")
	b.fitsPhone("leader-certificate", "/officers/"+itoa(a.user("maoba-officer2").ID)+"/certificate")
	b.fitsPhone("leader-new-case", "/cases/new")
	b.login("maoba-head")
	b.fitsPhone("head-home", "/")
	b.login("maoba-reviewer")
	b.fitsPhone("reviewer-home", "/")
	b.fitsPhone("reviewer-review", "/review")
	b.fitsPhone("reviewer-case-review", review)

	b.login("county-reviewer")
	for _, p := range []struct{ name, path string }{
		{"county-reviewer-home", "/"},
		{"county-reviewer-cases", "/cases"},
		{"county-reviewer-review", "/review"},
		{"county-reviewer-towns", "/towns"},
		{"county-reviewer-case", closed},
		{"county-reviewer-audit", "/audit"},
	} {
		b.fitsPhone(p.name, p.path)
	}
	b.fitsPhone("county-reviewer-filings", "/filings")
	b.fitsPhone("county-reviewer-new-evaluation", "/evaluations/new")
	b.fitsPhone("county-reviewer-evaluation", round)
	b.fitsPhone("county-reviewer-evaluation-dossier", dossiers[order[0]])
	b.fitsPhone("county-reviewer-evaluation-report", round+"/report")
	b.fitsPhone("county-reviewer-evaluation-sheet", "/settings/evaluation-sheet")
	b.login("county-admin")
	for _, p := range []struct{ name, path string }{
		{"county-admin-home", "/"},
		{"county-admin-cases", "/cases"},
		{"county-admin-towns", "/towns"},
		{"county-admin-users", "/admin/users"},
		{"county-admin-new-user", "/admin/users/new"},
		{"county-admin-settings", "/settings"},
		{"county-admin-holidays", "/settings/holidays"},
		{"county-admin-document-settings", "/settings/documents"},
		{"county-admin-major", "/settings/major"},
		{"county-admin-catalogue", "/authority/catalogue"},
		{"county-admin-new-item", "/authority/catalogue/new"},
		{"county-admin-item", "/authority/catalogue/" + itoa(a.itemID("ZY-HJ-001"))},
		{"county-admin-user", "/admin/users/" + itoa(a.user("maoba-officer1").ID)},
		{"county-admin-evaluation-sheet", "/settings/evaluation-sheet"},
		{"county-admin-drafts", "/authority/drafts"},
		{"county-admin-domains", "/authority/domains"},
		{"county-admin-villages", "/authority/villages"},
	} {
		b.fitsPhone(p.name, p.path)
	}

	// The office screen keeps its layout: the menu in the header, tables
	// with their column heads, nothing wider than the screen.
	b.login("maoba-officer1")
	b.desktop()
	for _, p := range []struct{ name, path string }{{"cases", "/cases"}, {"case", closed}} {
		b.open(p.path)
		b.screenshot("desktop-" + p.name)
		if wide := b.tooWide(1366); wide != "" {
			t.Errorf("%s at 1366 px: %s", p.path, wide)
		}
		if got := b.eval(`(() => { const t = document.querySelector("main table"); const h = t && t.querySelector("thead th");
			return t && getComputedStyle(t).display === "table" && h && h.getBoundingClientRect().height > 0 ? "yes" : ""; })()`); got == "" {
			t.Errorf("%s at 1366 px is not laid out as a table with column heads", p.path)
		}
		if got := b.eval(`Array.from(document.querySelectorAll("header nav a")).filter(a => !a.checkVisibility()).map(a => a.textContent.trim()).join(", ")`); got != "" {
			t.Errorf("%s at 1366 px hides the menu entries %s", p.path, got)
		}
	}
	if got := b.eval(`document.querySelector("header summary").checkVisibility() ? "shown" : ""`); got != "" {
		t.Errorf("at 1366 px the menu is folded behind a button")
	}

	// Without JavaScript as well: the menu is a row on the office screen;
	// on a phone the tables that are not cards scroll within themselves,
	// never the page.
	b.scripts(false)
	b.open("/cases")
	if got := b.eval(`Array.from(document.querySelectorAll("header nav a")).filter(a => !a.checkVisibility()).map(a => a.textContent.trim()).join(", ")`); got != "" {
		t.Errorf("without JavaScript at 1366 px the menu hides %s", got)
	}
	b.phone(phoneWidth)
	for _, path := range []string{closed, "/officers", "/authority/towns/maoba/items", fresh + "/documents"} {
		b.open(path)
		if wide := b.tooWide(phoneWidth); wide != "" {
			t.Errorf("%s without JavaScript on a phone: %s", path, wide)
		}
	}
	if b.eval(`document.querySelector("table.data.stacked") ? "stacked" : ""`) != "" {
		t.Errorf("without JavaScript the table of documents is stacked all the same: the check above saw no table that scrolls")
	}
	b.screenshot("phone-nojs-documents")
	b.scripts(true)
}

// scripts turns the page's JavaScript on or off.
func (b *browser) scripts(on bool) {
	b.t.Helper()
	err := chromedp.Do(b.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
		return err
	}))
	if err != nil {
		b.t.Fatalf("scripts %v: %v", on, err)
	}
}
