package server

import (
	"net/http"

	"github.com/a-h/templ"

	"zhifa/internal/zhifa"
	"zhifa/web"
)

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	if zhifa.ActorFrom(r.Context()) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	f := web.NewForm()
	if next := r.URL.Query().Get("next"); safeNext(next) == next {
		f.Values["next"] = next
	}
	p := s.page(r, "登录")
	if r.URL.Query().Get("expired") != "" && s.hasKeptForm(r) {
		f.Message = ""
		p.Notice = "登录已超时，您填写的内容已保留。请重新登录，登录后回到原页面，内容会自动填回表单，核对后再提交。"
	}
	// What is left of a session after logout (its farewell flash, now
	// shown) is deleted: an anonymous visitor keeps no session row.
	ctx := r.Context()
	if s.Sessions.Token(ctx) != "" && len(s.Sessions.Keys(ctx)) == 0 {
		if err := s.Sessions.Destroy(ctx); err != nil {
			s.Error(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, web.LoginPage(p, f))
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	username, password := r.PostFormValue("username"), r.PostFormValue("password")
	f := web.NewForm()
	f.Values["username"] = username // the password is never echoed back
	f.Values["next"] = r.PostFormValue("next")

	fe := zhifa.FieldErrors{}
	fe.Check(username != "", "username", "请填写登录名。")
	fe.Check(password != "", "password", "请填写密码。")
	err := fe.Err()
	var a *zhifa.Actor
	if err == nil {
		a, err = s.Accounts.Authenticate(r.Context(), username, password, clientAddress(r))
	}
	if err != nil {
		if zhifa.ErrorCode(err) == zhifa.EUNAUTHORIZED || zhifa.ErrorCode(err) == zhifa.ETHROTTLED {
			s.Log.Warn("login failed", "username", username, "remote", clientAddress(r), "reason", zhifa.ErrorCode(err))
		}
		s.formError(w, r, err, f, func(f *web.Form) templ.Component { return web.LoginPage(s.page(r, "登录"), f) })
		return
	}
	// The session is created here, not when the form was shown (its token
	// was signed from a cookie, see csrfToken). A new token on login
	// defeats session fixation; a new CSRF token too.
	if err := s.Sessions.RenewToken(r.Context()); err != nil {
		s.Error(w, r, err)
		return
	}
	// The new token is listed as this user's (user_sessions), so that a
	// password change or deactivation can end it.
	if err := s.Accounts.StartSession(r.Context(), a.UserID, s.Sessions.Token(r.Context())); err != nil {
		s.Error(w, r, err)
		return
	}
	s.Sessions.Put(r.Context(), "user_id", a.UserID)
	s.Sessions.Remove(r.Context(), "csrf")
	s.setWho(w, a.UserID)
	s.Log.Info("login", "user", a.Username, "remote", clientAddress(r))
	s.redirect(w, r, safeNext(r.PostFormValue("next")), "欢迎，"+a.DisplayName+"。")
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if s.Sessions.GetInt64(r.Context(), "user_id") == 0 {
		// Nobody to log out: store nothing (no session for a flash).
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	if err := s.Accounts.EndSession(r.Context(), s.Sessions.Token(r.Context())); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.Sessions.RenewToken(r.Context()); err != nil {
		s.Error(w, r, err)
		return
	}
	s.Sessions.Remove(r.Context(), "user_id")
	s.Sessions.Remove(r.Context(), "csrf")
	s.redirect(w, r, "/login", "您已安全退出。")
}

func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, web.PasswordPage(s.page(r, "修改密码"), web.NewForm()))
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	// Every other session of this user ends with the change (in its
	// transaction); this one stays, under a fresh token.
	old := s.Sessions.Token(r.Context())
	err := s.Accounts.ChangePassword(r.Context(), old, r.PostFormValue("current"), r.PostFormValue("new"), r.PostFormValue("confirm"))
	if err != nil {
		s.formError(w, r, err, web.NewForm(), func(f *web.Form) templ.Component { return web.PasswordPage(s.page(r, "修改密码"), f) })
		return
	}
	if err := s.Sessions.RenewToken(r.Context()); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.Accounts.RenewSession(r.Context(), old, s.Sessions.Token(r.Context())); err != nil {
		s.Error(w, r, err)
		return
	}
	s.redirect(w, r, "/", "密码已修改。")
}
