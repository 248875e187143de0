package server

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"zhifa/internal/evaluation"
	"zhifa/internal/town"
	"zhifa/internal/zhifa"
	"zhifa/web"
)

// Dossier evaluation (案卷评查): rounds, the scoring page, the report and
// the county's score sheet.

func (s *Server) evaluation() *evaluation.Service {
	return &evaluation.Service{DB: s.DB, Clock: s.Clock}
}

// evaluationRoutes are mounted in the logged-in group.
func (s *Server) evaluationRoutes(r chi.Router) {
	reviewer := s.requireRoles(zhifa.RoleCountyReviewer)
	county := s.requireRoles(zhifa.RoleCountyReviewer, zhifa.RoleCountyAdmin)
	r.Route("/evaluations", func(r chi.Router) {
		r.Get("/", s.listEvaluations)
		r.With(reviewer).Get("/new", s.newEvaluationForm)
		r.With(reviewer).Post("/new", s.openEvaluation)
		r.Get("/{roundID}", s.showEvaluation)
		r.With(reviewer).Post("/{roundID}/close", s.closeEvaluation)
		r.With(county).Get("/{roundID}/report", s.evaluationReport)
		r.With(county).Get("/{roundID}/report.xlsx", s.evaluationReportXLSX)
		r.Get("/{roundID}/dossiers/{dossierID}", s.showEvalDossier)
		r.With(reviewer).Post("/{roundID}/dossiers/{dossierID}", s.scoreEvalDossier)
	})
	r.With(county).Get("/settings/evaluation-sheet", s.evaluationSheetPage)
	r.With(s.requireRoles(zhifa.RoleCountyAdmin)).Post("/settings/evaluation-sheet", s.saveEvaluationSheet)
}

