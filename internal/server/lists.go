package server

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"zhifa/internal/authority"
	"zhifa/internal/town"
	"zhifa/internal/zhifa"
	"zhifa/web"
)

// listRequest is what a list page or download asks for.
type listRequest struct {
	town     *town.Town
	day      time.Time
	on       string
	filter   authority.Filter
	basePath string
}

// parseListRequest reads the town and the ?on=, ?domain=, ?q= parameters.
// A bad date is an EINVALID error shown on the page.
func (s *Server) parseListRequest(r *http.Request, basePath string) (*listRequest, error) {
	t, err := s.Towns.ByCode(r.Context(), chi.URLParam(r, "code"))
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	lr := &listRequest{town: t, day: s.Clock.Today(), on: strings.TrimSpace(q.Get("on")),
		filter:   authority.Filter{Domain: q.Get("domain"), Q: strings.TrimSpace(q.Get("q"))},
		basePath: strings.ReplaceAll(basePath, "{code}", t.Code)}
	if lr.on != "" {
		if lr.day, err = time.ParseInLocation(time.DateOnly, lr.on, zhifa.Local); err != nil {
			lr.day = s.Clock.Today()
			return lr, zhifa.Errorf(zhifa.EINVALID, "日期“%s”格式不正确，请按 2025-07-01 的格式填写。", lr.on)
		}
	}
	return lr, nil
}

// listData loads the list a request asks for into the page's view model.
// It returns the HTTP status to use with it.
func (s *Server) listData(r *http.Request, basePath string, public bool) (*web.ListData, int, error) {
	lr, err := s.parseListRequest(r, basePath)
	if lr == nil {
		return nil, 0, err
	}
	county, cerr := s.Towns.CountyInfo(r.Context())
	if cerr != nil {
		return nil, 0, cerr
	}
	d := &web.ListData{Town: *lr.town, County: *county, Filter: lr.filter, On: lr.on, OnDay: lr.day,
		BasePath: lr.basePath, Public: public, Today: s.Clock.Today()}
	if err != nil { // a bad date: say so, keep what was typed
		d.Message = zhifa.ErrorMessage(err)
		return d, http.StatusUnprocessableEntity, nil
	}
	v, items, err := s.Authority.ListOn(r.Context(), lr.town.ID, lr.day)
	if zhifa.ErrorCode(err) == zhifa.ENOTFOUND {
		d.Message = d.Town.Name + zhifa.ErrorMessage(err)
		return d, http.StatusOK, nil
	} else if err != nil {
		return nil, 0, err
	}
	d.Version, d.Total = v, len(items)
	seen := map[string]bool{}
	for _, it := range items {
		if !seen[it.Domain] {
			seen[it.Domain] = true
			d.Domains = append(d.Domains, it.Domain)
		}
	}
	d.Items = authority.FilterListed(items, lr.filter)
	return d, http.StatusOK, nil
}

func (s *Server) publicTowns(w http.ResponseWriter, r *http.Request) {
	d, err := s.townsIndex(r, false)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.PublicTownsPage(s.page(r, "各镇执法事项清单"), d))
}

func (s *Server) townsIndex(r *http.Request, internal bool) (*web.PublicTownsData, error) {
	towns, err := s.Towns.List(r.Context())
	if err != nil {
		return nil, err
	}
	current, err := s.Authority.CurrentVersions(r.Context(), s.Clock.Today())
	if err != nil {
		return nil, err
	}
	county, err := s.Towns.CountyInfo(r.Context())
	if err != nil {
		return nil, err
	}
	return &web.PublicTownsData{Towns: towns, Current: current, Today: s.Clock.Today(), County: *county, Internal: internal}, nil
}

// itemList serves a town's list page (public or internal).
func (s *Server) itemList(basePath string, public bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		d, status, err := s.listData(r, basePath, public)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		if !public {
			if d.Versions, err = s.Authority.Versions(r.Context(), d.Town.ID); err != nil {
				s.Error(w, r, err)
				return
			}
		}
		s.render(w, r, status, web.ItemListPage(s.page(r, d.Town.Name+"执法事项清单"), d))
	}
}

// itemDownload serves the same list as the page, as CSV or XLSX.
func (s *Server) itemDownload(basePath, format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		d, status, err := s.listData(r, basePath, true)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		if d.Version == nil {
			code := zhifa.ENOTFOUND
			if status == http.StatusUnprocessableEntity {
				code = zhifa.EINVALID
			}
			s.Error(w, r, zhifa.Errorf(code, "%s", d.Message))
			return
		}
		name := d.Town.Name + "执法事项清单_" + d.Version.EffectiveFrom.Format("20060102")
		var buf bytes.Buffer
		switch format {
		case "csv":
			err = authority.WriteCSV(&buf, d.Items, d.Town.GovernmentName, d.Town.SupervisionPhone)
			w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		case "xlsx":
			title := d.Town.Name + "综合行政执法事项清单（" + web.ChineseDate(d.Version.EffectiveFrom) + "起施行）"
			err = authority.WriteXLSX(&buf, title, d.Items, d.Town.GovernmentName, d.Town.SupervisionPhone)
			w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		}
		if err != nil {
			s.Error(w, r, err)
			return
		}
		w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name+"."+format))
		_, _ = buf.WriteTo(w)
	}
}

// authorityHome sends town users to their own list and shows the county
// every town's.
func (s *Server) authorityHome(w http.ResponseWriter, r *http.Request) {
	a := zhifa.ActorFrom(r.Context())
	if !a.Role.IsCounty() {
		t, err := s.townOf(r, a)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		http.Redirect(w, r, "/authority/towns/"+t.Code+"/items", http.StatusSeeOther)
		return
	}
	d, err := s.townsIndex(r, true)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.PublicTownsPage(s.page(r, "各镇执法事项清单"), d))
}

func (s *Server) townOf(r *http.Request, a *zhifa.Actor) (*town.Town, error) {
	towns, err := s.Towns.List(r.Context())
	if err != nil {
		return nil, err
	}
	for _, t := range towns {
		if t.ID == a.TownID {
			return &t, nil
		}
	}
	return nil, zhifa.Errorf(zhifa.ENOTFOUND, "没有找到您所在的镇。")
}

// ownTownOnly lets town users open only their own town's internal list
// pages; another town's is not found. (The public pages show every town.)
func (s *Server) ownTownOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := zhifa.ActorFrom(r.Context())
		if !a.Role.IsCounty() {
			t, err := s.townOf(r, a)
			if err != nil || t.Code != chi.URLParam(r, "code") {
				s.Error(w, r, zhifa.Errorf(zhifa.ENOTFOUND, "没有找到该镇的清单。"))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
