package server

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"zhifa/internal/doctype"
	"zhifa/internal/documents"
	"zhifa/internal/zhifa"
	"zhifa/web"
)

// The records made at the scene on a phone: a 现场检查（勘验）笔录 or a 询问笔录
// typed in short steps (time, place, people, what was seen or asked, a
// last look at the whole). Each step is a small form whose POST saves the
// case's draft of the kind through documents.Service.SaveDraft (the same
// draft the full form at /documents/new/{kind} edits and issues) and
// redirects to the next step, so a lost connection loses at most the step
// being typed. Only the case's handlers use it.
//
//	GET  /cases/{id}/documents/new/{kind}/steps          the start page
//	POST /cases/{id}/documents/new/{kind}/steps          start: the draft is saved at once
//	GET  /cases/{id}/documents/new/{kind}/steps/{n}      step n (?back=review from the review)
//	POST /cases/{id}/documents/new/{kind}/steps/{n}      save step n, on to the next
//	GET  /cases/{id}/documents/new/inquiry/steps/5/all   the whole Q&A text to edit
//	POST /cases/{id}/documents/new/inquiry/steps/5/all   save it
func (s *Server) sceneRoutes(r chi.Router) {
	r.Route("/documents/new/{kind}/steps", func(r chi.Router) {
		r.Use(s.sceneCtx)
		r.Get("/", s.sceneStart)
		r.Post("/", s.sceneBegin)
		r.Get("/{n}", s.sceneStep)
		r.Post("/{n}", s.saveSceneStep)
		r.Get("/{n}/all", s.sceneAllQA)
		r.Post("/{n}/all", s.saveSceneAllQA)
	})
}

// sceneFlows are the steps of each record, in order; the last is the review.
var sceneFlows = map[doctype.Kind][]web.SceneStep{
	doctype.Inspection: {
		{Key: "time", Title: "时间", Fields: []string{"start", "end"}},
		{Key: "place", Title: "地点", Fields: []string{"place"}},
		{Key: "present", Title: "在场人员", Fields: []string{"present"}},
		{Key: "record", Title: "检查情况", Fields: []string{"record"}},
		{Key: "review", Title: "核对"},
	},
	doctype.Inquiry: {
		{Key: "time", Title: "时间", Fields: []string{"start", "end"}},
		{Key: "place", Title: "地点", Fields: []string{"place"}},
		{Key: "person", Title: "被询问人", Fields: []string{"person"}},
		{Key: "questioners", Title: "询问人、记录人", Fields: []string{"questioners"}},
		{Key: "qa", Title: "问答", Fields: []string{"qa"}},
		{Key: "review", Title: "核对"},
	},
}

// sceneInputs are the boxes of each step's form.
var sceneInputs = map[string][]string{
	"time":        {"start", "end"},
	"place":       {"place"},
	"present":     {"present"},
	"record":      {"record"},
	"person":      {"p_name", "p_sex", "p_id", "p_address", "p_phone", "p_relation", "p_other"},
	"questioners": {"questioners"},
	"qa":          {"q", "a", "lines"},
}

type sceneKey struct{}

// scene is the record of the route: its kind and steps.
type scene struct {
	meta  *doctype.Meta
	steps []web.SceneStep
}

func sceneFrom(r *http.Request) *scene { return r.Context().Value(sceneKey{}).(*scene) }

// sceneCtx checks the kind and that the actor handles the case (the case
// itself is loaded by caseCtx: another town's is not found).
func (s *Server) sceneCtx(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		kind := doctype.Kind(chi.URLParam(r, "kind"))
		steps, ok := sceneFlows[kind]
		if !ok {
			s.Error(w, r, zhifa.Errorf(zhifa.ENOTFOUND, "没有这种分步填写的笔录。"))
			return
		}
		m := doctype.Of(kind)
		if err := sceneAllowed(r, m); err != nil {
			s.Error(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sceneKey{}, &scene{meta: m, steps: steps})))
	})
}

