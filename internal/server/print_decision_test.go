package server_test

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPrintDecisionOnOnePage prints a simple 行政处罚决定书 in real headless
// Chromium, as the officer does from its page, and reads the PDF back: A4,
// one page, the title and the seal block (issuing body and date) on that
// same page, the Chinese text drawn with a real font (extractable, not
// boxes). The PDF and a picture of it are left among the artifacts.
func TestPrintDecisionOnOnePage(t *testing.T) {
	pdfinfo := need(t, "pdfinfo", "poppler-utils")
	pdftotext := need(t, "pdftotext", "poppler-utils")
	a := newApp(t)
	b := newBrowser(t, a)
	p := a.crew(t)
	path := a.decDecidedCase(t, p, "1000")
	docPath := a.issueDoc(t, p.officer, path, "decision", decFormFields(t, p.officer, path, "decision"))
	number := a.docNumber(t, docPath)
	sheet := p.officer.get(docPath + "/print")
	wantStatus(t, sheet, http.StatusOK)
	issuer := regexp.MustCompile(`<p class="doc-issuer">([^<]+)</p>`).FindStringSubmatch(sheet.body)
	if issuer == nil {
		t.Fatalf("the printed decision names no issuing body: %.600s", text(sheet.body))
	}

	// The officer logs in, opens the decision and follows 打印.
	b.login("maoba-officer1")
	b.open(docPath)
	printLink := b.eval(`(() => { const e = document.querySelector('a.button[href$="/print"]'); return e ? e.getAttribute("href") : ""; })()`)
	if printLink != docPath+"/print" {
		t.Fatalf("the decision's page has no 打印 link to %s/print (found %q)", docPath, printLink)
	}
	b.open(printLink)
	pdf, err := chromedp.Run(b.ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPreferCSSPageSize()))
	if err != nil {
		t.Fatalf("print to PDF: %v", err)
	}
	dir := artifactDir(t)
	pdfPath := filepath.Join(dir, "decision.pdf")
	if err := os.WriteFile(pdfPath, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if pdftoppm, err := exec.LookPath("pdftoppm"); err == nil {
		if err := exec.Command(pdftoppm, "-png", "-r", "80", "-singlefile", pdfPath, filepath.Join(dir, "decision")).Run(); err != nil {
			t.Errorf("pdftoppm: %v", err)
		}
	}

	info, err := exec.Command(pdfinfo, pdfPath).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	if size := field(string(info), "Page size"); !strings.Contains(size, "(A4)") {
		t.Errorf("page size %q, want A4", size)
	}
	pages, _ := strconv.Atoi(field(string(info), "Pages"))
	// Each page's text with the white space removed (lines wrap anywhere).
	pageText := func(n int) string {
		out, err := exec.Command(pdftotext, "-f", strconv.Itoa(n), "-l", strconv.Itoa(n), "-enc", "UTF-8", pdfPath, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext page %d: %v", n, err)
		}
		return strings.Join(strings.Fields(string(out)), "")
	}
	// The seal block: the issuing body, then the date of issue (the seal
	// zone is stamped over them by hand).
	seal := regexp.MustCompile(regexp.QuoteMeta(issuer[1]) + `(（印章）)?2025年9月1日`)
	titleOn, sealOn := 0, 0
	for n := 1; n <= pages; n++ {
		s := pageText(n)
		if strings.Contains(s, "行政处罚决定书") && titleOn == 0 {
			titleOn = n
		}
		if seal.MatchString(s) {
			sealOn = n
		}
		if n == 1 {
			for _, want := range []string{"刘某", number, "罚款1000元（大写：壹仟元整）", "紫阳县人民政府"} {
				if !strings.Contains(s, want) {
					t.Errorf("the first page's text lacks %q (Chinese drawn as boxes, or the text is cut): %s", want, s)
				}
			}
		}
	}
	if pages != 1 {
		t.Errorf("a simple decision prints on %d pages, want 1 (see %s)", pages, pdfPath)
	}
	if titleOn == 0 || sealOn != titleOn {
		t.Errorf("the title is on page %d and the seal block (%s, 2025年9月1日) on page %d, want the same page", titleOn, issuer[1], sealOn)
	}
	t.Logf("%d page(s); %s and decision.png in %s", pages, filepath.Base(pdfPath), dir)
}
