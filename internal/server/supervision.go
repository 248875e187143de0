package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"zhifa/internal/supervision"
	"zhifa/internal/zhifa"
	"zhifa/web"
)

// Citizen enforcement supervisors (执法监督员) and their opinions (监督意见).
//
// A supervisor reaches only the routes of the shared group in server.go:
// their home page (home, below), /supervision, /stats and their password.
// Everything else is behind requireStaff. In the database their scope
// reads no case table at all (migrations/0036).

func (s *Server) supervision() *supervision.Service {
	return &supervision.Service{DB: s.DB, Clock: s.Clock, Accounts: s.Accounts}
}

func (s *Server) supervisionRoutes(r chi.Router) {
	r.Get("/supervision", s.listOpinions)
	r.With(s.requireRoles(zhifa.RoleSupervisor)).Get("/supervision/decisions", s.supervisedDecisions)
	r.With(s.requireRoles(zhifa.RoleSupervisor)).Get("/supervision/opinions/new", s.newOpinionForm)
	r.With(s.requireRoles(zhifa.RoleSupervisor)).Post("/supervision/opinions/new", s.fileOpinion)
	r.Route("/supervision/opinions/{opinionID}", func(r chi.Router) {
		r.Use(s.requireOpinionReaders)
		r.Use(s.opinionCtx)
		r.Get("/", s.showOpinion)
		r.Post("/response", s.respondOpinion)
	})
	r.Group(func(r chi.Router) {
		r.Use(s.requireRoles(zhifa.RoleCountyReviewer, zhifa.RoleCountyAdmin))
		r.Get("/supervision/supervisors", s.listSupervisors)
		r.Get("/supervision/supervisors/{userID}", s.showSupervisor)
	})
	r.Group(func(r chi.Router) {
		r.Use(s.requireRoles(zhifa.RoleCountyAdmin))
		r.Get("/supervision/supervisors/new", s.appointForm)
		r.Post("/supervision/supervisors/new", s.appoint)
		r.Post("/supervision/supervisors/{userID}", s.renewSupervisor)
	})
}

