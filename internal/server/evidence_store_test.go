package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"image"
	"image/png"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/database"
	"zhifa/internal/filestore"
	"zhifa/internal/zhifa"
)

// mp4Head makes http.DetectContentType read a file as video/mp4 (an ftyp box).
var mp4Head = []byte{0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'm', 'p', '4', '2', 0, 0, 0, 0, 'm', 'p', '4', '2', 'i', 's', 'o', 'm'}

// videoReader yields an n-byte "video": the mp4 header and then random
// bytes, generated as they are read (never held whole), hashed on the way.
type videoReader struct {
	left int64
	head []byte
	rng  *rand.ChaCha8
	sum  hash.Hash
}

func newVideo(n int64, seed byte) *videoReader {
	return &videoReader{left: n, head: mp4Head, rng: rand.NewChaCha8([32]byte{seed}), sum: sha256.New()}
}

func (v *videoReader) Read(p []byte) (int, error) {
	if v.left == 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > v.left {
		p = p[:v.left]
	}
	n := copy(p, v.head)
	v.head = v.head[n:]
	if n < len(p) {
		_, _ = v.rng.Read(p[n:])
		n = len(p)
	}
	v.left -= int64(n)
	v.sum.Write(p[:n])
	return n, nil
}

func (v *videoReader) hash() string { return hex.EncodeToString(v.sum.Sum(nil)) }

// streamUpload posts an upload whose file comes from file, streamed through
// a pipe: the test never holds the body either. Fields are written in the
// order given (pairs of name, value) before the file, or after it when
// tokenAfterFile is set.
func streamUpload(t *testing.T, c *client, path, filename string, file io.Reader, tokenAfterFile bool, fields ...string) response {
	t.Helper()
	pr, pw := io.Pipe()
	w := multipart.NewWriter(pw)
	go func() {
		err := func() error {
			if !tokenAfterFile {
				if err := w.WriteField("csrf_token", c.csrf); err != nil {
					return err
				}
			}
			for i := 0; i+1 < len(fields); i += 2 {
				if err := w.WriteField(fields[i], fields[i+1]); err != nil {
					return err
				}
			}
			fw, err := w.CreateFormFile("file", filename)
			if err != nil {
				return err
			}
			if _, err := io.Copy(fw, file); err != nil {
				return err
			}
			if tokenAfterFile {
				if err := w.WriteField("csrf_token", c.csrf); err != nil {
					return err
				}
			}
			return w.Close()
		}()
		pw.CloseWithError(err)
	}()
	req, _ := http.NewRequest(http.MethodPost, c.app.ts.URL+path, pr)
	req.Header.Set("Content-Type", w.FormDataContentType())
	res, err := c.send(req)
	if err != nil {
		t.Fatalf("upload: %v", err)
	}
	return res
}

// setEvidenceLimit sets the largest evidence file (as the county administrator).
func setEvidenceLimit(t *testing.T, a *app, limit int64) {
	t.Helper()
	res := a.login("county-admin").post("/settings", url.Values{"key": {"evidence_max_bytes"}, "value": {itoa(limit)}})
	wantStatus(t, res, http.StatusSeeOther)
}

