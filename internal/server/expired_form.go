package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"zhifa/internal/zhifa"
	"zhifa/web"
)

// A form sent after the session expired (an officer typed a long record,
// had a coffee and pressed 保存) is not thrown away: its fields are kept in
// a fresh anonymous session, the user logs in again and lands back on the
// page the form came from, where app.js puts the entries back into the same
// form (and, without JavaScript, the page lists them). Nothing is written:
// the user checks the form and submits it again with a valid token.
//
// The entries are given back only to the user who typed them: the login
// sets a signed cookie naming the user (whoCookie), the kept form records
// it, and a different user logging in on the same browser gets nothing.

// keptFormKey is the session key of the kept form (JSON of keptForm).
const keptFormKey = "kept_form"

// whoCookie names the last user logged in on this browser, signed.
const whoCookie = "zhifa_who"

// keptFormTTL is how long a kept form waits for its user to log in.
const keptFormTTL = 2 * time.Hour

// keptFormMax bounds what is kept (the session row holds it).
const keptFormMax = 256 << 10

type keptForm struct {
	UserID int64       `json:"user"`
	Path   string      `json:"path"`   // the page to land on after login
	Action string      `json:"action"` // the form's action path
	Fields [][2]string `json:"fields"` // name, value, in order
	Files  bool        `json:"files"`  // the form carried files, which are not kept
	At     time.Time   `json:"at"`
}

// keepExpiredForm keeps the form of a POST sent without a logged-in session
// and sends the user to log in. It reports false (and does nothing) when
// the request is not such a form: no earlier login on this browser.
func (s *Server) keepExpiredForm(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodPost || r.URL.Path == "/login" || r.URL.Path == "/logout" ||
		s.Sessions.GetInt64(r.Context(), "user_id") != 0 {
		return false
	}
	user := s.whoFrom(r)
	if user == 0 {
		return false
	}
	k := keptForm{UserID: user, Path: s.formPage(r), Action: r.URL.Path, At: time.Now()}
	size := 0
	for name, values := range r.PostForm {
		if name == csrfField {
			continue
		}
		for _, v := range values {
			size += len(name) + len(v)
			k.Fields = append(k.Fields, [2]string{name, v})
		}
	}
	if r.MultipartForm != nil {
		for _, files := range r.MultipartForm.File {
			k.Files = k.Files || len(files) > 0
		}
	}
	if size > keptFormMax {
		return false
	}
	b, err := json.Marshal(k)
	if err != nil {
		return false
	}
	s.Sessions.Put(r.Context(), keptFormKey, string(b))
	http.Redirect(w, r, "/login?expired=1&next="+url.QueryEscape(k.Path), http.StatusSeeOther)
	return true
}

// formPage is the page the form was on (its Referer on this site), or the
// form's own path.
func (s *Server) formPage(r *http.Request) string {
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host && ref.Path != "" && ref.Path != "/login" {
		if next := safeNext(ref.RequestURI()); next != "/" || ref.Path == "/" {
			return next
		}
	}
	return safeNext(r.URL.Path)
}

// hasKeptForm reports whether a form is waiting for the login.
func (s *Server) hasKeptForm(r *http.Request) bool {
	return s.Sessions.Exists(r.Context(), keptFormKey)
}

// restoreForm takes the kept form for the page being shown, if the actor
// typed it and it is still fresh; a stale one, or another user's, is dropped.
func (s *Server) restoreForm(r *http.Request) *web.Restore {
	ctx := r.Context()
	a := zhifa.ActorFrom(ctx)
	raw := s.Sessions.GetString(ctx, keptFormKey)
	if raw == "" || a == nil {
		return nil
	}
	var k keptForm
	if err := json.Unmarshal([]byte(raw), &k); err != nil || k.UserID != a.UserID || time.Since(k.At) > keptFormTTL {
		s.Sessions.Remove(ctx, keptFormKey)
		return nil
	}
	here := r.URL.Path
	if r.URL.RawQuery != "" {
		here += "?" + r.URL.RawQuery
	}
	if here != k.Path && r.URL.Path != k.Path {
		return nil // shown on its own page only
	}
	s.Sessions.Remove(ctx, keptFormKey)
	return &web.Restore{Action: k.Action, Fields: k.Fields, Files: k.Files}
}

// setWho remembers on this browser who logged in (see keepExpiredForm).
func (s *Server) setWho(w http.ResponseWriter, userID int64) {
	v := strconv.FormatInt(userID, 10)
	http.SetCookie(w, &http.Cookie{Name: whoCookie, Value: v + "." + signWho(v), Path: "/",
		MaxAge:   int(keptFormTTL.Seconds()) + int(s.cfg.SessionLifetime.Seconds()),
		HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// whoFrom is the user the signed cookie names (0: none or forged).
func (s *Server) whoFrom(r *http.Request) int64 {
	c, err := r.Cookie(whoCookie)
	if err != nil {
		return 0
	}
	v, sig, ok := strings.Cut(c.Value, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(signWho(v))) {
		return 0
	}
	id, _ := strconv.ParseInt(v, 10, 64)
	return id
}

func signWho(v string) string {
	m := hmac.New(sha256.New, anonCSRFKey)
	m.Write([]byte("zhifa who\x00" + v))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// keepAlive answers the idle warning's 继续工作: it renews the session
// now. (Other requests push the stored expiry on at most once per
// sessionTouch, see quietStore; this one always does, by changing the
// session.)
func (s *Server) keepAlive(w http.ResponseWriter, r *http.Request) {
	if zhifa.ActorFrom(r.Context()) == nil {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	s.Sessions.Put(r.Context(), "kept_alive", time.Now().UnixNano()) // real time, as scs's expiry
	w.WriteHeader(http.StatusNoContent)
}
