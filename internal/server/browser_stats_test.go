package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// statsCellJS reads, in the page, the cell of a statistics table in the
// row labelled row under the column headed col.
func statsCellJS(table, row, col string) string {
	return `(() => {
		const t = document.querySelector('table[data-table=` + js(table) + `]');
		if (!t) return "no table";
		const c = Array.from(t.tHead.rows[0].cells).findIndex(h => h.innerText.trim() === ` + js(col) + `);
		const r = Array.from(t.querySelectorAll("tbody tr, tfoot tr")).find(r => r.cells[0].innerText.trim() === ` + js(row) + `);
		return r && c >= 0 ? r.cells[c].innerText.trim() : "no cell";
	})()`
}

// TestBrowserStatsDashboard: the county reviewer opens the statistics in
// Chromium, sees this year's figures and charts, changes the period and
// the town in the form and sees their figures; the page, its charts drawn
// and the form gone when printed, is left in
// test-artifacts/stats-county.png and stats-county-print.png.
func TestBrowserStatsDashboard(t *testing.T) {
	a := newApp(t)
	a.knownStats(t)
	b := newBrowser(t, a)
	b.login("county-reviewer")
	b.open("/stats")
	if got := b.text("#stats-period"); got != "2025年1月至9月" {
		t.Errorf("the default period is %q, want this year up to today's month", got)
	}
	if got := b.eval(`document.querySelectorAll("figure.stats-chart svg").length + ""`); got != "3" {
		t.Errorf("%s charts drawn, want the towns, the months and the domains", got)
	}
	if got := b.eval(statsCellJS("towns", "毛坝镇", "立案")); got == "0" || strings.HasPrefix(got, "no ") {
		t.Errorf("this year 毛坝镇 filed %q cases: the demo cases are missing", got)
	}

	// The first half of 2023, as a person sets the months.
	form := "form.stats-period"
	for _, f := range []struct{ name, value string }{{"from", "2023-01"}, {"to", "2023-06"}} {
		sel, kind := b.control(form, f.name)
		if kind != "input/month" {
			t.Fatalf("%s is %s, want a month box", f.name, kind)
		}
		b.setValue(sel, f.value) // as fill does for dates: typing depends on the locale
	}
	b.submit(form)
	if got := b.text("#stats-period"); got != "2023年1月至6月" {
		t.Fatalf("after choosing the first half of 2023 the page counts %q", got)
	}
	for _, c := range []struct{ table, row, col, want string }{
		{"overview", "立案（件）", "本期", "4"},
		{"overview", "立案（件）", "上年同期", "1"},
		{"overview", "罚款决定金额（元）", "本期", "1,200.00"},
		{"towns", "毛坝镇", "立案", "3"},
		{"towns", "城关镇", "延长期限", "1"},
		{"months", "2023年3月", "上年同月立案", "1"},
	} {
		if got := b.eval(statsCellJS(c.table, c.row, c.col)); got != c.want {
			t.Errorf("%s: %s × %s shows %q, want %q", c.table, c.row, c.col, got, c.want)
		}
	}
	if got := b.eval(`document.querySelector('#chart-towns rect.bar-now title') ? Array.from(document.querySelectorAll('#chart-towns rect.bar-now title')).map(e => e.textContent).join("|") : ""`); !strings.Contains(got, "毛坝镇 本期 3 件") {
		t.Errorf("the towns' chart has no bar of 毛坝镇's 3 cases: %q", got)
	}
	if got := b.text("#stats-remedies"); !strings.Contains(got, "纠错 1 件") {
		t.Errorf("the remedies line says %q", got)
	}
	b.screenshot("stats-county")

	// Printed: the form and the links go, the charts stay.
	b.media("print")
	printed := b.eval(`(() => {
		const shown = e => e && getComputedStyle(e).display !== "none" && e.getBoundingClientRect().height > 0;
		return [shown(document.querySelector("form.stats-period")), shown(document.querySelector("#chart-months svg")),
			shown(document.querySelector("table[data-table=towns]")), shown(document.querySelector("header.site-header"))].join(",");
	})()`)
	if printed != "false,true,true,false" {
		t.Errorf("printed, the form, the months' chart, the towns' table and the menu show: %s; want false,true,true,false", printed)
	}
	b.screenshot("stats-county-print")
	b.media("")

	// One town, chosen in the list.
	b.fill(form, "town", "maoba")
	b.submit(form)
	if got := b.text("main h1"); got != "毛坝镇行政执法统计" {
		t.Errorf("after choosing 毛坝镇 the heading is %q", got)
	}
	if got := b.eval(statsCellJS("overview", "立案（件）", "本期")); got != "3" {
		t.Errorf("毛坝镇 filed %q cases in the first half of 2023, want 3", got)
	}
	if got := b.eval(`document.querySelectorAll("#chart-towns").length + ""`); got != "0" {
		t.Errorf("one town's page draws the towns' chart")
	}

	// A month box emptied and a wrong order: the form again with the message.
	sel, _ := b.control(form, "to")
	b.setValue(sel, "2022-12")
	b.submit(form)
	if got := b.text("#stats-to-error"); got != "截止月份不能早于起始月份。" {
		t.Errorf("to before from: %q", got)
	}
	if got := b.eval(`document.querySelector("#stats-from").value`); got != "2023-01" {
		t.Errorf("the first month was not kept: %q", got)
	}
}

// media emulates the CSS media type ("print"; "" for the screen again).
func (b *browser) media(kind string) {
	b.t.Helper()
	err := chromedp.Do(b.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: kind})
		return err
	}))
	if err != nil {
		b.t.Fatalf("media %q: %v", kind, err)
	}
}