// evidenceRow is the stored metadata of the case's last evidence.
func (a *app) evidenceRow(path string) (id int64, sha string, size int64, stored bool) {
	a.t.Helper()
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT id, sha256, size_bytes, stored FROM evidence WHERE case_id = $1 ORDER BY id DESC LIMIT 1`,
			caseID(a.t, path)).Scan(&id, &sha, &size, &stored)
	})
	return
}

// memPeak is what peakMemory saw.
type memPeak struct {
	idle    uint64 // heap in use at the start, after a collection
	heap    uint64 // the highest heap in use seen above idle
	sysGrew uint64 // how much memory the runtime took from the OS meanwhile
}

func (m memPeak) String() string {
	return fmt.Sprintf("heap in use %.1f MB at idle, peak %.1f MB above it; memory from the OS grew %.1f MB",
		float64(m.idle)/(1<<20), float64(m.heap)/(1<<20), float64(m.sysGrew)/(1<<20))
}

// peakMemory samples the process's memory every 5 ms (client and server
// both: they share the process) until stop is called.
func peakMemory() (stop func() memPeak) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	idle, sys := ms.HeapInuse, ms.Sys
	var max, maxSys atomic.Uint64
	max.Store(idle)
	maxSys.Store(sys)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > max.Load() {
				max.Store(ms.HeapInuse)
			}
			if ms.Sys > maxSys.Load() {
				maxSys.Store(ms.Sys)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() memPeak {
		close(done)
		wg.Wait()
		return memPeak{idle: idle, heap: max.Load() - idle, sysGrew: maxSys.Load() - sys}
	}
}

// A 300 MB body-worn camera video goes into the file store as it arrives:
// the process's heap never grows by more than 50 MB during the upload or
// the download, the stored file has the video's SHA-256, and the row
// records it.
func TestEvidenceUploadStreamsLargeVideo(t *testing.T) {
	if testing.Short() {
		t.Skip("300 MB upload")
	}
	a := newApp(t)
	setEvidenceLimit(t, a, 512<<20)
	officer := a.login("maoba-officer1")
	path := fileCase(t, officer, a.caseForm("maoba-officer1", "maoba-officer3"))
	officer.get(path)

	const size = 300 << 20
	video := newVideo(size, 1)
	stop := peakMemory()
	start := time.Now()
	res := streamUpload(t, officer, path+"/evidence", "执法记录仪_20250825.mp4", video, false,
		"kind", "audiovisual", "title", "执法记录仪视频（现场检查全过程）", "collected_on", "2025-08-25")
	peak := stop()
	took := time.Since(start)
	wantStatus(t, res, http.StatusSeeOther)
	t.Logf("upload of %d MB in %v: %v", size>>20, took.Round(time.Millisecond), peak)
	if peak.heap > 50<<20 || peak.sysGrew > 50<<20 {
		t.Fatalf("memory grew during a 300 MB upload: %v; want under 50 MB", peak)
	}

	id, sha, n, stored := a.evidenceRow(path)
	if sha != video.hash() || n != size || !stored {
		t.Fatalf("row: sha %s size %d stored %v; want %s %d true", sha, n, stored, video.hash(), size)
	}
	dir := a.srv.Cases.Files.(*filestore.Dir)
	f, err := os.Open(dir.Path(sha))
	if err != nil {
		t.Fatalf("the file is not at <root>/ab/cd/<sha256>: %v", err)
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if got := hex.EncodeToString(h.Sum(nil)); got != sha {
		t.Fatalf("the stored file hashes to %s, want %s", got, sha)
	}
	mustContain(t, officer.get(path), "执法记录仪视频（现场检查全过程）", sha)

	// The download streams too, with its hash.
	stop = peakMemory()
	req, _ := http.NewRequest(http.MethodGet, a.ts.URL+path+"/evidence/"+itoa(id), nil)
	dl, err := officer.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	h.Reset()
	got, err := io.Copy(h, dl.Body)
	dl.Body.Close()
	peak = stop()
	t.Logf("download: %v", peak)
	if err != nil || got != size || hex.EncodeToString(h.Sum(nil)) != sha || dl.Header.Get("Content-Type") != "video/mp4" {
		t.Fatalf("download: %d bytes, %v, type %q", got, err, dl.Header.Get("Content-Type"))
	}
	if peak.heap > 50<<20 || peak.sysGrew > 50<<20 {
		t.Fatalf("memory grew during a 300 MB download: %v; want under 50 MB", peak)
	}
}

// A file is served with range requests, so a video plays and seeks in the
// browser: bytes=100-199 answers 206 with exactly those bytes; the ETag is
// the hash, so a resumed download is safe. Evidence from before the file
// store (the seeded photo in evidence_files) is served the same way.
func TestEvidenceRangeRequests(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	path := fileCase(t, officer, a.caseForm("maoba-officer1", "maoba-officer3"))
	officer.get(path)
	var data bytes.Buffer
	v := newVideo(1000, 2)
	_, _ = io.Copy(&data, v)
	res := streamUpload(t, officer, path+"/evidence", "clip.mp4", bytes.NewReader(data.Bytes()), false,
		"kind", "audiovisual", "title", "现场视频", "collected_on", "2025-08-25")
	wantStatus(t, res, http.StatusSeeOther)
	id, sha, _, _ := a.evidenceRow(path)
	link := path + "/evidence/" + itoa(id)

	get := func(link string, header ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, a.ts.URL+link, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		r, err := officer.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		return r, b
	}
	r, body := get(link, "Range", "bytes=100-199")
	if r.StatusCode != http.StatusPartialContent || !bytes.Equal(body, data.Bytes()[100:200]) ||
		r.Header.Get("Content-Range") != "bytes 100-199/1000" {
		t.Fatalf("range: status %d, %d bytes, Content-Range %q", r.StatusCode, len(body), r.Header.Get("Content-Range"))
	}
	r, body = get(link)
	if r.StatusCode != http.StatusOK || r.Header.Get("Accept-Ranges") != "bytes" || !bytes.Equal(body, data.Bytes()) ||
		r.Header.Get("ETag") != `"`+sha+`"` || r.Header.Get("Cache-Control") != "private, no-store" ||
		!strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment;") {
		t.Fatalf("whole file: status %d, headers %v", r.StatusCode, r.Header)
	}
	// Resuming with the right ETag gets the rest; with another, the whole file.
	r, body = get(link, "Range", "bytes=900-", "If-Range", `"`+sha+`"`)
	if r.StatusCode != http.StatusPartialContent || !bytes.Equal(body, data.Bytes()[900:]) {
		t.Fatalf("If-Range resume: status %d, %d bytes", r.StatusCode, len(body))
	}
	r, _ = get(link, "Range", "bytes=900-", "If-Range", `"other"`)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("If-Range with a stale ETag: status %d, want 200", r.StatusCode)
	}
	// Played in the page (<video src="…?inline=1">).
	if r, _ = get(link+"?inline=1", "Range", "bytes=0-"); r.StatusCode != http.StatusPartialContent ||
		!strings.HasPrefix(r.Header.Get("Content-Disposition"), "inline;") {
		t.Fatalf("inline: status %d, %q", r.StatusCode, r.Header.Get("Content-Disposition"))
	}
	// Past the end: 416.
	if r, _ = get(link, "Range", "bytes=5000-6000"); r.StatusCode != http.StatusRequestedRangeNotSatisfiable {
		t.Fatalf("range past the end: status %d, want 416", r.StatusCode)
	}

	// The seeded photo, from before the store, still downloads (by range too).
	var oldID int64
	var oldCase int64
	var oldSHA string
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT e.id, e.case_id, e.sha256 FROM evidence e JOIN towns t ON t.id = e.town_id
			WHERE t.code = 'maoba' AND NOT e.stored ORDER BY e.id LIMIT 1`).Scan(&oldID, &oldCase, &oldSHA)
	})
	old := fmt.Sprintf("/cases/%d/evidence/%d", oldCase, oldID)
	r, body = get(old)
	if sum := sha256.Sum256(body); r.StatusCode != http.StatusOK || hex.EncodeToString(sum[:]) != oldSHA {
		t.Fatalf("seeded evidence: status %d, hash %x, want %s", r.StatusCode, sum, oldSHA)
	}
	if r, body = get(old, "Range", "bytes=0-7"); r.StatusCode != http.StatusPartialContent || !bytes.Equal(body, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("seeded evidence by range: status %d, %q", r.StatusCode, body)
	}
	// Another town gets nothing, by range or not.
	other := a.login("haoping-leader")
	wantStatus(t, other.get(link), http.StatusNotFound)
	req, _ := http.NewRequest(http.MethodGet, a.ts.URL+link, nil)
	req.Header.Set("Range", "bytes=100-199")
	if res := other.do(req); res.status != http.StatusNotFound {
		t.Fatalf("another town's range request: status %d", res.status)
	}
}

