package server

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"zhifa/internal/documents"
	"zhifa/internal/zhifa"
	"zhifa/web"
)

// documentSettingsForm is the county's wording as form values.
func documentSettingsForm(v documents.Settings, towns []web.TownCode) *web.Form {
	f := web.NewForm()
	for k, val := range map[string]string{"bank": v.Bank, "account_name": v.AccountName, "account": v.Account,
		"reconsideration_body": v.ReconsiderationBody, "reconsideration_days": strconv.Itoa(v.ReconsiderationDays), "court": v.Court,
		"litigation_months": strconv.Itoa(v.LitigationMonths), "seal_text": v.SealText, "silence_phrase": v.SilencePhrase,
		"no_suspend_phrase": v.NoSuspendPhrase, "contact": v.Contact, "retention_general": v.RetentionGeneral,
		"retention_summary": v.RetentionSummary} {
		f.Values[k] = val
	}
	if v.ChineseDates {
		f.Values["chinese_dates"] = "1"
	}
	for _, t := range towns {
		f.Values["code_"+t.Code] = t.Prefix
	}
	return f
}

func (s *Server) documentSettingsData(r *http.Request, f *web.Form) (*web.DocSettingsData, error) {
	ctx := r.Context()
	today := s.Clock.Today()
	cur, err := s.Docs.SettingsOn(ctx, today)
	if err != nil {
		return nil, err
	}
	versions, err := s.Docs.SettingsVersions(ctx)
	if err != nil {
		return nil, err
	}
	list, err := s.Towns.List(ctx)
	if err != nil {
		return nil, err
	}
	d := &web.DocSettingsData{Versions: versions, Today: today,
		CanEdit: zhifa.ActorFrom(ctx).Role == zhifa.RoleCountyAdmin}
	for _, t := range list {
		d.Towns = append(d.Towns, web.TownCode{Code: t.Code, Name: t.Name, Prefix: cur.TownCode(t.Code, t.ShortName)})
	}
	if f == nil {
		f = documentSettingsForm(cur, d.Towns)
		f.Values["effective_on"] = web.Date(today)
	}
	d.Form = f
	return d, nil
}

func (s *Server) documentSettingsPage(w http.ResponseWriter, r *http.Request) {
	d, err := s.documentSettingsData(r, nil)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.DocSettingsPage(s.page(r, "文书设置"), d))
}

// saveDocumentSettings adds a version of the wording; documents already
// issued keep theirs.
func (s *Server) saveDocumentSettings(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.Error(w, r, zhifa.Errorf(zhifa.EINVALID, "表单无法读取。"))
		return
	}
	f := web.NewForm()
	for k := range r.PostForm {
		f.Values[k] = strings.TrimSpace(r.PostForm.Get(k))
	}
	if err := boundedText(f.Values); err != nil {
		s.formError(w, r, err, f, s.docSettingsShow(r))
		return
	}
	v := documents.Settings{TownCodes: map[string]string{}, Bank: f.Get("bank"), AccountName: f.Get("account_name"),
		Account: f.Get("account"), ReconsiderationBody: f.Get("reconsideration_body"), Court: f.Get("court"),
		SealText: f.Get("seal_text"), ChineseDates: f.Get("chinese_dates") != "", SilencePhrase: f.Get("silence_phrase"),
		NoSuspendPhrase: f.Get("no_suspend_phrase"), Contact: f.Get("contact"), RetentionGeneral: f.Get("retention_general"),
		RetentionSummary: f.Get("retention_summary")}
	v.ReconsiderationDays, _ = strconv.Atoi(f.Get("reconsideration_days"))
	v.LitigationMonths, _ = strconv.Atoi(f.Get("litigation_months"))
	towns, err := s.Towns.List(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	for _, t := range towns {
		if c := f.Get("code_" + t.Code); c != "" {
			v.TownCodes[t.Code] = c
		}
	}
	effective, err := time.ParseInLocation(time.DateOnly, f.Get("effective_on"), zhifa.Local)
	if err != nil {
		s.formError(w, r, zhifa.FieldErrors{"effective_on": "请填写生效日期（如 2025-10-01）。"}, f, s.docSettingsShow(r))
		return
	}
	if err := s.Docs.SaveSettings(r.Context(), effective, v, f.Get("note")); err != nil {
		s.formError(w, r, err, f, s.docSettingsShow(r))
		return
	}
	s.redirect(w, r, "/settings/documents", "已保存文书设置，自 "+web.Date(effective)+" 起签发的文书使用新设置。")
}

func (s *Server) docSettingsShow(r *http.Request) func(*web.Form) templ.Component {
	return func(f *web.Form) templ.Component {
		d, err := s.documentSettingsData(r, f)
		if err != nil {
			s.Log.Error("document settings form", "err", err)
			d = &web.DocSettingsData{Form: f}
		}
		return web.DocSettingsPage(s.page(r, "文书设置"), d)
	}
}