// sceneAllowed: the records are made by the officers who handle the case
// (not recused), as the steps marked Handlers on the case page.
func sceneAllowed(r *http.Request, m *doctype.Meta) error {
	a := zhifa.ActorFrom(r.Context())
	if a.Role.IsCounty() || a.TownID == 0 {
		return zhifa.Errorf(zhifa.EFORBIDDEN, "文书由镇人民政府制作和签发，县级用户只能查阅。")
	}
	if !caseFrom(r).Handles(a.UserID) {
		return zhifa.Errorf(zhifa.EFORBIDDEN, "只有本案的承办人员可以进行“分步填写%s”。", m.Title)
	}
	return nil
}

// sceneData reads the draft for step n (0: the start page).
func (s *Server) sceneData(r *http.Request, n int) (*web.SceneData, error) {
	sc := sceneFrom(r)
	c := caseFrom(r)
	doc, err := s.Docs.Draft(r.Context(), c.ID, string(sc.meta.Kind))
	if err != nil {
		return nil, err
	}
	saved, err := s.Docs.DraftSaved(r.Context(), c.ID, string(sc.meta.Kind))
	if err != nil {
		return nil, err
	}
	d := &web.SceneData{Case: c, Doc: doc, Steps: sc.steps, N: n, Saved: saved, Why: documents.Why(doc), Form: web.NewForm(),
		OldTime: map[string]string{}}
	if r.URL.Query().Get("back") == "review" || r.PostFormValue("back") == "review" {
		d.Back = "review"
	}
	if d.Step().Key == "review" {
		d.Missing = sceneMissing(d)
	}
	return d, nil
}

// sceneStepOf reads {n}: a step of the record, else not found.
func sceneStepOf(r *http.Request) (int, error) {
	n, err := strconv.Atoi(chi.URLParam(r, "n"))
	if err != nil || n < 1 || n > len(sceneFrom(r).steps) {
		return 0, zhifa.Errorf(zhifa.ENOTFOUND, "没有这一步。")
	}
	return n, nil
}

func (s *Server) scenePage(r *http.Request, d *web.SceneData) templ.Component {
	title := d.Doc.Meta.Title
	if d.N > 0 {
		title += " · " + d.Progress()
	}
	return web.ScenePage(s.page(r, title), d)
}

// errNoDraft: the draft was issued (or never started) since the page was shown.
var errNoDraft = zhifa.Errorf(zhifa.ECONFLICT, "这份笔录的草稿已不存在（可能已被签发），本步填写的内容没有保存。请回到案件的“文书”查看，或重新开始分步填写。")

// sceneStart is the start page: what the steps are, and the draft waiting.
func (s *Server) sceneStart(w http.ResponseWriter, r *http.Request) {
	d, err := s.sceneData(r, 0)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, s.scenePage(r, d))
}

// sceneBegin saves the draft at once (the defaults from the case, the
// start time now) and goes to step 1; a draft already there is kept.
func (s *Server) sceneBegin(w http.ResponseWriter, r *http.Request) {
	d, err := s.sceneData(r, 0)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if d.Why != "" {
		s.Error(w, r, zhifa.Errorf(zhifa.ECONFLICT, "%s", d.Why))
		return
	}
	if d.Saved != nil {
		s.redirect(w, r, d.Path(1), "继续填写已保存的草稿。")
		return
	}
	fields := maps.Clone(d.Doc.Fields)
	if strings.TrimSpace(fields["start"]) == "" {
		fields["start"] = sceneTimeText(s.Clock())
	}
	if err := s.Docs.SaveDraft(r.Context(), d.Case.ID, string(d.Doc.Kind), fields); err != nil {
		s.Error(w, r, err)
		return
	}
	s.redirect(w, r, d.Path(1), "草稿已创建。每填完一步都会保存到服务器。")
}

