package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"zhifa/internal/cases"
	"zhifa/internal/publication"
	"zhifa/internal/zhifa"
	"zhifa/web"
)

// Published penalty decisions (行政处罚决定公示, APL art. 48): the case's
// publication page (preview, publish, not to publish, withdraw) and the
// public site (/public: the home page, each town's decisions, the county's,
// one decision). The public routes have no session and no actor: their
// transactions run with no tenancy settings, and read only what
// public_decisions and public_year_figures give everyone.

func (s *Server) publications() *publication.Service {
	return &publication.Service{DB: s.DB, Clock: s.Clock, Ref: s.Ref}
}

// publicRoutes are mounted at the top level with requestTx and no session.
func (s *Server) publicRoutes(r chi.Router) {
	r.Get("/public", s.publicHome)
	r.Get("/public/decisions", s.publicDecisions)
	r.Get("/public/decisions/{decisionID}", s.publicDecision)
	r.Get("/public/towns/{code}/decisions", s.townDecisions)
}

// publicationRoutes are mounted inside /cases/{caseID}, after caseCtx.
func (s *Server) publicationRoutes(r chi.Router) {
	r.Get("/publication", s.showPublication)
	r.Post("/publication", s.postPublication) // op=preview (nothing written) or op=publish
	r.Post("/publication/exempt", s.exemptPublication)
	r.Post("/publication/withdraw", s.withdrawPublication)
}

// casePublication is the case page's publication section (nil when the
// case has no decision; an error is logged, the page still shown).
func (s *Server) casePublication(r *http.Request, c *cases.Case) *publication.Status {
	if c.DecidedOn == nil {
		return nil
	}
	st, err := s.publications().ForCase(r.Context(), c)
	if err != nil {
		s.Log.Error("publication for the case page", "err", err)
	}
	return st
}

// publicationData is the case's publication page with a preview built
// with the extra names.
func (s *Server) publicationData(r *http.Request, c *cases.Case, names []string) (*web.PublicationData, error) {
	st, err := s.publications().ForCase(r.Context(), c)
	if err != nil {
		return nil, err
	}
	d := &web.PublicationData{Case: c, Status: st, Today: s.Clock.Today(), PreviewForm: web.NewForm(),
		PublishForm: web.NewForm(), ExemptForm: web.NewForm(), WithdrawForm: web.NewForm(), Top: web.NewForm()}
	if st.ToPublish() {
		if d.Draft, err = s.publications().Preview(r.Context(), c, st, names); err != nil {
			return nil, err
		}
	}
	if st.ToWithdraw() {
		d.WithdrawForm.Values["withdraw_reason"] = "原行政处罚决定已于" + st.Correction.On.Format("2006年1月2日") + "被变更或撤销（" +
			st.Correction.What + "），依法撤回公示。"
	}
	return d, nil
}

func (s *Server) renderPublication(w http.ResponseWriter, r *http.Request, status int, d *web.PublicationData) {
	s.render(w, r, status, web.PublicationPage(s.page(r, "处罚决定公示"), d))
}

func (s *Server) showPublication(w http.ResponseWriter, r *http.Request) {
	d, err := s.publicationData(r, caseFrom(r), nil)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.renderPublication(w, r, http.StatusOK, d)
}

// publicationFailed shows the page again with the error next to the form
// that failed (at the top when that form is no longer offered), the
// entries kept; a refusal of the role or an internal error is the error
// page.
func (s *Server) publicationFailed(w http.ResponseWriter, r *http.Request, err error, names []string, fill func(d *web.PublicationData) *web.Form) {
	switch zhifa.ErrorCode(err) {
	case zhifa.EINVALID, zhifa.ECONFLICT:
	default:
		s.Error(w, r, err)
		return
	}
	d, lerr := s.publicationData(r, caseFrom(r), names)
	if lerr != nil {
		s.Error(w, r, lerr)
		return
	}
	f := fill(d)
	if fe, ok := err.(zhifa.FieldErrors); ok {
		f.Errors = fe
	} else {
		f.Message = zhifa.ErrorMessage(err)
	}
	s.renderPublication(w, r, statusOf[zhifa.ErrorCode(err)], d)
}

// postPublication previews with the extra names (nothing is written), or
// publishes what was previewed.
func (s *Server) postPublication(w http.ResponseWriter, r *http.Request) {
	c := caseFrom(r)
	extra := strings.TrimSpace(r.PostFormValue("extra_names"))
	keep := func(d *web.PublicationData) { d.PreviewForm.Values["extra_names"] = extra }
	names, nameErr := publication.ParseNames(extra)
	if r.PostFormValue("op") != "publish" {
		if nameErr != nil {
			names = nil
		}
		d, err := s.publicationData(r, c, names)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		keep(d)
		status := http.StatusOK
		if nameErr != nil {
			d.PreviewForm.Errors = nameErr.(zhifa.FieldErrors)
			status = http.StatusUnprocessableEntity
		}
		s.renderPublication(w, r, status, d)
		return
	}
	id, err := s.publications().Publish(r.Context(), c.ID, publication.PublishInput{ExtraNames: extra, Preview: r.PostFormValue("preview")})
	if err != nil {
		if nameErr != nil {
			names = nil
		}
		s.publicationFailed(w, r, err, names, func(d *web.PublicationData) *web.Form {
			keep(d)
			if _, ok := err.(zhifa.FieldErrors); ok {
				return d.PreviewForm
			}
			if d.Status.CanPublish && d.Draft != nil {
				return d.PublishForm
			}
			return d.Top // the forms are gone (published meanwhile, or no longer due)
		})
		return
	}
	s.redirect(w, r, "/cases/"+fmtID(c.ID)+"/publication", "已公示：公众可在本镇和全县的行政处罚决定公示页面查看（公示编号"+fmtID(id)+"）。")
}

