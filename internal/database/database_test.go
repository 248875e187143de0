package database_test

import (
	"context"
	"io/fs"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/account"
	"zhifa/internal/database"
	"zhifa/internal/seed"
	"zhifa/internal/testdb"
	"zhifa/internal/zhifa"
	"zhifa/migrations"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

// Every migration rolls back and applies again cleanly, and the data the
// foundation migration ships (the 17 towns) comes back.
func TestMigrationsDownAndUp(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	mg, err := database.NewMigrator(ctx, db.OwnerURL())
	if err != nil {
		t.Fatal(err)
	}
	defer mg.Close()
	top, dirty, err := mg.Version()
	if err != nil || dirty || top < 1 {
		t.Fatalf("version %d dirty %v err %v", top, dirty, err)
	}
	db.Close() // the down migrations drop tables the pool may hold
	// Versions need not be contiguous: roll back as many as there are.
	ups, err := fs.Glob(migrations.FS, "*.up.sql")
	if err != nil {
		t.Fatal(err)
	}
	if err := mg.Down(len(ups)); err != nil {
		t.Fatalf("down %d: %v", len(ups), err)
	}
	if v, _, _ := mg.Version(); v != 0 {
		t.Fatalf("after down: version %d", v)
	}
	if err := mg.Up(); err != nil {
		t.Fatalf("up again: %v", err)
	}
	if v, _, _ := mg.Version(); v != top {
		t.Fatalf("after up: version %d, want %d", v, top)
	}
	fresh, err := database.Open(ctx, db.AppURL())
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	var towns int
	if err := fresh.Tx(ctx, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FROM towns`).Scan(&towns)
	}); err != nil || towns != 17 {
		t.Fatalf("towns after up: %d (%v)", towns, err)
	}
}

// Seeding twice creates nothing the second time and changes nothing.
func TestSeedIsIdempotent(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	count := func() (users, certs int) {
		err := db.Tx(zhifa.WithActor(ctx, zhifa.System), func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM certificates)`).Scan(&users, &certs)
		})
		if err != nil {
			t.Fatal(err)
		}
		return
	}
	u1, c1 := count()
	// Six per town, two county accounts, the demo supervisor of 毛坝镇.
	if u1 != 17*6+2+1 {
		t.Fatalf("template has %d users, want %d", u1, 17*6+2+1)
	}
	n, err := seed.Run(ctx, db.DB, account.NewHasher(account.CheapParams), "another-password", testdb.Today)
	if err != nil || n != 0 {
		t.Fatalf("second seed created %d (err %v)", n, err)
	}
	if u2, c2 := count(); u2 != u1 || c2 != c1 {
		t.Fatalf("second seed changed counts: users %d→%d, certificates %d→%d", u1, u2, c1, c2)
	}
	ok, err := seed.Seeded(ctx, db.DB)
	if err != nil || !ok {
		t.Fatalf("Seeded = %v, %v", ok, err)
	}
}
