package web

import (
	"context"
	"encoding/base64"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"zhifa/internal/documents"
)

// Paging is what printing the dossier once taught of its pages: how many
// pages the front matter (cover and 卷内目录) takes, each item's first
// archival page (页号: the first numbered page is 1) and the last numbered
// page. The zero Paging is the first pass, with blanks for the numbers.
type Paging struct {
	Front int   // pages before page 1 (unnumbered)
	Start []int // first 页号 of each item, by index
	Last  int   // the last numbered page
}

// Known reports whether the numbers are filled in.
func (p *Paging) Known() bool { return p != nil && p.Last > 0 }

// Pages is the 页号 of item i in the 卷内目录: its first page; the last
// item start–end (GB/T 9705).
func (p *Paging) Pages(i, n int) string {
	if !p.Known() || i >= len(p.Start) {
		return ""
	}
	s := strconv.Itoa(p.Start[i])
	if i == n-1 && p.Last > p.Start[i] {
		s += "–" + strconv.Itoa(p.Last)
	}
	return s
}

// ItemAnchor is the id of item i's section: the 卷内目录 links to it, and
// Chromium writes a named destination for it, where the printer reads its
// page.
func ItemAnchor(i int) string { return "doc-" + strconv.Itoa(i+1) }

// BackAnchor is the 备考表's id.
const BackAnchor = "back"

// DossierHTML is the dossier as one self-contained page for Chromium: the
// CSS inline, the pictures as data: URIs, nothing fetched.
func DossierHTML(ctx context.Context, d *documents.Dossier, p *Paging) (string, error) {
	css, err := dossierCSS(p)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	err = DossierPrint(d, p, css).Render(ctx, &b)
	return b.String(), err
}

// dossierCSS is doc.css (the documents as they print alone), dossier.css
// and the archival page numbers: a fixed counter style that prints "1" on
// the first page after the front matter (the front and back pages are
// named pages without a number).
func dossierCSS(p *Paging) (string, error) {
	var b strings.Builder
	for _, name := range []string{"static/doc.css", "static/dossier.css"} {
		css, err := fs.ReadFile(Static, name)
		if err != nil {
			return "", err
		}
		b.Write(css)
		b.WriteByte('\n')
	}
	if p.Known() {
		fmt.Fprintf(&b, "@counter-style archival { system: fixed %d; symbols:", p.Front+1)
		for i := 1; i <= p.Last; i++ {
			fmt.Fprintf(&b, ` "%d"`, i)
		}
		b.WriteString("; }\n@page { @top-right { content: counter(page, archival); } }\n")
	}
	return b.String(), nil
}

// dossierImage embeds a picture.
func dossierImage(contentType string, data []byte) string {
	return "data:" + contentType + ";base64," + base64.StdEncoding.EncodeToString(data)
}

// DossierData is the dossier page on screen.
type DossierData struct {
	D *documents.Dossier
	// PDF is false where the server has no Chromium: the page says so
	// instead of offering the download.
	PDF        bool
	PDFMessage string
}

func (d *DossierData) caseBase() string { return "/cases/" + itoa(d.D.Case.ID) }

// itemLink is where an item is read on screen.
func (d *DossierData) itemLink(it *documents.Item) string {
	switch {
	case it.Kind == documents.ItemEvidence:
		return d.caseBase() + "/evidence/" + itoa(it.Evidence.ID)
	case it.Kind == documents.ItemReceipt && it.Receipt != nil && it.Receipt.Serves != nil:
		return d.caseBase() + "/documents/" + itoa(it.Receipt.Serves.ID) + "/receipt"
	case it.DocID != 0:
		return d.caseBase() + "/documents/" + itoa(it.DocID)
	}
	return d.caseBase()
}

func dossierCount(n int) string { return strconv.Itoa(n) }

// dossierDate writes a date of the cover, 2025年3月25日, or a blank.
func dossierDate(t *time.Time) string {
	if t == nil {
		return ""
	}
	return documents.DateCN(*t)
}
