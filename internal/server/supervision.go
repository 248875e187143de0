package server

import "github.com/go-chi/chi/v5"

// supervisionRoutes: placeholder, being built.
func (s *Server) supervisionRoutes(r chi.Router) {}
