package server

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"zhifa/internal/cases"
	"zhifa/internal/zhifa"
	"zhifa/web"
)

// uploadIdle is how long an upload or a download may make no progress
// before its connection is dropped. It replaces the server's whole-request
// timeouts, which a gigabyte video on a town's line would exceed.
const uploadIdle = 2 * time.Minute

// maxUploadFields is more than the upload form has (token, kind, title,
// date, collector).
const maxUploadFields = 16

// uploadEvidence streams an evidence upload into the file store: the form's
// fields come first (the CSRF token among them, checked before the file is
// read), then the file, which goes straight to the store — never whole in
// memory nor in a temporary multipart file.
func (s *Server) uploadEvidence(w http.ResponseWriter, r *http.Request) {
	c := caseFrom(r)
	f := web.NewForm()
	upload := uploadLimitFrom(r)
	if upload == nil {
		s.Error(w, r, errors.New("evidence upload without its body limit"))
		return
	}
	// A refusal may leave the body unread: close the connection rather than
	// read the rest of it.
	failed := func(err error) {
		if r.Context().Err() != nil {
			return // the sender hung up: there is no one to answer
		}
		w.Header().Set("Connection", "close")
		s.caseActionFailed(w, r, c, "evidence", f, err)
	}
	tooLarge := zhifa.FieldErrors{"file": "文件超过大小上限（" + strconv.FormatInt(upload.max>>20, 10) + " MB），请压缩或分段后上传。"}
	if upload.tooLarge {
		failed(tooLarge) // declared over the limit: not read, nothing stored
		return
	}
	broken := zhifa.FieldErrors{"file": "上传失败，请重新选择文件。"}
	r.Body = &progressReader{r: r.Body, rc: http.NewResponseController(w)}
	mr, err := r.MultipartReader()
	if err != nil {
		failed(broken)
		return
	}
	fields, file, bad, err := readUploadFields(mr)
	var over *http.MaxBytesError
	switch {
	case errors.As(err, &over):
		failed(tooLarge)
		return
	case err != nil:
		failed(broken)
		return
	}
	if !s.validCSRFToken(r, fields[csrfField]) {
		w.Header().Set("Connection", "close")
		s.refuseCSRF(w, r)
		return
	}
	// The streamed form escapes rejectBadForm: its text is checked here.
	if bad || file != nil && badText(file.FileName()) {
		w.Header().Set("Connection", "close")
		s.badRequest(w, r)
		return
	}
	in := cases.EvidenceInput{Kind: fields["kind"], Title: fields["title"], CollectedOn: fields["collected_on"]}
	in.CollectedBy, _ = strconv.ParseInt(fields["collected_by"], 10, 64)
	f.Values = map[string]string{"kind": in.Kind, "title": in.Title, "collected_on": in.CollectedOn, "collected_by": fields["collected_by"]}
	if file != nil && file.FileName() != "" {
		in.Filename, in.File = file.FileName(), file
	}
	if err := s.Cases.AddEvidence(r.Context(), c, in); err != nil {
		failed(err)
		return
	}
	s.redirect(w, r, "/cases/"+strconv.FormatInt(c.ID, 10), "证据已上传。")
}

// readUploadFields reads an upload form's fields up to its file part, which
// it returns unread (nil if the form has none), and whether any field's name
// or value is not text (badText). The fields are small and come first (the
// file input is the form's last field); together they may take at most
// uploadFormSlack, and there are at most maxUploadFields of them, so a body
// of many fields cannot fill memory or keep the handler busy.
func readUploadFields(mr *multipart.Reader) (fields map[string]string, file *multipart.Part, bad bool, err error) {
	fields = map[string]string{}
	budget := int64(uploadFormSlack)
	for n := 0; ; n++ {
		if n > maxUploadFields {
			return nil, nil, false, errors.New("upload form has too many fields")
		}
		part, err := mr.NextPart()
		if err == io.EOF {
			return fields, nil, bad, nil
		} else if err != nil {
			return nil, nil, false, err
		}
		name := part.FormName()
		if name == "file" {
			return fields, part, bad, nil
		}
		v, err := io.ReadAll(io.LimitReader(part, budget+1))
		if err != nil {
			return nil, nil, false, err
		}
		if budget -= int64(len(v)); budget < 0 {
			return nil, nil, false, errors.New("upload form fields too large")
		}
		bad = bad || badText(name) || badText(string(v))
		if _, seen := fields[name]; !seen && name != "" {
			fields[name] = string(v)
		}
	}
}

