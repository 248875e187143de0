package server

import (
	"net/http"

	"zhifa/internal/account"
	"zhifa/internal/officer"
	"zhifa/internal/supervision"
	"zhifa/internal/zhifa"
	"zhifa/web"
)

// home is the start page of each role: what to do next (the role's
// to-do queues, see cases.Todo), the actor's certificate and the town's
// certificate warnings; county roles see every town.
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
	if d.Todo, err = s.Cases.Todo(ctx); err != nil {
		s.Error(w, r, err)
		return
	}
	title := a.TownName + a.Role.Label() + "工作台"
	if a.Role == zhifa.RoleHead || a.Role == zhifa.RoleTownReviewer {
		if d.Due, err = s.dueCases(r); err != nil {
			s.Error(w, r, err)
			return
		}
	}
	if a.Role.IsCounty() {
		title = "紫阳县司法局 · " + a.Role.Label() + "工作台"
		if d.TownsTodo, err = s.Cases.TownsTodo(ctx); err != nil {
			s.Error(w, r, err)
			return
		}
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

// navCounts are the to-do counts beside the menu entries, from one
// statement: 首页 the actor's to-do (what the home page's queues count),
// 待审核 the cases awaiting review. A failure costs the badges, not the page.
func (s *Server) navCounts(r *http.Request) map[string]int {
	var extra []string
	if q := supervision.PendingSQL(zhifa.ActorFrom(r.Context())); q != "" {
		extra = append(extra, q)
	}
	n, err := s.Cases.NavCounts(r.Context(), extra...)
	if err != nil {
		s.Log.Warn("menu counts", "err", err, "path", r.URL.Path)
		return nil
	}
	counts := map[string]int{"/": n.Home, "/review": n.Review}
	if len(extra) > 0 {
		counts["/supervision"] = n.Extra[0]
	}
	return counts
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
