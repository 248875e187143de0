package server

import (
	"context"
	"net/http"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/account"
	"zhifa/internal/cases"
	"zhifa/internal/database"
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
// 待审核 the cases awaiting review, 监督意见 the opinions to answer. They
// were usually read already, with the page's first statement (navAhead).
// A failure costs the badges, not the page.
func (s *Server) navCounts(r *http.Request) map[string]int {
	extra := navExtra(zhifa.ActorFrom(r.Context()))
	var n cases.NavCounts
	if h, _ := r.Context().Value(navAheadKey{}).(*navRead); h != nil && h.read {
		n = h.n
	} else {
		var err error
		if n, err = s.Cases.NavCounts(r.Context(), extra...); err != nil {
			s.Log.Warn("menu counts", "err", err, "path", r.URL.Path)
			return nil
		}
	}
	counts := map[string]int{"/": n.Home, "/review": n.Review}
	if len(extra) > 0 {
		counts["/supervision"] = n.Extra[0]
	}
	return counts
}

// navExtra are the menu's counts from other packages than cases, for a.
func navExtra(a *zhifa.Actor) []string {
	if q := supervision.PendingSQL(a); q != "" {
		return []string{q}
	}
	return nil
}

// navRead holds the menu's counts read ahead.
type navRead struct {
	n    cases.NavCounts
	read bool
}

type navAheadKey struct{}

// navAhead asks for the menu's counts to be read with the first statement
// of a GET's request transaction (database.Ahead): one round trip fewer
// for every page that shows the menu.
func (s *Server) navAhead(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		a := zhifa.ActorFrom(ctx)
		if a == nil || r.Method != http.MethodGet {
			next.ServeHTTP(w, r)
			return
		}
		h := &navRead{}
		extra := navExtra(a)
		if database.Ahead(ctx, database.SettingsFor(ctx), func(b *pgx.Batch) {
			s.Cases.QueueNavCounts(ctx, b, &h.n, func() { h.read = true }, extra...)
		}) {
			ctx = context.WithValue(ctx, navAheadKey{}, h)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
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
