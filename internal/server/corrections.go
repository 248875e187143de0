package server

import (
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"zhifa/internal/correction"
	"zhifa/internal/zhifa"
	"zhifa/web"
)

// Correction tasks (整改任务): the list (the town's own, the county's
// across the towns), one task with its steps, the town's answer and the
// county's closing or return.

func (s *Server) corrections() *correction.Service {
	return &correction.Service{DB: s.DB, Clock: s.Clock}
}

func (s *Server) correctionRoutes(r chi.Router) {
	r.Get("/corrections", s.listCorrections)
	r.Route("/corrections/{taskID}", func(r chi.Router) {
		r.Use(s.correctionCtx)
		r.Get("/", s.showCorrection)
		r.Post("/answer", s.answerCorrection)
		r.Post("/close", s.decideCorrection(correction.EventClose))
		r.Post("/return", s.decideCorrection(correction.EventReturn))
	})
}

type correctionKey struct{}

// correctionCtx loads /corrections/{taskID} as the actor may read it:
// another town's is not found (RLS).
func (s *Server) correctionCtx(next http.Handler) http.Handler {
	return loader(s, "taskID", "没有找到该整改任务。", correctionKey{}, func(r *http.Request, id int64) (*correction.Task, error) {
		return s.corrections().Get(r.Context(), id)
	})(next)
}

func correctionFrom(r *http.Request) *correction.Task {
	return r.Context().Value(correctionKey{}).(*correction.Task)
}

func (s *Server) listCorrections(w http.ResponseWriter, r *http.Request) {
	a := zhifa.ActorFrom(r.Context())
	q := r.URL.Query()
	today := s.Clock.Today()
	d := &web.CorrectionsData{Today: today, County: a.Role.IsCounty(), Status: q.Get("status")}
	f := correction.Filter{}
	switch st := correction.Status(d.Status); {
	case d.Status == "overdue":
		f.Status = correction.StatusOpen // overdue: still waiting for the town past its date
	case st.Label() != d.Status:
		f.Status = st
	default:
		d.Status = ""
	}
	if d.County {
		var err error
		if d.Towns, f.TownID, err = s.townFilter(r); err != nil {
			s.Error(w, r, err)
			return
		}
		d.Town = q.Get("town")
	}
	tasks, err := s.corrections().List(r.Context(), f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	for _, t := range tasks {
		if d.Status != "overdue" || t.Overdue(today) {
			d.Tasks = append(d.Tasks, t)
		}
	}
	s.render(w, r, http.StatusOK, web.CorrectionsPage(s.page(r, "整改任务"), d))
}

// correctionData is the task's page for the actor: which form it may use.
func (s *Server) correctionData(r *http.Request, t *correction.Task) *web.CorrectionData {
	a := zhifa.ActorFrom(r.Context())
	d := &web.CorrectionData{T: t, Today: s.Clock.Today(), AnswerForm: web.NewForm(), DecideForm: web.NewForm()}
	if t.Source == correction.SourceFiling {
		d.FilingID = t.SourceID
	}
	d.CanAnswer = t.Status == correction.StatusOpen && !a.Role.IsCounty() && a.TownID == t.TownID
	d.CanDecide = t.Status == correction.StatusAnswered && a.Role == zhifa.RoleCountyReviewer
	return d
}

func (s *Server) showCorrection(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, web.CorrectionPage(s.page(r, "整改任务"), s.correctionData(r, correctionFrom(r))))
}

// answerCorrection is the town's report of what it did.
func (s *Server) answerCorrection(w http.ResponseWriter, r *http.Request) {
	t := correctionFrom(r)
	if err := r.ParseForm(); err != nil {
		s.Error(w, r, zhifa.Errorf(zhifa.EINVALID, "表单无法读取。"))
		return
	}
	form := web.NewForm()
	for _, k := range []string{"answer_kind", "text"} {
		form.Values[k] = strings.TrimSpace(r.PostForm.Get(k))
	}
	err := s.corrections().Answer(r.Context(), t.ID, correction.AnswerKind(form.Get("answer_kind")), form.Get("text"))
	if err != nil {
		s.formError(w, r, err, form, func(form *web.Form) templ.Component {
			d := s.correctionData(r, t)
			d.AnswerForm = form
			return web.CorrectionPage(s.page(r, "整改任务"), d)
		})
		return
	}
	s.redirect(w, r, "/corrections/"+fmtID(t.ID), "已报送整改情况，等待县司法局审核。")
}

// decideCorrection is the county's closing (销号) or return of an answer.
func (s *Server) decideCorrection(kind correction.EventKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t := correctionFrom(r)
		if err := r.ParseForm(); err != nil {
			s.Error(w, r, zhifa.Errorf(zhifa.EINVALID, "表单无法读取。"))
			return
		}
		form := web.NewForm()
		form.Values["text"] = strings.TrimSpace(r.PostForm.Get("text"))
		svc := s.corrections()
		decide, msg := svc.Close, "已销号。"
		if kind == correction.EventReturn {
			decide, msg = svc.Return, "已退回，"+t.TownName+"需重新整改。"
		}
		if err := decide(r.Context(), t.ID, form.Get("text")); err != nil {
			s.formError(w, r, err, form, func(form *web.Form) templ.Component {
				d := s.correctionData(r, t)
				d.DecideForm = form
				return web.CorrectionPage(s.page(r, "整改任务"), d)
			})
			return
		}
		s.redirect(w, r, "/corrections/"+fmtID(t.ID), msg)
	}
}
