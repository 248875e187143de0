package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5/middleware"

	"zhifa/internal/database"
	"zhifa/internal/documents"
	"zhifa/internal/pdf"
	"zhifa/web"
)

// showDossier is the dossier on screen (the county reviewer's and the
// town's): the cover's facts, the 卷内目录 and the PDF to download.
func (s *Server) showDossier(w http.ResponseWriter, r *http.Request) {
	c := caseFrom(r)
	d, err := s.Docs.Dossier(r.Context(), c.ID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	data := &web.DossierData{D: d, PDF: s.PDF.Available(), PDFMessage: pdf.UnavailableMessage}
	s.render(w, r, http.StatusOK, web.DossierPage(s.page(r, "案卷 · "+d.CaseNumber), data))
}

// downloadDossier prints the dossier to one PDF with its page numbers.
func (s *Server) downloadDossier(w http.ResponseWriter, r *http.Request) {
	c := caseFrom(r)
	if !s.PDF.Available() {
		s.dossierUnavailable(w, r)
		return
	}
	d, err := s.Docs.Dossier(r.Context(), c.ID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	// Printing takes seconds: the reads are done, so the request's
	// transaction ends now rather than holding its connection meanwhile.
	if err := database.EndRequestTx(r.Context()); err != nil {
		s.Error(w, r, err)
		return
	}
	start := time.Now()
	out, passes, err := DossierPDF(r.Context(), s.PDF, d)
	if errors.Is(err, pdf.ErrUnavailable) {
		s.dossierUnavailable(w, r)
		return
	}
	if err != nil {
		s.Error(w, r, fmt.Errorf("dossier of case %d: %w", c.ID, err))
		return
	}
	s.Log.Info("dossier printed", "case", c.ID, "items", len(d.Items), "bytes", len(out), "passes", passes,
		"ms", time.Since(start).Milliseconds(), "request_id", middleware.GetReqID(r.Context()))
	name := "案卷-" + d.CaseNumber + ".pdf"
	w.Header().Set("Content-Type", "application/pdf")
	// An ASCII fallback for old clients, the real name per RFC 5987.
	w.Header().Set("Content-Disposition", `attachment; filename="dossier-`+strconv.FormatInt(c.ID, 10)+`.pdf"; filename*=UTF-8''`+rfc5987(name))
	w.Header().Set("Content-Length", strconv.Itoa(len(out)))
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write(out)
}

// rfc5987 percent-encodes a file name for filename* (RFC 5987 attr-char:
// letters, digits and !#$&+-.^_`|~ stay as they are).
func rfc5987(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// dossierUnavailable: no Chromium here; the documents' own pages still
// print from the user's browser.
func (s *Server) dossierUnavailable(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusServiceUnavailable, web.ErrorPage(s.page(r, "无法生成案卷PDF"), http.StatusServiceUnavailable, pdf.UnavailableMessage))
}

// DossierPDF prints d with its archival page numbers, in passes: the first
// with blanks where the numbers go; the named destination of each item's
// section (the 卷内目录 links to it) tells the page it starts on; the
// 页号 is that page less the front matter's pages; the next pass prints
// the numbers. Should the numbers change the length of the front matter
// (a 卷内目录 row wrapping differently), one more pass settles it. It
// returns the PDF and the number of passes.
func DossierPDF(ctx context.Context, r *pdf.Renderer, d *documents.Dossier) ([]byte, int, error) {
	paging := &web.Paging{}
	for pass := 1; pass <= 3; pass++ {
		html, err := web.DossierHTML(ctx, d, paging)
		if err != nil {
			return nil, pass, err
		}
		out, err := r.Render(ctx, html)
		if err != nil {
			return nil, pass, err
		}
		found, err := pagesOf(out, len(d.Items))
		if err != nil {
			return nil, pass, err
		}
		// Done when the numbers printed are the numbers found (an empty
		// dossier has none to print).
		if len(d.Items) == 0 || pass > 1 && slices.Equal(found.Start, paging.Start) && found.Front == paging.Front && found.Last == paging.Last {
			return out, pass, nil
		}
		paging = found
	}
	return nil, 3, errors.New("the page numbers of the dossier do not settle")
}

// pagesOf reads the archival page numbers of a printed dossier of n items.
func pagesOf(out []byte, n int) (*web.Paging, error) {
	dests, pages, err := pdf.DestPages(out)
	if err != nil {
		return nil, err
	}
	back, ok := dests[web.BackAnchor]
	if !ok {
		return nil, errors.New("the 备考表 has no destination")
	}
	p := &web.Paging{Front: back - 1, Start: make([]int, n)}
	if n > 0 {
		first, ok := dests[web.ItemAnchor(0)]
		if !ok {
			return nil, errors.New("the first item has no destination")
		}
		p.Front = first - 1
	}
	for i := range n {
		abs, ok := dests[web.ItemAnchor(i)]
		if !ok {
			return nil, fmt.Errorf("item %d has no destination", i+1)
		}
		p.Start[i] = abs - p.Front
	}
	p.Last = back - 1 - p.Front
	if back > pages || p.Last < 0 {
		return nil, fmt.Errorf("the 备考表 is on page %d of %d, after %d front pages", back, pages, p.Front)
	}
	return p, nil
}
