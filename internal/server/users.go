package server

import (
	"net/http"
	"strconv"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"zhifa/internal/account"
	"zhifa/internal/zhifa"
	"zhifa/web"
)

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := account.Filter{TownCode: q.Get("town"), Role: zhifa.Role(q.Get("role"))}
	users, err := s.Accounts.List(r.Context(), f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	towns, err := s.Towns.List(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.UsersPage(s.page(r, "用户管理"), &web.UsersData{Users: users, Towns: towns, Filter: f}))
}

// userFormPage is the create (id 0) or edit form, as a function of its
// form so a failed POST can show it again with the entries.
func (s *Server) userFormPage(r *http.Request, id int64) func(*web.Form) templ.Component {
	return func(f *web.Form) templ.Component {
		towns, err := s.Towns.List(r.Context())
		if err != nil {
			s.Log.Error("list towns", "err", err)
		}
		title := "新建用户"
		if id != 0 {
			title = "编辑用户"
		}
		return web.UserFormPage(s.page(r, title), &web.UserFormData{ID: id, Form: f, Towns: towns, Roles: zhifa.Roles})
	}
}

func userInput(r *http.Request) (account.UserInput, *web.Form) {
	in := account.UserInput{
		Username: r.PostFormValue("username"), DisplayName: r.PostFormValue("display_name"),
		Phone: r.PostFormValue("phone"), Role: zhifa.Role(r.PostFormValue("role")),
		TownCode: r.PostFormValue("town"), Password: r.PostFormValue("password"),
		Active:               r.PostFormValue("active") == "1",
		LegalQualificationNo: r.PostFormValue("legal_qualification_no"),
	}
	f := web.NewForm()
	f.Values = map[string]string{"username": in.Username, "display_name": in.DisplayName, "phone": in.Phone,
		"role": string(in.Role), "town": in.TownCode, "active": r.PostFormValue("active"),
		"legal_qualification_no": in.LegalQualificationNo}
	return in, f
}

func (s *Server) newUserForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, s.userFormPage(r, 0)(web.NewForm()))
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	in, f := userInput(r)
	id, err := s.Accounts.Create(r.Context(), in)
	if err != nil {
		s.formError(w, r, err, f, s.userFormPage(r, 0))
		return
	}
	to := "/admin/users"
	msg := "已创建用户 " + in.Username + "。"
	if in.Role.HoldsCertificate() {
		to = "/officers/" + strconv.FormatInt(id, 10) + "/certificate"
		msg += "请登记其执法证。"
	}
	s.redirect(w, r, to, msg)
}

func (s *Server) loadUser(w http.ResponseWriter, r *http.Request) (*account.User, bool) {
	id, err := strconv.ParseInt(chi.URLParam(r, "userID"), 10, 64)
	if err != nil || id <= 0 {
		s.Error(w, r, zhifa.Errorf(zhifa.ENOTFOUND, "没有找到该用户。"))
		return nil, false
	}
	u, err := s.Accounts.Get(r.Context(), id)
	if err != nil {
		s.Error(w, r, err)
		return nil, false
	}
	return u, true
}

func (s *Server) editUserForm(w http.ResponseWriter, r *http.Request) {
	u, ok := s.loadUser(w, r)
	if !ok {
		return
	}
	f := web.NewForm()
	f.Values = map[string]string{"username": u.Username, "display_name": u.DisplayName, "phone": u.Phone, "role": string(u.Role),
		"legal_qualification_no": u.LegalQualificationNo}
	if u.TownCode != nil {
		f.Values["town"] = *u.TownCode
	}
	if u.Active {
		f.Values["active"] = "1"
	}
	s.render(w, r, http.StatusOK, s.userFormPage(r, u.ID)(f))
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) {
	u, ok := s.loadUser(w, r)
	if !ok {
		return
	}
	in, f := userInput(r)
	f.Values["username"] = u.Username
	if err := s.Accounts.Update(r.Context(), u.ID, in); err != nil {
		s.formError(w, r, err, f, s.userFormPage(r, u.ID))
		return
	}
	s.redirect(w, r, "/admin/users", "已保存用户 "+u.Username+"。")
}
