package server

import "github.com/go-chi/chi/v5"

// statsRoutes: placeholder, being built.
func (s *Server) statsRoutes(r chi.Router) {}
