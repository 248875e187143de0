package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"zhifa/internal/officer"
	"zhifa/internal/training"
	"zhifa/internal/zhifa"
	"zhifa/web"
)

// Training records (培训): the sessions of a year, a new session, one
// session with its attendance form, every officer's hours in a year, one
// officer's hours, and the summary per town (参训人次). Every staff role
// reads them (row-level security keeps a town to its own); a town's 队长
// records the town's sessions and the county administrator the county's.

func (s *Server) training() *training.Service {
	return &training.Service{DB: s.DB, Clock: s.Clock}
}

func (s *Server) trainingRoutes(r chi.Router) {
	r.Get("/training", s.listTraining)
	r.Get("/training/new", s.newTrainingForm)
	r.Post("/training/new", s.createTraining)
	r.Get("/training/officers", s.trainingHours)
	r.With(s.officerCtx).Get("/training/officers/{userID}", s.officerTraining)
	r.Get("/training/summary", s.trainingSummary)
	r.Route("/training/{sessionID}", func(r chi.Router) {
		r.Use(s.trainingCtx)
		r.Get("/", s.showTraining)
		r.Post("/attendance", s.saveAttendance)
	})
}

type trainingKey struct{}

// trainingCtx loads /training/{sessionID} as the actor may read it:
// another town's session is not found (RLS).
func (s *Server) trainingCtx(next http.Handler) http.Handler {
	return loader(s, "sessionID", "没有找到该培训记录。", trainingKey{}, func(r *http.Request, id int64) (*training.Session, error) {
		return s.training().Get(r.Context(), id)
	})(next)
}

func trainingFrom(r *http.Request) *training.Session {
	return r.Context().Value(trainingKey{}).(*training.Session)
}

// trainingYear is the ?year= of a training page, this year by default.
func (s *Server) trainingYear(r *http.Request) (int, []int) {
	years := web.TrainingYears(s.Clock.Today())
	y, err := strconv.Atoi(r.URL.Query().Get("year"))
	for _, ok := range years {
		if err == nil && y == ok {
			return y, years
		}
	}
	return years[0], years
}

