package server

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
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
	"unicode"

	"github.com/go-chi/chi/v5/middleware"

	"zhifa/internal/zhifa"
	"zhifa/web"
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

// maxFormBytes bounds the body of every request but an evidence upload by a
// logged-in user: the largest form (a case filing, a document's words) is a
// few tens of KB.
const maxFormBytes = 1 << 20

// formMemory is how much of a multipart body is kept in memory while it is
// parsed; file parts beyond it go to temporary files.
const formMemory = 1 << 20

// csrfToken returns the token the page's forms carry. A logged-in session
// keeps a synchroniser token (created on first use); an anonymous visitor
// gets one signed from a nonce cookie instead, so that showing the login
// form stores no session (see anonCSRF).
func (s *Server) csrfToken(r *http.Request) string {
	ctx := r.Context()
	if s.Sessions.GetInt64(ctx, "user_id") == 0 {
		if a := anonCSRFFrom(r); a != nil {
			return a.token()
		}
		return ""
	}
	tok := s.Sessions.GetString(ctx, "csrf")
	if tok == "" {
		tok = randomToken()
		s.Sessions.Put(ctx, "csrf", tok)
	}
	return tok
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// anonCSRFCookie holds an anonymous visitor's random nonce; the form token
// is an HMAC of it under anonCSRFKey (a signed double-submit token). Another
// site can neither read the cookie nor compute the token, and cross-site
// POSTs are refused earlier anyway (http.CrossOriginProtection).
const anonCSRFCookie = "zhifa_csrf"

// anonCSRFKey signs anonymous tokens. It lives as long as the process: a
// login form left open across a restart is refused once and then reloaded
// ("页面已过期…").
var anonCSRFKey = func() []byte {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return b
}()

// anonCSRF is an anonymous request's nonce, read from its cookie or made
// (and its cookie set) the first time a page needs a token.
type anonCSRF struct {
	w      http.ResponseWriter
	secure bool
	nonce  string
}

type anonCSRFKeyT struct{}

func anonCSRFFrom(r *http.Request) *anonCSRF {
	a, _ := r.Context().Value(anonCSRFKeyT{}).(*anonCSRF)
	return a
}

func (a *anonCSRF) token() string {
	if a.nonce == "" {
		a.nonce = randomToken()
		http.SetCookie(a.w, &http.Cookie{Name: anonCSRFCookie, Value: a.nonce, Path: "/",
			HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteLaxMode})
	}
	return signNonce(a.nonce)
}

func signNonce(nonce string) string {
	m := hmac.New(sha256.New, anonCSRFKey)
	m.Write([]byte("zhifa anonymous csrf\x00" + nonce))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// anonNonce is the nonce cookie's value when it looks like one we made.
func anonNonce(r *http.Request) string {
	c, err := r.Cookie(anonCSRFCookie)
	if err != nil || len(c.Value) != 43 { // 32 bytes, unpadded base64
		return ""
	}
	return c.Value
}

// validCSRF reports whether r's form token is the one its page carried: the
// session's for a logged-in session, the signed nonce for an anonymous one.
func (s *Server) validCSRF(r *http.Request) bool {
	return s.validCSRFToken(r, r.PostFormValue(csrfField))
}

// validCSRFToken is validCSRF for a token read another way (the evidence
// upload reads its form as a stream).
func (s *Server) validCSRFToken(r *http.Request, got string) bool {
	var want string
	if s.Sessions.GetInt64(r.Context(), "user_id") != 0 {
		want = s.Sessions.GetString(r.Context(), "csrf")
	} else if nonce := anonNonce(r); nonce != "" {
		want = signNonce(nonce)
	}
	return want != "" && subtle.ConstantTimeCompare([]byte(want), []byte(got)) == 1
}

// uploadFormSlack is what an evidence upload's body may hold beyond the
// file: the multipart headers and the form's other fields.
const uploadFormSlack = 64 << 10

// maxUploadRequest is what the files of one evidence upload may reach
// together (several photos and videos from a phone), unless the largest
// file allowed is larger still.
const maxUploadRequest = 200 << 20

// uploadLimit is an evidence upload's body limit, set by limitUploads.
type uploadLimit struct {
	max      int64 // the configured largest file (setting evidence_max_bytes)
	request  int64 // the files together: max, or maxUploadRequest if larger
	tooLarge bool  // the body is declared over request plus the form's slack: it is not read
}

// refusal is the message for an upload over its limit.
func (u *uploadLimit) refusal() error {
	if u.request > u.max {
		return zhifa.FieldErrors{"file": fmt.Sprintf("一次上传的文件合计超过上限（%d MB），请分批上传。本次上传的文件均未保存。", u.request>>20)}
	}
	return zhifa.FieldErrors{"file": fmt.Sprintf("文件超过大小上限（%d MB），请压缩或分段后上传。", u.max>>20)}
}

type uploadLimitKey struct{}

func uploadLimitFrom(r *http.Request) *uploadLimit {
	u, _ := r.Context().Value(uploadLimitKey{}).(*uploadLimit)
	return u
}

// evidenceUploadRE is the path of the evidence upload route (POST
// /cases/{caseID}/evidence).
var evidenceUploadRE = regexp.MustCompile(`^/cases/\d+/evidence$`)

// limitUploads bounds every request body before anything reads it (it runs
// before the CSRF check, which parses every form but an evidence upload's). A body is at most
// maxFormBytes, except an evidence upload from a logged-in session, which
// may reach the configured file limit or maxUploadRequest, whichever is
// larger, plus the form's slack (each file is held to the file limit as it
// is read). A body
// declared larger than its limit is refused with 413 at once, unread; one
// of unknown length is cut off at the limit as it is read.
//
// An evidence upload over its limit is not refused here: it goes on marked
// too large (or, read as a stream, is cut off at the limit), and the upload
// handler shows the limit on the case page.
func (s *Server) limitUploads(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && evidenceUploadRE.MatchString(r.URL.Path) &&
			s.Sessions.GetInt64(r.Context(), "user_id") != 0 {
			limit, err := s.Cases.MaxEvidenceBytes(r.Context())
			if err != nil {
				s.Error(w, r, err)
				return
			}
			u := &uploadLimit{max: limit, request: max(limit, maxUploadRequest)}
			if r.ContentLength > u.request+uploadFormSlack {
				u.tooLarge = true // known from the headers: not read at all
			} else {
				r.Body = http.MaxBytesReader(w, r.Body, u.request+uploadFormSlack)
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), uploadLimitKey{}, u)))
			return
		}
		if r.ContentLength > maxFormBytes {
			s.bodyTooLarge(w, r)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		next.ServeHTTP(w, r)
	})
}

