package config

import (
	"strings"
	"testing"
)

// With DATABASE_URL a deployment must name the schema owner's connection
// separately: the app never runs as the owner.
func TestMigrateURLRequiredAndSeparate(t *testing.T) {
	const app = "postgres://zhifa_app@db/zhifa"
	const owner = "postgres://zhifa_owner@db/zhifa"
	for _, tc := range []struct {
		db, migrate, want string
	}{
		{app, "", "ZHIFA_MIGRATE_URL is not"},
		{app, app, "the same as DATABASE_URL"},
		{app, owner, ""},
		{"", "", ""}, // the local cluster fills in both
	} {
		t.Setenv("DATABASE_URL", tc.db)
		t.Setenv("ZHIFA_MIGRATE_URL", tc.migrate)
		c, err := FromEnv()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q/%q: %v", tc.db, tc.migrate, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%q/%q: got %v, want %q", tc.db, tc.migrate, err, tc.want)
		case tc.want == "" && c.MigrateURL != tc.migrate:
			t.Errorf("MigrateURL %q", c.MigrateURL)
		}
	}
}