func (s *Server) listTraining(w http.ResponseWriter, r *http.Request) {
	a := zhifa.ActorFrom(r.Context())
	year, years := s.trainingYear(r)
	d := &web.TrainingData{Year: year, Years: years, County: a.Role.IsCounty(), CanRecord: training.CanRecordAny(a)}
	f := training.Filter{Year: year}
	if d.County {
		var err error
		if d.Towns, f.TownID, err = s.townFilter(r); err != nil {
			s.Error(w, r, err)
			return
		}
		d.Town = r.URL.Query().Get("town")
	}
	sessions, err := s.training().List(r.Context(), f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d.Sessions = sessions
	for _, x := range sessions {
		d.Hours += x.Hours
		d.Attended += x.Attendees
	}
	s.render(w, r, http.StatusOK, web.TrainingPage(s.page(r, "培训记录"), d))
}

// trainingForm is the new-session form with the one organiser the actor
// records for: its own town (a 队长), or the county.
func (s *Server) trainingForm(r *http.Request) func(*web.Form) templ.Component {
	return func(f *web.Form) templ.Component {
		a := zhifa.ActorFrom(r.Context())
		d := &web.TrainingFormData{Form: f}
		if a.Role == zhifa.RoleCountyAdmin {
			d.Organisers = []web.Option{{Value: training.CountyOrganiser, Label: "县司法局（县级组织）"}}
		} else if towns, err := s.Towns.List(r.Context()); err == nil {
			for _, t := range towns {
				if t.ID == a.TownID {
					d.Organisers = []web.Option{{Value: t.Code, Label: t.Name + "（本镇组织）"}}
				}
			}
		}
		if len(d.Organisers) == 1 && f.Get("organiser") == "" {
			f.Values["organiser"] = d.Organisers[0].Value
		}
		return web.TrainingFormPage(s.page(r, "登记培训"), d)
	}
}

var errTrainingRecorders = zhifa.Errorf(zhifa.EFORBIDDEN, "您的角色无权登记培训：本镇组织的培训由队长登记，县级组织的培训由县级管理员登记。")

func (s *Server) newTrainingForm(w http.ResponseWriter, r *http.Request) {
	if !training.CanRecordAny(zhifa.ActorFrom(r.Context())) {
		s.Error(w, r, errTrainingRecorders)
		return
	}
	f := web.NewForm()
	f.Values["held_on"] = web.Date(s.Clock.Today())
	s.render(w, r, http.StatusOK, s.trainingForm(r)(f))
}

func (s *Server) createTraining(w http.ResponseWriter, r *http.Request) {
	if !training.CanRecordAny(zhifa.ActorFrom(r.Context())) {
		s.Error(w, r, errTrainingRecorders)
		return
	}
	in := training.SessionInput{Organiser: r.PostFormValue("organiser"), HeldOn: r.PostFormValue("held_on"),
		Topic: r.PostFormValue("topic"), Hours: r.PostFormValue("hours"), Trainer: r.PostFormValue("trainer")}
	id, err := s.training().Create(r.Context(), in)
	if err != nil {
		f := web.NewForm()
		f.Values = map[string]string{"organiser": in.Organiser, "held_on": in.HeldOn, "topic": in.Topic, "hours": in.Hours, "trainer": in.Trainer}
		s.formError(w, r, err, f, s.trainingForm(r))
		return
	}
	s.redirect(w, r, "/training/"+fmtID(id)+"#attendance-form", "已登记培训，请勾选参训人员。")
}

// trainingSession is the session's page, with the attendance form for
// whoever records the session.
func (s *Server) trainingSession(r *http.Request, session *training.Session, f *web.Form) (*web.TrainingSessionData, error) {
	d := &web.TrainingSessionData{S: session, Form: f,
		CanRecord: training.CanRecord(zhifa.ActorFrom(r.Context()), session.OwnerTown())}
	if d.CanRecord {
		var err error
		if d.Candidates, err = s.training().Candidates(r.Context(), session); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func (s *Server) showTraining(w http.ResponseWriter, r *http.Request) {
	d, err := s.trainingSession(r, trainingFrom(r), web.NewForm())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.TrainingSessionPage(s.page(r, "培训："+d.S.Topic), d))
}

// saveAttendance makes the ticked officers the session's attendance.
func (s *Server) saveAttendance(w http.ResponseWriter, r *http.Request) {
	session := trainingFrom(r)
	if err := r.ParseForm(); err != nil {
		s.Error(w, r, zhifa.Errorf(zhifa.EINVALID, "表单无法读取。"))
		return
	}
	f := web.NewForm()
	f.Values["posted"] = "1"
	var ids []int64
	for _, v := range r.PostForm["officer"] {
		id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || id <= 0 {
			s.Error(w, r, zhifa.Errorf(zhifa.EINVALID, "所选人员无效。"))
			return
		}
		ids = append(ids, id)
		f.Values["officer:"+fmtID(id)] = "1"
	}
	added, removed, err := s.training().SetAttendance(r.Context(), session.ID, ids)
	if err != nil {
		if code := zhifa.ErrorCode(err); code != zhifa.EINVALID {
			s.Error(w, r, err)
			return
		}
		s.formError(w, r, err, f, func(f *web.Form) templ.Component {
			d, derr := s.trainingSession(r, session, f)
			if derr != nil {
				d = &web.TrainingSessionData{S: session, Form: f}
			}
			return web.TrainingSessionPage(s.page(r, "培训："+session.Topic), d)
		})
		return
	}
	msg := "参训人员已保存"
	if added > 0 || removed > 0 {
		msg += "（新增" + strconv.Itoa(added) + "人，取消" + strconv.Itoa(removed) + "人）"
	}
	s.redirect(w, r, "/training/"+fmtID(session.ID), msg+"。")
}

// trainingHours is every officer's hours in a year.
func (s *Server) trainingHours(w http.ResponseWriter, r *http.Request) {
	a := zhifa.ActorFrom(r.Context())
	year, years := s.trainingYear(r)
	d := &web.TrainingHoursData{Year: year, Years: years, County: a.Role.IsCounty(), Required: training.AnnualHours}
	var townID int64
	if d.County {
		var err error
		if d.Towns, townID, err = s.townFilter(r); err != nil {
			s.Error(w, r, err)
			return
		}
		d.Town = r.URL.Query().Get("town")
	}
	officers, err := s.training().HoursTable(r.Context(), year, townID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d.Officers = officers
	s.render(w, r, http.StatusOK, web.TrainingHoursPage(s.page(r, "人员培训学时"), d))
}

// officerHours are the officer's hours this year and the two before (a
// certificate is renewed on recent training).
func (s *Server) officerHours(r *http.Request, userID int64) ([]training.YearHours, error) {
	this := s.Clock.Today().Year()
	return s.training().OfficerHours(r.Context(), userID, this-2, this)
}

func (s *Server) officerTraining(w http.ResponseWriter, r *http.Request) {
	o := officerFrom(r)
	hours, err := s.officerHours(r, o.UserID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	sessions, err := s.training().OfficerSessions(r.Context(), o.UserID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d := &web.OfficerTrainingData{Name: o.DisplayName, UserID: o.UserID, TownName: o.TownName, Hours: hours, Sessions: sessions}
	s.render(w, r, http.StatusOK, web.OfficerTrainingPage(s.page(r, o.DisplayName+"的培训记录"), d))
}

func (s *Server) trainingSummary(w http.ResponseWriter, r *http.Request) {
	year, years := s.trainingYear(r)
	d := &web.TrainingSummaryData{Year: year, Years: years, County: zhifa.ActorFrom(r.Context()).Role.IsCounty(), Required: training.AnnualHours}
	var err error
	if d.Towns, err = s.training().Summary(r.Context(), year); err != nil {
		s.Error(w, r, err)
		return
	}
	if d.PerYear, err = s.training().Years(r.Context()); err != nil {
		s.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.TrainingSummaryPage(s.page(r, "培训汇总"), d))
}

// trainingOf is the officer's hours for the officer and certificate pages.
func (s *Server) trainingOf(r *http.Request, o *officer.Officer) []training.YearHours {
	hours, err := s.officerHours(r, o.UserID)
	if err != nil {
		// The pages stay usable without the table.
		s.Log.Warn("training hours", "err", err, "user", o.UserID)
		return nil
	}
	return hours
}
