package server

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"zhifa/internal/cases"
	"zhifa/internal/procedure"
	"zhifa/internal/zhifa"
	"zhifa/web"
)

func (s *Server) procedures() *procedure.Service { return &procedure.Service{DB: s.DB, Ref: s.Ref} }

// refreshDue recomputes the next deadline of every open case (of one
// domain when domainID is not 0) in the background after a setting or the
// calendar changed, so the due lists follow.
func (s *Server) refreshDue(domainID int64) {
	s.background.Add(1)
	go func() {
		defer s.background.Done()
		ctx := zhifa.WithActor(context.Background(), zhifa.System)
		start := time.Now()
		var done cases.DueRefresh
		var err error
		if domainID == 0 {
			done, err = s.Cases.RefreshAllDue(ctx)
		} else {
			done, err = s.Cases.RefreshDomainDue(ctx, domainID)
		}
		if err != nil {
			s.Log.Error("refresh due dates", "err", err, "refreshed", done.Cases, "domain", domainID)
			return
		}
		s.Log.Info("due dates refreshed", "cases", done.Cases, "changed", done.Changed, "domain", domainID,
			"duration_ms", time.Since(start).Milliseconds())
	}()
}

// settingsData loads the settings page's data.
func (s *Server) settingsData(r *http.Request) (*web.SettingsData, error) {
	all, err := s.procedures().Settings(r.Context())
	if err != nil {
		return nil, err
	}
	domains, err := s.Authority.Domains(r.Context())
	if err != nil {
		return nil, err
	}
	d := &web.SettingsData{Domains: domains, Override: web.NewForm(),
		CanEdit: zhifa.ActorFrom(r.Context()).Role == zhifa.RoleCountyAdmin}
	for _, st := range all {
		if st.DomainID == 0 {
			d.Defaults = append(d.Defaults, st)
		} else {
			d.Overrides = append(d.Overrides, st)
		}
	}
	return d, nil
}

// settingsFormError shows the settings page again with f, the failed default
// row form (override false) or per-domain form (override true).
func (s *Server) settingsFormError(w http.ResponseWriter, r *http.Request, err error, f *web.Form, override bool) {
	d, loadErr := s.settingsData(r)
	if loadErr != nil {
		s.Error(w, r, loadErr)
		return
	}
	s.formError(w, r, err, f, func(f *web.Form) templ.Component {
		if override {
			d.Override = f
		} else {
			d.Edit = f
		}
		return web.SettingsPage(s.page(r, "办案设置"), d)
	})
}

func (s *Server) settingsPage(w http.ResponseWriter, r *http.Request) {
	d, err := s.settingsData(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.SettingsPage(s.page(r, "办案设置"), d))
}

func (s *Server) saveSetting(w http.ResponseWriter, r *http.Request) {
	f := web.NewForm()
	f.Values["key"] = r.PostFormValue("key")
	f.Values["value"] = r.PostFormValue("value")
	if err := s.procedures().SetDefault(r.Context(), f.Values["key"], f.Values["value"]); err != nil {
		s.settingsFormError(w, r, err, f, false)
		return
	}
	if cases.AffectsDue(f.Values["key"]) {
		s.refreshDue(0)
	}
	s.redirect(w, r, "/settings#setting-"+f.Values["key"], "已保存全县默认值。")
}

func formID(r *http.Request, name string) int64 {
	id, err := strconv.ParseInt(strings.TrimSpace(r.PostFormValue(name)), 10, 64)
	if err != nil || id < 0 {
		return 0
	}
	return id
}

func (s *Server) saveDomainSetting(w http.ResponseWriter, r *http.Request) {
	f := web.NewForm()
	for _, k := range []string{"domain", "key", "value"} {
		f.Values[k] = r.PostFormValue(k)
	}
	domain := formID(r, "domain")
	if err := s.procedures().SetForDomain(r.Context(), f.Values["key"], domain, f.Values["value"]); err != nil {
		s.settingsFormError(w, r, err, f, true)
		return
	}
	if cases.AffectsDue(f.Values["key"]) {
		s.refreshDue(domain) // the other domains' periods did not change
	}
	s.redirect(w, r, "/settings", "已保存领域设置。")
}

func (s *Server) removeDomainSetting(w http.ResponseWriter, r *http.Request) {
	key, domain := r.PostFormValue("key"), formID(r, "domain")
	if err := s.procedures().ClearForDomain(r.Context(), key, domain); err != nil {
		s.Error(w, r, err)
		return
	}
	if cases.AffectsDue(key) {
		s.refreshDue(domain)
	}
	s.redirect(w, r, "/settings", "已移除领域设置，该领域恢复适用全县默认值。")
}

// holidaysYear reads ?year=, defaulting to this year.
func (s *Server) holidaysYear(r *http.Request) (int, error) {
	q := strings.TrimSpace(r.URL.Query().Get("year"))
	if q == "" {
		return s.Clock.Today().Year(), nil
	}
	y, err := strconv.Atoi(q)
	if err != nil || y < procedure.MinYear || y > procedure.MaxYear {
		return 0, zhifa.Errorf(zhifa.EINVALID, "年份应为%d至%d之间的四位数字。", procedure.MinYear, procedure.MaxYear)
	}
	return y, nil
}

func (s *Server) holidaysData(r *http.Request, year int) (*web.HolidaysData, error) {
	days, err := s.procedures().Holidays(r.Context(), year)
	if err != nil {
		return nil, err
	}
	return &web.HolidaysData{Year: year, Days: days, Form: web.NewForm(),
		CanEdit: zhifa.ActorFrom(r.Context()).Role == zhifa.RoleCountyAdmin}, nil
}

func holidaysTitle(year int) string { return strconv.Itoa(year) + "年节假日安排" }

func (s *Server) holidaysPage(w http.ResponseWriter, r *http.Request) {
	year, err := s.holidaysYear(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d, err := s.holidaysData(r, year)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.HolidaysPage(s.page(r, holidaysTitle(year)), d))
}

// dayYear is the year of a typed date, or this year when it is not one.
func (s *Server) dayYear(day string) int {
	if d, err := time.Parse(time.DateOnly, strings.TrimSpace(day)); err == nil &&
		d.Year() >= procedure.MinYear && d.Year() <= procedure.MaxYear {
		return d.Year()
	}
	return s.Clock.Today().Year()
}

func (s *Server) addHoliday(w http.ResponseWriter, r *http.Request) {
	f := web.NewForm()
	for _, k := range []string{"day", "kind", "name"} {
		f.Values[k] = r.PostFormValue(k)
	}
	year := s.dayYear(f.Values["day"])
	if err := s.procedures().AddHoliday(r.Context(), f.Values["day"], f.Values["kind"], f.Values["name"]); err != nil {
		d, loadErr := s.holidaysData(r, year)
		if loadErr != nil {
			s.Error(w, r, loadErr)
			return
		}
		s.formError(w, r, err, f, func(f *web.Form) templ.Component {
			d.Form = f
			return web.HolidaysPage(s.page(r, holidaysTitle(year)), d)
		})
		return
	}
	s.refreshDue(0)
	s.redirect(w, r, web.YearHref(year), "已登记 "+strings.TrimSpace(f.Values["day"])+"。")
}

func (s *Server) removeHoliday(w http.ResponseWriter, r *http.Request) {
	day := r.PostFormValue("day")
	if err := s.procedures().RemoveHoliday(r.Context(), day); err != nil {
		s.Error(w, r, err)
		return
	}
	s.refreshDue(0)
	s.redirect(w, r, web.YearHref(s.dayYear(day)), "已删除 "+strings.TrimSpace(day)+"。")
}
