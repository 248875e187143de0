package server

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5/middleware"

	"zhifa/internal/database"
)

// requestTx gives the reads of a GET (or HEAD) one transaction
// (database.WithRequestTx): a page's services share it instead of opening
// one each. It is committed when the response starts, so a slow client
// never holds a connection, and before the session is saved (scs saves it
// when the response starts, outside it). What a GET writes (the access log
// of a case read) is committed with it, before any byte of the page is
// sent; if that commit fails the user gets an error instead of the page.
// Form posts keep one transaction per action.
func (s *Server) requestTx(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		ctx := s.DB.WithRequestTx(r.Context())
		tw := &txEndingWriter{ResponseWriter: w, ctx: ctx, s: s, r: r}
		defer func() {
			if v := recover(); v != nil {
				database.AbortRequestTx(ctx) // nothing of a failed request is kept
				panic(v)
			}
			tw.end() // a handler that wrote nothing
		}()
		next.ServeHTTP(tw, r.WithContext(ctx))
	})
}

// txEndingWriter ends the request transaction when the response starts.
type txEndingWriter struct {
	http.ResponseWriter
	ctx    context.Context
	s      *Server
	r      *http.Request
	ended  bool
	failed bool // the commit failed: the error was sent instead
}

// end commits the request transaction once; false if the commit failed.
func (t *txEndingWriter) end() bool {
	if t.ended {
		return !t.failed
	}
	t.ended = true
	if err := database.EndRequestTx(t.ctx); err != nil {
		t.failed = true
		t.s.Log.Error("request transaction", "err", err, "path", t.r.URL.Path, "request_id", middleware.GetReqID(t.ctx))
	}
	return !t.failed
}

func (t *txEndingWriter) WriteHeader(code int) {
	if t.ended {
		if !t.failed {
			t.ResponseWriter.WriteHeader(code)
		}
		return
	}
	if !t.end() {
		h := t.ResponseWriter.Header()
		for _, k := range []string{"Content-Length", "Content-Disposition", "Content-Encoding", "Content-Range", "ETag", "Last-Modified"} {
			h.Del(k)
		}
		h.Set("Content-Type", "text/plain; charset=utf-8")
		t.ResponseWriter.WriteHeader(http.StatusInternalServerError)
		_, _ = t.ResponseWriter.Write([]byte("系统暂时无法完成此操作，请稍后重试。"))
		return
	}
	t.ResponseWriter.WriteHeader(code)
}

func (t *txEndingWriter) Write(b []byte) (int, error) {
	if !t.ended {
		t.WriteHeader(http.StatusOK)
	}
	if t.failed {
		return len(b), nil
	}
	return t.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (flushing, deadlines).
func (t *txEndingWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }
