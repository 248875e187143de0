package pdf_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"zhifa/internal/pdf"
)

// renderer is a Renderer for the test; it skips the test where Chromium is
// not installed (outside CI).
func renderer(t *testing.T) *pdf.Renderer {
	t.Helper()
	r := pdf.New()
	if !r.Available() {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is not installed (Debian package chromium); .ci/run installs it")
		}
		t.Skip("chromium not installed: apt-get install chromium")
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// TestDestPages prints a document of 40 sections of 1 to 3 pages each
// behind a two-page front matter (so the page tree is nested: Chromium
// groups 8 pages a node) and reads back each section's first page.
func TestDestPages(t *testing.T) {
	r := renderer(t)
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>测试</title><style>
		@page { size: A4; margin: 20mm; }
		section, .page { break-before: page; }
		body { margin: 0; font-family: "Noto Serif CJK SC", serif; }
	</style></head><body><div>封面</div><div class="page">`)
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, `<a href="#doc-%d">第%d件</a> `, i, i) // one short page of links
	}
	b.WriteString(`<a href="#back">备考表</a></div>`)
	want := map[string]int{}
	page := 3
	for i := 1; i <= 40; i++ {
		want[fmt.Sprintf("doc-%d", i)] = page
		fmt.Fprintf(&b, `<section id="doc-%d"><h2>第%d件</h2>`, i, i)
		for k := 1; k < i%3+1; k++ {
			fmt.Fprintf(&b, `<div class="page">续页%d</div>`, k)
		}
		b.WriteString(`</section>`)
		page += i%3 + 1
	}
	want["back"] = page
	b.WriteString(`<section id="back">备考表</section></body></html>`)

	start := time.Now()
	out, err := r.Render(context.Background(), b.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("rendered %d bytes in %v", len(out), time.Since(start))
	got, pages, err := pdf.DestPages(out)
	if err != nil {
		t.Fatal(err)
	}
	if pages != page {
		t.Errorf("%d pages, want %d", pages, page)
	}
	for name, p := range want {
		if got[name] != p {
			t.Errorf("destination %s on page %d, want %d", name, got[name], p)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d destinations, want %d: %v", len(got), len(want), got)
	}

	// The browser is reused: a second render works and is quicker.
	start = time.Now()
	if _, err := r.Render(context.Background(), `<!DOCTYPE html><html><body><p>再次</p></body></html>`); err != nil {
		t.Fatal(err)
	}
	t.Logf("second render in %v", time.Since(start))
}

// TestDestPagesRejectsOtherFiles: a file that is not a PDF is an error,
// not an empty answer.
func TestDestPagesRejectsOtherFiles(t *testing.T) {
	if _, _, err := pdf.DestPages([]byte("<html></html>")); err == nil {
		t.Error("DestPages accepted HTML")
	}
}

// TestUnavailable: without a browser Render says ErrUnavailable.
func TestUnavailable(t *testing.T) {
	t.Setenv("ZHIFA_CHROMIUM", "/nonexistent/chromium")
	r := pdf.New()
	if r.Available() {
		t.Fatal("a missing ZHIFA_CHROMIUM counts as available")
	}
	if _, err := r.Render(context.Background(), "<p>x</p>"); !errors.Is(err, pdf.ErrUnavailable) {
		t.Errorf("Render without a browser: %v, want ErrUnavailable", err)
	}
}

// TestRenderRunsNoScript: the printed page's own scripts do not run.
func TestRenderRunsNoScript(t *testing.T) {
	r := renderer(t)
	out, err := r.Render(context.Background(), `<!DOCTYPE html><html><body><p id="x">静态</p>
		<script>document.getElementById("x").id = "y"; location.href = "#z";</script>
		<p><a href="#x">链接</a></p></body></html>`)
	if err != nil {
		t.Fatal(err)
	}
	dests, _, err := pdf.DestPages(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := dests["x"]; !ok {
		t.Errorf("the element kept its id only if no script ran; destinations: %v", dests)
	}
}
