package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"zhifa/internal/audit"
	"zhifa/internal/zhifa"
	"zhifa/web"
)

// auditReads records every successful read of a case's pages and files in
// the access log (who, when, what, from where): the one place reads are
// logged, on the /cases/{caseID} route group after caseCtx.
//
// It fails closed: the entry is written when the handler sends its status
// (200, or 206 for a range of a file), before any of the body; if it cannot
// be written, the reader gets 503 instead of the personal data, and the error
// is logged. Refusals (403, 404) and other statuses are not reads and are not
// logged. Partial reads of one evidence file by one user (a video playing
// and seeking) are logged once per partialReadWindow.
func (s *Server) auditReads(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(&statusHook{ResponseWriter: w, withheld: errNotLogged, decide: func(code int) bool {
			if code != http.StatusOK && code != http.StatusPartialContent {
				return true // not a read
			}
			if err := s.logRead(r, code); err != nil {
				s.auditFailed(w, r, err)
				return false
			}
			return true
		}}, r)
	})
}

// errNotLogged stops a handler writing a body whose read was not logged.
var errNotLogged = errors.New("audit: the read could not be logged; response withheld")

// auditFailed answers 503 in place of a read that could not be logged. The
// handler's headers for its own body (a file's type, length, range,
// disposition) are dropped.
func (s *Server) auditFailed(w http.ResponseWriter, r *http.Request, err error) {
	s.Log.Error("access log", "err", err, "path", r.URL.Path, "request_id", middleware.GetReqID(r.Context()))
	dropBodyHeaders(w.Header())
	p := s.page(r, "暂时无法查看")
	s.render(w, r, http.StatusServiceUnavailable, web.ErrorPage(p, http.StatusServiceUnavailable,
		"访问记录暂时无法写入。案件含有当事人个人信息，未留下访问记录前不能查看，请稍后重试。"))
}

// logRead writes the access log entry of r, a read of the case in its
// context, answered with status.
func (s *Server) logRead(r *http.Request, status int) error {
	c := caseFrom(r)
	what, object := readOf(r)
	a := zhifa.ActorFrom(r.Context())
	if status == http.StatusPartialContent && what == audit.Evidence && a != nil &&
		!s.partialReads.first(a.UserID, object, s.Clock()) {
		return nil // a further range of a file this user read moments ago
	}
	// Not cancelled with the request: the server cancels a request's context
	// when its read deadline passes during a long handler, and the entry of a
	// read that is going out must be written whatever the client does.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 10*time.Second)
	defer cancel()
	return s.Audit.Record(ctx, audit.Read{TownID: c.TownID, CaseID: c.ID, What: what, ObjectID: object,
		Path: r.URL.RequestURI(), Remote: clientAddress(r), Status: status})
}

// readOf names what r read, from the route that served it.
func readOf(r *http.Request) (audit.What, int64) {
	pattern := ""
	if rc := chi.RouteContext(r.Context()); rc != nil {
		pattern = rc.RoutePattern()
	}
	id := func(param string) int64 {
		n, _ := strconv.ParseInt(chi.URLParam(r, param), 10, 64)
		return n
	}
	switch {
	case strings.Contains(pattern, "/evidence/{evidenceID}"):
		return audit.Evidence, id("evidenceID")
	case strings.HasSuffix(pattern, "/dossier.pdf"):
		return audit.DossierPDF, 0
	case strings.HasSuffix(pattern, "/dossier"):
		return audit.Dossier, 0
	case strings.Contains(pattern, "/documents"):
		return audit.Document, id("docID")
	}
	return audit.Case, 0
}

// partialReadWindow is how long partial reads of one file by one user count
// as the read already logged.
const partialReadWindow = 30 * time.Minute

// recentReads remembers, per user and evidence file, when a partial read was
// last logged (in this process: after a restart the next range is logged).
type recentReads struct {
	mu   sync.Mutex
	last map[[2]int64]time.Time
}

// first reports whether a partial read of evidence by user at now is the
// first within the window, and remembers it if so.
func (rr *recentReads) first(user, evidence int64, now time.Time) bool {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	if rr.last == nil {
		rr.last = map[[2]int64]time.Time{}
	}
	k := [2]int64{user, evidence}
	if t, ok := rr.last[k]; ok && now.Sub(t) < partialReadWindow && !now.Before(t) {
		return false
	}
	if len(rr.last) > 10000 { // forget what is past the window
		for k, t := range rr.last {
			if now.Sub(t) >= partialReadWindow {
				delete(rr.last, k)
			}
		}
	}
	rr.last[k] = now
	return true
}

// auditPage is the access log for the county: filter by town, case, user,
// kind and dates, newest first.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	towns, townID, err := s.townFilter(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	f := audit.Filter{TownID: townID, Case: q.Get("case"), User: q.Get("user"), What: audit.What(q.Get("what"))}
	if f.What != "" && !validWhat(f.What) {
		f.What = ""
	}
	f.From, _ = time.ParseInLocation(time.DateOnly, q.Get("from"), zhifa.Local)
	f.To, _ = time.ParseInLocation(time.DateOnly, q.Get("to"), zhifa.Local)
	f.Before, _ = strconv.ParseInt(q.Get("before"), 10, 64)
	page, err := s.Audit.List(r.Context(), f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d := &web.AuditData{Page: page, Filter: q, Towns: towns}
	s.render(w, r, http.StatusOK, web.AuditPage(s.page(r, "访问记录"), d))
}

func validWhat(w audit.What) bool {
	for _, x := range audit.Whats {
		if x == w {
			return true
		}
	}
	return false
}