// sceneStep shows step n with the draft's words.
func (s *Server) sceneStep(w http.ResponseWriter, r *http.Request) {
	n, err := sceneStepOf(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d, err := s.sceneData(r, n)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if d.Saved == nil {
		s.redirect(w, r, d.Path(0), "这份笔录还没有草稿（或已签发），请先开始填写。")
		return
	}
	sceneValues(d, s.Clock())
	s.render(w, r, http.StatusOK, s.scenePage(r, d))
}

// sceneValues fills the step's boxes from the draft.
func sceneValues(d *web.SceneData, now time.Time) {
	f := d.Form
	doc := d.Doc
	switch d.Step().Key {
	case "time":
		for _, k := range []string{"start", "end"} {
			v := strings.TrimSpace(doc.F(k))
			if t, ok := parseSceneTime(v); ok {
				f.Values[k] = t.Format(localInput)
			} else if v != "" {
				d.OldTime[k] = v
			}
		}
		// Opened from the review with no end yet: the record ends now.
		if f.Values["end"] == "" && d.OldTime["end"] == "" && d.Back == "review" {
			f.Values["end"] = now.In(zhifa.Local).Format(localInput)
		}
	case "person":
		p := parsePerson(doc.F("person"))
		f.Values["p_name"], f.Values["p_sex"], f.Values["p_id"] = p.name, p.sex, p.id
		f.Values["p_address"], f.Values["p_phone"], f.Values["p_relation"], f.Values["p_other"] = p.address, p.phone, p.relation, p.other
	case "qa":
		f.Values["lines"] = d.QACount()
	default:
		for _, k := range d.Step().Fields {
			f.Values[k] = doc.F(k)
		}
	}
}

// Step operations.
const (
	sceneNext   = "next"    // save, on to the next step (the next question on the Q&A step)
	sceneStay   = "stay"    // save, stay on the step (a long record saved as it grows)
	sceneDone   = "done"    // the Q&A step: save what is typed, on to the review
	sceneEndNow = "end_now" // the time step: the record ends now
)

// saveSceneStep saves step n into the draft and goes on (PRG); a step that
// does not pass is shown again (422) with what was typed.
func (s *Server) saveSceneStep(w http.ResponseWriter, r *http.Request) {
	n, err := sceneStepOf(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.Error(w, r, zhifa.Errorf(zhifa.EINVALID, "表单无法读取。"))
		return
	}
	d, err := s.sceneData(r, n)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if d.Saved == nil {
		s.Error(w, r, errNoDraft)
		return
	}
	step := d.Step()
	op := r.PostForm.Get("op")
	for _, k := range sceneInputs[step.Key] {
		d.Form.Values[k] = r.PostForm.Get(k)
	}
	show := func(f *web.Form) templ.Component { d.Form = f; return s.scenePage(r, d) }

	if step.Key == "review" {
		if err := s.Docs.SaveDraft(r.Context(), d.Case.ID, string(d.Doc.Kind), maps.Clone(d.Doc.Fields)); err != nil {
			s.Error(w, r, err)
			return
		}
		s.redirect(w, r, casePath(d.Case.ID)+"#documents", "《"+d.Doc.Meta.Title+"》草稿已保存，可在“文书”中继续填写或签发。")
		return
	}

	changes, repeated, err := sceneChanges(step.Key, d, op, s.Clock())
	if err != nil {
		s.formError(w, r, err, d.Form, show)
		return
	}
	if !repeated && changes != nil {
		fields := maps.Clone(d.Doc.Fields)
		for k, v := range changes {
			fields[k] = v
		}
		if err := s.Docs.SaveDraft(r.Context(), d.Case.ID, string(d.Doc.Kind), fields); err != nil {
			s.formError(w, r, sceneFieldErrors(err, d), d.Form, show)
			return
		}
	}
	to, flash := d.Path(n+1), "“"+step.Title+"”已保存。"
	switch {
	case step.Key == "qa" && op == sceneDone:
		to = d.Path(len(d.Steps))
		if changes == nil {
			flash = ""
		}
	case step.Key == "qa":
		to, flash = d.Path(n)+"#q", "已保存第"+strconv.Itoa(questions(changes, d))+"问。"
	case op == sceneStay:
		to = d.Path(n)
	case d.Back == "review":
		to = d.Path(len(d.Steps))
	}
	s.redirect(w, r, to, flash)
}

// questions counts the questions of the Q&A as saved now.
func questions(changes map[string]string, d *web.SceneData) int {
	qa := d.Doc.F("qa")
	if v, ok := changes["qa"]; ok {
		qa = v
	}
	n := 0
	for _, l := range documents.Paragraphs(qa) {
		if strings.HasPrefix(l, "问：") {
			n++
		}
	}
	return n
}

// sceneFieldErrors moves the draft's refusal of a whole field (too long)
// to the top of a step whose boxes are parts of it.
func sceneFieldErrors(err error, d *web.SceneData) error {
	fe, ok := err.(zhifa.FieldErrors)
	if !ok {
		return err
	}
	inputs := sceneInputs[d.Step().Key]
	out := zhifa.FieldErrors{}
	var whole []string
	for k, msg := range fe {
		if slices.Contains(inputs, k) {
			out[k] = msg
		} else {
			whole = append(whole, "“"+d.Label(k)+"”"+msg)
		}
	}
	if len(whole) > 0 {
		slices.Sort(whole)
		return zhifa.Errorf(zhifa.EINVALID, "%s", strings.Join(whole, " "))
	}
	return out
}

// sceneChanges checks what step key's form says and turns it into the
// document's fields. repeated is a Q&A already appended by the same post
// (sent again after a lost answer); changes is nil when nothing is to save.
func sceneChanges(key string, d *web.SceneData, op string, now time.Time) (changes map[string]string, repeated bool, err error) {
	v := d.Form.Values
	fe := zhifa.FieldErrors{}
	text := func(name string) string { return strings.TrimSpace(v[name]) }
	switch key {
	case "time":
		if op == sceneEndNow { // 结束时间记为现在
			v["end"] = now.In(zhifa.Local).Format(localInput)
		}
		start, sok := parseLocalInput(text("start"))
		end, eok := parseLocalInput(text("end"))
		fe.Check(text("start") != "", "start", "请填写开始时间。")
		fe.Check(sok || text("start") == "", "start", "开始时间的格式不正确，请重新选择日期和时间。")
		fe.Check(eok || text("end") == "", "end", "结束时间的格式不正确，请重新选择日期和时间。")
		if sok && eok && end.Before(start) {
			fe.Add("end", "结束时间不能早于开始时间（"+sceneTimeText(start)+"）。")
		}
		// A record is made at the scene: not on a day before the case was
		// discovered, nor on a day still to come (no backdating or guessing).
		day := func(t time.Time) string { return t.In(zhifa.Local).Format(time.DateOnly) }
		for name, t := range map[string]time.Time{"start": start, "end": end} {
			if (name == "start" && !sok) || (name == "end" && !eok) {
				continue
			}
			fe.Check(day(t) <= day(now), name, "笔录时间不能晚于今天。")
			if d.Case != nil {
				found := d.Case.DiscoveredOn
				fe.Check(day(t) >= found.Format(time.DateOnly), name, "笔录时间不能早于发现案件线索的日期（"+found.Format("2006年1月2日")+"）。")
			}
		}
		if err := fe.Err(); err != nil {
			return nil, false, err
		}
		changes = map[string]string{"start": sceneTimeText(start), "end": ""}
		if eok {
			changes["end"] = sceneTimeText(end)
		}
	case "place":
		fe.Check(text("place") != "", "place", "请填写地点。")
		fe.Check(utf8.RuneCountInString(text("place")) <= web.DocumentMax, "place", fmt.Sprintf("地点不能超过%d个字。", web.DocumentMax))
		changes = map[string]string{"place": text("place")}
	case "present":
		fe.Check(text("present") != "", "present", "请写明当事人或见证人是否在场，如“当事人刘某在场”。")
		changes = map[string]string{"present": text("present")}
	case "record":
		fe.Check(text("record") != "", "record", "请填写检查（勘验）情况。")
		changes = map[string]string{"record": strings.ReplaceAll(strings.TrimSpace(v["record"]), "\r\n", "\n")}
	case "questioners":
		fe.Check(text("questioners") != "", "questioners", "请填写询问人、记录人及其执法证号。")
		changes = map[string]string{"questioners": text("questioners")}
	case "person":
		p := person{name: text("p_name"), sex: text("p_sex"), id: strings.ToUpper(text("p_id")), address: text("p_address"),
			phone: text("p_phone"), relation: text("p_relation"), other: strings.TrimSpace(strings.ReplaceAll(v["p_other"], "\r\n", "\n"))}
		p.check(fe)
		changes = map[string]string{"person": p.text()}
	case "qa":
		return qaChanges(d, op)
	}
	if err := fe.Err(); err != nil {
		return nil, false, err
	}
	return changes, false, nil
}

// qaChanges appends the question and its answer to the Q&A. The form
// carries how many lines it showed: when the Q&A has grown since and ends
// with this very pair, the post was sent again (the answer to the first
// was lost on the way) and nothing is added twice.
func qaChanges(d *web.SceneData, op string) (map[string]string, bool, error) {
	q, a := qaText(d.Form.Values["q"], "问："), qaText(d.Form.Values["a"], "答：")
	if op == sceneDone && q == "" && a == "" {
		return nil, false, nil // nothing typed: on to the review
	}
	fe := zhifa.FieldErrors{}
	fe.Check(q != "" || a != "", "q", "请填写问题和回答。")
	fe.Check(q != "" || a == "", "q", "请填写问题。")
	fe.Check(a != "" || q == "", "a", "请填写被询问人的回答；拒绝回答的，写明“拒绝回答”。")
	fe.Check(utf8.RuneCountInString(q) <= web.SceneQAMax, "q", fmt.Sprintf("一个问题不超过%d个字，可分成几问。", web.SceneQAMax))
	fe.Check(utf8.RuneCountInString(a) <= web.SceneQAMax, "a", fmt.Sprintf("一个回答不超过%d个字，可分成几次记录。", web.SceneQAMax))
	if err := fe.Err(); err != nil {
		return nil, false, err
	}
	lines := documents.Paragraphs(d.Doc.F("qa"))
	pair := []string{"问：" + q, "答：" + a}
	shown, _ := strconv.Atoi(d.Form.Values["lines"])
	if len(lines) != shown && len(lines) >= 2 && slices.Equal(lines[len(lines)-2:], pair) {
		return map[string]string{}, true, nil
	}
	qa := strings.Join(append(lines, pair...), "\n")
	return map[string]string{"qa": qa}, false, nil
}

// qaText is one question or answer on one line, without the 问：/答： the
// officer may have typed.
func qaText(s, prefix string) string {
	var b strings.Builder
	for _, l := range documents.Paragraphs(s) {
		// Lines typed apart are joined: without a space after Chinese.
		if last, _ := utf8.DecodeLastRuneInString(b.String()); b.Len() > 0 && last < utf8.RuneSelf {
			b.WriteByte(' ')
		}
		b.WriteString(strings.Join(strings.Fields(l), " "))
	}
	s = b.String()
	s = strings.TrimPrefix(s, prefix)
	s = strings.TrimPrefix(s, strings.TrimSuffix(prefix, "：")+":")
	return strings.TrimSpace(s)
}

// sceneAllQA is the whole Q&A to edit as one text.
func (s *Server) sceneAllQA(w http.ResponseWriter, r *http.Request) {
	d, err := s.sceneQAData(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d.Form.Values["qa"] = d.Doc.F("qa")
	s.render(w, r, http.StatusOK, s.scenePage(r, d))
}

func (s *Server) sceneQAData(r *http.Request) (*web.SceneData, error) {
	n, err := sceneStepOf(r)
	if err != nil {
		return nil, err
	}
	d, err := s.sceneData(r, n)
	if err != nil {
		return nil, err
	}
	if d.Step().Key != "qa" {
		return nil, zhifa.Errorf(zhifa.ENOTFOUND, "没有这一步。")
	}
	if d.Saved == nil {
		return nil, errNoDraft
	}
	d.AllQA = true
	return d, nil
}

// saveSceneAllQA saves the whole Q&A: every line a 问： or an 答：.
func (s *Server) saveSceneAllQA(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.Error(w, r, zhifa.Errorf(zhifa.EINVALID, "表单无法读取。"))
		return
	}
	d, err := s.sceneQAData(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	qa := strings.ReplaceAll(r.PostForm.Get("qa"), "\r\n", "\n")
	d.Form.Values["qa"] = qa
	show := func(f *web.Form) templ.Component { d.Form = f; return s.scenePage(r, d) }
	lines := documents.Paragraphs(qa)
	for i, l := range lines {
		if !strings.HasPrefix(l, "问：") && !strings.HasPrefix(l, "答：") {
			s.formError(w, r, zhifa.FieldErrors{"qa": fmt.Sprintf("第%d行“%s”没有以“问：”或“答：”开头；每一问、每一答各占一行。", i+1, clip(l, 20))}, d.Form, show)
			return
		}
	}
	fields := maps.Clone(d.Doc.Fields)
	fields["qa"] = strings.Join(lines, "\n")
	if err := s.Docs.SaveDraft(r.Context(), d.Case.ID, string(d.Doc.Kind), fields); err != nil {
		s.formError(w, r, err, d.Form, show)
		return
	}
	s.redirect(w, r, d.Path(d.N), "问答已保存。")
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "……"
	}
	return s
}

// sceneMissing are the required fields still empty, for the review.
func sceneMissing(d *web.SceneData) []web.SceneMissing {
	var out []web.SceneMissing
	for i, st := range d.Steps {
		for _, k := range st.Fields {
			if f := d.Doc.Meta.Field(k); f != nil && f.Required && strings.TrimSpace(d.Doc.F(k)) == "" {
				out = append(out, web.SceneMissing{Label: f.Label, N: i + 1})
			}
		}
	}
	return out
}

// Times: the boxes are the browser's date and time picker
// (datetime-local); the record says 2025年9月1日9时30分.
const localInput = "2006-01-02T15:04"

var sceneTimeRE = regexp.MustCompile(`^(\d{4})年(\d{1,2})月(\d{1,2})日(\d{1,2})时(?:(\d{1,2})分)?$`)

func sceneTimeText(t time.Time) string {
	t = t.In(zhifa.Local)
	return fmt.Sprintf("%d年%d月%d日%d时%02d分", t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute())
}

// parseSceneTime reads a time the record says.
func parseSceneTime(s string) (time.Time, bool) {
	m := sceneTimeRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return time.Time{}, false
	}
	n := make([]int, 6)
	for i := 1; i <= 5; i++ {
		n[i], _ = strconv.Atoi(m[i])
	}
	if n[2] < 1 || n[2] > 12 || n[3] < 1 || n[3] > 31 || n[4] > 23 || n[5] > 59 {
		return time.Time{}, false
	}
	t := time.Date(n[1], time.Month(n[2]), n[3], n[4], n[5], 0, 0, zhifa.Local)
	if t.Day() != n[3] {
		return time.Time{}, false // 2月30日
	}
	return t, true
}

