package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"zhifa/internal/authority"
	"zhifa/internal/zhifa"
	"zhifa/web"
)

func (s *Server) catalogue(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := authority.Filter{Domain: q.Get("domain"), Q: q.Get("q")}
	items, err := s.Authority.Catalogue(r.Context(), f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	domains, err := s.Authority.Domains(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d := &web.CatalogueData{Items: items, Domains: domains, Filter: f,
		CanEdit: zhifa.ActorFrom(r.Context()).Role == zhifa.RoleCountyAdmin}
	s.render(w, r, http.StatusOK, web.CataloguePage(s.page(r, "执法事项目录"), d))
}

var itemFields = []string{"code", "name", "kind", "domain", "violation_basis", "penalty_basis", "penalty_types",
	"penalty_range", "former_department", "discretion", "fine_min_person", "fine_max_person", "fine_min_org",
	"fine_max_org", "warning", "confiscation", "suspension", "revocation", "other_penalty", "first_offence_list"}

func itemInput(r *http.Request) (authority.ItemInput, *web.Form) {
	f := web.NewForm()
	for _, k := range itemFields {
		f.Values[k] = r.PostFormValue(k)
	}
	v := f.Values
	return authority.ItemInput{Code: v["code"], Name: v["name"], Kind: v["kind"], DomainID: v["domain"],
		ViolationBasis: v["violation_basis"], PenaltyBasis: v["penalty_basis"], PenaltyTypes: v["penalty_types"],
		PenaltyRange: v["penalty_range"], FormerDept: v["former_department"], Discretion: v["discretion"],
		FineMinPerson: v["fine_min_person"], FineMaxPerson: v["fine_max_person"], FineMinOrg: v["fine_min_org"],
		FineMaxOrg: v["fine_max_org"], Warning: v["warning"] == "1", Confiscation: v["confiscation"] == "1",
		Suspension: v["suspension"] == "1", Revocation: v["revocation"] == "1", OtherPenalty: v["other_penalty"],
		FirstOffenceList: v["first_offence_list"] == "1"}, f
}

// penaltyValues writes an item's structured penalties back as form values.
func penaltyValues(v map[string]string, p authority.Penalties) {
	yuan := func(fen *int64) string {
		if fen == nil {
			return ""
		}
		return zhifa.FormatYuan(*fen)
	}
	check := func(b bool) string {
		if b {
			return "1"
		}
		return ""
	}
	v["fine_min_person"], v["fine_max_person"] = yuan(p.FineMinPersonFen), yuan(p.FineMaxPersonFen)
	v["fine_min_org"], v["fine_max_org"] = yuan(p.FineMinOrgFen), yuan(p.FineMaxOrgFen)
	v["warning"], v["confiscation"] = check(p.Warning), check(p.Confiscation)
	v["suspension"], v["revocation"] = check(p.Suspension), check(p.Revocation)
	v["other_penalty"] = p.Other
	v["first_offence_list"] = check(p.FirstOffenceList)
}

// itemForm returns the item form page for id (0 = new).
func (s *Server) itemForm(r *http.Request, id int64) func(*web.Form) templ.Component {
	return func(f *web.Form) templ.Component {
		domains, err := s.Authority.Domains(r.Context())
		if err != nil {
			s.Log.Error("list domains", "err", err)
		}
		title := "新增执法事项"
		if id != 0 {
			title = "编辑执法事项"
		}
		return web.ItemFormPage(s.page(r, title), &web.ItemFormData{ID: id, Form: f, Domains: domains, Kinds: authority.Kinds})
	}
}

func (s *Server) newItemForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, s.itemForm(r, 0)(web.NewForm()))
}

func (s *Server) createItem(w http.ResponseWriter, r *http.Request) {
	in, f := itemInput(r)
	if _, err := s.Authority.CreateItem(r.Context(), in); err != nil {
		s.formError(w, r, err, f, s.itemForm(r, 0))
		return
	}
	s.redirect(w, r, "/authority/catalogue", "已新增事项“"+in.Name+"”。")
}

func itemID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(chi.URLParam(r, "itemID"), 10, 64)
	return id
}

