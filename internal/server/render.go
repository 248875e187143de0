package server

import (
	"bytes"
	"net/http"
	"strconv"
	"sync"

	"github.com/a-h/templ"

	"zhifa/internal/zhifa"
	"zhifa/web"
)

// page builds the layout's view model for r.
func (s *Server) page(r *http.Request, title string) *web.Page {
	ctx := r.Context()
	p := &web.Page{Title: title, Actor: zhifa.ActorFrom(ctx), Path: r.URL.Path}
	if s.hasSession(r) {
		p.Flash = s.Sessions.PopString(ctx, "flash")
		p.CSRFToken = s.csrfToken(r)
		p.Restore = s.restoreForm(r)
	}
	if p.Actor != nil {
		p.IdleSeconds = int(s.cfg.SessionIdle.Seconds())
		p.Counts = s.navCounts(r) // one statement: the badges of 首页 and 待审核
	}
	return p
}

type sessionKey struct{}

// hasSession reports whether the session middleware ran for r (it does not
// for /healthz and static files).
func (s *Server) hasSession(r *http.Request) bool {
	ok, _ := r.Context().Value(sessionKey{}).(bool)
	return ok
}

// render writes c with status, rendering into a buffer first so a failing
// template never leaves half a page behind a 200.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= maxPooledBuffer {
			buf.Reset()
			renderBuffers.Put(buf)
		}
	}()
	if err := c.Render(r.Context(), buf); err != nil {
		s.Log.Error("render", "err", err, "path", r.URL.Path)
		http.Error(w, "页面生成失败，请稍后重试。", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// renderBuffers are render's buffers, kept between requests: a page is tens
// of kilobytes, grown afresh on every request otherwise.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBuffer: a buffer grown beyond this (a long printed list) is left
// to the garbage collector rather than kept.
const maxPooledBuffer = 1 << 20

// redirect sends the browser on after a successful POST, with a flash message.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, to, flash string) {
	if flash != "" {
		s.Sessions.Put(r.Context(), "flash", flash)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// formError re-renders a form with its errors (422) when err is a validation
// error, and falls back to Error otherwise.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, err error, f *web.Form, show func(*web.Form) templ.Component) {
	code := zhifa.ErrorCode(err)
	if code != zhifa.EINVALID && code != zhifa.EUNAUTHORIZED && code != zhifa.ETHROTTLED {
		s.Error(w, r, err)
		return
	}
	if fe, ok := err.(zhifa.FieldErrors); ok {
		f.Errors = fe
	} else {
		f.Message = zhifa.ErrorMessage(err)
	}
	s.render(w, r, statusOf[code], show(f))
}