// parseLocalInput reads a datetime-local box (with or without seconds).
func parseLocalInput(s string) (time.Time, bool) {
	for _, layout := range []string{localInput, "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, zhifa.Local); err == nil && t.Year() >= 2000 && t.Year() <= 2099 {
			return t, true
		}
	}
	return time.Time{}, false
}

// person is the 被询问人 block, typed in separate boxes on a phone and kept
// as the document's one field, a line each:
//
//	刘某，男，1970年1月1日出生
//	身份证件号码：610924197001011234
//	住址：毛坝镇干沙村三组
//	联系电话：13800001234
//	（other lines as typed）
//	与本案关系：当事人
type person struct {
	name, sex, id, address, phone, relation, other string
}

var (
	residentIDRE = regexp.MustCompile(`^\d{17}[\dX]$`)
	digitsRE     = regexp.MustCompile(`^[0-9X]+$`)
	phoneRE      = regexp.MustCompile(`^[0-9+\-() ]{5,30}$`)
	bornRE       = regexp.MustCompile(`^\d{4}年\d{1,2}月\d{1,2}日出生$`)
)

// parsePerson reads the block back into its boxes; a line it does not
// know stays in other, so nothing typed elsewhere is lost.
func parsePerson(s string) person {
	var p person
	var other []string
	named := false
	for _, l := range documents.Paragraphs(s) {
		label, value, labelled := strings.Cut(l, "：")
		value = strings.TrimSpace(value)
		switch {
		case labelled && slices.Contains([]string{"身份证件号码", "身份证号码", "公民身份号码", "统一社会信用代码"}, label) && p.id == "":
			p.id = value
		case labelled && slices.Contains([]string{"住址", "住所", "住所（经营场所）"}, label) && p.address == "":
			p.address = value
		case labelled && slices.Contains([]string{"联系电话", "电话"}, label) && p.phone == "":
			p.phone = value
		case labelled && label == "与本案关系" && p.relation == "":
			p.relation = value
		case labelled && label == "性别" && p.sex == "":
			p.sex = value
		case !named && (!labelled || slices.Contains([]string{"姓名", "当事人", "被询问人", "当事人名称"}, label)):
			if labelled {
				l = value
			}
			named = true
			parts := strings.Split(l, "，")
			p.name = strings.TrimSpace(parts[0])
			for _, x := range parts[1:] {
				switch x = strings.TrimSpace(x); {
				case (x == "男" || x == "女") && p.sex == "":
					p.sex = x
				case bornRE.MatchString(x): // said again from the ID number
				default:
					other = append(other, x)
				}
			}
		default:
			other = append(other, l)
		}
	}
	p.other = strings.Join(other, "\n")
	return p
}