func urlID(r *http.Request, name string) int64 {
	id, err := strconv.ParseInt(chi.URLParam(r, name), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

func (s *Server) listEvaluations(w http.ResponseWriter, r *http.Request) {
	a := zhifa.ActorFrom(r.Context())
	d := &web.EvalListData{County: a.Role.IsCounty(), CanOpen: a.Role == zhifa.RoleCountyReviewer, Town: r.URL.Query().Get("town")}
	var townID int64
	if d.County {
		var err error
		if d.Towns, townID, err = s.townFilter(r); err != nil {
			s.Error(w, r, err)
			return
		}
	}
	rounds, err := s.evaluation().List(r.Context(), townID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d.Rounds = rounds
	s.render(w, r, http.StatusOK, web.EvalListPage(s.page(r, "案卷评查"), d))
}

// newRoundData is the open-a-round form with its choices.
func (s *Server) newRoundData(r *http.Request, f *web.Form) (*web.EvalNewData, error) {
	ctx := r.Context()
	towns, err := s.Towns.List(ctx)
	if err != nil {
		return nil, err
	}
	people, err := s.evaluation().Reviewers(ctx)
	if err != nil {
		return nil, err
	}
	d := &web.EvalNewData{Form: f, Towns: towns, Ticked: map[string]bool{}}
	for _, p := range people {
		d.Reviewers = append(d.Reviewers, web.EvalPerson{ID: p.ID, Name: p.Name})
	}
	if f.Values["name"] == "" && len(r.PostForm) == 0 {
		// A fresh form: this year so far, two per town, every town, the
		// reviewer himself, a random seed.
		today := s.Clock.Today()
		f.Values["name"] = fmt.Sprintf("%d年度案卷评查", today.Year())
		f.Values["period_from"] = web.Date(time.Date(today.Year(), 1, 1, 0, 0, 0, 0, zhifa.Local))
		f.Values["period_to"] = web.Date(today)
		f.Values["per_town"] = "2"
		f.Values["seed"] = strconv.FormatInt(evaluation.NewSeed(), 10)
		for _, t := range towns {
			d.Ticked["town_"+strconv.FormatInt(t.ID, 10)] = true
		}
		d.Ticked["reviewer_"+strconv.FormatInt(zhifa.ActorFrom(ctx).UserID, 10)] = true
		return d, nil
	}
	for _, v := range r.PostForm["towns"] {
		d.Ticked["town_"+v] = true
	}
	for _, v := range r.PostForm["reviewers"] {
		d.Ticked["reviewer_"+v] = true
	}
	return d, nil
}

func (s *Server) newEvaluationForm(w http.ResponseWriter, r *http.Request) {
	d, err := s.newRoundData(r, web.NewForm())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.EvalNewPage(s.page(r, "开启案卷评查"), d))
}

func formIDs(vs []string) []int64 {
	var out []int64
	for _, v := range vs {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
			out = append(out, id)
		}
	}
	return out
}

func (s *Server) openEvaluation(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.Error(w, r, zhifa.Errorf(zhifa.EINVALID, "表单无法读取。"))
		return
	}
	f := web.NewForm()
	for _, k := range []string{"name", "period_from", "period_to", "per_town", "seed", "cases"} {
		f.Values[k] = strings.TrimSpace(r.PostForm.Get(k))
	}
	show := func(f *web.Form) templ.Component {
		d, err := s.newRoundData(r, f)
		if err != nil {
			s.Log.Error("evaluation form", "err", err)
			d = &web.EvalNewData{Form: f}
		}
		return web.EvalNewPage(s.page(r, "开启案卷评查"), d)
	}
	if err := boundedText(f.Values); err != nil {
		s.formError(w, r, err, f, show)
		return
	}
	n := evaluation.NewRound{Name: f.Get("name"), Towns: formIDs(r.PostForm["towns"]), Reviewers: formIDs(r.PostForm["reviewers"])}
	fe := zhifa.FieldErrors{}
	var err error
	if n.From, err = time.ParseInLocation(time.DateOnly, f.Get("period_from"), zhifa.Local); err != nil && f.Get("period_from") != "" {
		fe.Add("period_from", "请填写日期（如 2025-01-01）。")
	}
	if n.To, err = time.ParseInLocation(time.DateOnly, f.Get("period_to"), zhifa.Local); err != nil && f.Get("period_to") != "" {
		fe.Add("period_to", "请填写日期（如 2025-12-31）。")
	}
	for _, line := range strings.Split(f.Get("cases"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			n.CaseNumbers = append(n.CaseNumbers, line)
		}
	}
	if v := f.Get("per_town"); v != "" || len(n.CaseNumbers) == 0 {
		if n.PerTown, err = strconv.Atoi(v); err != nil {
			fe.Add("per_town", "请填写每镇抽取的案卷数。")
		}
	}
	if n.Seed, err = strconv.ParseInt(f.Get("seed"), 10, 64); err != nil {
		fe.Add("seed", "随机种子须为正整数。")
	}
	if err := fe.Err(); err != nil {
		s.formError(w, r, err, f, show)
		return
	}
	id, err := s.evaluation().Open(r.Context(), n)
	if err != nil {
		if fe, ok := err.(zhifa.FieldErrors); ok && fe["cases"] != "" {
			// The case numbers' box is a textarea: its message shows with it.
			f.Errors = fe
		}
		s.formError(w, r, err, f, show)
		return
	}
	s.redirect(w, r, "/evaluations/"+strconv.FormatInt(id, 10), "已开启评查并抽取案卷。")
}

