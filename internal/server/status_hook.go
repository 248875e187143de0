package server

import "net/http"

// statusHook is a response writer that runs decide once, just before the
// status goes out (WriteHeader, the first Write, or a flush). decide may
// answer in the handler's place and return false; the handler's later
// writes then fail with withheld. The access log (audit.go) and the request
// transaction (request_tx.go) both act at that moment.
type statusHook struct {
	http.ResponseWriter
	decide   func(code int) bool
	withheld error
	decided  bool // decide has run
	refused  bool // decide answered instead of the handler
}

func (h *statusHook) WriteHeader(code int) {
	if h.decided {
		if !h.refused {
			h.ResponseWriter.WriteHeader(code) // as net/http: a superfluous call, logged by it
		}
		return
	}
	h.decided = true
	if !h.decide(code) {
		h.refused = true
		return
	}
	h.ResponseWriter.WriteHeader(code)
}

func (h *statusHook) Write(b []byte) (int, error) {
	if !h.decided {
		h.WriteHeader(http.StatusOK)
	}
	if h.refused {
		return 0, h.withheld
	}
	return h.ResponseWriter.Write(b)
}

// FlushError is found by http.ResponseController before Unwrap: a flush
// sends the status, so decide runs first.
func (h *statusHook) FlushError() error {
	if !h.decided {
		h.WriteHeader(http.StatusOK)
	}
	if h.refused {
		return h.withheld
	}
	return http.NewResponseController(h.ResponseWriter).Flush()
}

// settle runs decide for a handler that wrote nothing (net/http then sends
// an empty 200 itself, unless decide answered).
func (h *statusHook) settle() {
	if !h.decided {
		h.decided = true
		h.refused = !h.decide(http.StatusOK)
	}
}

// Unwrap lets http.ResponseController reach the connection (write deadlines).
func (h *statusHook) Unwrap() http.ResponseWriter { return h.ResponseWriter }

// dropBodyHeaders removes the headers a handler set for its own body (a
// file's type, length, range, disposition) before another answer replaces it.
func dropBodyHeaders(h http.Header) {
	for _, k := range []string{"Content-Type", "Content-Length", "Content-Range", "Content-Disposition", "Content-Encoding",
		"Accept-Ranges", "ETag", "Last-Modified", "X-Content-SHA256"} {
		h.Del(k)
	}
}
