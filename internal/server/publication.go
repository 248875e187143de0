package server

import "github.com/go-chi/chi/v5"

// publicRoutes: placeholder, being built (/public, published decisions).
func (s *Server) publicRoutes(r chi.Router) {}

// publicationRoutes: placeholder, being built (a case's publication).
func (s *Server) publicationRoutes(r chi.Router) {}
