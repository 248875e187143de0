package web

import (
	"zhifa/internal/cases"
	"zhifa/internal/doctype"
	"zhifa/internal/documents"
)

// CaseDocsData is the documents section of a case.
type CaseDocsData struct {
	Case     *cases.Case
	Issued   []*documents.Issued
	Kinds    []documents.Makeable
	CanWrite bool
	// All shows every kind, those that cannot be made now greyed with the
	// reason (the documents page); the case page offers only what can be
	// made now.
	All bool
}

// Drafts are the kinds with a saved draft waiting to be issued.
func (d *CaseDocsData) Drafts() []documents.Makeable {
	var out []documents.Makeable
	for _, k := range d.Kinds {
		if k.Draft {
			out = append(out, k)
		}
	}
	return out
}

// Stages groups the kinds that can be made by stage, in order.
func (d *CaseDocsData) Stages() []StageKinds {
	var out []StageKinds
	for _, k := range d.Kinds {
		if !d.All && k.Why != "" {
			continue
		}
		if len(out) == 0 || out[len(out)-1].Stage != k.Meta.Stage {
			out = append(out, StageKinds{Stage: k.Meta.Stage})
		}
		out[len(out)-1].Kinds = append(out[len(out)-1].Kinds, k)
	}
	return out
}

// StageKinds are the kinds of one stage.
type StageKinds struct {
	Stage doctype.Stage
	Kinds []documents.Makeable
}

// DocFormData is the draft form of a document.
type DocFormData struct {
	Case        *cases.Case
	Doc         *documents.Doc
	Form        *Form
	Why         string // why it cannot be issued now
	CanWrite    bool
	Replaceable []*documents.Issued // issued documents of the kind this one may replace
}

// DocPageData is an issued document's page.
type DocPageData struct {
	Case     *cases.Case
	Doc      *documents.Issued
	Form     *Form // the service form
	CanWrite bool
}

// Serveable reports whether the document's page records its service
// (external, not replaced, not served by a workflow step).
func (d *DocPageData) Serveable() bool {
	m := d.Doc.Meta()
	_, tied := documents.Tied[m.Kind]
	return d.CanWrite && m.External && !tied && d.Doc.SupersededBy == nil
}

// TiedStep is the case page's step that serves the document, if any.
func (d *DocPageData) TiedStep() string { return documents.Tied[d.Doc.Meta().Kind] }

// DocStatus is an issued document's state in words.
func DocStatus(d *documents.Issued) string {
	switch {
	case d.SupersededBy != nil:
		return "已被替代"
	case len(d.Services) > 0:
		return "已送达（" + Date(d.Services[len(d.Services)-1].ServedOn) + "）"
	case d.Meta() != nil && d.Meta().External:
		return "已签发，待送达"
	}
	return "已签发"
}

// ServiceOptions are the service methods for a select.
func ServiceOptions() []Option {
	out := make([]Option, 0, len(doctype.ServiceMethods))
	for _, m := range doctype.ServiceMethods {
		out = append(out, Option{m, m})
	}
	return out
}

// ReplaceOptions are the documents a new one may replace.
func ReplaceOptions(list []*documents.Issued) []Option {
	out := make([]Option, 0, len(list))
	for _, d := range list {
		label := d.Title + " " + d.NumberText() + "（" + Date(d.IssuedOn) + "签发）"
		out = append(out, Option{itoa(d.ID), label})
	}
	return out
}
