package server

import "github.com/go-chi/chi/v5"

// trainingRoutes: placeholder, being built.
func (s *Server) trainingRoutes(r chi.Router) {}
