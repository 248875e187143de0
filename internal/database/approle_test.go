package database_test

import (
	"context"
	"strings"
	"testing"

	"zhifa/internal/database"
	"zhifa/internal/testdb"
)

// The app refuses to run as the schema owner (it owns the tables and, on the
// local cluster, has BYPASSRLS) and accepts the app role.
func TestCheckAppRole(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	if err := database.CheckAppRole(ctx, db.Pool); err != nil {
		t.Errorf("app role refused: %v", err)
	}
	owner, err := database.Open(ctx, db.OwnerURL())
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close()
	err = database.CheckAppRole(ctx, owner.Pool)
	if err == nil {
		t.Fatal("the schema owner was accepted as the app's role")
	}
	for _, want := range []string{`role "zhifa_owner"`, "has BYPASSRLS", "owns", "tables", "ZHIFA_MIGRATE_URL"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q: %v", want, err)
		}
	}
}
