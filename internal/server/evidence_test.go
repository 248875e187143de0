package server_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"testing"
	"time"
)

// jpegOfSize is a JPEG-looking file of exactly n bytes.
func jpegOfSize(n int) []byte {
	return append(append([]byte{}, jpegBytes...), bytes.Repeat([]byte{1}, n-len(jpegBytes))...)
}

// The county administrator sets the largest evidence file; a file just
// over it, or far over it, is refused with the limit on the case page and
// nothing is stored; a file of exactly the limit is stored.
func TestEvidenceSizeLimitIsASetting(t *testing.T) {
	a := newApp(t)
	const limit = 1 << 20
	res := a.login("county-admin").post("/settings", url.Values{"key": {"evidence_max_bytes"}, "value": {itoa(limit)}})
	wantStatus(t, res, http.StatusSeeOther)
	officer := a.login("maoba-officer1")
	path := fileCase(t, officer, a.caseForm("maoba-officer1", "maoba-officer3"))
	fields := map[string]string{"kind": "audiovisual", "title": "现场视频截图", "collected_on": "2025-08-25"}
	const refusal = "文件超过大小上限（1 MB），请压缩或分段后上传。"

	// One byte over: the form is read, the entries come back.
	res = officer.upload(path+"/evidence", fields, "big.jpg", jpegOfSize(limit+1))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, refusal, `value="现场视频截图"`, "<h1 data-version=")
	// Far over: the body is cut off at the limit before anything parses it.
	res = officer.upload(path+"/evidence", fields, "huge.jpg", jpegOfSize(3*limit))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, refusal, "<h1 data-version=")
	// A sender that never finishes (length unknown, stalled after 2 MB) is
	// answered as soon as the limit is passed: the server does not wait for
	// the rest of the body before refusing it.
	res = stalledUpload(t, officer, path+"/evidence", fields, jpegOfSize(3*limit), 2*limit)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, refusal, "<h1 data-version=")
	if n := a.evidenceCount(path); n != 0 {
		t.Fatalf("refused uploads stored %d evidence records", n)
	}
	mustContain(t, officer.get(path), "尚无证据")

	// Exactly the limit is accepted.
	res = officer.upload(path+"/evidence", fields, "max.jpg", jpegOfSize(limit))
	wantStatus(t, res, http.StatusSeeOther)
	if n := a.evidenceCount(path); n != 1 {
		t.Fatalf("%d evidence records after an upload at the limit, want 1", n)
	}
	mustContain(t, officer.get(path), "现场视频截图", "max.jpg")
}

// stalledUpload posts an upload of data whose length the server is not
// told, sending only its first sent bytes and then nothing more (for at
// most 10 seconds, when the request is given up).
func stalledUpload(t *testing.T, c *client, path string, fields map[string]string, data []byte, sent int) response {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("csrf_token", c.csrf)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	fw, _ := w.CreateFormFile("file", "stalled.jpg")
	_, _ = fw.Write(data)
	_ = w.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	body := io.MultiReader(bytes.NewReader(buf.Bytes()[:sent]), stall{ctx})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.app.ts.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	res, err := c.send(req)
	if err != nil {
		t.Fatalf("the server did not answer an oversize upload before its end: %v", err)
	}
	return res
}

// stall is a reader that blocks until its context ends.
type stall struct{ ctx context.Context }

func (s stall) Read([]byte) (int, error) {
	<-s.ctx.Done()
	return 0, s.ctx.Err()
}

// The upload route keeps its CSRF check: an upload without the session's
// token is refused and stores nothing.
func TestEvidenceUploadNeedsTheFormToken(t *testing.T) {
	a := newApp(t)
	officer := a.login("maoba-officer1")
	path := fileCase(t, officer, a.caseForm("maoba-officer1", "maoba-officer3"))
	officer.get(path)
	token := officer.csrf
	officer.csrf = "forged-token"
	res := officer.upload(path+"/evidence", map[string]string{"kind": "scene_record", "title": "现场照片", "collected_on": "2025-08-25"}, "scene.jpg", jpegBytes)
	wantStatus(t, res, http.StatusForbidden)
	mustContain(t, res, "页面已过期或来源不明")
	if n := a.evidenceCount(path); n != 0 {
		t.Fatalf("an upload with a forged token stored %d evidence records", n)
	}
	officer.csrf = token
	res = officer.upload(path+"/evidence", map[string]string{"kind": "scene_record", "title": "现场照片", "collected_on": "2025-08-25"}, "scene.jpg", jpegBytes)
	wantStatus(t, res, http.StatusSeeOther)
}
