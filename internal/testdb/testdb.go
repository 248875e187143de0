// Package testdb gives each test its own PostgreSQL database, cloned from a
// template that was migrated and loaded with the demo data once per test
// binary (the pgtestdb approach), on a throwaway local cluster.
package testdb

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/account"
	"zhifa/internal/database"
	"zhifa/internal/localpg"
	"zhifa/internal/seed"
	"zhifa/internal/zhifa"
)

// Today is the date the tests live on; the template's demo certificates are
// dated relative to it.
var Today = time.Date(2025, 9, 1, 0, 0, 0, 0, zhifa.Local)

// Clock is a test clock that starts at Today 09:00 and can be moved.
type Clock struct{ now atomic.Int64 }

// NewClock returns a clock at Today 09:00 CST.
func NewClock() *Clock {
	c := &Clock{}
	c.Set(Today.Add(9 * time.Hour))
	return c
}

// Now is the clock's time.
func (c *Clock) Now() time.Time { return time.Unix(0, c.now.Load()).In(zhifa.Local) }

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) { c.now.Store(t.UnixNano()) }

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) { c.now.Add(int64(d)) }

// Password is the demo password in the template.
const Password = "zhifa-demo"

var (
	cluster  *localpg.Cluster
	template = "zhifa_template"
	cloneMu  sync.Mutex
	seq      atomic.Int64
)

// Main starts the cluster and builds the template, runs the tests, and
// stops the cluster. Call it from TestMain.
func Main(m *testing.M) int {
	// A fuzz worker (go test -fuzz) runs only its fuzz target, which needs
	// no database; a cluster started in the worker stalls the fuzzing.
	flag.Parse()
	if f := flag.Lookup("test.fuzzworker"); f != nil && f.Value.String() == "true" {
		return m.Run()
	}
	dir, err := startDir()
	if err == nil {
		err = setup(dir)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "testdb:", err)
		return 1
	}
	code := m.Run()
	if err := cluster.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "testdb: stop:", err)
	}
	_ = os.RemoveAll(dir)
	return code
}

// startDir makes a data folder the postgres user can reach; /dev/shm makes
// cloning faster where it exists.
func startDir() (string, error) {
	base := os.TempDir()
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		base = "/dev/shm"
	}
	dir, err := os.MkdirTemp(base, "zhifa-test-")
	if err != nil {
		return "", err
	}
	return dir, os.Chmod(dir, 0o755)
}

func setup(dir string) error {
	ctx := context.Background()
	var err error
	cluster, err = localpg.Start(ctx, localpg.Options{DataDir: filepath.Join(dir, "data"), Fast: true})
	if err != nil {
		return err
	}
	if err := cluster.EnsureDatabase(ctx, template); err != nil {
		return err
	}
	if err := database.MigrateUp(ctx, cluster.URL(localpg.OwnerRole, template)); err != nil {
		return err
	}
	db, err := database.Open(ctx, cluster.URL(localpg.AppRole, template))
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = seed.Run(ctx, db, account.NewHasher(account.CheapParams), Password, Today)
	return err
}

// DB is one test's database.
type DB struct {
	*database.DB
	Name string
}

// New clones the template into a fresh database for t, connected as the
// application role, and drops it when t ends.
func New(t testing.TB) *DB {
	t.Helper()
	ctx := context.Background()
	name := fmt.Sprintf("zhifa_test_%d_%d", os.Getpid(), seq.Add(1))
	if err := superExec(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s OWNER %s", name, template, localpg.OwnerRole)); err != nil {
		t.Fatalf("clone template: %v", err)
	}
	db, err := database.Open(ctx, cluster.URL(localpg.AppRole, name))
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() {
		db.Close()
		if err := superExec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("drop %s: %v", name, err)
		}
	})
	return &DB{DB: db, Name: name}
}

// OwnerURL connects to the test database as the schema owner.
func (d *DB) OwnerURL() string { return cluster.URL(localpg.OwnerRole, d.Name) }

// AppURL connects to the test database as the application role.
func (d *DB) AppURL() string { return cluster.URL(localpg.AppRole, d.Name) }

func superExec(ctx context.Context, sql string) error {
	cloneMu.Lock() // CREATE DATABASE from one template is not concurrent-safe
	defer cloneMu.Unlock()
	conn, err := pgx.Connect(ctx, cluster.SuperuserURL("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}
