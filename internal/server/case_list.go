package server

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"zhifa/internal/cases"
	"zhifa/internal/officer"
	"zhifa/internal/workflow"
	"zhifa/internal/zhifa"
	"zhifa/web"
)

// listCases is GET /cases: a town user's own cases, or every town's for the
// county, filtered, ordered and paged by the query string, with the totals
// of the whole filter.
func (s *Server) listCases(w http.ResponseWriter, r *http.Request) {
	d, f, err := s.caseList(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	f.Count = true
	if d.Page, err = s.Cases.List(r.Context(), f); err != nil {
		s.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.CasesPage(s.page(r, d.Title), d))
}

// exportCases is GET /cases.xlsx: every case of the list's filter (the same
// query string, the page's cursor ignored), in its order, up to
// cases.ExportLimit, as an XLSX with the filter in words.
//
// It holds what the list page shows (the party's phone masked, no ID
// number), and like the page it writes no access_log row: that log records
// reads of one case (its page, documents, evidence, dossier) under
// /cases/{id}. The download is recorded in the server log instead.
func (s *Server) exportCases(w http.ResponseWriter, r *http.Request) {
	d, f, err := s.caseList(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	f.After, f.Count = nil, true
	page, err := s.Cases.Export(r.Context(), f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	today := s.Clock.Today()
	x := &cases.ListExport{Title: d.Title + "列表", Filter: d.FilterWords(), Today: today, County: d.County, Page: page}
	var buf bytes.Buffer
	if err := x.WriteXLSX(&buf); err != nil {
		s.Error(w, r, fmt.Errorf("case list xlsx: %w", err))
		return
	}
	a := zhifa.ActorFrom(r.Context())
	s.Log.Info("case list exported", "user", a.Username, "rows", len(page.Rows), "query", r.URL.RawQuery, "remote", clientAddress(r))
	name := "案件列表-" + today.Format(time.DateOnly) + ".xlsx"
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="cases-`+today.Format(time.DateOnly)+`.xlsx"; filename*=UTF-8''`+rfc5987(name))
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = buf.WriteTo(w)
}

// caseList reads the list's query string into the page's data (the form's
// choices, the valid filters for its links) and the filter. A value that
// makes no sense (an unknown state or order, a bad date or page) is left out
// and the page says so; an unknown town is not found, as on every county
// list.
func (s *Server) caseList(r *http.Request) (*web.CasesData, cases.ListFilter, error) {
	ctx := r.Context()
	a := zhifa.ActorFrom(ctx)
	q := r.URL.Query()
	var f cases.ListFilter
	d := &web.CasesData{Filter: url.Values{}, Today: s.Clock.Today(), County: a.Role.IsCounty(),
		Title: a.TownName + "案件", CanFile: a.Role == zhifa.RoleOfficer || a.Role == zhifa.RoleLeader}
	note := func(msg string) { d.Notes = append(d.Notes, msg) }
	var err error
	if d.County {
		d.Title = "各镇案件"
		if d.Towns, f.TownID, err = s.townFilter(r); err != nil {
			return nil, f, err
		}
		if f.TownID != 0 {
			d.Filter.Set("town", q.Get("town"))
		}
	} else {
		if _, d.Items, err = s.Authority.ListOn(ctx, a.TownID, d.Today); err != nil && zhifa.ErrorCode(err) != zhifa.ENOTFOUND {
			return nil, f, err
		}
		if d.Officers, err = s.Officers.List(ctx, officer.Filter{}); err != nil {
			return nil, f, err
		}
		f.ItemID = positiveID(q.Get("item"), "事项", note)
		f.OfficerID = positiveID(q.Get("officer"), "承办人", note)
		setID(d.Filter, "item", f.ItemID)
		setID(d.Filter, "officer", f.OfficerID)
	}
	domains, err := s.Authority.Domains(ctx)
	if err != nil {
		return nil, f, err
	}
	for _, dom := range domains {
		d.Domains = append(d.Domains, dom.Name)
	}

	if v := q.Get("state"); v != "" {
		if slices.Contains(workflow.States, workflow.State(v)) {
			f.State = v
			d.Filter.Set("state", v)
		} else {
			note("没有这种案件状态，已忽略状态条件。")
		}
	}
	if v := q.Get("domain"); v != "" {
		if slices.Contains(d.Domains, v) {
			f.Domain = v
			d.Filter.Set("domain", v)
		} else {
			note("没有这个执法领域，已忽略领域条件。")
		}
	}
	f.From = listDate(q.Get("from"), "起始日期", note)
	f.To = listDate(q.Get("to"), "截止日期", note)
	if !f.From.IsZero() {
		d.Filter.Set("from", f.From.Format(time.DateOnly))
	}
	if !f.To.IsZero() {
		d.Filter.Set("to", f.To.Format(time.DateOnly))
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		note("截止日期早于起始日期，没有符合的案件。")
	}
	if v := q.Get("due"); v != "" {
		if v == "overdue" || v == "soon" {
			f.Due = v
			d.Filter.Set("due", v)
		} else {
			note("没有这种期限条件，已忽略期限条件。")
		}
	}
	if v := strings.TrimSpace(q.Get("q")); v != "" {
		f.Q = v
		d.Filter.Set("q", v)
	}

	if v := q.Get("sort"); v != "" {
		if srt, ok := cases.ParseSort(v); ok {
			f.Sort, d.SortGiven = srt, true
		} else {
			note("没有这种排序方式，已按默认顺序排列。")
		}
	}
	d.Sort = f.Sort
	if d.Sort == "" {
		d.Sort = cases.SortFiled
		if f.Due != "" {
			d.Sort = cases.SortDue // a due list is read by urgency
		}
	}
	f.Sort = d.Sort
	f.After = cursor(q, d.Sort, note)
	return d, f, nil
}

// positiveID reads an id filter; anything but a positive number is left out.
func positiveID(v, what string, note func(string)) int64 {
	if v == "" {
		return 0
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		note(what + "条件无效，已忽略。")
		return 0
	}
	return id
}

func setID(v url.Values, key string, id int64) {
	if id != 0 {
		v.Set(key, strconv.FormatInt(id, 10))
	}
}

// listDate reads a date filter (年-月-日); a bad one is left out.
func listDate(v, what string, note func(string)) time.Time {
	if v == "" {
		return time.Time{}
	}
	t, err := time.ParseInLocation(time.DateOnly, v, zhifa.Local)
	if err != nil {
		note(what + "格式不对（应为 年-月-日，如 2026-01-31），已忽略。")
		return time.Time{}
	}
	return t
}

// cursor reads where the page starts in the order: before=id for the
// filing order, after=id (and after_due=date, absent for the cases without
// a deadline) for the deadline order. A bad one starts at the first page.
func cursor(q url.Values, order cases.Sort, note func(string)) *cases.Cursor {
	key := "before"
	if order == cases.SortDue {
		key = "after"
	}
	v := q.Get(key)
	if v == "" {
		return nil
	}
	bad := func() *cases.Cursor {
		note("翻页参数无效，已显示第一页。")
		return nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return bad()
	}
	c := &cases.Cursor{ID: id}
	if order == cases.SortDue {
		if due := q.Get("after_due"); due != "" {
			t, err := time.ParseInLocation(time.DateOnly, due, zhifa.Local)
			if err != nil {
				return bad()
			}
			c.Due = &t
		}
	}
	return c
}
