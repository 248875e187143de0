package server_test

import (
	"context"
	"os"
	"testing"

	"github.com/chromedp/chromedp"

	"zhifa/internal/seed"
	"zhifa/web"
)

func TestZZHBShots(t *testing.T) {
	a := newApp(t)
	if _, err := seed.DemoFilings(context.Background(), a.db.DB, web.RenderDocument, day(12, 1)); err != nil {
		t.Fatal(err)
	}
	a.gotoDay(t, "2025-12-01")
	b := newBrowser(t, a)
	shot := func(name string) {
		buf, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile("/tmp/hb-"+name+".png", buf, 0o644)
	}
	b.login("county-reviewer")
	b.open("/filings")
	shot("county-list")
	id := b.eval(`document.querySelector('tr[data-filing] a').getAttribute('href')`)
	b.open(id)
	shot("filing")
	b.open("/corrections")
	shot("corrections")
	b.open(b.eval(`document.querySelector('tr[data-task] a').getAttribute('href')`))
	shot("correction")
	b.login("county-admin")
	b.open("/settings/major")
	shot("thresholds")
	b.login("hanwang-leader")
	b.open("/filings")
	shot("town-list")
	b.open(b.eval(`document.querySelector('tr[data-filing] a').getAttribute('href')`))
	shot("town-filing")
	b.open(b.eval(`document.querySelector('dl.facts a').getAttribute('href')`))
	shot("case")
}