// text is the block as the document keeps it.
func (p person) text() string {
	first := p.name
	if p.sex != "" {
		first += "，" + p.sex
	}
	if born, ok := birthOf(p.id); ok {
		first += "，" + documents.DateCN(born) + "出生"
	}
	lines := []string{first}
	add := func(label, v string) {
		if v != "" {
			lines = append(lines, label+v)
		}
	}
	add("身份证件号码：", p.id)
	add("住址：", p.address)
	add("联系电话：", p.phone)
	lines = append(lines, documents.Paragraphs(p.other)...)
	add("与本案关系：", p.relation)
	return strings.Join(lines, "\n")
}

// birthOf reads the birth date from an 18-digit resident ID.
func birthOf(id string) (time.Time, bool) {
	if !residentIDRE.MatchString(id) {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation("20060102", id[6:14], zhifa.Local)
	return t, err == nil
}

func (p person) check(fe zhifa.FieldErrors) {
	bound := func(name, v, what string, n int) {
		fe.Check(utf8.RuneCountInString(v) <= n, name, fmt.Sprintf("%s不能超过%d个字。", what, n))
	}
	fe.Check(p.name != "", "p_name", "请填写被询问人的姓名。")
	bound("p_name", p.name, "姓名", web.SceneNameMax)
	fe.Check(p.sex == "" || p.sex == "男" || p.sex == "女", "p_sex", "请选择男或女。")
	if digitsRE.MatchString(p.id) {
		_, born := birthOf(p.id)
		fe.Check(born || len(p.id) == 15, "p_id", "居民身份证号码应为18位（最后一位可以是X）；其他证件请写明证件名称，如“护照E12345678”。")
	}
	bound("p_id", p.id, "证件号码", web.SceneIDMax)
	fe.Check(p.phone == "" || phoneRE.MatchString(p.phone), "p_phone", "联系电话只能填写数字（可含“-”），如13800001234或0915-1234567。")
	bound("p_address", p.address, "住址", web.SceneAddressMax)
	fe.Check(p.relation != "", "p_relation", "请填写被询问人与本案的关系，如当事人、证人。")
	bound("p_relation", p.relation, "与本案关系", web.SceneRelationMax)
	bound("p_other", p.other, "其他情况", web.SceneOtherMax)
}
