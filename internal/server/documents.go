package server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"zhifa/internal/doctype"
	"zhifa/internal/documents"
	"zhifa/internal/zhifa"
	"zhifa/web"
)

// documentRoutes are a case's documents: the drafts and their preview,
// issuing, the issued (frozen) documents, their print views and service.
func (s *Server) documentRoutes(r chi.Router) {
	r.Get("/documents", s.listDocuments)
	r.Get("/documents/new/{kind}", s.documentForm)
	r.Post("/documents/new/{kind}", s.postDocument)
	r.Get("/documents/new/{kind}/preview", s.previewDocument)
	r.Route("/documents/{docID}", func(r chi.Router) {
		r.Use(s.documentCtx)
		r.Get("/", s.showDocument)
		r.Get("/print", s.printDocument)
		r.Get("/receipt", s.printReceipts)
		r.Post("/serve", s.serveDocument)
	})
}

type documentKey struct{}

// documentCtx loads /documents/{docID} of the case already loaded (so of
// the actor's town only); anything else is not found.
func (s *Server) documentCtx(next http.Handler) http.Handler {
	return loader(s, "docID", "没有找到该文书。", documentKey{}, func(r *http.Request, id int64) (*documents.Issued, error) {
		return s.Docs.Get(r.Context(), caseFrom(r).ID, id)
	})(next)
}

func documentFrom(r *http.Request) *documents.Issued {
	return r.Context().Value(documentKey{}).(*documents.Issued)
}

func casePath(id int64) string { return "/cases/" + strconv.FormatInt(id, 10) }