func (s *Server) exemptPublication(w http.ResponseWriter, r *http.Request) {
	c := caseFrom(r)
	ground, reason := r.PostFormValue("ground"), r.PostFormValue("reason")
	if err := s.publications().Exempt(r.Context(), c.ID, publication.Ground(ground), reason); err != nil {
		s.publicationFailed(w, r, err, nil, func(d *web.PublicationData) *web.Form {
			d.ExemptForm.Values["ground"], d.ExemptForm.Values["reason"] = ground, reason
			if !d.Status.CanExempt {
				return d.Top
			}
			return d.ExemptForm
		})
		return
	}
	s.redirect(w, r, "/cases/"+fmtID(c.ID)+"/publication", "已决定不予公开，理由已记入全过程记录。")
}

func (s *Server) withdrawPublication(w http.ResponseWriter, r *http.Request) {
	c := caseFrom(r)
	reason := r.PostFormValue("withdraw_reason")
	if err := s.publications().Withdraw(r.Context(), c.ID, reason); err != nil {
		s.publicationFailed(w, r, err, nil, func(d *web.PublicationData) *web.Form {
			d.WithdrawForm.Values["withdraw_reason"] = reason
			if !d.Status.CanWithdraw {
				return d.Top
			}
			return d.WithdrawForm
		})
		return
	}
	s.redirect(w, r, "/cases/"+fmtID(c.ID)+"/publication", "已撤回公示：公示页面已注明该决定已撤回，不再显示决定内容。")
}

// publicHome is /public.
func (s *Server) publicHome(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	today := s.Clock.Today()
	d := &web.PublicHomeData{Today: today}
	county, err := s.Towns.CountyInfo(ctx)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d.County = *county
	if d.Towns, err = s.Towns.List(ctx); err == nil {
		if d.Lists, err = s.Authority.CurrentVersions(ctx, today); err == nil {
			if d.Counts, err = s.publications().Counts(ctx); err == nil {
				if d.Headline, err = s.publications().Headlines(ctx, today.Year()); err == nil {
					d.Latest, _, err = s.publications().List(ctx, publication.Query{Page: 1})
				}
			}
		}
	}
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if len(d.Latest) > latestOnHome {
		d.Latest = d.Latest[:latestOnHome]
	}
	s.render(w, r, http.StatusOK, web.PublicHomePage(s.page(r, county.Name+"行政执法公示"), d))
}

// latestOnHome is how many of the latest decisions the home page lists.
const latestOnHome = 8

// publicList reads a list page's query: the words, the page (a bad one
// is the first) and the town.
func (s *Server) publicList(w http.ResponseWriter, r *http.Request, d *web.PublicDecisionsData, townID int64) {
	q := r.URL.Query()
	d.Q = strings.TrimSpace(q.Get("q"))
	d.Page, _ = strconv.Atoi(q.Get("page"))
	d.Page = min(max(d.Page, 1), publication.MaxPage)
	d.Today = s.Clock.Today()
	county, err := s.Towns.CountyInfo(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d.County = *county
	rows, total, err := s.publications().List(r.Context(), publication.Query{TownID: townID, Q: d.Q, Page: d.Page})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d.Rows, d.Total = rows, total
	d.Pages = (total + publication.PageSize - 1) / publication.PageSize
	title := web.PublicDecisionsTitle(d)
	s.render(w, r, http.StatusOK, web.PublicDecisionsPage(s.page(r, title), d))
}

// publicDecisions is the county's page across towns, with a town filter.
func (s *Server) publicDecisions(w http.ResponseWriter, r *http.Request) {
	d := &web.PublicDecisionsData{BasePath: "/public/decisions"}
	towns, err := s.Towns.List(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d.Towns = towns
	var townID int64
	if code := r.URL.Query().Get("town"); code != "" {
		t, err := s.Towns.ByCode(r.Context(), code)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		d.TownCode, townID = t.Code, t.ID
	}
	s.publicList(w, r, d, townID)
}

// townDecisions is one town's page: its decisions only.
func (s *Server) townDecisions(w http.ResponseWriter, r *http.Request) {
	t, err := s.Towns.ByCode(r.Context(), chi.URLParam(r, "code"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d := &web.PublicDecisionsData{Town: t, BasePath: "/public/towns/" + t.Code + "/decisions"}
	s.publicList(w, r, d, t.ID)
}

// publicDecision is one decision; a withdrawn one says so, without its text.
func (s *Server) publicDecision(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "decisionID"), 10, 64)
	if err != nil || id <= 0 {
		s.Error(w, r, zhifa.Errorf(zhifa.ENOTFOUND, "没有找到该公示的行政处罚决定。"))
		return
	}
	p, err := s.publications().Get(r.Context(), id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	county, err := s.Towns.CountyInfo(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.PublicDecisionPage(s.page(r, p.Authority+"行政处罚决定书"), &web.PublicDecisionData{County: *county, D: p}))
}
