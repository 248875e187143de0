package zhifa

import "context"

// Role is what a user does in the system.
type Role string

const (
	RoleOfficer        Role = "officer"         // 执法队员
	RoleLeader         Role = "leader"          // 队长
	RoleHead           Role = "head"            // 镇负责人: the town government's 行政机关负责人 (镇长 or the deputy in charge)
	RoleTownReviewer   Role = "town_reviewer"   // 法制审核员 (at the town's 司法所)
	RoleCountyReviewer Role = "county_reviewer" // 县司法局审核人员
	RoleCountyAdmin    Role = "county_admin"    // 县级系统管理员
	// RoleSupervisor is a citizen enforcement supervisor (执法监督员)
	// appointed by the county for one town and a term: a read-only login
	// that sees the town's published decisions and statistics and files
	// supervision opinions, and reaches no case (internal/supervision).
	RoleSupervisor Role = "supervisor"
)

// Roles lists every role in display order.
var Roles = []Role{RoleOfficer, RoleLeader, RoleHead, RoleTownReviewer, RoleCountyReviewer, RoleCountyAdmin, RoleSupervisor}

// Label is the role's Chinese name.
func (r Role) Label() string {
	switch r {
	case RoleOfficer:
		return "执法队员"
	case RoleLeader:
		return "队长"
	case RoleHead:
		return "镇负责人"
	case RoleTownReviewer:
		return "法制审核员"
	case RoleCountyReviewer:
		return "县司法局审核人员"
	case RoleCountyAdmin:
		return "县级管理员"
	case RoleSupervisor:
		return "执法监督员"
	}
	return string(r)
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// IsCounty reports whether the role works at county level, across towns.
func (r Role) IsCounty() bool { return r == RoleCountyReviewer || r == RoleCountyAdmin }

// IsStaff reports whether the role works in the enforcement system (every
// role but the 执法监督员, who sees only published data of one town).
func (r Role) IsStaff() bool { return r.Valid() && r != RoleSupervisor }

// IsReviewer reports whether the role does the 法制审核 (and so records a
// 法律职业资格证书 number).
func (r Role) IsReviewer() bool { return r == RoleTownReviewer || r == RoleCountyReviewer }

// HoldsCertificate reports whether the role enforces in the field and so
// needs an enforcement certificate (执法证).
func (r Role) HoldsCertificate() bool { return r == RoleOfficer || r == RoleLeader }

// Scope is the database tenancy scope of a transaction (see migrations).
type Scope string

const (
	ScopeNone        Scope = ""
	ScopeTown        Scope = "town"
	ScopeCountyRead  Scope = "county_read"
	ScopeCountyAdmin Scope = "county_admin"
	// ScopeSupervisor reads no town's rows (app_read_towns is empty), only
	// what the policies grant a supervisor of app.town_id: their own
	// appointment and opinions, and the town's summary figures.
	ScopeSupervisor Scope = "supervisor"
)

// Actor is the authenticated user on whose behalf a request runs.
type Actor struct {
	UserID      int64
	Username    string
	DisplayName string
	Role        Role
	TownID      int64 // 0 for county roles
	TownName    string
}

// Scope derives the tenancy scope from the role.
func (a *Actor) Scope() Scope {
	switch {
	case a == nil:
		return ScopeNone
	case a.Role == RoleCountyAdmin:
		return ScopeCountyAdmin
	case a.Role == RoleSupervisor:
		return ScopeSupervisor
	case a.Role.IsCounty():
		return ScopeCountyRead
	case a.TownID != 0:
		return ScopeTown
	}
	return ScopeNone
}

// System is the actor for maintenance tasks (seeding): county-wide writes.
var System = &Actor{Username: "system", DisplayName: "系统", Role: RoleCountyAdmin}

type actorKey struct{}

// WithActor returns a context carrying the acting user.
func WithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the acting user, or nil for anonymous requests.
func ActorFrom(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}