// The streamed upload keeps its CSRF check: the token must come before the
// file (as the form puts it), and a token after the file, or none, is
// refused before anything is stored.
func TestEvidenceStreamNeedsTokenFirst(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	path := fileCase(t, officer, a.caseForm("maoba-officer1", "maoba-officer3"))
	officer.get(path)
	fields := []string{"kind", "audiovisual", "title", "现场视频", "collected_on", "2025-08-25"}
	res := streamUpload(t, officer, path+"/evidence", "clip.mp4", newVideo(4<<20, 3), true, fields...)
	wantStatus(t, res, http.StatusForbidden)
	mustContain(t, res, "页面已过期或来源不明，请返回上一页刷新后重新提交。")
	token := officer.csrf
	officer.csrf = "forged"
	res = streamUpload(t, officer, path+"/evidence", "clip.mp4", newVideo(4<<20, 3), false, fields...)
	wantStatus(t, res, http.StatusForbidden)
	mustContain(t, res, "页面已过期或来源不明，请返回上一页刷新后重新提交。")
	if n := a.evidenceCount(path); n != 0 {
		t.Fatalf("%d evidence records from uploads without the token", n)
	}
	if n := storedFiles(t, a); n != 0 {
		t.Fatalf("%d files stored from uploads without the token", n)
	}
	officer.csrf = token
	// Bad text in a streamed field or the file's name: 400, nothing stored.
	for _, bad := range [][]string{{"title", "现场\x00视频"}, {"title", "\xff\xfe"}, {"place", "\xff"}} {
		form := []string{"kind", "audiovisual", "collected_on", "2025-08-25", "title", "现场视频"}
		if bad[0] == "title" {
			form = form[:4]
		}
		res = streamUpload(t, officer, path+"/evidence", "clip.mp4", newVideo(4<<20, 3), false, append(form, bad...)...)
		wantStatus(t, res, http.StatusBadRequest)
		mustContain(t, res, "提交的内容含有无效字符（空字符或不是 UTF-8 编码的文字），请检查后重新提交。")
	}
	res = streamUpload(t, officer, path+"/evidence", "clip\xff.mp4", newVideo(4<<20, 3), false, fields...)
	wantStatus(t, res, http.StatusBadRequest)
	// A form of many fields is not read on and on.
	var many []string
	for i := range 20 {
		many = append(many, fmt.Sprintf("x%d", i), "1")
	}
	res = streamUpload(t, officer, path+"/evidence", "clip.mp4", newVideo(4<<20, 3), false, append(many, fields...)...)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "上传失败，请重新选择文件。")
	if n := a.evidenceCount(path); n != 0 {
		t.Fatalf("%d evidence records from uploads with bad text", n)
	}
	res = streamUpload(t, officer, path+"/evidence", "clip.mp4", newVideo(4<<20, 3), false, fields...)
	wantStatus(t, res, http.StatusSeeOther)
	if n := storedFiles(t, a); n != 1 {
		t.Fatalf("%d files stored, want 1", n)
	}
}

