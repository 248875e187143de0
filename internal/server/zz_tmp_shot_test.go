package server_test

import (
	"os"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestTmpCaseListShots(t *testing.T) {
	a := newApp(t)
	seedList(t, a, "maoba", "截图甲", 2019, 60)
	b := newBrowser(t, a)
	b.login("county-reviewer")
	for _, v := range []struct {
		name string
		w, h int64
		mob  bool
	}{{"desk", 1366, 900, false}, {"phone", 390, 844, true}} {
		if v.mob {
			chromedp.Do(b.ctx, chromedp.EmulateViewport(v.w, v.h, chromedp.EmulatePortrait, chromedp.EmulateMobile))
		} else {
			chromedp.Do(b.ctx, chromedp.EmulateViewport(v.w, v.h))
		}
		b.open("/cases?sort=due")
		shot, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile("/tmp/caselist-"+v.name+".png", shot, 0o644)
	}
}