// bodyTooLarge refuses a request whose body is over its limit (413). The
// connection is closed so the rest of the body is never read.
func (s *Server) bodyTooLarge(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Connection", "close")
	p := s.page(r, "提交的内容过大")
	s.render(w, r, http.StatusRequestEntityTooLarge, web.ErrorPage(p, http.StatusRequestEntityTooLarge,
		fmt.Sprintf("提交的内容过大（超过%d MB），请精简后重新提交。", maxFormBytes>>20)))
}

// csrf refuses a state-changing request whose form token does not match
// (see csrfToken). Cross-origin requests are already refused by
// http.CrossOriginProtection; this also stops a POST with no token.
//
// An evidence upload is the one exception: its body (up to gigabytes) is
// read as a stream by its handler (uploadEvidence), which checks the token
// — a field before the file — before it reads the file, and stores nothing
// without it.
func (s *Server) csrf(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// An anonymous page's forms are signed from the nonce cookie, made
		// when the page first asks for a token.
		r = r.WithContext(context.WithValue(r.Context(), anonCSRFKeyT{},
			&anonCSRF{w: w, secure: s.cfg.SecureCookies, nonce: anonNonce(r)}))
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			next.ServeHTTP(w, r)
			return
		}
		if uploadLimitFrom(r) != nil {
			next.ServeHTTP(w, r) // its handler checks the token: see uploadEvidence
			return
		}
		// ParseMultipartForm drops ParseForm's error (a urlencoded body over
		// its limit) when the body is not multipart.
		err := r.ParseForm()
		if err == nil {
			if err = r.ParseMultipartForm(formMemory); errors.Is(err, http.ErrNotMultipart) {
				err = nil
			}
		}
		var overLimit *http.MaxBytesError
		if errors.As(err, &overLimit) {
			s.bodyTooLarge(w, r)
			return
		}
		if !s.validCSRF(r) {
			if s.keepExpiredForm(w, r) {
				return // the session expired: the form waits for the login
			}
			s.refuseCSRF(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// refuseCSRF answers a state-changing request without its form's token.
func (s *Server) refuseCSRF(w http.ResponseWriter, r *http.Request) {
	s.Error(w, r, zhifa.Errorf(zhifa.EFORBIDDEN, "页面已过期或来源不明，请返回上一页刷新后重新提交。"))
}

// loadActor puts the logged-in user into the context. A session whose user
// was deactivated, or that was ended (a password change elsewhere, see
// account.SessionActor), is destroyed: the request goes on anonymous.
func (s *Server) loadActor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen, _ := r.Context().Value(sessionSeenKey{}).(*sessionSeen)
		if seen != nil && seen.refs != nil {
			// What changed before this request is not read from the cache.
			r = r.WithContext(s.Ref.Observe(r.Context(), seen.refs))
		}
		id := s.Sessions.GetInt64(r.Context(), "user_id")
		if id == 0 {
			next.ServeHTTP(w, r)
			return
		}
		token := s.Sessions.Token(r.Context())
		// The user read with the session, if it is this session's (the
		// token may have been renewed since); else one more round trip.
		var a *zhifa.Actor
		var err error
		ok := false
		if seen != nil && seen.token == token {
			a, ok, err = seen.user.Actor(id)
		}
		if !ok {
			a, err = s.Accounts.SessionActor(r.Context(), id, token)
		}
		if zhifa.ErrorCode(err) == zhifa.EUNAUTHORIZED {
			if err := s.Sessions.Destroy(r.Context()); err != nil {
				s.Error(w, r, err)
				return
			}
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

// safeNext keeps a post-login redirect on this site: only a clean absolute
// path ("/cases?status=x") is followed, anything else goes home. Refused:
// a scheme or host ("https://x", "javascript:…", "//x"), a backslash
// ("/\x", which browsers read as "//x"), control characters or spaces, even
// percent-encoded ("/%09/x": browsers drop the tab and see "//x"), and a
// path that decodes to "//…".
func safeNext(next string) string {
	if next == "" || next[0] != '/' || len(next) > 2048 {
		return "/"
	}
	for _, c := range next {
		if c <= ' ' || c == 0x7f || c == '\\' || !unicode.IsPrint(c) {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	p := u.Path
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return "/"
	}
	for _, c := range p {
		if c <= ' ' || c == 0x7f || c == '\\' || !unicode.IsPrint(c) {
			return "/"
		}
	}
	return next
}