// requireStaff keeps the 执法监督员 out of every page but theirs (the
// shared group in server.go): no case, officer, list or setting.
func (s *Server) requireStaff(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a := zhifa.ActorFrom(r.Context()); a != nil && !a.Role.IsStaff() {
			s.Error(w, r, zhifa.Errorf(zhifa.EFORBIDDEN, "执法监督员无权访问此页面：可以查看本镇公示的处罚决定和统计数据，提出监督意见。"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// supervisorInTerm refuses every page to a supervisor whose term has ended
// (or not begun) since they logged in: the login refuses them too.
func (s *Server) supervisorInTerm(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := zhifa.ActorFrom(r.Context())
		if a != nil && a.Role == zhifa.RoleSupervisor {
			if err := s.supervision().CheckTerm(r.Context(), a); err != nil {
				if zhifa.ErrorCode(err) == zhifa.EUNAUTHORIZED {
					err = zhifa.Errorf(zhifa.EFORBIDDEN, "%s", zhifa.ErrorMessage(err))
				}
				s.Error(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// homeFor is the start page: a supervisor's own, or the staff's (home).
func (s *Server) homeFor(w http.ResponseWriter, r *http.Request) {
	a := zhifa.ActorFrom(r.Context())
	if a.Role != zhifa.RoleSupervisor {
		s.home(w, r)
		return
	}
	me, err := s.supervision().Supervisor(r.Context(), a.UserID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	opinions, err := s.supervision().List(r.Context(), supervision.Filter{})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d := &web.SupervisorHomeData{Today: s.Clock.Today(), Me: me, Opinions: opinions}
	s.render(w, r, http.StatusOK, web.SupervisorHomePage(s.page(r, a.TownName+"执法监督员"), d))
}

// supervisedDecisions sends the supervisor to their town's published
// decisions (public pages, see publication.go).
func (s *Server) supervisedDecisions(w http.ResponseWriter, r *http.Request) {
	me, err := s.supervision().Supervisor(r.Context(), zhifa.ActorFrom(r.Context()).UserID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/public/towns/"+me.TownCode+"/decisions", http.StatusSeeOther)
}

var errOpinionReaders = zhifa.Errorf(zhifa.EFORBIDDEN, "您的角色无权查看监督意见：监督意见送队长、镇负责人和县司法局。")

func (s *Server) requireOpinionReaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !supervision.CanRead(zhifa.ActorFrom(r.Context())) {
			s.Error(w, r, errOpinionReaders)
			return
		}
		next.ServeHTTP(w, r)
	})
}

type opinionKey struct{}

// opinionCtx loads /supervision/opinions/{opinionID} as the actor may read
// it: another town's, or another supervisor's, is not found (RLS).
func (s *Server) opinionCtx(next http.Handler) http.Handler {
	return loader(s, "opinionID", "没有找到该监督意见。", opinionKey{}, func(r *http.Request, id int64) (*supervision.Opinion, error) {
		return s.supervision().Get(r.Context(), id)
	})(next)
}

func opinionFrom(r *http.Request) *supervision.Opinion {
	return r.Context().Value(opinionKey{}).(*supervision.Opinion)
}

func (s *Server) listOpinions(w http.ResponseWriter, r *http.Request) {
	a := zhifa.ActorFrom(r.Context())
	if !supervision.CanRead(a) {
		s.Error(w, r, errOpinionReaders)
		return
	}
	q := r.URL.Query()
	d := &web.OpinionsData{Today: s.Clock.Today(), Supervisor: a.Role == zhifa.RoleSupervisor,
		County: a.Role.IsCounty(), Admin: a.Role == zhifa.RoleCountyAdmin}
	f := supervision.Filter{Status: supervision.Status(q.Get("status"))}
	if f.Status.Label() != string(f.Status) {
		d.Status = string(f.Status)
	}
	if d.County {
		var err error
		if d.Towns, f.TownID, err = s.townFilter(r); err != nil {
			s.Error(w, r, err)
			return
		}
		d.Town = q.Get("town")
	}
	opinions, err := s.supervision().List(r.Context(), f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d.Opinions = opinions
	title := "监督意见"
	if d.Supervisor {
		title = "我提出的监督意见"
	}
	s.render(w, r, http.StatusOK, web.OpinionsPage(s.page(r, title), d))
}

func (s *Server) opinionForm(r *http.Request) func(*web.Form) templ.Component {
	return func(f *web.Form) templ.Component {
		d := &web.OpinionFormData{Form: f, TownName: zhifa.ActorFrom(r.Context()).TownName}
		return web.OpinionFormPage(s.page(r, "提出监督意见"), d)
	}
}

func (s *Server) newOpinionForm(w http.ResponseWriter, r *http.Request) {
	f := web.NewForm()
	if ref := strings.TrimSpace(r.URL.Query().Get("case")); ref != "" && len(ref) <= 200 {
		f.Values["subject"], f.Values["case_ref"] = string(supervision.SubjectCase), ref
	}
	s.render(w, r, http.StatusOK, s.opinionForm(r)(f))
}

func (s *Server) fileOpinion(w http.ResponseWriter, r *http.Request) {
	in := supervision.OpinionInput{Subject: supervision.Subject(r.PostFormValue("subject")),
		CaseRef: r.PostFormValue("case_ref"), Text: r.PostFormValue("text")}
	id, err := s.supervision().File(r.Context(), in)
	if err != nil {
		f := web.NewForm()
		f.Values = map[string]string{"subject": string(in.Subject), "case_ref": in.CaseRef, "text": in.Text}
		s.formError(w, r, err, f, s.opinionForm(r))
		return
	}
	s.redirect(w, r, "/supervision/opinions/"+fmtID(id), "监督意见已提交，已送"+zhifa.ActorFrom(r.Context()).TownName+"和县司法局。")
}

// opinionData is the opinion's page for the actor: the case it names (for
// staff, who may open it) and whether it may answer.
func (s *Server) opinionData(r *http.Request, o *supervision.Opinion, f *web.Form) *web.OpinionData {
	a := zhifa.ActorFrom(r.Context())
	d := &web.OpinionData{Today: s.Clock.Today(), O: o, Form: f}
	d.CanRespond = o.Response == nil && supervision.CanRespond(a, o.TownID)
	if a.Role.IsStaff() && o.CaseRef != "" {
		id, err := s.supervision().CaseID(r.Context(), o.CaseRef)
		if err != nil {
			s.Log.Warn("case of an opinion", "err", err, "opinion", o.ID)
		}
		d.CaseID = id
	}
	return d
}

func (s *Server) showOpinion(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, web.OpinionPage(s.page(r, "监督意见"), s.opinionData(r, opinionFrom(r), web.NewForm())))
}

func (s *Server) respondOpinion(w http.ResponseWriter, r *http.Request) {
	o := opinionFrom(r)
	f := web.NewForm()
	f.Values["text"] = r.PostFormValue("text")
	if err := s.supervision().Respond(r.Context(), o.ID, f.Values["text"]); err != nil {
		s.formError(w, r, err, f, func(f *web.Form) templ.Component {
			return web.OpinionPage(s.page(r, "监督意见"), s.opinionData(r, o, f))
		})
		return
	}
	s.redirect(w, r, "/supervision/opinions/"+fmtID(o.ID), "答复已保存，执法监督员可以看到。")
}

func (s *Server) listSupervisors(w http.ResponseWriter, r *http.Request) {
	towns, townID, err := s.townFilter(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	list, err := s.supervision().Supervisors(r.Context(), townID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d := &web.SupervisorsData{Today: s.Clock.Today(), Supervisors: list, Towns: towns, Town: r.URL.Query().Get("town"),
		Admin: zhifa.ActorFrom(r.Context()).Role == zhifa.RoleCountyAdmin}
	s.render(w, r, http.StatusOK, web.SupervisorsPage(s.page(r, "执法监督员"), d))
}

func (s *Server) appointPage(r *http.Request, sup *supervision.Supervisor) func(*web.Form) templ.Component {
	return func(f *web.Form) templ.Component {
		d := &web.AppointData{Today: s.Clock.Today(), S: sup, Form: f, Admin: zhifa.ActorFrom(r.Context()).Role == zhifa.RoleCountyAdmin}
		title := "聘任执法监督员"
		if sup == nil {
			towns, err := s.Towns.List(r.Context())
			if err != nil {
				s.Log.Error("list towns", "err", err)
			}
			d.Towns = towns
		} else {
			title = "执法监督员 " + sup.Name
		}
		return web.AppointPage(s.page(r, title), d)
	}
}

func (s *Server) appointForm(w http.ResponseWriter, r *http.Request) {
	f := web.NewForm()
	today := s.Clock.Today()
	f.Values["term_from"] = web.Date(today)
	f.Values["term_until"] = web.Date(today.AddDate(2, 0, -1))
	s.render(w, r, http.StatusOK, s.appointPage(r, nil)(f))
}

func (s *Server) appoint(w http.ResponseWriter, r *http.Request) {
	in := supervision.AppointInput{Username: r.PostFormValue("username"), DisplayName: r.PostFormValue("display_name"),
		Phone: r.PostFormValue("phone"), TownCode: r.PostFormValue("town"), Password: r.PostFormValue("password"),
		TermInput: supervision.TermInput{Affiliation: r.PostFormValue("affiliation"),
			TermFrom: r.PostFormValue("term_from"), TermUntil: r.PostFormValue("term_until")}}
	id, err := s.supervision().Appoint(r.Context(), in)
	if err != nil {
		f := web.NewForm()
		f.Values = map[string]string{"username": in.Username, "display_name": in.DisplayName, "phone": in.Phone,
			"town": in.TownCode, "affiliation": in.Affiliation, "term_from": in.TermFrom, "term_until": in.TermUntil}
		s.formError(w, r, err, f, s.appointPage(r, nil))
		return
	}
	s.redirect(w, r, "/supervision/supervisors/"+fmtID(id), "已聘任执法监督员 "+strings.TrimSpace(in.DisplayName)+"，登录名 "+strings.ToLower(strings.TrimSpace(in.Username))+"。")
}

// loadSupervisor is the appointment of /supervision/supervisors/{userID}.
func (s *Server) loadSupervisor(w http.ResponseWriter, r *http.Request) (*supervision.Supervisor, bool) {
	id, err := strconv.ParseInt(chi.URLParam(r, "userID"), 10, 64)
	if err != nil || id <= 0 {
		s.Error(w, r, zhifa.Errorf(zhifa.ENOTFOUND, "没有找到该执法监督员。"))
		return nil, false
	}
	sup, err := s.supervision().Supervisor(r.Context(), id)
	if err != nil {
		s.Error(w, r, err)
		return nil, false
	}
	return sup, true
}

func (s *Server) showSupervisor(w http.ResponseWriter, r *http.Request) {
	sup, ok := s.loadSupervisor(w, r)
	if !ok {
		return
	}
	f := web.NewForm()
	f.Values = map[string]string{"affiliation": sup.Affiliation, "term_from": web.Date(sup.TermFrom), "term_until": web.Date(sup.TermUntil)}
	s.render(w, r, http.StatusOK, s.appointPage(r, sup)(f))
}

func (s *Server) renewSupervisor(w http.ResponseWriter, r *http.Request) {
	sup, ok := s.loadSupervisor(w, r)
	if !ok {
		return
	}
	in := supervision.TermInput{Affiliation: r.PostFormValue("affiliation"), TermFrom: r.PostFormValue("term_from"), TermUntil: r.PostFormValue("term_until")}
	if err := s.supervision().Renew(r.Context(), sup.UserID, in); err != nil {
		f := web.NewForm()
		f.Values = map[string]string{"affiliation": in.Affiliation, "term_from": in.TermFrom, "term_until": in.TermUntil}
		s.formError(w, r, err, f, s.appointPage(r, sup))
		return
	}
	s.redirect(w, r, "/supervision/supervisors/"+fmtID(sup.UserID), "任期已保存。")
}
