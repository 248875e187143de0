package server

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"zhifa/internal/filing"
	"zhifa/internal/zhifa"
	"zhifa/web"
)

// The filing review of major penalty decisions (重大行政处罚决定备案审查):
// the town's list with its clocks and the county's queue, one filing's page
// with the town's filing form and the county's review form, and the
// thresholds page.

func (s *Server) filings() *filing.Service { return &filing.Service{DB: s.DB, Clock: s.Clock} }

func (s *Server) filingRoutes(r chi.Router) {
	r.Get("/filings", s.listFilings)
	r.Route("/filings/{filingID}", func(r chi.Router) {
		r.Use(s.filingCtx)
		r.Get("/", s.showFiling)
		r.Post("/file", s.fileFiling)
		r.Post("/review", s.reviewFiling)
	})
	r.Get("/settings/major", s.thresholdsPage)
	r.With(s.requireRoles(zhifa.RoleCountyAdmin)).Post("/settings/major", s.saveThresholds)
}

type filingKey struct{}

// filingCtx loads /filings/{filingID} as the actor may read it: another
// town's is not found (RLS).
func (s *Server) filingCtx(next http.Handler) http.Handler {
	return loader(s, "filingID", "没有找到该重大行政处罚备案。", filingKey{}, func(r *http.Request, id int64) (*filing.Filing, error) {
		return s.filings().Get(r.Context(), id)
	})(next)
}

func filingFrom(r *http.Request) *filing.Filing {
	return r.Context().Value(filingKey{}).(*filing.Filing)
}

func (s *Server) listFilings(w http.ResponseWriter, r *http.Request) {
	a := zhifa.ActorFrom(r.Context())
	q := r.URL.Query()
	d := &web.FilingsData{Today: s.Clock.Today(), County: a.Role.IsCounty(), Status: q.Get("status")}
	if d.Status != "overdue" && filing.Status(d.Status).Label() == d.Status {
		d.Status = ""
	}
	f := filing.Filter{Status: d.Status}
	if d.County {
		var err error
		if d.Towns, f.TownID, err = s.townFilter(r); err != nil {
			s.Error(w, r, err)
			return
		}
		d.Town = q.Get("town")
	}
	var err error
	if d.Filings, err = s.filings().List(r.Context(), f); err != nil {
		s.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.FilingsPage(s.page(r, "重大行政处罚决定备案"), d))
}

// filingData is the filing's page for the actor: which form it may use.
func (s *Server) filingData(r *http.Request, f *filing.Filing) *web.FilingData {
	a := zhifa.ActorFrom(r.Context())
	d := &web.FilingData{F: f, Today: s.Clock.Today(), FileForm: web.NewForm(), ReviewForm: web.NewForm()}
	d.CanFile = f.Status() == filing.StatusPending && !a.Role.IsCounty() && a.TownID == f.TownID && a.Role != zhifa.RoleTownReviewer
	d.CanReview = f.Status() == filing.StatusSubmitted && a.Role == zhifa.RoleCountyReviewer
	if d.CanFile {
		ms, err := s.filings().Materials(r.Context(), f.CaseID)
		if err != nil {
			s.Log.Error("filing materials", "err", err)
		}
		d.Materials = ms
	}
	if d.CanReview {
		d.ReviewForm.Values["correction_due"] = web.Date(d.Today.AddDate(0, 0, 15))
	}
	return d
}

func (s *Server) showFiling(w http.ResponseWriter, r *http.Request) {
	f := filingFrom(r)
	s.render(w, r, http.StatusOK, web.FilingPage(s.page(r, "重大行政处罚决定备案"), s.filingData(r, f)))
}

// fileFiling is the town's filing with the county.
func (s *Server) fileFiling(w http.ResponseWriter, r *http.Request) {
	f := filingFrom(r)
	if err := s.filings().File(r.Context(), f.ID); err != nil {
		s.formError(w, r, err, web.NewForm(), func(form *web.Form) templ.Component {
			d := s.filingData(r, f)
			d.FileForm = form
			return web.FilingPage(s.page(r, "重大行政处罚决定备案"), d)
		})
		return
	}
	s.redirect(w, r, "/filings/"+fmtID(f.ID), "已报送县司法局备案审查。")
}