func (s *Server) listDocuments(w http.ResponseWriter, r *http.Request) {
	d, err := s.caseDocuments(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d.All = true
	s.render(w, r, http.StatusOK, web.DocumentsPage(s.page(r, "文书 · "+d.Case.NumberOrLead()), d))
}

// caseDocuments is the documents section of a case: what is issued, and
// what can be made now (and why not, for the rest).
func (s *Server) caseDocuments(r *http.Request) (*web.CaseDocsData, error) {
	c := caseFrom(r)
	d := &web.CaseDocsData{Case: c, CanWrite: !zhifa.ActorFrom(r.Context()).Role.IsCounty()}
	var err error
	d.Issued, d.Kinds, err = s.Docs.ForCase(r.Context(), c, d.CanWrite)
	return d, err
}

// docForm is the draft form of kind: the officer's words over the
// defaults, the document rendered below it.
func (s *Server) docForm(r *http.Request, kind string, posted map[string]string) (*web.DocFormData, error) {
	c := caseFrom(r)
	doc, err := s.Docs.Draft(r.Context(), c.ID, kind)
	if err != nil {
		return nil, err
	}
	for k, v := range posted {
		doc.Fields[k] = v
	}
	list, err := s.Docs.List(r.Context(), c.ID)
	if err != nil {
		return nil, err
	}
	d := &web.DocFormData{Case: c, Doc: doc, Why: documents.Why(doc), CanWrite: !zhifa.ActorFrom(r.Context()).Role.IsCounty()}
	for _, x := range list {
		if x.Kind == kind && x.SupersededBy == nil {
			d.Replaceable = append(d.Replaceable, x)
		}
	}
	return d, nil
}

func (s *Server) documentForm(w http.ResponseWriter, r *http.Request) {
	kind := chi.URLParam(r, "kind")
	d, err := s.docForm(r, kind, nil)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	f := web.NewForm()
	for k, v := range d.Doc.Fields {
		f.Values[k] = v
	}
	f.Values["supersedes"] = r.URL.Query().Get("supersedes")
	d.Form = f
	s.render(w, r, http.StatusOK, web.DocumentFormPage(s.page(r, "制作"+d.Doc.Meta.Title), d))
}

// Document operations of the draft form.
const (
	opSave    = "save"    // keep the draft
	opPreview = "preview" // keep the draft and show it as printed
	opIssue   = "issue"   // number, freeze and issue
)

func (s *Server) postDocument(w http.ResponseWriter, r *http.Request) {
	c := caseFrom(r)
	kind := chi.URLParam(r, "kind")
	m := doctype.Of(doctype.Kind(kind))
	if m == nil {
		s.Error(w, r, zhifa.Errorf(zhifa.ENOTFOUND, "没有这种文书。"))
		return
	}
	if err := r.ParseForm(); err != nil {
		s.Error(w, r, zhifa.Errorf(zhifa.EINVALID, "表单无法读取。"))
		return
	}
	fields := map[string]string{}
	for _, fl := range m.Fields {
		fields[fl.Name] = strings.TrimSpace(r.PostForm.Get(fl.Name))
	}
	f := web.NewForm()
	for k, v := range fields {
		f.Values[k] = v
	}
	f.Values["supersedes"] = r.PostForm.Get("supersedes")
	f.Values["reason"] = r.PostForm.Get("reason")
	show := func(f *web.Form) templ.Component {
		d, err := s.docForm(r, kind, fields)
		if err != nil {
			s.Log.Error("document form", "err", err)
			d = &web.DocFormData{Case: c}
		}
		d.Form = f
		return web.DocumentFormPage(s.page(r, "制作"+m.Title), d)
	}
	base := casePath(c.ID) + "/documents/new/" + kind
	switch r.PostForm.Get("op") {
	case opSave, opPreview:
		if err := s.Docs.SaveDraft(r.Context(), c.ID, kind, fields); err != nil {
			s.formError(w, r, err, f, show)
			return
		}
		if r.PostForm.Get("op") == opPreview {
			http.Redirect(w, r, base+"/preview", http.StatusSeeOther)
			return
		}
		s.redirect(w, r, base, "草稿已保存。")
	case opIssue:
		sup, _ := strconv.ParseInt(r.PostForm.Get("supersedes"), 10, 64)
		doc, err := s.Docs.Issue(r.Context(), c.ID, documents.IssueInput{Kind: kind, Fields: fields, Supersedes: sup,
			Reason: r.PostForm.Get("reason")})
		if err != nil {
			s.formError(w, r, err, f, show)
			return
		}
		msg := "已签发《" + doc.Title + "》"
		if n := doc.NumberText(); n != "" {
			msg += n
		}
		s.redirect(w, r, fmt.Sprintf("%s/documents/%d", casePath(c.ID), doc.ID), msg+"。")
	default:
		s.Error(w, r, zhifa.Errorf(zhifa.EINVALID, "请选择保存草稿、预览或签发。"))
	}
}

// previewDocument prints the saved draft, marked as a draft.
func (s *Server) previewDocument(w http.ResponseWriter, r *http.Request) {
	d, err := s.Docs.Draft(r.Context(), caseFrom(r).ID, chi.URLParam(r, "kind"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	back := casePath(d.Case.ID) + "/documents/new/" + string(d.Kind)
	s.render(w, r, http.StatusOK, web.DocPrintPage(d.Meta.Title+"（草稿）", back, true, web.DocumentBody(d)))
}

func (s *Server) showDocument(w http.ResponseWriter, r *http.Request) {
	doc := documentFrom(r)
	d := &web.DocPageData{Case: caseFrom(r), Doc: doc, CanWrite: !zhifa.ActorFrom(r.Context()).Role.IsCounty(), Form: web.NewForm()}
	d.Form.Values["recipient"] = d.Case.PartyName
	d.Form.Values["method"] = doctype.ServeDirect
	s.render(w, r, http.StatusOK, web.DocumentPage(s.page(r, doc.Title), d))
}

// printDocument is the issued document alone, as stored, for printing.
func (s *Server) printDocument(w http.ResponseWriter, r *http.Request) {
	doc := documentFrom(r)
	back := fmt.Sprintf("%s/documents/%d", casePath(doc.CaseID), doc.ID)
	s.render(w, r, http.StatusOK, web.DocPrintPage(doc.Title+" "+doc.NumberText(), back, false, templ.Raw(doc.HTML)))
}

// printReceipts prints the 送达回证 of a document: the recorded services,
// or a blank one to take along for the recipient's signature.
func (s *Server) printReceipts(w http.ResponseWriter, r *http.Request) {
	doc := documentFrom(r)
	rs, err := doc.Receipts()
	if err != nil {
		s.Error(w, r, err)
		return
	}
	back := fmt.Sprintf("%s/documents/%d", casePath(doc.CaseID), doc.ID)
	s.render(w, r, http.StatusOK, web.DocPrintPage("送达回证 · "+doc.Title, back, false, web.DocumentSheets(rs)))
}

func (s *Server) serveDocument(w http.ResponseWriter, r *http.Request) {
	doc := documentFrom(r)
	if err := r.ParseForm(); err != nil {
		s.Error(w, r, zhifa.Errorf(zhifa.EINVALID, "表单无法读取。"))
		return
	}
	v := func(k string) string { return strings.TrimSpace(r.PostForm.Get(k)) }
	scan, _ := strconv.ParseInt(v("scan"), 10, 64)
	svc := doctype.Service{Method: v("method"), Recipient: v("recipient"), Relation: v("relation"), Address: v("address"),
		Servers: v("servers"), Refused: v("refused") != "", Witness: v("witness"), Note: v("note"), ScanID: scan}
	err := s.Docs.RecordService(r.Context(), doc.CaseID, doc.ID, svc, v("date"))
	if err != nil {
		f := web.NewForm()
		for k := range r.PostForm {
			f.Values[k] = r.PostForm.Get(k)
		}
		s.formError(w, r, err, f, func(f *web.Form) templ.Component {
			d := &web.DocPageData{Case: caseFrom(r), Doc: doc, CanWrite: true, Form: f}
			return web.DocumentPage(s.page(r, doc.Title), d)
		})
		return
	}
	s.redirect(w, r, fmt.Sprintf("%s/documents/%d", casePath(doc.CaseID), doc.ID), "已记录送达，送达回证已生成。")
}
