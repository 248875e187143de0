package server

import (
	"net/http"

	"zhifa/internal/town"
	"zhifa/internal/zhifa"
	"zhifa/web"
)

// reviewQueue is the 待审核 list: the cases awaiting legal review, oldest
// first, with the working days left on the review period. A town reviewer
// reads its own town's (RLS); the county every town's, filterable by town.
func (s *Server) reviewQueue(w http.ResponseWriter, r *http.Request) {
	a := zhifa.ActorFrom(r.Context())
	d := &web.ReviewQueueData{Today: s.Clock.Today(), County: a.Role.IsCounty(), Town: r.URL.Query().Get("town")}
	var townID int64
	if d.County {
		var err error
		if d.Towns, townID, err = s.townFilter(r); err != nil {
			s.Error(w, r, err)
			return
		}
	}
	rows, err := s.Cases.ReviewQueue(r.Context(), townID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d.Rows = rows
	title := a.TownName + "待审核案件"
	if d.County {
		title = "各镇待审核案件"
	}
	s.render(w, r, http.StatusOK, web.ReviewQueuePage(s.page(r, title), d))
}

// townFilter reads ?town=code on a county list: every town (for the
// filter's select) and the chosen one's id (0 = every town). An unknown
// code is not found rather than silently widened to every town.
func (s *Server) townFilter(r *http.Request) ([]town.Town, int64, error) {
	towns, err := s.Towns.List(r.Context())
	if err != nil {
		return nil, 0, err
	}
	code := r.URL.Query().Get("town")
	if code == "" {
		return towns, 0, nil
	}
	for _, t := range towns {
		if t.Code == code {
			return towns, t.ID, nil
		}
	}
	return nil, 0, zhifa.Errorf(zhifa.ENOTFOUND, "没有找到该镇。")
}
