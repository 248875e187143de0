package server_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/chromedp"

	"zhifa/internal/seed"
)

// need finds a program the browser tests use. CI installs them (.ci/run);
// elsewhere a missing one skips the test with the package to install.
func need(t testing.TB, program, debianPackage string) string {
	t.Helper()
	p, err := exec.LookPath(program)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not installed (Debian package %s); .ci/run installs it", program, debianPackage)
		}
		t.Skipf("%s not installed: apt-get install %s", program, debianPackage)
	}
	return p
}

// artifactDir is where tests leave files for people to look at.
func artifactDir(t *testing.T) string {
	dir := os.Getenv("ZHIFA_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("..", "..", "test-artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestPrintMaobaListToPDF prints 毛坝镇's list in real headless Chromium and
// reads the PDF back: A4, more than one page, every item name in the text,
// page numbers, and a CJK font embedded (not boxes).
func TestPrintMaobaListToPDF(t *testing.T) {
	chromium := need(t, "chromium", "chromium")
	pdfinfo := need(t, "pdfinfo", "poppler-utils")
	a := newApp(t)
	page := a.client().get("/public/towns/maoba/items")
	names := pageItems(page.body)
	_, _, want := seed.SampleCounts()
	if len(names) != want {
		t.Fatalf("page has %d items, want %d", len(names), want)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(t.TempDir()))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	defer cancelTimeout()

	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1200, 900), chromedp.Navigate(a.ts.URL+"/public/towns/maoba/items")); err != nil {
		t.Fatalf("open the page: %v", err)
	}
	// The title is drawn with a real CJK font, not as empty boxes.
	fonts, err := chromedp.Run(ctx, chromedp.QueryAfter(chromedp.CSS("h1"),
		func(ctx context.Context, tg *chromedp.Target, nodes []*chromedp.Node) ([]string, error) {
			res, err := cdp.Call(ctx, tg, css.GetPlatformFontsForNode, css.GetPlatformFontsForNodeParams{NodeID: nodes[0].NodeID})
			var names []string
			for _, f := range res.Fonts {
				names = append(names, f.FamilyName)
			}
			return names, err
		}))
	if err != nil {
		t.Fatalf("fonts of the title: %v", err)
	}
	if !strings.Contains(strings.Join(fonts, ","), "CJK") {
		t.Errorf("the title is drawn with %v, not a CJK font: Chinese would print as boxes (install fonts-noto-cjk)", fonts)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(90))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPreferCSSPageSize()))
	if err != nil {
		t.Fatalf("print to PDF: %v", err)
	}
	dir := artifactDir(t)
	pdfPath := filepath.Join(dir, "maoba-list.pdf")
	if err := os.WriteFile(pdfPath, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "maoba-list-screen.jpg"), shot, 0o644); err != nil {
		t.Fatal(err)
	}

	info, err := exec.Command(pdfinfo, pdfPath).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	pages, _ := strconv.Atoi(field(string(info), "Pages"))
	if pages < 2 {
		t.Fatalf("the printed list has %d page(s), want more than one", pages)
	}
	if size := field(string(info), "Page size"); !strings.Contains(size, "(A4)") {
		t.Fatalf("page size %q, want A4 (595 x 842 pt)", size)
	}

	text, err := exec.Command("pdftotext", "-raw", "-enc", "UTF-8", pdfPath, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	// -raw keeps each table cell together; cells wrap, so compare with all
	// white space removed.
	flat := strings.Join(strings.Fields(string(text)), "")
	for _, it := range names {
		if !strings.Contains(flat, strings.Join(strings.Fields(it.Name), "")) {
			t.Errorf("item %s %q is not in the PDF text", it.No, it.Name)
		}
	}
	for _, want := range []string{"毛坝镇综合行政执法事项清单", "2025年7月1日", "第1页，共" + strconv.Itoa(pages) + "页", "第" + strconv.Itoa(pages) + "页"} {
		if !strings.Contains(flat, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	// The navigation is not printed.
	if strings.Contains(flat, "登录") {
		t.Error("the printed page carries the navigation")
	}

	// The first page as a picture, for people to look at.
	if pdftoppm, err := exec.LookPath("pdftoppm"); err == nil {
		out := filepath.Join(dir, "maoba-list-page1")
		if err := exec.Command(pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdfPath, out).Run(); err != nil {
			t.Errorf("pdftoppm: %v", err)
		}
	}
	t.Logf("%d pages; artifacts in %s", pages, dir)
}

// field reads "Name:   value" from pdfinfo's output.
func field(info, name string) string {
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + `:\s*(.+)$`).FindStringSubmatch(info)
	if m == nil {
		return ""
	}
	return strings.TrimSpace(m[1])
}
