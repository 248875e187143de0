package server

import (
	"net/http"
	"strconv"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"zhifa/internal/authority"
	"zhifa/internal/zhifa"
	"zhifa/web"
)

func ids(r *http.Request, field string) []int64 {
	_ = r.ParseForm()
	var out []int64
	for _, v := range r.PostForm[field] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
			out = append(out, id)
		}
	}
	return out
}

func (s *Server) draftsPage(r *http.Request, checked []int64) func(*web.Form) templ.Component {
	return func(f *web.Form) templ.Component {
		drafts, err := s.Authority.Drafts(r.Context())
		if err != nil {
			s.Log.Error("list drafts", "err", err)
		}
		towns, err := s.Towns.List(r.Context())
		if err != nil {
			s.Log.Error("list towns", "err", err)
		}
		d := &web.DraftsData{Drafts: drafts, Towns: towns, Form: f, Checked: map[int64]bool{},
			CanEdit: zhifa.ActorFrom(r.Context()).Role == zhifa.RoleCountyAdmin}
		for _, id := range checked {
			d.Checked[id] = true
		}
		return web.DraftsPage(s.page(r, "清单调整草稿"), d)
	}
}

func (s *Server) listDrafts(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, s.draftsPage(r, nil)(web.NewForm()))
}

func (s *Server) createDraft(w http.ResponseWriter, r *http.Request) {
	in := authority.DraftInput{Title: r.PostFormValue("title"), Note: r.PostFormValue("note"), TownIDs: ids(r, "town")}
	in.StartFrom, _ = strconv.ParseInt(r.PostFormValue("start_from"), 10, 64)
	f := web.NewForm()
	f.Values = map[string]string{"title": in.Title, "note": in.Note, "start_from": r.PostFormValue("start_from")}
	id, err := s.Authority.CreateDraft(r.Context(), in)
	if err != nil {
		s.formError(w, r, err, f, s.draftsPage(r, in.TownIDs))
		return
	}
	s.redirect(w, r, "/authority/drafts/"+strconv.FormatInt(id, 10), "草稿已创建，请勾选事项并查看与现行清单的差异。")
}

func draftID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(chi.URLParam(r, "draftID"), 10, 64)
	return id
}

// draftPage builds the draft page; with selection overrides (a failed save)
// the ticks the user made are kept.
func (s *Server) draftPage(r *http.Request, d *authority.Draft) (func(*web.Form) templ.Component, error) {
	towns, err := s.Towns.List(r.Context())
	if err != nil {
		return nil, err
	}
	catalog, err := s.Authority.Catalogue(r.Context(), authority.Filter{})
	if err != nil {
		return nil, err
	}
	today := s.Clock.Today()
	diffs, err := s.Authority.Diffs(r.Context(), d, today)
	if err != nil {
		return nil, err
	}
	data := &web.DraftData{Draft: d, Towns: towns, Catalog: catalog, Diffs: diffs, Today: today,
		Selected: map[int64]bool{}, InDraft: map[int64]bool{}, CanEdit: zhifa.ActorFrom(r.Context()).Role == zhifa.RoleCountyAdmin}
	for _, id := range d.ItemIDs {
		data.Selected[id] = true
	}
	for _, id := range d.TownIDs {
		data.InDraft[id] = true
	}
	return func(f *web.Form) templ.Component {
		data.Form = f
		return web.DraftPage(s.page(r, d.Title), data)
	}, nil
}

func (s *Server) showDraft(w http.ResponseWriter, r *http.Request) {
	d, err := s.Authority.Draft(r.Context(), draftID(r))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	page, err := s.draftPage(r, d)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	f := web.NewForm()
	f.Values["effective_from"] = web.Date(s.Clock.Today())
	s.render(w, r, http.StatusOK, page(f))
}

// draftFailed re-renders the draft page with the error of an action.
func (s *Server) draftFailed(w http.ResponseWriter, r *http.Request, err error, f *web.Form, override func(*authority.Draft)) {
	d, derr := s.Authority.Draft(r.Context(), draftID(r))
	if derr != nil {
		s.Error(w, r, derr)
		return
	}
	if override != nil {
		override(d)
	}
	page, perr := s.draftPage(r, d)
	if perr != nil {
		s.Error(w, r, perr)
		return
	}
	s.formError(w, r, err, f, page)
}

func (s *Server) saveDraft(w http.ResponseWriter, r *http.Request) {
	towns, items := ids(r, "town"), ids(r, "item")
	if err := s.Authority.SaveDraft(r.Context(), draftID(r), towns, items); err != nil {
		s.draftFailed(w, r, err, web.NewForm(), func(d *authority.Draft) { d.TownIDs, d.ItemIDs = towns, items })
		return
	}
	s.redirect(w, r, "/authority/drafts/"+strconv.FormatInt(draftID(r), 10), "已保存所选事项。")
}

func (s *Server) publishDraft(w http.ResponseWriter, r *http.Request) {
	f := web.NewForm()
	f.Values["effective_from"] = r.PostFormValue("effective_from")
	if err := s.Authority.Publish(r.Context(), draftID(r), f.Values["effective_from"]); err != nil {
		s.draftFailed(w, r, err, f, nil)
		return
	}
	s.redirect(w, r, "/authority", "清单已发布，自"+f.Values["effective_from"]+"起施行。")
}

func (s *Server) discardDraft(w http.ResponseWriter, r *http.Request) {
	if err := s.Authority.DiscardDraft(r.Context(), draftID(r)); err != nil {
		s.draftFailed(w, r, err, web.NewForm(), nil)
		return
	}
	s.redirect(w, r, "/authority/drafts", "草稿已作废。")
}
