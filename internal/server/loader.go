package server

import (
	"context"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"zhifa/internal/zhifa"
)

// loader is the middleware of a /{param} route (chi's _examples/rest
// ArticleCtx): it reads the id from the path, loads the row as the actor may
// read it (another town's is not found, the same as one that does not
// exist: row-level security), and puts it in the context under key. A bad
// id is not found with missing, the Chinese name of what was asked for.
func loader[T any](s *Server, param, missing string, key any, get func(r *http.Request, id int64) (T, error)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id, err := strconv.ParseInt(chi.URLParam(r, param), 10, 64)
			if err != nil || id <= 0 {
				s.Error(w, r, zhifa.Errorf(zhifa.ENOTFOUND, "%s", missing))
				return
			}
			v, err := get(r, id)
			if err != nil {
				s.Error(w, r, err)
				return
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), key, v)))
		})
	}
}