// progressReader pushes the connection's deadlines on while an upload keeps
// arriving: the read deadline, and the write deadline too, which the server
// counts from the end of the request's headers, so the answer to a long
// upload could not otherwise be written.
type progressReader struct {
	r    io.ReadCloser
	rc   *http.ResponseController
	next time.Time // when to push the deadline again
}

func (p *progressReader) Read(b []byte) (int, error) {
	if now := time.Now(); now.After(p.next) {
		// Unsupported (a test recorder): the server's timeouts stay.
		_ = p.rc.SetReadDeadline(now.Add(uploadIdle))
		_ = p.rc.SetWriteDeadline(now.Add(uploadIdle))
		p.next = now.Add(time.Second)
	}
	return p.r.Read(b)
}

func (p *progressReader) Close() error { return p.r.Close() }

// progressWriter pushes the connection's write deadline on while a
// download keeps going out.
type progressWriter struct {
	http.ResponseWriter
	rc   *http.ResponseController
	next time.Time
}

func (p *progressWriter) Write(b []byte) (int, error) {
	if now := time.Now(); now.After(p.next) {
		_ = p.rc.SetWriteDeadline(now.Add(uploadIdle))
		p.next = now.Add(time.Second)
	}
	return p.ResponseWriter.Write(b)
}

func (p *progressWriter) Unwrap() http.ResponseWriter { return p.ResponseWriter }

// inlineTypes may be shown in the browser (?inline=1: a video played in
// place) rather than saved; their types were sniffed from their bytes.
var inlineTypes = map[string]bool{"image/jpeg": true, "image/png": true, "image/gif": true, "image/webp": true,
	"video/mp4": true, "video/webm": true, "audio/mpeg": true, "audio/wave": true, "audio/ogg": true, "application/ogg": true}

// downloadEvidence serves a file with range requests (http.ServeContent),
// so a video plays and seeks in the browser and a broken download resumes.
func (s *Server) downloadEvidence(w http.ResponseWriter, r *http.Request) {
	c := caseFrom(r)
	id, _ := strconv.ParseInt(chi.URLParam(r, "evidenceID"), 10, 64)
	e, file, err := s.Cases.EvidenceFile(r.Context(), c.ID, id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	defer file.Close()
	disposition := "attachment"
	if r.URL.Query().Get("inline") == "1" && inlineTypes[e.ContentType] {
		disposition = "inline"
	}
	h := w.Header()
	h.Set("Content-Type", e.ContentType)
	h.Set("Content-Disposition", disposition+"; filename*=UTF-8''"+url.PathEscape(e.Filename))
	h.Set("X-Content-SHA256", e.SHA256)
	h.Set("ETag", `"`+e.SHA256+`"`) // the bytes never change: If-Range resumes safely
	h.Set("Cache-Control", "private, no-store")
	pw := &progressWriter{ResponseWriter: w, rc: http.NewResponseController(w)}
	http.ServeContent(pw, r, e.Filename, e.UploadedAt, file)
}

func (s *Server) supersedeEvidence(w http.ResponseWriter, r *http.Request) {
	c := caseFrom(r)
	id, _ := strconv.ParseInt(chi.URLParam(r, "evidenceID"), 10, 64)
	if err := s.Cases.SupersedeEvidence(r.Context(), c, id, r.PostFormValue("reason")); err != nil {
		s.caseActionFailed(w, r, c, "", web.NewForm(), err)
		return
	}
	s.redirect(w, r, "/cases/"+strconv.FormatInt(c.ID, 10), "证据已标记为已替换。")
}
