package server_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5"

	"zhifa/internal/database"
	"zhifa/internal/zhifa"
	"zhifa/web"
)

// Evidence from a phone's camera: the sample files are real (see
// internal/media/testdata/README.md).
//
//   - IMG_0001.HEIC is an iPhone 15 Pro photo taken 2026-02-19 14:22:37
//     -08:00 (2026-02-20 06:22:37 China time) at 37°56'10.80"N
//     122°21'55.04"W, 13.2 m;
//   - the JPEG is a Samsung Galaxy Note 5 photo taken 2018-04-28 21:23:12
//     (no offset: China time) at 26°35'12"N 80°3'13"W;
//   - the MP4's movie header says 2010-03-20 21:29:11 UTC.

// sampleFile is one of the media package's sample files.
func sampleFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "media", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// namedFile is a file of an upload.
type namedFile struct {
	name string
	data []byte
}

// uploadFiles posts the evidence form with the fields and several files in
// one request, as the form's file inputs send them (header adds request
// headers, such as the one evidence-upload.js sends).
func (c *client) uploadFiles(path string, fields map[string]string, header http.Header, files ...namedFile) response {
	c.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("csrf_token", c.csrf)
	for _, k := range []string{"kind", "title", "collected_on", "collected_by"} {
		if v, ok := fields[k]; ok {
			_ = w.WriteField(k, v)
		}
	}
	for _, f := range files {
		fw, _ := w.CreateFormFile("file", f.name)
		_, _ = fw.Write(f.data)
	}
	// The camera inputs left empty: parts without a file name or bytes.
	_, _ = w.CreateFormFile("file", "")
	_, _ = w.CreateFormFile("file", "")
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.app.ts.URL+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	for k, v := range header {
		req.Header[k] = v
	}
	return c.do(req)
}

// evidenceRows are the case's evidence rows as stored.
type storedEvidence struct {
	ID          int64
	Title       string
	Filename    string
	ContentType string
	TakenAt     *time.Time
	Lat, Lon    *float64
}

func (a *app) evidenceRows(path string) []storedEvidence {
	a.t.Helper()
	var out []storedEvidence
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		rows, err := tx.Query(context.Background(), `SELECT id, title, filename, content_type, taken_at, gps_lat::float8, gps_lon::float8
			FROM evidence WHERE case_id = $1 ORDER BY id`, caseID(a.t, path))
		if err != nil {
			return err
		}
		for rows.Next() {
			var e storedEvidence
			if err := rows.Scan(&e.ID, &e.Title, &e.Filename, &e.ContentType, &e.TakenAt, &e.Lat, &e.Lon); err != nil {
				return err
			}
			out = append(out, e)
		}
		return rows.Err()
	})
	return out
}

