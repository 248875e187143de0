package server

import (
	"net/http"

	"zhifa/internal/account"
	"zhifa/internal/cases"
	"zhifa/internal/officer"
	"zhifa/internal/workflow"
	"zhifa/internal/zhifa"
	"zhifa/web"
)

// home is the start page of each role: field staff see their certificate
// and their town's certificate warnings; the town's head sees the cases
// awaiting its decision; county roles see every town.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a := zhifa.ActorFrom(ctx)
	officers, err := s.Officers.List(ctx, officer.Filter{})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d := &web.HomeData{Today: s.Clock.Today()}
	for i := range officers {
		o := officers[i]
		if o.UserID == a.UserID {
			d.Me = &o
		}
		if o.Active && needsAttention(o.Status) {
			d.Attention = append(d.Attention, o)
		}
	}
	title := a.TownName + a.Role.Label() + "工作台"
	if !a.Role.IsCounty() {
		if d.Due, err = s.dueCases(r); err != nil {
			s.Error(w, r, err)
			return
		}
	}
	if a.Role == zhifa.RoleTownReviewer || a.Role == zhifa.RoleCountyReviewer {
		q, err := s.Cases.ReviewQueue(ctx, 0)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		d.Queue = &web.QueueCount{Count: len(q)}
		for i := range q {
			if q[i].Overdue() {
				d.Queue.Overdue++
			}
		}
	}
	if a.Role == zhifa.RoleHead {
		if d.Awaiting, err = s.awaitingDecision(r); err != nil {
			s.Error(w, r, err)
			return
		}
	}
	if a.Role.IsCounty() {
		title = "紫阳县司法局 · " + a.Role.Label() + "工作台"
		st, err := s.Cases.Remedies(r.Context())
		if err != nil {
			s.Error(w, r, err)
			return
		}
		d.Remedies = &st
		if d.Towns, err = s.townSummaries(r, officers); err != nil {
			s.Error(w, r, err)
			return
		}
		if a.Role == zhifa.RoleCountyAdmin {
			users, err := s.Accounts.List(ctx, account.Filter{})
			if err != nil {
				s.Error(w, r, err)
				return
			}
			d.Users = len(users)
		}
	}
	s.render(w, r, http.StatusOK, web.HomePage(s.page(r, title), d))
}

// awaitingStates are the states from which a case goes to the 行政机关负责人
// for its decision.
var awaitingStates = []workflow.State{workflow.Review, workflow.Notice, workflow.Hearing, workflow.Discussion}

// awaitingDecision counts the actor's cases in each of awaitingStates (up to
// the list's page limit; More says when there are more).
func (s *Server) awaitingDecision(r *http.Request) ([]web.StateCount, error) {
	const limit = 200
	out := make([]web.StateCount, len(awaitingStates))
	for i, st := range awaitingStates {
		p, err := s.Cases.List(r.Context(), cases.ListFilter{State: string(st), Limit: limit})
		if err != nil {
			return nil, err
		}
		out[i] = web.StateCount{State: st, Count: len(p.Rows), More: p.Next != nil}
	}
	return out, nil
}

func needsAttention(st officer.CertStatus) bool {
	return st == officer.CertExpired || st == officer.CertExpiring || st == officer.CertMissing || st == officer.CertNotYet
}

// townSummaries counts officers and certificate warnings per town.
func (s *Server) townSummaries(r *http.Request, officers []officer.Officer) ([]web.TownSummary, error) {
	towns, err := s.Towns.List(r.Context())
	if err != nil {
		return nil, err
	}
	byTown := map[int64]*web.TownSummary{}
	out := make([]web.TownSummary, len(towns))
	for i, t := range towns {
		out[i].Town = t
		byTown[t.ID] = &out[i]
	}
	for _, o := range officers {
		if ts := byTown[o.TownID]; ts != nil && o.Active {
			ts.Officers++
			if needsAttention(o.Status) {
				ts.Attention++
			}
		}
	}
	return out, nil
}

func (s *Server) listTowns(w http.ResponseWriter, r *http.Request) {
	officers, err := s.Officers.List(r.Context(), officer.Filter{})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	summaries, err := s.townSummaries(r, officers)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	remedies, err := s.Cases.RemediesByTown(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	for i := range summaries {
		summaries[i].Remedies = remedies[summaries[i].Town.ID]
	}
	county, err := s.Towns.CountyInfo(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.TownsPage(s.page(r, "各镇执法队"), summaries, county.Name))
}