// reviewFiling is the county's review and conclusion.
func (s *Server) reviewFiling(w http.ResponseWriter, r *http.Request) {
	f := filingFrom(r)
	if err := r.ParseForm(); err != nil {
		s.Error(w, r, zhifa.Errorf(zhifa.EINVALID, "表单无法读取。"))
		return
	}
	form := web.NewForm()
	for _, k := range []string{"panel", "findings", "conclusion", "correction_due"} {
		form.Values[k] = strings.TrimSpace(r.PostForm.Get(k))
	}
	in := filing.ReviewInput{Panel: form.Get("panel"), Findings: form.Get("findings"),
		Conclusion: filing.Conclusion(form.Get("conclusion")), CorrectionDue: form.Get("correction_due")}
	if err := s.filings().Review(r.Context(), f.ID, in); err != nil {
		s.formError(w, r, err, form, func(form *web.Form) templ.Component {
			d := s.filingData(r, f)
			d.ReviewForm = form
			return web.FilingPage(s.page(r, "重大行政处罚决定备案"), d)
		})
		return
	}
	msg := "审查结论：" + in.Conclusion.Label() + "。"
	if in.Conclusion != filing.ConcludeFiled {
		msg += "已向" + f.TownName + "下达整改任务。"
	}
	s.redirect(w, r, "/filings/"+fmtID(f.ID), msg)
}

func (s *Server) thresholdsData(r *http.Request, form *web.Form) (*web.ThresholdsData, error) {
	ctx := r.Context()
	today := s.Clock.Today()
	d := &web.ThresholdsData{Today: today, CanEdit: zhifa.ActorFrom(ctx).Role == zhifa.RoleCountyAdmin}
	var err error
	if d.Current, err = s.filings().Current(ctx, today); err != nil {
		return nil, err
	}
	if d.Versions, err = s.filings().Versions(ctx); err != nil {
		return nil, err
	}
	period, err := s.filings().Period(ctx)
	if err != nil {
		return nil, err
	}
	d.Period = fmtID(period) + "个工作日"
	domains, err := s.Authority.Domains(ctx)
	if err != nil {
		return nil, err
	}
	for _, dm := range domains {
		d.Domains = append(d.Domains, web.Option{Value: fmtID(dm.ID), Label: dm.Name})
	}
	if form == nil {
		form = web.NewForm()
		if i := slices.IndexFunc(d.Current, func(t filing.Thresholds) bool { return t.DomainID == 0 }); i >= 0 {
			for k, v := range d.Current[i].FormValues() {
				form.Values[k] = v
			}
		}
		form.Values["effective_on"] = web.Date(today)
	}
	d.Form = form
	return d, nil
}

func (s *Server) thresholdsPage(w http.ResponseWriter, r *http.Request) {
	d, err := s.thresholdsData(r, nil)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.ThresholdsPage(s.page(r, "重大行政处罚标准"), d))
}

// saveThresholds adds a version; decisions already made keep theirs.
func (s *Server) saveThresholds(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.Error(w, r, zhifa.Errorf(zhifa.EINVALID, "表单无法读取。"))
		return
	}
	form := web.NewForm()
	for _, k := range []string{"domain", "effective_on", "uses_default", "person_yuan", "org_yuan", "confiscation_yuan",
		"revocation", "closure", "note"} {
		form.Values[k] = strings.TrimSpace(r.PostForm.Get(k))
	}
	in := filing.ThresholdsInput{EffectiveOn: form.Get("effective_on"), UsesDefault: form.Get("uses_default") != "",
		PersonYuan: form.Get("person_yuan"), OrgYuan: form.Get("org_yuan"), ConfiscationYuan: form.Get("confiscation_yuan"),
		Revocation: form.Get("revocation") != "", Closure: form.Get("closure") != "", Note: form.Get("note")}
	if v := form.Get("domain"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			id = -1 // refused by the database as an unknown domain
		}
		in.DomainID = id
	}
	if err := s.filings().SaveVersion(r.Context(), in); err != nil {
		s.formError(w, r, err, form, func(form *web.Form) templ.Component {
			d, derr := s.thresholdsData(r, form)
			if derr != nil {
				s.Log.Error("thresholds form", "err", derr)
				d = &web.ThresholdsData{Form: form, CanEdit: true}
			}
			return web.ThresholdsPage(s.page(r, "重大行政处罚标准"), d)
		})
		return
	}
	s.redirect(w, r, "/settings/major", "已保存重大行政处罚标准，自 "+form.Get("effective_on")+" 起作出的决定按新标准认定。")
}

// fmtID writes an id for a path.
func fmtID(n int64) string { return strconv.FormatInt(n, 10) }