// evidenceRowText is the text of the case page's row of evidence id.
func evidenceRowText(t *testing.T, page response, id int64) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<tr[^>]*data-evidence="` + itoa(id) + `"[^>]*>(.*?)</tr>`).FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("the case page has no row for evidence %d", id)
	}
	return text(m[1])
}

// Photos and a video from a phone go up in one request, with one kind,
// date and collector: each is its own evidence, of the type its bytes
// say, with when and where it was taken read from it and shown; a photo
// taken far from the stated collection date is flagged, one taken close to
// it is not.
func TestEvidenceFromPhoneCamera(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	path := fileCase(t, officer, a.caseForm("maoba-officer1", "maoba-officer3"))
	officer.get(path)
	heic, mp4, jpg := sampleFile(t, "iphone15pro.heic"), sampleFile(t, "sample.mp4"), sampleFile(t, "samsung-note5.jpg")

	res := officer.uploadFiles(path+"/evidence", map[string]string{"kind": "audiovisual", "title": "现场照片", "collected_on": "2025-08-25"}, nil,
		namedFile{"IMG_0001.HEIC", heic}, namedFile{"VID_20250825_101112.mp4", mp4}, namedFile{"20180428_212312.jpg", jpg})
	wantStatus(t, res, http.StatusSeeOther)
	page := officer.get(path)
	mustContain(t, page, "已上传3份证据。")
	rows := a.evidenceRows(path)
	if len(rows) != 3 {
		t.Fatalf("%d evidence rows, want 3", len(rows))
	}
	for i, want := range []storedEvidence{
		{Title: "现场照片（IMG_0001）", Filename: "IMG_0001.HEIC", ContentType: "image/heic"},
		{Title: "现场照片（VID_20250825_101112）", Filename: "VID_20250825_101112.mp4", ContentType: "video/mp4"},
		{Title: "现场照片（20180428_212312）", Filename: "20180428_212312.jpg", ContentType: "image/jpeg"},
	} {
		if got := rows[i]; got.Title != want.Title || got.Filename != want.Filename || got.ContentType != want.ContentType {
			t.Errorf("row %d: %q %q %q, want %q %q %q", i, got.Title, got.Filename, got.ContentType, want.Title, want.Filename, want.ContentType)
		}
	}
	if want := time.Date(2026, 2, 19, 22, 22, 37, 0, time.UTC); rows[0].TakenAt == nil || !rows[0].TakenAt.Equal(want) ||
		rows[0].Lat == nil || *rows[0].Lat != 37.936333 || *rows[0].Lon != -122.365289 {
		t.Errorf("the HEIC's EXIF as stored: %v %v %v", rows[0].TakenAt, rows[0].Lat, rows[0].Lon)
	}
	if want := time.Date(2010, 3, 20, 21, 29, 11, 0, time.UTC); rows[1].TakenAt == nil || !rows[1].TakenAt.Equal(want) || rows[1].Lat != nil {
		t.Errorf("the MP4's creation time as stored: %v %v", rows[1].TakenAt, rows[1].Lat)
	}

	// The case page shows them, in China time, the position to 5 decimals.
	heicRow := evidenceRowText(t, page, rows[0].ID)
	for _, want := range []string{"拍摄时间：2026-02-20 06:22:37", "拍摄地点：北纬37.93633° 西经122.36529°，海拔13.2米",
		"拍摄日期与收集日期相差179天，请核实", "IMG_0001.HEIC"} {
		if !strings.Contains(heicRow, want) {
			t.Errorf("the HEIC's row does not say %q: %q", want, heicRow)
		}
	}
	if videoRow := evidenceRowText(t, page, rows[1].ID); !strings.Contains(videoRow, "拍摄时间：2010-03-21 05:29:11") || strings.Contains(videoRow, "拍摄地点") {
		t.Errorf("the video's row: %q", videoRow)
	}
	if jpegRow := evidenceRowText(t, page, rows[2].ID); !strings.Contains(jpegRow, "拍摄时间：2018-04-28 21:23:12") ||
		!strings.Contains(jpegRow, "拍摄地点：北纬26.58667° 西经80.05361°，海拔0米") {
		t.Errorf("the JPEG's row: %q", jpegRow)
	}

	// The downloads are the bytes, served as their sniffed types.
	for i, data := range [][]byte{heic, mp4, jpg} {
		dl := officer.get(path + "/evidence/" + itoa(rows[i].ID))
		wantStatus(t, dl, http.StatusOK)
		if got := dl.header.Get("Content-Type"); got != rows[i].ContentType || dl.body != string(data) {
			t.Errorf("download %d: type %q (want %q), %d bytes (want %d)", i, got, rows[i].ContentType, len(dl.body), len(data))
		}
	}

	// Months later the photo is handed in the day after it was taken: not
	// flagged (a late photo may be handed in the next day); three days
	// after, it is. With one file and no name, the name is the file's.
	a.clock.Set(time.Date(2026, 2, 24, 9, 0, 0, 0, zhifa.Local))
	officer.get(path)
	for _, tc := range []struct {
		collected, warning string
	}{{"2026-02-21", ""}, {"2026-02-23", "拍摄日期与收集日期相差3天，请核实"}, {"2026-02-20", ""}} {
		res = officer.uploadFiles(path+"/evidence", map[string]string{"kind": "audiovisual", "collected_on": tc.collected}, nil,
			namedFile{"IMG_0002.heic", heic})
		wantStatus(t, res, http.StatusSeeOther)
		rows = a.evidenceRows(path)
		last := rows[len(rows)-1]
		if last.Title != "IMG_0002" {
			t.Errorf("a single file without a name is named %q, want its file name", last.Title)
		}
		page := officer.get(path)
		mustContain(t, page, "证据已上传。")
		row := evidenceRowText(t, page, last.ID)
		if tc.warning == "" && strings.Contains(row, "请核实") || tc.warning != "" && !strings.Contains(row, tc.warning) {
			t.Errorf("collected %s: the row says %q, want warning %q", tc.collected, row, tc.warning)
		}
	}
}

// One bad file refuses the whole upload, naming it, with the entries kept:
// none of its files is recorded.
func TestEvidenceUploadIsWholeOrNothing(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	path := fileCase(t, officer, a.caseForm("maoba-officer1", "maoba-officer3"))
	officer.get(path)
	heic, jpg := sampleFile(t, "iphone15pro.heic"), sampleFile(t, "samsung-note5.jpg")
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), bytes.Repeat([]byte{0}, 600)...)
	fields := map[string]string{"kind": "audiovisual", "title": "现场照片甲", "collected_on": "2025-08-25"}

	res := officer.uploadFiles(path+"/evidence", fields, nil, namedFile{"IMG_0001.HEIC", heic}, namedFile{"现场.jpg", exe}, namedFile{"b.jpg", jpg})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "“现场.jpg”：文件内容与文件名不符：名为JPEG图片，实际是无法识别的内容。请上传原始文件。本次上传的文件均未保存。",
		`value="现场照片甲"`, `value="2025-08-25"`)
	res = officer.uploadFiles(path+"/evidence", fields, nil, namedFile{"setup.exe", exe}, namedFile{"b.jpg", jpg})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "“setup.exe”：不支持此类文件")
	// A HEIC named as a JPEG is told by its bytes.
	res = officer.uploadFiles(path+"/evidence", fields, nil, namedFile{"b.jpg", jpg}, namedFile{"IMG_0001.jpg", heic})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "“IMG_0001.jpg”：文件内容与文件名不符：名为JPEG图片，实际是HEIC照片。")
	var many []namedFile
	for i := range 21 {
		many = append(many, namedFile{"p" + itoa(int64(i)) + ".jpg", jpegBytes})
	}
	res = officer.uploadFiles(path+"/evidence", fields, nil, many...)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "一次最多上传20个文件，请分批上传。")
	res = officer.uploadFiles(path+"/evidence", fields, nil)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "请选择要上传的文件。")
	if n := a.evidenceCount(path); n != 0 {
		t.Fatalf("refused uploads recorded %d evidence", n)
	}
	page := officer.get(path)
	mustContain(t, page, "尚无证据")
	if strings.Contains(strings.Join(timeline(t, page), "\n"), "上传证据（") {
		t.Fatal("the timeline records a refused upload")
	}

	// The files together may pass the largest file allowed, each within it.
	setEvidenceLimit(t, a, 1<<20)
	res = officer.uploadFiles(path+"/evidence", fields, nil,
		namedFile{"a.jpg", jpegOfSize(900 << 10)}, namedFile{"b.jpg", jpegOfSize(900<<10 + 1)}, namedFile{"c.jpg", jpegOfSize(1 << 20)})
	wantStatus(t, res, http.StatusSeeOther)
	res = officer.uploadFiles(path+"/evidence", fields, nil, namedFile{"a.jpg", jpg}, namedFile{"big.jpg", jpegOfSize(1<<20 + 1)})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "“big.jpg”：文件超过大小上限（1 MB），请压缩或分段后上传。本次上传的文件均未保存。")
	if n := a.evidenceCount(path); n != 3 {
		t.Fatalf("%d evidence after one good and one refused upload of three and two files, want 3", n)
	}
}

// The progress script's request is answered with where to go (204 and
// X-Location) rather than a redirect it would follow itself: the flash
// message then waits for the page it opens.
func TestEvidenceUploadAnswersTheProgressScript(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	path := fileCase(t, officer, a.caseForm("maoba-officer1", "maoba-officer3"))
	officer.get(path)
	res := officer.uploadFiles(path+"/evidence", map[string]string{"kind": "audiovisual", "collected_on": "2025-08-25"},
		http.Header{"X-Zhifa-Upload": {"xhr"}}, namedFile{"a.jpg", jpegBytes}, namedFile{"b.m4a", sampleFile(t, "sample.m4a")},
		namedFile{"c.amr", sampleFile(t, "sample.amr")}, namedFile{"d.mov", sampleFile(t, "sample.mov")})
	wantStatus(t, res, http.StatusNoContent)
	if got := res.header.Get("X-Location"); got != path {
		t.Fatalf("X-Location %q, want %q", got, path)
	}
	mustContain(t, officer.get(path), "已上传4份证据。")
	var types []string
	for _, e := range a.evidenceRows(path) {
		types = append(types, e.ContentType)
	}
	if got := strings.Join(types, " "); got != "image/jpeg audio/mp4 audio/amr video/quicktime" {
		t.Fatalf("stored types %s", got)
	}
}

// In Chromium: the form offers several files at once and the phone's
// camera, and two photos chosen together go up together, with the
// progress shown and the HEIC's time and place on the case page after.
func TestBrowserEvidenceFromCamera(t *testing.T) {
	a := newApp(t)
	b := newBrowser(t, a)
	officer := a.login("maoba-officer1")
	path := fileCase(t, officer, a.caseForm("maoba-officer1", "maoba-officer3"))
	dir := t.TempDir()
	heic := filepath.Join(dir, "IMG_0001.HEIC")
	if err := os.WriteFile(heic, sampleFile(t, "iphone15pro.heic"), 0o644); err != nil {
		t.Fatal(err)
	}
	photo := smallJPEG(t, dir)

	b.login("maoba-officer1")
	b.open(path)
	ev := `form.evidence-form`
	got := b.eval(`(() => {
		const f = document.querySelector("form.evidence-form #file"), p = document.querySelector("#file-photo"), v = document.querySelector("#file-video");
		return [f.multiple, f.accept, p.accept, p.getAttribute("capture"), v.accept, v.getAttribute("capture"), p.name, v.name,
			!!document.querySelector('script[src="/static/evidence-upload.js"]')].join("|");
	})()`)
	if want := "true|" + "image/*,video/*,audio/*,.heic,.heif,.mov,.mp4,.3gp,.m4a,.amr,.pdf,.jpg,.jpeg,.png,.tif,.tiff" +
		"|image/*|environment|video/*|environment|file|file|true"; got != want {
		t.Fatalf("the file inputs: %s\nwant %s", got, want)
	}
	b.fill(ev, "kind", "audiovisual", "title", "现场照片", "collected_on", "2025-08-25")
	if err := chromedp.Do(b.ctx, chromedp.SetUploadFiles(chromedp.CSS(ev+" #file"), []string{heic, photo})); err != nil {
		t.Fatal(err)
	}
	// The progress bar is there, hidden until the form is sent.
	if b.eval(`document.querySelector(".upload-progress").hidden ? "hidden" : "shown"`) != "hidden" {
		t.Error("the progress bar shows before the upload")
	}
	// What the progress line says is kept across the page change that
	// follows the upload.
	b.eval(`(() => {
		const box = document.querySelector(".upload-progress");
		new MutationObserver(() => sessionStorage.setItem("progress", (sessionStorage.getItem("progress") || "") + "|" +
			(box.hidden ? "" : box.querySelector(".upload-percent").textContent))).observe(box, {subtree: true, childList: true, characterData: true, attributes: true});
		return "";
	})()`)
	if st := b.submit(ev); st != http.StatusOK || b.flash() != "已上传2份证据。" {
		t.Fatalf("upload: status %d, flash %q, errors %q", st, b.flash(), b.texts(".form-error, p.error"))
	}
	if seen := b.eval(`sessionStorage.getItem("progress") || ""`); !strings.Contains(seen, "已上传 100%") {
		t.Errorf("the progress line said %q, want 已上传 100%%", seen)
	}
	table := b.texts("table.evidence-table tbody tr")
	for _, want := range []string{"现场照片（IMG_0001）", "现场照片（现场照片）", "IMG_0001.HEIC", "现场照片.jpg",
		"拍摄时间：2026-02-20 06:22:37", "拍摄地点：北纬37.93633° 西经122.36529°", "拍摄日期与收集日期相差179天，请核实"} {
		if !strings.Contains(table, want) {
			t.Errorf("the evidence table does not show %q: %q", want, table)
		}
	}

	// A refused upload: the evidence section shows the message in place,
	// the entries kept, and no page is loaded.
	b.fill(ev, "kind", "audiovisual", "title", "第二批", "collected_on", "2025-08-26")
	bad := filepath.Join(dir, "伪装.jpg")
	if err := os.WriteFile(bad, []byte("MZ\x90\x00not a photo"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(b.ctx, chromedp.SetUploadFiles(chromedp.CSS(ev+" #file"), []string{photo, bad})); err != nil {
		t.Fatal(err)
	}
	b.eval(`window.__stay = "yes"; document.querySelector("form.evidence-form button[type=submit]").click(); ""`)
	if err := chromedp.Do(b.ctx, chromedp.WaitVisible(chromedp.CSS(ev+" p.error"))); err != nil {
		t.Fatal(err)
	}
	if msg := b.text(ev + " p.error"); !strings.Contains(msg, "“伪装.jpg”：文件内容与文件名不符") {
		t.Errorf("the refusal says %q", msg)
	}
	if b.eval(`window.__stay || ""`) != "yes" || b.eval(`document.querySelector("form.evidence-form [name=title]").value`) != "第二批" {
		t.Error("the refusal did not keep the page and its entries")
	}
	if n := a.evidenceCount(path); n != 2 {
		t.Errorf("%d evidence after a refused upload, want 2", n)
	}
}

// The dossier prints a JPEG photo and lists a HEIC photo (which Chromium
// cannot draw) and a video with their names, sizes, hashes and when and
// where they were taken.
func TestDossierListsPhoneMedia(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	path := fileCase(t, officer, a.caseForm("maoba-officer1", "maoba-officer3"))
	officer.get(path)
	heic, jpg := sampleFile(t, "iphone15pro.heic"), sampleFile(t, "samsung-note5.jpg")
	res := officer.uploadFiles(path+"/evidence", map[string]string{"kind": "audiovisual", "title": "现场", "collected_on": "2025-08-25"}, nil,
		namedFile{"IMG_0001.HEIC", heic}, namedFile{"VID_1.mp4", sampleFile(t, "sample.mp4")}, namedFile{"photo.jpg", jpg})
	wantStatus(t, res, http.StatusSeeOther)
	rows := a.evidenceRows(path)
	sha := func(i int) string {
		var s string
		a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
			return tx.QueryRow(context.Background(), `SELECT sha256 FROM evidence WHERE id = $1`, rows[i].ID).Scan(&s)
		})
		return s
	}
	page := officer.get(path + "/dossier")
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page,
		"证据“现场（IMG_0001）”（IMG_0001.HEIC，2.0 MB，SHA-256："+sha(0)+"，拍摄时间2026-02-20 06:22:37，拍摄地点北纬37.93633° 西经122.36529°，海拔13.2米）以电子文件保存于办案系统，未随卷打印。",
		"证据“现场（VID_1）”（VID_1.mp4，375 KB，SHA-256："+sha(1)+"，拍摄时间2010-03-21 05:29:11）以电子文件保存于办案系统，未随卷打印。")
	if strings.Contains(page.body, "证据“现场（photo）”（photo.jpg") {
		t.Error("the JPEG photo is listed as not printed")
	}
	// The printed dossier: the JPEG drawn, each 证据说明 with the time and place.
	actor, err := a.srv.Accounts.ActorByID(context.Background(), a.user("maoba-officer1").ID)
	if err != nil {
		t.Fatal(err)
	}
	ctx := zhifa.WithActor(context.Background(), actor)
	d, err := a.srv.Docs.Dossier(ctx, caseID(t, path))
	if err != nil {
		t.Fatal(err)
	}
	printed, err := web.DossierHTML(ctx, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`src="data:image/jpeg;base64,`, "<th>拍摄时间</th><td>2026-02-20 06:22:37（据文件记载）</td>",
		"<th>拍摄地点</th><td>北纬37.93633° 西经122.36529°，海拔13.2米（据文件记载）</td>",
		"<th>拍摄地点</th><td>北纬26.58667° 西经80.05361°，海拔0米（据文件记载）</td>", "拍摄日期与收集日期相差179天，请核实。"} {
		if !strings.Contains(printed, want) {
			t.Errorf("the printed dossier does not have %q", want)
		}
	}
	if n := strings.Count(printed, "data:image/"); n != 1 {
		t.Errorf("%d pictures printed, want 1 (the JPEG; not the HEIC)", n)
	}
}
