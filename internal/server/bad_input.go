package server

import (
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"zhifa/internal/zhifa"
	"zhifa/web"
)

// badText reports whether s is not text the app can keep: a NUL byte
// (PostgreSQL refuses it in text) or bytes that are not UTF-8.
func badText(s string) bool {
	return strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s)
}

func badValues(v url.Values) bool {
	for k, vs := range v {
		if badText(k) {
			return true
		}
		for _, s := range vs {
			if badText(s) {
				return true
			}
		}
	}
	return false
}

// badRequest answers a request whose text cannot be right (400) before any
// handler sees it.
func (s *Server) badRequest(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "请求有误")
	p.Path = "" // the path itself may be the bad text
	s.render(w, r, http.StatusBadRequest, web.ErrorPage(p, http.StatusBadRequest,
		"提交的内容含有无效字符（空字符或不是 UTF-8 编码的文字），请检查后重新提交。"))
}

// rejectBadQuery refuses (400) a path or query string that decodes to a NUL
// byte or to bytes that are not UTF-8, on every route, public ones too.
func (s *Server) rejectBadQuery(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if badText(r.URL.Path) || badValues(r.URL.Query()) {
			s.badRequest(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// rejectBadForm refuses (400) a form with such a value, name or file name.
// It runs after the CSRF layer, which has parsed every form but an evidence
// upload's (read as a stream by its handler, whose text fields the
// database refuses in turn: see internal/database translate).
func (s *Server) rejectBadForm(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bad := badValues(r.PostForm)
		if mf := r.MultipartForm; mf != nil && !bad {
			bad = badValues(mf.Value)
			for _, fhs := range mf.File {
				for _, fh := range fhs {
					bad = bad || badText(fh.Filename)
				}
			}
		}
		if bad {
			s.badRequest(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// noStore keeps every page and file sent to a logged-in user out of
// browser and proxy caches: cases, documents, evidence, officers and lists
// all carry citizens' personal data. The public item lists, outside the
// session, stay cacheable.
func noStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if zhifa.ActorFrom(r.Context()) != nil {
			w.Header().Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}
