package server_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"zhifa/internal/doctype"
	"zhifa/internal/seed"
	"zhifa/web"
)

// The dossier (案卷) as one PDF: a case walked from lead to archive with
// every document its path needs, bound and printed in Chromium, then read
// back with poppler's pdftotext and pdfinfo as a reviewer would read it.

// pngBytes is a real picture (a drawn scene), so the photograph prints;
// each n draws another one.
func pngBytes(t testing.TB, n int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 240, 160))
	for y := range 160 {
		for x := range 240 {
			img.Set(x, y, color.RGBA{R: uint8(40 + x/4), G: uint8(100 + y/3), B: uint8(60 + n), A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// printedDossier is a downloaded dossier PDF and its text page by page.
type printedDossier struct {
	path  string
	pages []string // pdftotext -layout of each page
}

// downloadDossier fetches the case's dossier PDF as c and reads it.
func downloadDossier(t *testing.T, c *client, casePath, file string) *printedDossier {
	t.Helper()
	need(t, "chromium", "chromium")
	pdfinfo := need(t, "pdfinfo", "poppler-utils")
	pdftotext := need(t, "pdftotext", "poppler-utils")
	t.Cleanup(func() { c.app.srv.PDF.Close() })
	start := time.Now()
	res := c.get(casePath + "/dossier.pdf")
	wantStatus(t, res, http.StatusOK)
	t.Logf("dossier downloaded in %v (%d bytes)", time.Since(start), len(res.body))
	if ct := res.header.Get("Content-Type"); ct != "application/pdf" {
		t.Fatalf("Content-Type %q", ct)
	}
	if cd := res.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "filename*=UTF-8''"+url.PathEscape("案卷-")) {
		t.Errorf("Content-Disposition %q: want an attachment named 案卷-<case number>.pdf", cd)
	}
	if err := os.WriteFile(file, []byte(res.body), 0o644); err != nil {
		t.Fatal(err)
	}
	info, err := exec.Command(pdfinfo, file).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	n, _ := strconv.Atoi(field(string(info), "Pages"))
	if size := field(string(info), "Page size"); !strings.Contains(size, "(A4)") {
		t.Errorf("page size %q, want A4", size)
	}
	d := &printedDossier{path: file}
	for p := 1; p <= n; p++ {
		out, err := exec.Command(pdftotext, "-layout", "-enc", "UTF-8", "-f", strconv.Itoa(p), "-l", strconv.Itoa(p), file, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext page %d: %v", p, err)
		}
		d.pages = append(d.pages, string(out))
	}
	if n == 0 {
		t.Fatal("pdfinfo reports no pages")
	}
	return d
}

// flat is text without white space (table cells and lines wrap).
func flat(s string) string { return strings.Join(strings.Fields(s), "") }

// pageNumber is the archival 页号 printed at the top of a page: the first
// line when it is a number alone; 0 if the page has none.
func pageNumber(page string) int {
	for _, l := range strings.Split(page, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			n, err := strconv.Atoi(l)
			if err != nil {
				return 0
			}
			return n
		}
	}
	return 0
}

// tocRow is one row of the 卷内目录 as printed.
type tocRow struct {
	no, first, last int
	title           string
}

var (
	spacesRE = regexp.MustCompile(`\s+`)
	tocRowRE = regexp.MustCompile(`^ ?(\d{8}) (\d+)(?:–(\d+))?`)
)

// squeeze joins the lines of wrapped table cells: white space is dropped
// except between two ASCII letters or digits (a date and a page number).
func squeeze(s string) string {
	words := spacesRE.Split(strings.TrimSpace(s), -1)
	var b strings.Builder
	for i, w := range words {
		if i > 0 && w != "" && isASCIIAlnum(words[i-1][len(words[i-1])-1]) && isASCIIAlnum(w[0]) {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	return b.String()
}

func isASCIIAlnum(c byte) bool {
	return c < 0x80 && (c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')
}

// contents reads the 卷内目录 off the front pages (pdftotext -raw keeps
// each row's cells in order): each row's 题名 is one of titles (the
// dossier page's, in order), followed by its date (8 digits) and 页号
// (the first page; for the last item first–last).
func (d *printedDossier) contents(t *testing.T, front int, titles []string) []tocRow {
	t.Helper()
	out, err := exec.Command("pdftotext", "-raw", "-enc", "UTF-8", "-f", "1", "-l", strconv.Itoa(front), d.path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	rest := squeeze(string(out))
	var rows []tocRow
	for i, title := range titles {
		k := strings.Index(rest, squeeze(title))
		if k < 0 {
			t.Fatalf("卷内目录 lacks row %d %q after the previous row; the rest: %s", i+1, title, rest)
		}
		rest = rest[k+len(squeeze(title)):]
		m := tocRowRE.FindStringSubmatch(rest)
		if m == nil {
			t.Fatalf("row %d %q is not followed by its date and 页号: %.80s", i+1, title, rest)
		}
		r := tocRow{no: i + 1, title: title}
		r.first, _ = strconv.Atoi(m[2])
		r.last = r.first
		if m[3] != "" {
			r.last, _ = strconv.Atoi(m[3])
		}
		rows = append(rows, r)
		rest = rest[len(m[0]):]
	}
	return rows
}

// screenTitles are the 题名 of the dossier page's 卷内目录, in order.
func screenTitles(t *testing.T, page response) []string {
	t.Helper()
	body := page.body
	if i := strings.Index(body, `dossier-toc-screen`); i >= 0 {
		body = body[i:]
	}
	var out []string
	for _, m := range regexp.MustCompile(`<tr data-item="[a-z]+"><td>\d+</td><td>[^<]*</td><td>[^<]*</td><td><a href="[^"]*">([^<]+)</a>`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	if len(out) == 0 {
		t.Fatalf("the dossier page lists no items: %.800s", text(page.body))
	}
	return out
}

// checkPaging asserts the dossier's pages: the front pages (cover, 卷内目录)
// carry no 页号; then every page carries its 页号, 1, 2, 3... without a gap;
// then the back pages (备考表) carry none. So the page count is exactly
// front + the last numbered page + back. The 卷内目录's last 页号 is the
// last numbered page; each item's first 页号 is the page where its title
// is printed; the items follow each other. It returns the front pages and
// the rows.
func (d *printedDossier) checkPaging(t *testing.T, titles []string) (int, []tocRow) {
	t.Helper()
	front := 0
	for front < len(d.pages) && pageNumber(d.pages[front]) == 0 {
		front++
	}
	numbered := 0
	for front+numbered < len(d.pages) && pageNumber(d.pages[front+numbered]) == numbered+1 {
		numbered++
	}
	back := len(d.pages) - front - numbered
	for _, p := range d.pages[front+numbered:] {
		if pageNumber(p) != 0 {
			t.Errorf("a page after page %d carries a number: %.200s", numbered, p)
		}
	}
	if front < 2 || !strings.Contains(flat(d.pages[0]), "行政处罚案卷") || !strings.Contains(flat(d.pages[1]), "卷内目录") {
		t.Errorf("front pages: %d, want the cover and the 卷内目录 (at least 2) unnumbered", front)
	}
	if back < 1 || !strings.Contains(flat(d.pages[len(d.pages)-back]), "备考表") {
		t.Errorf("back pages: %d, want the 备考表 unnumbered at the end", back)
	}
	rows := d.contents(t, front, titles)
	last := rows[len(rows)-1]
	if last.last != numbered {
		t.Errorf("the 卷内目录's last 页号 is %d, but the last numbered page is %d", last.last, numbered)
	}
	if len(d.pages) != front+last.last+back {
		t.Errorf("pdfinfo: %d pages, want %d front + %d numbered + %d back", len(d.pages), front, last.last, back)
	}
	prev := 0
	for _, r := range rows {
		if r.first <= prev {
			t.Errorf("row %d %q starts on page %d, not after the previous item's page %d", r.no, r.title, r.first, prev)
		}
		prev = r.first
		if r.first < 1 || r.first > numbered {
			t.Errorf("row %d %q: 页号 %d outside 1–%d", r.no, r.title, r.first, numbered)
			continue
		}
		want := r.title
		if strings.HasPrefix(want, "送达回证") {
			want = "送达回证"
		}
		if pg := d.pages[front+r.first-1]; !strings.Contains(flat(pg), flat(want)) {
			t.Errorf("row %d %q: page %d (pdftotext -f %d) does not show it: %.300s", r.no, r.title, r.first, front+r.first, pg)
		}
	}
	return front, rows
}

// TestDossierOfAGeneralProcedureCase walks a general-procedure case from
// lead to archive, issuing each document its path needs, and prints its
// dossier.
func TestDossierOfAGeneralProcedureCase(t *testing.T) {
	a := newApp(t)
	p := a.people(t)
	path := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	issue := func(kind doctype.Kind, fields url.Values) { a.issueDoc(t, p.officer, path, string(kind), fields) }

	issue(doctype.FilingApproval, nil)
	mustAct(t, p.officer, path, "investigate", nil)
	issue(doctype.Inspection, url.Values{"record": {"林地过火约1亩，拍摄照片1张。"}})
	issue(doctype.Inquiry, url.Values{"qa": {"问：你是否在屋外用火？\n答：是的。"}})
	res := p.officer.upload(path+"/evidence", map[string]string{"kind": "scene_record", "title": "现场照片（过火林地）", "collected_on": "2025-08-25"},
		"scene.png", pngBytes(t, 0))
	wantStatus(t, res, http.StatusSeeOther)
	mustAct(t, p.officer, path, "update_facts", url.Values{"text": {"经查，当事人于2025年8月20日在住宅外焚烧垃圾，火势蔓延至林地。"}})
	mustAct(t, p.officer, path, "propose", url.Values{"tier": {"一般"}, "reasoning": {"违法情节一般，按裁量基准一般阶次。"}, "amount": {"3000"}})
	first := a.issueDoc(t, p.officer, path, string(doctype.InvestigationReport), nil)
	// A wrong report is replaced; both stay in the file.
	issue(doctype.InvestigationReport, url.Values{"supersedes": {first[strings.LastIndex(first, "/")+1:]}, "reason": {"补充裁量情节"}})
	issue(doctype.HandlingApproval, nil)
	reviewed(t, p.officer, p.reviewer, path)
	issue(doctype.ReviewOpinion, nil)
	a.serveNotice(t, p.officer, path, url.Values{"text": {"拟处罚款3000元。"}})
	a.clock.Advance(5 * 24 * time.Hour) // the statement period (3 working days) ends
	mustAct(t, p.head, path, "decide", decision("3000"))
	a.serveDecision(t, p.officer, path, url.Values{"date": {a.clock.Now().Format(time.DateOnly)}})
	mustAct(t, p.officer, path, "execute", nil)
	mustAct(t, p.officer, path, "add_payment", url.Values{"amount": {"3000"}, "receipt_no": {"SX2025-000321"}})
	issue(doctype.ClosingApproval, nil)
	mustAct(t, p.officer, path, "close", confirmed)
	mustAct(t, p.leader, path, "archive", confirmed)

	// The dossier page: its 卷内目录 in procedure order, each external
	// document followed by its 送达回证, the photograph after the
	// investigation's records.
	page := p.officer.get(path + "/dossier")
	wantStatus(t, page, http.StatusOK)
	titles := screenTitles(t, page)
	want := []string{"立案审批表", "现场检查（勘验）笔录", "询问笔录", "现场照片（过火林地）", "调查终结报告", "调查终结报告", "案件处理审批表", "法制审核意见书",
		"行政处罚事先告知书", "送达回证（行政处罚事先告知书）", "行政处罚决定书", "送达回证（行政处罚决定书）", "结案审批表"}
	if strings.Join(titles, "|") != strings.Join(want, "|") {
		t.Fatalf("卷内目录 on the page:\n%q\nwant\n%q", titles, want)
	}
	number := regexp.MustCompile(`紫毛坝综执[^<\s]*〔2025〕\d+号`).FindString(page.body)
	mustContain(t, page, "下载案卷PDF", "/dossier.pdf", "永久", "刘某", "罚款3000元", "已被替代", "补充裁量情节")

	d := downloadDossier(t, p.officer, path, filepath.Join(t.TempDir(), "dossier.pdf"))
	front, rows := d.checkPaging(t, titles)

	// The cover: the case number, the party, the 页数.
	cover := flat(d.pages[0])
	for _, w := range []string{"紫阳县毛坝镇人民政府", "行政处罚案卷", number, "刘某", "永久", strconv.Itoa(rows[len(rows)-1].last) + "页",
		strconv.Itoa(len(want)) + "件"} {
		if !strings.Contains(cover, flat(w)) {
			t.Errorf("the cover lacks %q: %s", w, cover)
		}
	}
	// The documents themselves, in procedure order on the numbered pages.
	var body string
	for _, pg := range d.pages[front:] {
		body += flat(pg)
	}
	at := 0
	for _, w := range []string{"立案审批表", "现场检查（勘验）笔录", "询问笔录", "证据说明", "调查终结报告", "调查终结报告", "案件处理审批表",
		"法制审核意见书", "行政处罚事先告知书", "送达回证", "行政处罚决定书", "送达回证", "结案审批表", "备考表", "补充裁量情节"} {
		k := strings.Index(body[at:], flat(w))
		if k < 0 {
			t.Errorf("%q is not printed after the previous document", w)
			continue
		}
		at += k + len(flat(w))
	}
	// The decision's page names the party and the fine.
	for _, r := range rows {
		if r.title == "行政处罚决定书" {
			pg := flat(d.pages[front+r.first-1])
			for _, w := range []string{"刘某", "3000元"} {
				if !strings.Contains(pg, w) {
					t.Errorf("the decision's page %d lacks %q", r.first, w)
				}
			}
		}
	}
	t.Logf("%d pages: %d front, %d numbered; contents %v", len(d.pages), front, rows[len(rows)-1].last, rows)
}

// TestDossierTenancyAndCounty: another town's dossier does not exist for
// a town's user; the county reviewer reads any town's dossier page.
func TestDossierTenancyAndCounty(t *testing.T) {
	a := newApp(t)
	liu := "/cases/" + itoa(a.townCases("maoba")[0])
	other := a.login("haoping-officer1")
	for _, u := range []string{liu + "/dossier", liu + "/dossier.pdf"} {
		res := other.get(u)
		wantStatus(t, res, http.StatusNotFound)
		mustContain(t, res, "没有找到该案件")
	}
	county := a.login("county-reviewer")
	page := county.get(liu + "/dossier")
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page, "卷内目录", "刘某", "紫毛坝综执立〔2025〕1号", "现场照片", "下载案卷PDF")
	mustNotContain(t, page, "制作文书")
}

// TestDossierWithoutChromium: where no browser is installed the download
// says so (503) and the dossier page offers no download.
func TestDossierWithoutChromium(t *testing.T) {
	t.Setenv("ZHIFA_CHROMIUM", "/nonexistent/chromium")
	a := newApp(t)
	liu := "/cases/" + itoa(a.townCases("maoba")[0])
	c := a.login("maoba-leader")
	res := c.get(liu + "/dossier.pdf")
	wantStatus(t, res, http.StatusServiceUnavailable)
	mustContain(t, res, "本服务器未安装 Chromium（Debian 软件包 chromium），无法生成案卷 PDF；各文书仍可在其页面上用浏览器打印。")
	page := c.get(liu + "/dossier")
	wantStatus(t, page, http.StatusOK)
	mustNotContain(t, page, "下载案卷PDF")
	mustContain(t, page, "本服务器未安装 Chromium")
}

// TestDemoDossierArtifacts binds 毛坝镇's first case (刘某) with the demo
// documents and leaves its dossier in test-artifacts: the PDF, its cover
// and its decision as pictures.
func TestDemoDossierArtifacts(t *testing.T) {
	a := newApp(t)
	n, err := seed.DemoDocuments(context.Background(), a.db.DB, web.RenderDocument)
	if err != nil {
		t.Fatal(err)
	}
	if n < 8 {
		t.Fatalf("the demo issued %d documents", n)
	}
	if again, err := seed.DemoDocuments(context.Background(), a.db.DB, web.RenderDocument); err != nil || again != 0 {
		t.Fatalf("a second run issued %d documents (%v), want none", again, err)
	}
	liu := "/cases/" + itoa(a.townCases("maoba")[0])
	county := a.login("county-reviewer")
	page := county.get(liu + "/dossier")
	titles := screenTitles(t, page)
	dir := artifactDir(t)
	file := filepath.Join(dir, "dossier-liu.pdf")
	d := downloadDossier(t, county, liu, file)
	front, rows := d.checkPaging(t, titles)
	// Once the browser runs, a dossier takes two prints of a second or less.
	start := time.Now()
	wantStatus(t, county.get(liu+"/dossier.pdf"), http.StatusOK)
	t.Logf("again, with the browser running: %v", time.Since(start))
	cover := flat(d.pages[0])
	for _, w := range []string{"紫毛坝综执立〔2025〕1号", "刘某", "2025年3月25日", "2025年5月28日", "永久"} {
		if !strings.Contains(cover, w) {
			t.Errorf("the cover lacks %q: %s", w, cover)
		}
	}
	decision := 0
	for _, r := range rows {
		if r.title == "行政处罚决定书" {
			decision = front + r.first
		}
	}
	if decision == 0 {
		t.Fatalf("no decision in the 卷内目录: %v", rows)
	}
	if !strings.Contains(flat(d.pages[decision-1]), "2025年4月21日") {
		t.Errorf("the decision's page is not dated 2025年4月21日: %.400s", d.pages[decision-1])
	}
	pdftoppm := need(t, "pdftoppm", "poppler-utils")
	for name, pg := range map[string]int{"dossier-liu-cover": 1, "dossier-liu-decision": decision} {
		out := filepath.Join(dir, name)
		if err := exec.Command(pdftoppm, "-png", "-r", "80", "-f", strconv.Itoa(pg), "-l", strconv.Itoa(pg), "-singlefile", file, out).Run(); err != nil {
			t.Errorf("pdftoppm %s: %v", name, err)
		}
	}
	t.Logf("%d pages (%d front); decision on page %d; artifacts in %s", len(d.pages), front, decision, dir)
}

// TestDossierLongContents: a case with 36 pieces of evidence has a
// 卷内目录 of more than one page (its header repeated), so the numbered
// pages start later; the numbers still run from 1 without a gap and match
// the contents.
func TestDossierLongContents(t *testing.T) {
	need(t, "chromium", "chromium")
	a := newApp(t)
	p := a.people(t)
	path := a.filedCase(t, a.caseForm("maoba-officer1", "maoba-officer3"))
	mustAct(t, p.officer, path, "investigate", nil)
	for i := range 36 {
		pic := pngBytes(t, i)
		res := p.officer.upload(path+"/evidence", map[string]string{"kind": "scene_record", "title": "现场照片" + strconv.Itoa(i+1) + "号",
			"collected_on": "2025-08-25"}, "scene"+strconv.Itoa(i)+".png", pic)
		wantStatus(t, res, http.StatusSeeOther)
	}
	page := p.officer.get(path + "/dossier")
	titles := screenTitles(t, page)
	if len(titles) != 36 {
		t.Fatalf("%d items on the dossier page, want 36", len(titles))
	}
	d := downloadDossier(t, p.leader, path, filepath.Join(t.TempDir(), "long.pdf"))
	front, rows := d.checkPaging(t, titles)
	if front < 3 {
		t.Errorf("%d front pages: the 卷内目录 of 36 rows should take two", front)
	}
	if !strings.Contains(flat(d.pages[2]), "序号文号责任者题名日期页号备注") {
		t.Errorf("the 卷内目录's second page does not repeat the header: %.300s", d.pages[2])
	}
	t.Logf("%d pages, %d front; last item %v", len(d.pages), front, rows[len(rows)-1])
}
