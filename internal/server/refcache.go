package server

import (
	"context"
)

// ListenForChanges starts the reference cache's listener (see
// internal/refcache): until it listens, and whenever its connection is
// lost, pages read the reference data from the database. stop ends it and
// waits for it; call it on shutdown.
func (s *Server) ListenForChanges() (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Ref.Listen(ctx, s.DB.Pool.Config().ConnConfig, s.Log)
	}()
	return func() {
		cancel()
		<-done
	}
}
