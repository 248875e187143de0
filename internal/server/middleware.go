package server

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"github.com/go-chi/chi/v5/middleware"

	"zhifa/internal/zhifa"
)

// logEntry is filled in by inner middleware (the actor is only known after
// the session loads) and written out by logRequests.
type logEntry struct{ user string }

type logEntryKey struct{}

// logRequests writes one structured line per request.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		entry := &logEntry{}
		start := time.Now()
		next.ServeHTTP(ww, r.WithContext(context.WithValue(r.Context(), logEntryKey{}, entry)))
		attrs := []any{"method", r.Method, "path", r.URL.Path, "status", ww.Status(), "bytes", ww.BytesWritten(),
			"duration_ms", time.Since(start).Milliseconds(), "remote", clientAddress(r), "request_id", middleware.GetReqID(r.Context())}
		if entry.user != "" {
			attrs = append(attrs, "user", entry.user)
		}
		s.Log.Info("request", attrs...)
	})
}

// recoverPanics turns a panic into a logged internal error page.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Log.Error("panic", "value", fmt.Sprint(v), "stack", string(debug.Stack()))
				s.Error(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'")
		next.ServeHTTP(w, r)
	})
}

func markSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sessionKey{}, true)))
	})
}

// clientAddress is the address failed logins are counted against.
func clientAddress(r *http.Request) string {
	if ip := middleware.GetClientIP(r.Context()); ip != "" {
		return ip
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

const csrfField = "csrf_token"

// maxRequestBytes bounds any request body.
const maxRequestBytes = 64 << 20

// csrfToken returns the session's token, creating it on first use.
func (s *Server) csrfToken(r *http.Request) string {
	ctx := r.Context()
	tok := s.Sessions.GetString(ctx, "csrf")
	if tok == "" {
		b := make([]byte, 32)
		_, _ = rand.Read(b)
		tok = base64.RawURLEncoding.EncodeToString(b)
		s.Sessions.Put(ctx, "csrf", tok)
	}
	return tok
}

// uploadFormSlack is what an evidence upload's body may hold beyond the
// file: the multipart headers and the form's other fields.
const uploadFormSlack = 64 << 10

// uploadLimit is an evidence upload's body limit, set by limitUploads.
type uploadLimit struct {
	max      int64 // the configured largest file (setting evidence_max_bytes)
	tooLarge bool  // the body is over max plus the form's slack: it was not read
}

type uploadLimitKey struct{}

func uploadLimitFrom(r *http.Request) *uploadLimit {
	u, _ := r.Context().Value(uploadLimitKey{}).(*uploadLimit)
	return u
}

// evidenceUploadRE is the path of the evidence upload route (POST
// /cases/{caseID}/evidence).
var evidenceUploadRE = regexp.MustCompile(`^/cases/\d+/evidence$`)

// limitUploads bounds an evidence upload's body by the configured file
// limit (plus the form's slack) before anything reads it: it runs before
// the CSRF check, which parses the whole form.
func (s *Server) limitUploads(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || !evidenceUploadRE.MatchString(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		limit, err := s.Cases.MaxEvidenceBytes(r.Context())
		if err != nil {
			s.Error(w, r, err)
			return
		}
		u := &uploadLimit{max: limit}
		if r.ContentLength > limit+uploadFormSlack {
			u.tooLarge = true // known from the headers: not read at all
		} else {
			r.Body = http.MaxBytesReader(w, r.Body, limit+uploadFormSlack)
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), uploadLimitKey{}, u)))
	})
}

// csrf refuses a state-changing request whose form token does not match the
// session's (synchroniser token). Cross-origin requests are already refused
// by http.CrossOriginProtection; this also stops a POST with no token.
//
// An evidence upload over its limit is the one exception: its form was not
// read, so its token cannot be checked; it goes on marked too large, and
// the upload handler refuses it with the limit, storing nothing.
func (s *Server) csrf(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			next.ServeHTTP(w, r)
			return
		}
		tooLarge := func() {
			s.Error(w, r, zhifa.Errorf(zhifa.EINVALID, "提交的内容过大（超过%d MB），请压缩文件后重试。", maxRequestBytes>>20))
		}
		// Bound every form before reading it; evidence uploads are already
		// bounded by their own limit from the settings.
		upload := uploadLimitFrom(r)
		if upload == nil {
			if r.ContentLength > maxRequestBytes {
				tooLarge()
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, maxRequestBytes)
		}
		if upload == nil || !upload.tooLarge {
			err := r.ParseMultipartForm(32 << 20)
			var overLimit *http.MaxBytesError
			switch {
			case errors.As(err, &overLimit) && upload != nil:
				upload.tooLarge = true
			case errors.As(err, &overLimit):
				tooLarge()
				return
			}
		}
		if upload != nil && upload.tooLarge {
			next.ServeHTTP(w, r)
			return
		}
		want := s.Sessions.GetString(r.Context(), "csrf")
		got := r.PostFormValue(csrfField)
		if want == "" || subtle.ConstantTimeCompare([]byte(want), []byte(got)) != 1 {
			s.Error(w, r, zhifa.Errorf(zhifa.EFORBIDDEN, "页面已过期或来源不明，请返回上一页刷新后重新提交。"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// loadActor puts the logged-in user into the context. A session whose user
// was deactivated is logged out.
func (s *Server) loadActor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := s.Sessions.GetInt64(r.Context(), "user_id")
		if id == 0 {
			next.ServeHTTP(w, r)
			return
		}
		a, err := s.Accounts.ActorByID(r.Context(), id)
		if zhifa.ErrorCode(err) == zhifa.EUNAUTHORIZED {
			s.Sessions.Remove(r.Context(), "user_id")
			next.ServeHTTP(w, r)
			return
		} else if err != nil {
			s.Error(w, r, err)
			return
		}
		if entry, ok := r.Context().Value(logEntryKey{}).(*logEntry); ok {
			entry.user = a.Username
		}
		next.ServeHTTP(w, r.WithContext(zhifa.WithActor(r.Context(), a)))
	})
}

// requireLogin sends anonymous users to the login page, remembering where
// they wanted to go.
func (s *Server) requireLogin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if zhifa.ActorFrom(r.Context()) == nil {
			if r.Method == http.MethodGet {
				to := "/login"
				if r.URL.Path != "/" {
					to += "?next=" + url.QueryEscape(r.URL.RequestURI())
				}
				http.Redirect(w, r, to, http.StatusSeeOther)
				return
			}
			s.Error(w, r, zhifa.Errorf(zhifa.EUNAUTHORIZED, "登录已失效，请重新登录。"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requireRoles refuses (403) users whose role is not listed.
func (s *Server) requireRoles(roles ...zhifa.Role) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			a := zhifa.ActorFrom(r.Context())
			for _, role := range roles {
				if a != nil && a.Role == role {
					next.ServeHTTP(w, r)
					return
				}
			}
			s.Error(w, r, zhifa.Errorf(zhifa.EFORBIDDEN, "您的角色无权访问此页面。"))
		})
	}
}

// safeNext keeps a post-login redirect on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}
