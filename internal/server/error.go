package server

import (
	"net/http"

	"github.com/go-chi/chi/v5/middleware"

	"zhifa/internal/zhifa"
	"zhifa/web"
)

var statusOf = map[string]int{
	zhifa.EINVALID:      http.StatusUnprocessableEntity,
	zhifa.ENOTFOUND:     http.StatusNotFound,
	zhifa.EFORBIDDEN:    http.StatusForbidden,
	zhifa.EUNAUTHORIZED: http.StatusUnauthorized,
	zhifa.ECONFLICT:     http.StatusConflict,
	zhifa.ETHROTTLED:    http.StatusTooManyRequests,
	zhifa.EINTERNAL:     http.StatusInternalServerError,
}

var titleOf = map[string]string{
	zhifa.EINVALID:      "请求有误",
	zhifa.ENOTFOUND:     "未找到",
	zhifa.EFORBIDDEN:    "无权访问",
	zhifa.EUNAUTHORIZED: "请先登录",
	zhifa.ECONFLICT:     "操作冲突",
	zhifa.ETHROTTLED:    "操作过于频繁",
	zhifa.EINTERNAL:     "系统错误",
}

// Error is the one place that maps an error to a status and a page. Only
// internal errors are logged; users see the safe Chinese message.
func (s *Server) Error(w http.ResponseWriter, r *http.Request, err error) {
	code := zhifa.ErrorCode(err)
	status := statusOf[code]
	if code == zhifa.EINTERNAL {
		s.Log.Error("internal error", "err", err, "method", r.Method, "path", r.URL.Path,
			"request_id", middleware.GetReqID(r.Context()))
	}
	p := s.page(r, titleOf[code])
	s.render(w, r, status, web.ErrorPage(p, status, zhifa.ErrorMessage(err)))
}
