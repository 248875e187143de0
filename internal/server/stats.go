package server

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"zhifa/internal/cases"
	"zhifa/internal/officer"
	"zhifa/internal/stats"
	"zhifa/internal/town"
	"zhifa/internal/zhifa"
	"zhifa/web"
)

// statsRoutes are the statistics (统计分析, issue 13): the page and the
// XLSX of its tables. Whose figures a role reads is stats.ScopeFor's
// choice.
func (s *Server) statsRoutes(r chi.Router) {
	r.Get("/stats", s.statsPage)
	r.Get("/stats.xlsx", s.statsXLSX)
}

// statsPage is GET /stats?from=2025-01&to=2025-09&town=maoba: the period
// (this year by default) beside the same months a year earlier. A month
// or a town that makes no sense shows the form again with its message
// (422).
func (s *Server) statsPage(w http.ResponseWriter, r *http.Request) {
	d, title, err := s.statsData(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	status := http.StatusOK
	if d.Dashboard == nil {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, web.StatsPage(s.page(r, title), d))
}

// statsXLSX is GET /stats.xlsx with the page's query: every table of the
// page as a sheet, with the same numbers.
func (s *Server) statsXLSX(w http.ResponseWriter, r *http.Request) {
	d, title, err := s.statsData(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if d.Dashboard == nil {
		s.render(w, r, http.StatusUnprocessableEntity, web.StatsPage(s.page(r, title), d))
		return
	}
	var buf bytes.Buffer
	if err := d.Dashboard.WriteXLSX(&buf); err != nil {
		s.Error(w, r, fmt.Errorf("stats xlsx: %w", err))
		return
	}
	x := d.Dashboard
	name := "统计分析-" + x.Place + "-" + x.Period.Label() + ".xlsx"
	ascii := "stats-" + x.Period.FromValue() + "-" + x.Period.ToValue() + ".xlsx"
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+ascii+`"; filename*=UTF-8''`+rfc5987(name))
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = buf.WriteTo(w)
}

// statsData reads the query and, when it makes sense, the figures: the
// period, the town (county roles choose one, or every town; a town's roles
// read their own whatever the query says), the summary numbers, the
// reconsiderations, the overdue cases and the certificates.
func (s *Server) statsData(r *http.Request) (*web.StatsData, string, error) {
	ctx := r.Context()
	a := zhifa.ActorFrom(ctx)
	scope, ok := stats.ScopeFor(a)
	if !ok {
		return nil, "", zhifa.Errorf(zhifa.EFORBIDDEN, "您的角色不能查看统计分析。")
	}
	towns, err := s.Towns.List(ctx)
	if err != nil {
		return nil, "", err
	}
	q := r.URL.Query()
	today := s.Clock.Today()
	d := &web.StatsData{Form: web.NewForm(), County: scope.County}
	for _, k := range []string{"from", "to", "town"} {
		d.Form.Values[k] = strings.TrimSpace(q.Get(k))
	}
	period, fe := stats.ParsePeriod(d.Form.Get("from"), d.Form.Get("to"), today)
	if fe == nil {
		fe = zhifa.FieldErrors{}
	}
	var shown []town.Town
	place := ""
	if scope.County {
		d.Towns = towns
		county, err := s.Towns.CountyInfo(ctx)
		if err != nil {
			return nil, "", err
		}
		place, shown = county.Name, towns
		if code := d.Form.Get("town"); code != "" {
			i := townIndex(towns, func(t town.Town) bool { return t.Code == code })
			if i < 0 {
				fe["town"] = "请选择本县的镇，或选“全县”。"
			} else {
				scope.TownID = towns[i].ID
				place, shown = towns[i].Name, towns[i:i+1]
			}
		}
	} else {
		d.Form.Values["town"] = ""
		i := townIndex(towns, func(t town.Town) bool { return t.ID == scope.TownID })
		if i < 0 {
			return nil, "", zhifa.Errorf(zhifa.ENOTFOUND, "找不到您所在的镇。")
		}
		place, shown = towns[i].Name, towns[i:i+1]
	}
	title := place + "行政执法统计"
	if len(fe) > 0 {
		d.Form.Errors = fe
		return d, title, nil
	}
	// The boxes show the period counted (a month left empty was filled in).
	d.Form.Values["from"], d.Form.Values["to"] = period.FromValue(), period.ToValue()
	pq := cases.PeriodQuery{From: period.From, To: period.To, TownID: scope.TownID}
	in := stats.Input{Period: period, Today: today, Place: place, Towns: shown}
	if in.Stats, err = s.Cases.PeriodStats(ctx, pq); err != nil {
		return nil, "", err
	}
	if in.Remedies, err = s.Cases.PeriodRemedies(ctx, pq); err != nil {
		return nil, "", err
	}
	if in.Overdue, err = s.Cases.OverdueByTown(ctx, scope.TownID); err != nil {
		return nil, "", err
	}
	if in.Officers, err = s.Officers.List(ctx, officer.Filter{}); err != nil {
		return nil, "", err
	}
	d.Dashboard = stats.Build(in)
	return d, title, nil
}

func townIndex(towns []town.Town, match func(town.Town) bool) int {
	for i, t := range towns {
		if match(t) {
			return i
		}
	}
	return -1
}