func (s *Server) showEvaluation(w http.ResponseWriter, r *http.Request) {
	a := zhifa.ActorFrom(r.Context())
	d := &web.EvalRoundData{County: a.Role.IsCounty(), Town: r.URL.Query().Get("town")}
	var townID int64
	var towns []town.Town
	if d.County {
		var err error
		if towns, townID, err = s.townFilter(r); err != nil {
			s.Error(w, r, err)
			return
		}
	}
	p, err := s.evaluation().Get(r.Context(), urlID(r, "roundID"), townID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	// The county's filter offers the round's towns.
	for _, t := range towns {
		if slices.Contains(p.Round.Towns, t.ID) {
			d.Towns = append(d.Towns, t)
		}
	}
	d.P = p
	d.CanClose = a.Role == zhifa.RoleCountyReviewer && p.Round.Status == evaluation.RoundOpen
	s.render(w, r, http.StatusOK, web.EvalRoundPage(s.page(r, p.Round.Name), d))
}

func (s *Server) closeEvaluation(w http.ResponseWriter, r *http.Request) {
	id := urlID(r, "roundID")
	if err := s.evaluation().Close(r.Context(), id); err != nil {
		s.Error(w, r, err)
		return
	}
	s.redirect(w, r, "/evaluations/"+strconv.FormatInt(id, 10), "本轮评查已结束。")
}

func (s *Server) evaluationReport(w http.ResponseWriter, r *http.Request) {
	rep, err := s.evaluation().Report(r.Context(), urlID(r, "roundID"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.EvalReportPage(s.page(r, rep.Round.Name+"评查报告"), &web.EvalReportData{R: rep, Today: s.Clock.Today()}))
}

func (s *Server) evaluationReportXLSX(w http.ResponseWriter, r *http.Request) {
	rep, err := s.evaluation().Report(r.Context(), urlID(r, "roundID"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := rep.WriteXLSX(&buf); err != nil {
		s.Error(w, r, fmt.Errorf("evaluation report xlsx: %w", err))
		return
	}
	name := rep.Round.Name + "评查报告.xlsx"
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="evaluation-`+strconv.FormatInt(rep.Round.ID, 10)+`.xlsx"; filename*=UTF-8''`+rfc5987(name))
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = buf.WriteTo(w)
}

// scoreForm fills the scoring form from the stored scores: the reviewer's
// if saved, else the record's.
func scoreForm(p *evaluation.DossierPage) *web.Form {
	f := web.NewForm()
	for _, sc := range p.Scores {
		code := sc.Item.Code
		if sc.Item.Tier == evaluation.TierVeto {
			res := sc.Result
			if res == "" {
				res = sc.AutoResult
			}
			if res != evaluation.ResultFail {
				res = evaluation.ResultPass
			}
			f.Values[evaluation.ResultField(code)] = res
		} else {
			ded := sc.AutoDeduction
			if sc.Result != "" {
				ded = sc.Deduction
			}
			f.Values[evaluation.DeductionField(code)] = evaluation.Points(ded)
		}
		f.Values[evaluation.ReasonField(code)] = sc.Reason
	}
	return f
}

func (s *Server) showEvalDossier(w http.ResponseWriter, r *http.Request) {
	p, err := s.evaluation().Dossier(r.Context(), urlID(r, "roundID"), urlID(r, "dossierID"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.EvalDossierPage(s.page(r, "案卷评查 · "+p.Dossier.CaseNumber), &web.EvalDossierData{P: p, Form: scoreForm(p)}))
}

func (s *Server) scoreEvalDossier(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.Error(w, r, zhifa.Errorf(zhifa.EINVALID, "表单无法读取。"))
		return
	}
	roundID, id := urlID(r, "roundID"), urlID(r, "dossierID")
	f := web.NewForm()
	in := map[string]evaluation.Entry{}
	for k := range r.PostForm {
		v := strings.TrimSpace(r.PostForm.Get(k))
		f.Values[k] = v
		for prefix, set := range map[string]func(e *evaluation.Entry){
			"v_": func(e *evaluation.Entry) { e.Result = v }, "d_": func(e *evaluation.Entry) { e.Deduction = v },
			"why_": func(e *evaluation.Entry) { e.Reason = v }} {
			if code, ok := strings.CutPrefix(k, prefix); ok {
				e := in[code]
				set(&e)
				in[code] = e
			}
		}
	}
	finish := f.Get("finish") == "1"
	show := func(f *web.Form) templ.Component {
		p, err := s.evaluation().Dossier(r.Context(), roundID, id)
		if err != nil {
			s.Log.Error("evaluation dossier form", "err", err)
			return web.ErrorPage(s.page(r, "系统错误"), http.StatusInternalServerError, "页面生成失败，请稍后重试。")
		}
		return web.EvalDossierPage(s.page(r, "案卷评查 · "+p.Dossier.CaseNumber), &web.EvalDossierData{P: p, Form: f})
	}
	if err := s.evaluation().Save(r.Context(), roundID, id, in, finish); err != nil {
		s.formError(w, r, err, f, show)
		return
	}
	flash := "已保存评分。"
	if finish {
		flash = "已完成评查；发现的问题已转为整改任务。"
	}
	s.redirect(w, r, r.URL.Path, flash)
}

// ---- The score sheet ----

// sheetRows are the blank rows the editor adds for new items.
const sheetRows = 3

func sheetForm(sh *evaluation.Sheet) *web.Form {
	f := web.NewForm()
	for i, it := range sh.Items {
		n := strconv.Itoa(i)
		f.Values["code_"+n], f.Values["tier_"+n], f.Values["category_"+n], f.Values["text_"+n] = it.Code, string(it.Tier), it.Category, it.Text
		if it.Tier != evaluation.TierVeto {
			f.Values["points_"+n], f.Values["step_"+n] = evaluation.Points(it.Points), evaluation.Points(it.Step)
		}
		f.Values["deduction_"+n] = it.Deduction
	}
	for i := len(sh.Items); i < len(sh.Items)+sheetRows; i++ {
		f.Values["tier_"+strconv.Itoa(i)] = string(evaluation.TierContent)
	}
	for i, g := range sh.Grades {
		f.Values["grade_name_"+strconv.Itoa(i)], f.Values["grade_min_"+strconv.Itoa(i)] = g.Name, evaluation.Points(g.Min)
	}
	return f
}

func (s *Server) evaluationSheetData(r *http.Request, f *web.Form) (*web.EvalSheetData, error) {
	ctx := r.Context()
	today := s.Clock.Today()
	cur, err := s.evaluation().SheetOn(ctx, today)
	if err != nil {
		return nil, err
	}
	versions, err := s.evaluation().SheetVersions(ctx)
	if err != nil {
		return nil, err
	}
	d := &web.EvalSheetData{Current: cur, Versions: versions, Today: today, CanEdit: zhifa.ActorFrom(ctx).Role == zhifa.RoleCountyAdmin,
		Rows: len(cur.Items) + sheetRows, Grades: len(cur.Grades) + 1}
	if f == nil {
		f = sheetForm(cur)
		f.Values["effective_on"] = web.Date(today)
	} else {
		if n, _ := strconv.Atoi(f.Get("rows")); n > 0 && n <= 200 {
			d.Rows = n
		}
		if n, _ := strconv.Atoi(f.Get("grades")); n > 0 && n <= 10 {
			d.Grades = n
		}
	}
	d.Form = f
	return d, nil
}

func (s *Server) evaluationSheetPage(w http.ResponseWriter, r *http.Request) {
	d, err := s.evaluationSheetData(r, nil)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.EvalSheetPage(s.page(r, "案卷评查标准"), d))
}

func parsePoints(s string) (float64, bool) {
	if s = strings.TrimSpace(s); s == "" {
		return 0, true
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil && v >= 0 && v <= 100
}

// saveEvaluationSheet adds a version of the sheet from the editor's rows:
// an emptied text removes an item, a filled blank row adds one.
func (s *Server) saveEvaluationSheet(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.Error(w, r, zhifa.Errorf(zhifa.EINVALID, "表单无法读取。"))
		return
	}
	f := web.NewForm()
	for k := range r.PostForm {
		f.Values[k] = strings.TrimSpace(r.PostForm.Get(k))
	}
	show := func(f *web.Form) templ.Component {
		d, err := s.evaluationSheetData(r, f)
		if err != nil {
			s.Log.Error("evaluation sheet form", "err", err)
			return web.ErrorPage(s.page(r, "系统错误"), http.StatusInternalServerError, "页面生成失败，请稍后重试。")
		}
		return web.EvalSheetPage(s.page(r, "案卷评查标准"), d)
	}
	if err := boundedText(f.Values); err != nil {
		s.formError(w, r, err, f, show)
		return
	}
	cur, err := s.evaluation().SheetOn(r.Context(), s.Clock.Today())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	sh := &evaluation.Sheet{}
	fe := zhifa.FieldErrors{}
	rows, _ := strconv.Atoi(f.Get("rows"))
	for i := 0; i < rows && i < 200; i++ {
		n := strconv.Itoa(i)
		text := f.Get("text_" + n)
		if text == "" {
			continue // removed, or a blank row left blank
		}
		it := evaluation.Item{Code: strings.ToUpper(f.Get("code_" + n)), Tier: evaluation.Tier(f.Get("tier_" + n)),
			Category: f.Get("category_" + n), Text: text, Deduction: f.Get("deduction_" + n)}
		if !slices.Contains(evaluation.Tiers, it.Tier) {
			fe.Add("tier_"+n, "请选择类别。")
		}
		if it.Code == "" {
			fe.Add("code_"+n, "请填写编号。")
		}
		var ok bool
		if it.Points, ok = parsePoints(f.Get("points_" + n)); !ok {
			fe.Add("points_"+n, "分值应为0至100之间的数。")
		}
		if it.Step, ok = parsePoints(f.Get("step_" + n)); !ok {
			fe.Add("step_"+n, "每处扣分应为0至100之间的数。")
		}
		if it.Tier == evaluation.TierVeto {
			it.Points, it.Step = 0, 0
		}
		// The source and how it is decided stay with the item's code; a new
		// item is scored by hand unless the system can check its code.
		if old, ok := cur.Item(it.Code); ok {
			it.Basis, it.Auto = old.Basis, old.Auto
		} else if evaluation.Checkable(it.Code) {
			it.Auto = evaluation.AutoYes
		} else {
			it.Auto = evaluation.AutoNo
		}
		if it.Category == "" {
			it.Category = it.Tier.Label()
		}
		sh.Items = append(sh.Items, it)
	}
	grades, _ := strconv.Atoi(f.Get("grades"))
	for i := 0; i < grades && i < 10; i++ {
		n := strconv.Itoa(i)
		name := f.Get("grade_name_" + n)
		if name == "" {
			continue
		}
		min, ok := parsePoints(f.Get("grade_min_" + n))
		if !ok {
			fe.Add("grade_min_"+n, "最低分应为0至100之间的数。")
		}
		sh.Grades = append(sh.Grades, evaluation.Grade{Name: name, Min: min})
	}
	if len(fe) > 0 {
		f.Message = "填写的内容有误：" + firstError(fe)
		s.formError(w, r, fe, f, show)
		return
	}
	effective, err := time.ParseInLocation(time.DateOnly, f.Get("effective_on"), zhifa.Local)
	if err != nil {
		s.formError(w, r, zhifa.FieldErrors{"effective_on": "请填写生效日期（如 2025-10-01）。"}, f, show)
		return
	}
	if err := s.evaluation().SaveSheet(r.Context(), effective, sh, f.Get("note")); err != nil {
		s.formError(w, r, err, f, show)
		return
	}
	s.redirect(w, r, "/settings/evaluation-sheet", "已保存评查标准，自 "+web.Date(effective)+" 起开启的评查使用新版本。")
}

// firstError is one message of fe, for a form whose boxes are in a table.
func firstError(fe zhifa.FieldErrors) string {
	keys := make([]string, 0, len(fe))
	for k := range fe {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return fe[keys[0]]
}
