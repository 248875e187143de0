package stats

import "zhifa/internal/zhifa"

// Scope is whose figures an actor reads on the statistics page.
type Scope struct {
	// County: every town's, with a choice of one town (the county's roles).
	County bool
	// TownID is the one town of a town's roles (0 for the county).
	TownID int64
}

// ScopeFor says whose figures a reads, or false when its role reads none.
// The one place that decides it: a new role is given the statistics here
// (row-level security still limits the rows to what the role may read).
func ScopeFor(a *zhifa.Actor) (Scope, bool) {
	switch {
	case a == nil:
		return Scope{}, false
	case a.Role.IsCounty():
		return Scope{County: true}, true
	case a.TownID != 0: // a town's roles, and its 执法监督员 (their scope reads the summary rows, migrations/0036)
		return Scope{TownID: a.TownID}, true
	}
	return Scope{}, false
}
