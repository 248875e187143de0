package web

import (
	"context"
	"strings"

	"github.com/a-h/templ"

	"zhifa/internal/doctype"
	"zhifa/internal/documents"
)

// docLayouts are the layouts, one per kind; each stage's file
// (doc_filing.templ, doc_investigation.templ, doc_review.templ,
// doc_decision.templ) registers its own.
var docLayouts = map[doctype.Kind]func(*documents.Doc) templ.Component{}

func registerDoc(k doctype.Kind, f func(*documents.Doc) templ.Component) bool {
	if doctype.Of(k) == nil {
		panic("web: unknown document kind " + string(k))
	}
	docLayouts[k] = f
	return true
}

// DocumentBody is the layout of d's kind.
func DocumentBody(d *documents.Doc) templ.Component {
	if f, ok := docLayouts[d.Kind]; ok {
		return f(d)
	}
	return DocGeneric(d)
}

// RenderDocument renders d to the HTML stored when it is issued
// (documents.Renderer).
func RenderDocument(ctx context.Context, d *documents.Doc) (string, error) {
	var b strings.Builder
	err := DocumentBody(d).Render(ctx, &b)
	return b.String(), err
}

func firstLine(s string) string {
	if p := documents.Paragraphs(s); len(p) > 0 {
		return p[0]
	}
	return ""
}

func restLines(s string) []string {
	if p := documents.Paragraphs(s); len(p) > 1 {
		return p[1:]
	}
	return nil
}
