// Package account owns users, their passwords and roles, and login with
// throttling of repeated failures.
package account

import (
	"context"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"zhifa/internal/database"
	"zhifa/internal/refcache"
	"zhifa/internal/zhifa"
)

// User is an account as the administrator sees it.
type User struct {
	ID          int64      `db:"id"`
	Username    string     `db:"username"`
	DisplayName string     `db:"display_name"`
	Phone       string     `db:"phone"`
	Role        zhifa.Role `db:"role"`
	TownID      *int64     `db:"town_id"`
	TownCode    *string    `db:"town_code"`
	TownName    *string    `db:"town_name"`
	Active      bool       `db:"active"`
	CreatedAt   time.Time  `db:"created_at"`
	// LegalQualificationNo is the 法律职业资格证书编号 of a reviewer ("" when
	// none is on record or the role is not a reviewer).
	LegalQualificationNo string `db:"legal_qualification_no"`
}

// TownLabel is the user's town, or the county bureau for county roles.
func (u *User) TownLabel() string {
	if u.TownName != nil {
		return *u.TownName
	}
	return "紫阳县司法局"
}

// Throttle limits failed logins within Window per account and per address.
type Throttle struct {
	Window     time.Duration
	PerAccount int
	PerAddress int
}

// DefaultThrottle: 5 wrong passwords for one account, or 20 from one address,
// within 15 minutes lock further attempts until the window passes.
var DefaultThrottle = Throttle{Window: 15 * time.Minute, PerAccount: 5, PerAddress: 20}

// Service manages accounts.
type Service struct {
	DB       *database.DB
	Hasher   *Hasher
	Clock    zhifa.Clock
	Throttle Throttle
	Ref      *refcache.Cache // dropped after a user is added or changed (the officer list); may be nil
	// LoginCheck, when set, may refuse a login whose password was right
	// (EUNAUTHORIZED, with its reason): a 执法监督员 outside their term.
	LoginCheck func(ctx context.Context, a *zhifa.Actor) error
}

// New returns a service with the default throttle.
func New(db *database.DB, hasher *Hasher, clock zhifa.Clock) *Service {
	return &Service{DB: db, Hasher: hasher, Clock: clock, Throttle: DefaultThrottle}
}

// UserInput is what the administrator enters for a user.
type UserInput struct {
	Username    string
	DisplayName string
	Phone       string
	Role        zhifa.Role
	TownCode    string
	Password    string // required on create; on edit, blank keeps the old one
	Active      bool
	// LegalQualificationNo is the reviewer's 法律职业资格证书编号 (optional;
	// kept only for the reviewer roles).
	LegalQualificationNo string
}

var (
	usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,39}$`)
	phoneRE    = regexp.MustCompile(`^[0-9-]{7,20}$`)
	// LegalQualificationRE is the form of a 法律职业资格证书编号: 1 to 40
	// digits or Latin letters (e.g. A20151234567890).
	LegalQualificationRE = regexp.MustCompile(`^[0-9A-Za-z]{1,40}$`)
)

// Normalize trims what the form sent.
func (in *UserInput) Normalize() {
	in.Username = strings.ToLower(strings.TrimSpace(in.Username))
	in.DisplayName = strings.TrimSpace(in.DisplayName)
	in.Phone = strings.TrimSpace(in.Phone)
	in.TownCode = strings.TrimSpace(in.TownCode)
	in.LegalQualificationNo = strings.TrimSpace(in.LegalQualificationNo)
	if in.Role.Valid() && !in.Role.IsReviewer() {
		in.LegalQualificationNo = "" // only reviewers record one
	}
}

// Validate checks the input; creating requires a password.
func (in *UserInput) Validate(creating bool) error {
	fe := zhifa.FieldErrors{}
	if creating {
		fe.Check(in.Username != "", "username", "请填写登录名。")
		fe.Check(in.Username == "" || usernameRE.MatchString(in.Username), "username", "登录名为3至40位小写字母、数字或 . _ -，以字母或数字开头。")
	}
	fe.Check(in.DisplayName != "", "display_name", "请填写姓名。")
	fe.Check(utf8.RuneCountInString(in.DisplayName) <= 40, "display_name", "姓名不能超过40个字。")
	fe.Check(in.Phone == "" || phoneRE.MatchString(in.Phone), "phone", "联系电话只能包含数字和连字符，7至20位。")
	fe.Check(in.Role.Valid(), "role", "请选择角色。")
	if in.Role.Valid() {
		if in.Role.IsCounty() {
			fe.Check(in.TownCode == "", "town", "县级角色不属于任何镇，请将所属镇留空。")
		} else {
			fe.Check(in.TownCode != "", "town", "镇级角色必须选择所属镇。")
		}
	}
	fe.Check(in.LegalQualificationNo == "" || LegalQualificationRE.MatchString(in.LegalQualificationNo),
		"legal_qualification_no", "法律职业资格证书编号应为1至40位数字或字母。")
	if creating || in.Password != "" {
		if msg := passwordProblem(in.Password, in.Username); msg != "" {
			fe.Add("password", msg)
		}
	}
	return fe.Err()
}

// passwordProblem returns why a new password is unacceptable, or "".
func passwordProblem(password, username string) string {
	n := utf8.RuneCountInString(password)
	switch {
	case n == 0:
		return "请填写密码。"
	case n < 10:
		return "密码至少10位。"
	case n > 128:
		return "密码不能超过128位。"
	case username != "" && strings.EqualFold(password, username):
		return "密码不能与登录名相同。"
	}
	return ""
}
