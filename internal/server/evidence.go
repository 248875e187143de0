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
// fields come first (the CSRF token among them, checked before any file is
// read), then the files (the form's file inputs are its last fields), each
// going straight to the store as it arrives — never whole in memory nor in
// a temporary multipart file. One kind, date, collector and name apply to
// all the files; they are recorded together or not at all.
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
	if upload.tooLarge {
		failed(upload.refusal()) // declared over the limit: not read, nothing stored
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
		failed(upload.refusal())
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
	parts := &uploadParts{mr: mr, next: file}
	in := cases.EvidenceInput{Kind: fields["kind"], Title: fields["title"], CollectedOn: fields["collected_on"], Next: parts.file}
	in.CollectedBy, _ = strconv.ParseInt(fields["collected_by"], 10, 64)
	f.Values = map[string]string{"kind": in.Kind, "title": in.Title, "collected_on": in.CollectedOn, "collected_by": fields["collected_by"]}
	err = s.Cases.AddEvidence(r.Context(), c, in)
	switch {
	case errors.Is(parts.err, errBadUploadText):
		w.Header().Set("Connection", "close")
		s.badRequest(w, r)
		return
	case parts.err != nil && !errors.As(parts.err, &over):
		failed(broken)
		return
	case err != nil:
		failed(err)
		return
	}
	msg := "证据已上传。"
	if parts.n > 1 {
		msg = "已上传" + strconv.Itoa(parts.n) + "份证据。"
	}
	to := "/cases/" + strconv.FormatInt(c.ID, 10)
	if r.Header.Get("X-Zhifa-Upload") == "xhr" {
		// evidence-upload.js, which showed the progress, goes there itself:
		// a redirect followed inside it would take the flash message.
		s.Sessions.Put(r.Context(), "flash", msg)
		w.Header().Set("X-Location", to)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	s.redirect(w, r, to, msg)
}

// errBadUploadText is a file name that is not text (badText).
var errBadUploadText = errors.New("upload: a file name is not text")

// uploadParts yields the file parts of an upload after its fields
// (cases.EvidenceInput.Next). An empty file input (no file chosen: no name,
// no bytes) is skipped, and so is a text field after the files, within the
// fields' budget. The first failure is kept in err.
type uploadParts struct {
	mr     *multipart.Reader
	next   *multipart.Part // read by readUploadFields, not yet yielded
	n      int             // files yielded
	budget int64           // bytes of fields after the files still allowed
	skips  int
	err    error
}

func (u *uploadParts) file() (*cases.UploadedFile, error) {
	if u.err != nil {
		return nil, u.err
	}
	for {
		part := u.next
		u.next = nil
		if part == nil {
			var err error
			if part, err = u.mr.NextPart(); err == io.EOF {
				return nil, nil
			} else if err != nil {
				u.err = err
				return nil, err
			}
		}
		if part.FormName() == "file" && part.FileName() != "" {
			if badText(part.FileName()) {
				u.err = errBadUploadText
				return nil, u.err
			}
			u.n++
			return &cases.UploadedFile{Name: part.FileName(), Body: part}, nil
		}
		// No file chosen in an input, or a field after the files: read
		// (bounded) and passed over.
		if u.skips++; u.skips > maxUploadFields {
			u.err = errors.New("upload form has too many parts")
			return nil, u.err
		}
		n, err := io.Copy(io.Discard, io.LimitReader(part, uploadFormSlack-u.budget+1))
		if u.budget += n; err == nil && u.budget > uploadFormSlack {
			err = errors.New("upload form fields too large")
		}
		if err != nil {
			u.err = err
			return nil, err
		}
	}
}

// readUploadFields reads an upload form's fields up to its file part, which
// it returns unread (nil if the form has none), and whether any field's name
// or value is not text (badText). The fields are small and come first (the
// file inputs are the form's last fields); together they may take at most
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
	"image/heic": true, "image/heif": true, "video/mp4": true, "video/quicktime": true, "video/3gpp": true, "video/webm": true,
	"audio/mpeg": true, "audio/wave": true, "audio/ogg": true, "application/ogg": true, "audio/mp4": true, "audio/amr": true}

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