func (s *Server) editItemForm(w http.ResponseWriter, r *http.Request) {
	it, err := s.Authority.Item(r.Context(), itemID(r))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	f := web.NewForm()
	f.Values = map[string]string{"code": it.Code, "name": it.Name, "kind": it.Kind, "domain": strconv.FormatInt(it.DomainID, 10),
		"violation_basis": it.ViolationBasis, "penalty_basis": it.PenaltyBasis, "penalty_types": it.PenaltyTypes,
		"penalty_range": it.PenaltyRange, "former_department": it.FormerDept, "discretion": authority.TiersText(it.Discretion)}
	penaltyValues(f.Values, it.Penalties)
	s.render(w, r, http.StatusOK, s.itemForm(r, it.ID)(f))
}

func (s *Server) updateItem(w http.ResponseWriter, r *http.Request) {
	id := itemID(r)
	in, f := itemInput(r)
	if err := s.Authority.UpdateItem(r.Context(), id, in); err != nil {
		s.formError(w, r, err, f, s.itemForm(r, id))
		return
	}
	s.redirect(w, r, "/authority/catalogue", "已保存事项“"+in.Name+"”。")
}

func (s *Server) domainsPage(r *http.Request) func(*web.Form) templ.Component {
	return func(f *web.Form) templ.Component {
		domains, err := s.Authority.Domains(r.Context())
		if err != nil {
			s.Log.Error("list domains", "err", err)
		}
		return web.DomainsPage(s.page(r, "领域管理"), &web.DomainsData{Domains: domains, Form: f})
	}
}

func (s *Server) listDomains(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, s.domainsPage(r)(web.NewForm()))
}

func (s *Server) createDomain(w http.ResponseWriter, r *http.Request) {
	f := web.NewForm()
	f.Values["name"] = r.PostFormValue("name")
	if err := s.Authority.CreateDomain(r.Context(), f.Values["name"]); err != nil {
		s.formError(w, r, err, f, s.domainsPage(r))
		return
	}
	s.redirect(w, r, "/authority/domains", "已添加领域。")
}

// villagesPage is the county administrator's page of the villages of the
// town with code (the first town when code is "").
func (s *Server) villagesPage(r *http.Request, code string) func(*web.Form) templ.Component {
	return func(f *web.Form) templ.Component {
		d := &web.VillagesData{Form: f}
		towns, err := s.Towns.List(r.Context())
		if err != nil {
			s.Log.Error("list towns", "err", err)
		}
		d.Towns = towns
		for i := range towns {
			if towns[i].Code == code || (code == "" && i == 0) {
				d.Town = &towns[i]
			}
		}
		if d.Town != nil {
			if d.Villages, err = s.Towns.Villages(r.Context(), d.Town.ID); err != nil {
				s.Log.Error("list villages", "err", err)
			}
		}
		return web.VillagesPage(s.page(r, "各镇辖区村（社区）"), d)
	}
}

func (s *Server) listVillages(w http.ResponseWriter, r *http.Request) {
	code := r.URL.Query().Get("town")
	if code != "" {
		if _, err := s.Towns.ByCode(r.Context(), code); err != nil {
			s.Error(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, s.villagesPage(r, code)(web.NewForm()))
}

func (s *Server) addVillage(w http.ResponseWriter, r *http.Request) {
	t, err := s.Towns.ByCode(r.Context(), r.PostFormValue("town"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	f := web.NewForm()
	f.Values["name"] = r.PostFormValue("name")
	if err := s.Towns.AddVillage(r.Context(), t.ID, f.Values["name"]); err != nil {
		s.formError(w, r, err, f, s.villagesPage(r, t.Code))
		return
	}
	s.redirect(w, r, "/authority/villages?town="+t.Code, "已为"+t.Name+"添加“"+strings.TrimSpace(f.Values["name"])+"”。")
}

func (s *Server) removeVillage(w http.ResponseWriter, r *http.Request) {
	t, err := s.Towns.ByCode(r.Context(), r.PostFormValue("town"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	name := r.PostFormValue("name")
	if err := s.Towns.RemoveVillage(r.Context(), t.ID, name); err != nil {
		s.Error(w, r, err)
		return
	}
	s.redirect(w, r, "/authority/villages?town="+t.Code, "已从"+t.Name+"删除“"+name+"”。")
}