// storedFiles counts the files in the test's store (temporary ones not).
func storedFiles(t *testing.T, a *app) int {
	t.Helper()
	n := 0
	if err := a.srv.Cases.Files.(*filestore.Dir).Walk(func(string) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

// An upload cut off half-way (the officer's line drops) leaves neither a
// row nor a file, not even a temporary one.
func TestEvidenceUploadCutOffLeavesNothing(t *testing.T) {
	a := newApp(t)
	setEvidenceLimit(t, a, 64<<20)
	officer := a.login("maoba-officer1")
	path := fileCase(t, officer, a.caseForm("maoba-officer1", "maoba-officer3"))
	officer.get(path)

	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("csrf_token", officer.csrf)
	for _, kv := range [][2]string{{"kind", "audiovisual"}, {"title", "现场视频"}, {"collected_on", "2025-08-25"}} {
		_ = w.WriteField(kv[0], kv[1])
	}
	fw, _ := w.CreateFormFile("file", "clip.mp4")
	_, _ = io.Copy(fw, newVideo(16<<20, 4))
	_ = w.Close()
	// Declare the whole body, send half of it, and hang up.
	u, _ := url.Parse(a.ts.URL)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	var cookies []string
	for _, c := range officer.http.Jar.Cookies(u) {
		cookies = append(cookies, c.Name+"="+c.Value)
	}
	fmt.Fprintf(conn, "POST %s/evidence HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nCookie: %s\r\nOrigin: %s\r\n\r\n",
		path, u.Host, w.FormDataContentType(), body.Len(), strings.Join(cookies, "; "), a.ts.URL)
	_, _ = conn.Write(body.Bytes()[:body.Len()/2])
	time.Sleep(200 * time.Millisecond) // the server is writing the file
	tmp := filepath.Join(a.srv.Cases.Files.(*filestore.Dir).Root, "tmp")
	if entries, _ := os.ReadDir(tmp); len(entries) != 1 {
		t.Logf("%d temporary files while the upload arrives", len(entries))
	}
	conn.Close()

	deadline := time.Now().Add(10 * time.Second)
	for {
		entries, _ := os.ReadDir(tmp)
		if len(entries) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d temporary files left after the upload was cut off", len(entries))
		}
		time.Sleep(20 * time.Millisecond)
	}
	a.srv.Wait()
	if n := a.evidenceCount(path); n != 0 {
		t.Fatalf("%d evidence records from a cut-off upload", n)
	}
	if n := storedFiles(t, a); n != 0 {
		t.Fatalf("%d files stored from a cut-off upload", n)
	}
	page := officer.get(path)
	mustContain(t, page, "尚无证据")
	if regexp.MustCompile(`上传证据（`).MatchString(strings.Join(timeline(t, page), "\n")) {
		t.Fatal("the timeline records a cut-off upload")
	}
}

// The dossier prints a picture from the file store as it printed those kept
// in the database before (the seeded case's photo is still one of those).
func TestDossierPrintsStoredPictures(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	path := fileCase(t, officer, a.caseForm("maoba-officer1", "maoba-officer3"))
	officer.get(path)
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for i := range img.Pix {
		img.Pix[i] = byte(i)
	}
	var pic bytes.Buffer
	if err := png.Encode(&pic, img); err != nil {
		t.Fatal(err)
	}
	res := officer.upload(path+"/evidence", map[string]string{"kind": "scene_record", "title": "现场照片（存储）", "collected_on": "2025-08-25"}, "scene.png", pic.Bytes())
	wantStatus(t, res, http.StatusSeeOther)
	if _, _, _, stored := a.evidenceRow(path); !stored {
		t.Fatal("the upload is not in the file store")
	}
	// The page lists it as a picture; the printed dossier carries its bytes.
	mustContain(t, officer.get(path+"/dossier"), "现场照片（存储）", "照片")
	actor, err := a.srv.Accounts.ActorByID(context.Background(), a.user("maoba-officer1").ID)
	if err != nil {
		t.Fatal(err)
	}
	d, err := a.srv.Docs.Dossier(zhifa.WithActor(context.Background(), actor), caseID(t, path))
	if err != nil {
		t.Fatal(err)
	}
	printed := 0
	for _, it := range d.Items {
		if it.Evidence != nil && it.Evidence.Title == "现场照片（存储）" {
			if !bytes.Equal(it.Evidence.Image, pic.Bytes()) {
				t.Fatalf("the dossier prints %d bytes, want the stored picture's %d", len(it.Evidence.Image), pic.Len())
			}
			printed++
		}
	}
	if printed != 1 {
		t.Fatalf("the picture is printed %d times in the dossier", printed)
	}
}

// slowReader yields r's bytes in 64 KB pieces, pausing between them.
type slowReader struct {
	r     io.Reader
	pause time.Duration
}

func (s slowReader) Read(p []byte) (int, error) {
	time.Sleep(s.pause)
	return s.r.Read(p[:min(len(p), 64<<10)])
}

// A slow upload and download outlive the server's whole-request timeouts
// (one second here, a minute in production): while bytes keep flowing, the
// handlers push the connection's deadlines on.
func TestSlowTransfersOutliveServerTimeouts(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	path := fileCase(t, officer, a.caseForm("maoba-officer1", "maoba-officer3"))
	officer.get(path)
	ts := httptest.NewUnstartedServer(a.srv.Handler())
	ts.Config.ReadTimeout, ts.Config.WriteTimeout = time.Second, time.Second
	ts.Start()
	t.Cleanup(ts.Close)
	slow := *a
	slow.ts = ts
	c := *officer // the same cookies: a jar does not tell ports apart
	c.app = &slow

	video := newVideo(16<<20, 5) // 256 pieces, 10 ms apart: over 2.5 seconds
	start := time.Now()
	res := streamUpload(t, &c, path+"/evidence", "clip.mp4", slowReader{video, 10 * time.Millisecond}, false,
		"kind", "audiovisual", "title", "现场视频", "collected_on", "2025-08-25")
	wantStatus(t, res, http.StatusSeeOther)
	if took := time.Since(start); took < 2*time.Second {
		t.Fatalf("the upload took only %v: not slower than the timeout", took)
	}
	id, sha, _, _ := a.evidenceRow(path)
	if sha != video.hash() {
		t.Fatalf("stored %s, sent %s", sha, video.hash())
	}

	req, _ := http.NewRequest(http.MethodGet, ts.URL+path+"/evidence/"+itoa(id), nil)
	dl, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer dl.Body.Close()
	// The reader looks away for 2.5 seconds: the socket buffers fill (16 MB
	// is more than they hold) and the server's write waits past its timeout.
	time.Sleep(2500 * time.Millisecond)
	h := sha256.New()
	if _, err := io.Copy(h, dl.Body); err != nil {
		t.Fatalf("a slow download was cut off: %v", err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sha {
		t.Fatalf("downloaded %s, want %s", got, sha)
	}
}
