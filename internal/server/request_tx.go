package server

import (
	"errors"
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
		tw := &statusHook{ResponseWriter: w, withheld: errNotCommitted, decide: func(int) bool {
			if err := database.EndRequestTx(ctx); err != nil {
				s.Log.Error("request transaction", "err", err, "path", r.URL.Path, "request_id", middleware.GetReqID(ctx))
				dropBodyHeaders(w.Header())
				http.Error(w, "系统暂时无法完成此操作，请稍后重试。", http.StatusInternalServerError)
				return false
			}
			return true
		}}
		defer func() {
			if v := recover(); v != nil {
				database.AbortRequestTx(ctx) // nothing of a failed request is kept
				panic(v)
			}
			tw.settle() // a handler that wrote nothing
		}()
		next.ServeHTTP(tw, r.WithContext(ctx))
	})
}

// errNotCommitted stops a handler writing a page whose transaction could
// not be committed.
var errNotCommitted = errors.New("request transaction not committed; response withheld")
