package server

import (
	"net/http"
	"strconv"

	"github.com/a-h/templ"

	"zhifa/internal/officer"
	"zhifa/internal/zhifa"
	"zhifa/web"
)

type officerKey struct{}

// officerCtx loads /officers/{userID}; an officer outside the actor's town
// is simply not found (404), the same as one that does not exist.
func (s *Server) officerCtx(next http.Handler) http.Handler {
	return loader(s, "userID", "没有找到该执法人员。", officerKey{}, func(r *http.Request, id int64) (*officer.Officer, error) {
		return s.Officers.Get(r.Context(), id)
	})(next)
}

func officerFrom(r *http.Request) *officer.Officer {
	return r.Context().Value(officerKey{}).(*officer.Officer)
}

func (s *Server) listOfficers(w http.ResponseWriter, r *http.Request) {
	a := zhifa.ActorFrom(r.Context())
	q := r.URL.Query()
	f := officer.Filter{Status: officer.CertStatus(q.Get("status"))}
	d := &web.OfficersData{Today: s.Clock.Today(), County: a.Role.IsCounty(), Title: a.TownName + "执法人员"}
	if d.County {
		f.TownCode = q.Get("town")
		towns, err := s.Towns.List(r.Context())
		if err != nil {
			s.Error(w, r, err)
			return
		}
		d.Towns = towns
		d.Title = "各镇执法人员"
		for _, t := range towns {
			if t.Code == f.TownCode {
				d.Title = t.Name + "执法人员"
			}
		}
	}
	officers, err := s.Officers.List(r.Context(), f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d.Officers, d.Filter = officers, f
	s.render(w, r, http.StatusOK, web.OfficersPage(s.page(r, d.Title), d))
}

func (s *Server) showOfficer(w http.ResponseWriter, r *http.Request) {
	o := officerFrom(r)
	d := &web.OfficerData{Officer: o, CanEdit: officer.CanEdit(zhifa.ActorFrom(r.Context()), o.TownID), Training: s.trainingOf(r, o)}
	s.render(w, r, http.StatusOK, web.OfficerPage(s.page(r, o.DisplayName), d))
}

func (s *Server) certificateForm(w http.ResponseWriter, r *http.Request) {
	o := officerFrom(r)
	if !officer.CanEdit(zhifa.ActorFrom(r.Context()), o.TownID) {
		s.Error(w, r, zhifa.Errorf(zhifa.EFORBIDDEN, "只有县级管理员或本镇队长可以登记执法证。"))
		return
	}
	f := web.NewForm()
	if c := o.Certificate; c != nil {
		f.Values = map[string]string{"number": c.Number, "issuer": c.Issuer,
			"valid_from": web.Date(c.ValidFrom), "valid_until": web.Date(c.ValidUntil)}
	} else {
		f.Values["issuer"] = "紫阳县人民政府"
	}
	s.render(w, r, http.StatusOK, web.CertificatePage(s.page(r, "登记执法证"), o, f, s.trainingOf(r, o)))
}

func (s *Server) saveCertificate(w http.ResponseWriter, r *http.Request) {
	o := officerFrom(r)
	in := officer.CertificateInput{
		Number: r.PostFormValue("number"), Issuer: r.PostFormValue("issuer"),
		ValidFrom: r.PostFormValue("valid_from"), ValidUntil: r.PostFormValue("valid_until"),
	}
	if err := s.Officers.SaveCertificate(r.Context(), o.UserID, in); err != nil {
		f := web.NewForm()
		f.Values = map[string]string{"number": in.Number, "issuer": in.Issuer, "valid_from": in.ValidFrom, "valid_until": in.ValidUntil}
		s.formError(w, r, err, f, func(f *web.Form) templ.Component {
			return web.CertificatePage(s.page(r, "登记执法证"), o, f, s.trainingOf(r, o))
		})
		return
	}
	s.redirect(w, r, "/officers/"+strconv.FormatInt(o.UserID, 10), "执法证已保存。")
}
