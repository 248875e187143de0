// Package localpg runs a project-local PostgreSQL cluster from the server
// binaries on this machine (initdb, pg_ctl), for `make run` and the tests.
// It is a development aid: deployments set DATABASE_URL instead.
package localpg

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Role names created in every local cluster. The owner runs migrations; the
// app role owns nothing, so row-level security applies to it.
const (
	OwnerRole = "zhifa_owner"
	AppRole   = "zhifa_app"
	superuser = "postgres"
)

// Cluster is a running local PostgreSQL server listening on 127.0.0.1.
type Cluster struct {
	DataDir string
	Port    int
	BinDir  string
	// Started says this Start started the server; false when it found it
	// already running (started by `zhifa db`, another run, or by hand). Who
	// started it stops it (see cmd/zhifa serve); a server found running is
	// left running.
	Started bool
	asUser  string // run server commands as this OS user ("" = current user)
}

// Options configure Start.
type Options struct {
	DataDir string // where the cluster lives; created if missing
	Port    int    // 0 = pick a free port
	// FallbackDir is used when the postgres OS user cannot reach DataDir
	// (a checkout under /root, say, when invoked as root).
	FallbackDir string
	// Fast turns off durability: for throwaway test clusters only.
	Fast bool
}

var errInaccessible = errors.New("localpg: data folder not accessible to the postgres user")

// FindBinDir locates the PostgreSQL server binaries.
func FindBinDir() (string, error) {
	if d := os.Getenv("ZHIFA_PG_BIN"); d != "" {
		return d, nil
	}
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		return filepath.Dir(p), nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	if len(matches) == 0 {
		return "", errors.New("localpg: PostgreSQL server binaries (pg_ctl, initdb) not found; install postgresql or set ZHIFA_PG_BIN")
	}
	// The highest version sorts last.
	return filepath.Dir(matches[len(matches)-1]), nil
}

// Start initialises the cluster if needed and starts it if it is not
// already running. When invoked as root, the server runs as the
// unprivileged "postgres" user, because PostgreSQL refuses to run as root.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	bin, err := FindBinDir()
	if err != nil {
		return nil, err
	}
	c := &Cluster{DataDir: opts.DataDir, BinDir: bin}
	if os.Geteuid() == 0 {
		c.asUser = "postgres"
		if _, err := user.Lookup(c.asUser); err != nil {
			return nil, fmt.Errorf("localpg: running as root needs the %q OS user: %w", c.asUser, err)
		}
	}
	if err := c.prepareDir(); err != nil {
		if !errors.Is(err, errInaccessible) || opts.FallbackDir == "" {
			return nil, err
		}
		slog.Warn("data folder not reachable by the postgres user; using the fallback", "dir", c.DataDir, "fallback", opts.FallbackDir)
		c.DataDir = opts.FallbackDir
		if err := c.prepareDir(); err != nil {
			return nil, err
		}
	}
	if _, err := os.Stat(filepath.Join(c.DataDir, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		if err := c.initdb(ctx, opts.Fast); err != nil {
			return nil, err
		}
	}
	if port, ok := c.runningPort(); ok {
		c.Port = port
		slog.Debug("local postgres already running", "dir", c.DataDir, "port", port)
	} else {
		c.Port = opts.Port
		if c.Port == 0 {
			if c.Port, err = freePort(); err != nil {
				return nil, err
			}
		} else if !portFree(c.Port) {
			return nil, fmt.Errorf("localpg: port %d on 127.0.0.1 is taken, so the local PostgreSQL for %s cannot start "+
				"(another checkout's local PostgreSQL? stop it there with `make db-stop`, or set ZHIFA_PGPORT to another port)", c.Port, c.DataDir)
		}
		if err := c.start(ctx, opts.Fast); err != nil {
			return nil, err
		}
		c.Started = true
	}
	if err := c.waitReady(ctx); err != nil {
		return nil, err
	}
	return c, c.ensureRoles(ctx)
}

// prepareDir creates the data directory with the right owner.
func (c *Cluster) prepareDir() error {
	abs, err := filepath.Abs(c.DataDir)
	if err != nil {
		return err
	}
	c.DataDir = abs
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return fmt.Errorf("localpg: create %s: %w", c.DataDir, err)
	}
	if c.asUser == "" {
		return nil
	}
	u, _ := user.Lookup(c.asUser)
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(c.DataDir, uid, gid); err != nil {
		return fmt.Errorf("localpg: chown %s: %w", c.DataDir, err)
	}
	// The postgres user must be able to reach the folder through its parents.
	if err := c.command(context.Background(), "test", "-w", c.DataDir).Run(); err != nil {
		return fmt.Errorf("%w: the %q user cannot write %s (is a parent folder private, e.g. under /root?); set ZHIFA_PGDATA to a folder it can reach", errInaccessible, c.asUser, c.DataDir)
	}
	return nil
}

func (c *Cluster) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	if c.asUser != "" {
		args = append([]string{"-u", c.asUser, "--", name}, args...)
		name = "runuser"
	}
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = "/" // the current folder may not be readable by the postgres user
	return cmd
}

func (c *Cluster) run(ctx context.Context, name string, args ...string) error {
	out, err := c.command(ctx, name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("localpg: %s %s: %w\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
	}
	return nil
}

func (c *Cluster) initdb(ctx context.Context, fast bool) error {
	args := []string{"-D", c.DataDir, "-U", superuser, "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"}
	if fast {
		args = append(args, "--no-sync")
	}
	slog.Info("initialising local postgres cluster", "dir", c.DataDir)
	return c.run(ctx, filepath.Join(c.BinDir, "initdb"), args...)
}

func (c *Cluster) start(ctx context.Context, fast bool) error {
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -c port=%d -c unix_socket_directories='' -c max_connections=200 -c shared_buffers=%dMB",
		c.Port, sharedBuffersMB())
	if fast {
		opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	}
	slog.Info("starting local postgres", "dir", c.DataDir, "port", c.Port)
	return c.run(ctx, filepath.Join(c.BinDir, "pg_ctl"), "-D", c.DataDir, "-l", filepath.Join(c.DataDir, "server.log"), "-o", opts, "-w", "-t", "60", "start")
}

// sharedBuffersMB is PostgreSQL's buffer cache: a quarter of the machine's
// memory, from 128 MB (PostgreSQL's default) to 1 GB. At a million cases
// the cases, their search table and the indexes the pages read take about
// a gigabyte; with the default most reads went to the operating system's
// cache, each a system call. The memory is taken as pages are read into it,
// so a test cluster with little data holds little.
func sharedBuffersMB() int {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 128
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "MemTotal:" {
			kb, _ := strconv.Atoi(f[1])
			return min(max(kb/1024/4, 128), 1024)
		}
	}
	return 128
}

// runningPort reports the port of a server already running on this data dir.
func (c *Cluster) runningPort() (int, bool) {
	if err := c.command(context.Background(), filepath.Join(c.BinDir, "pg_ctl"), "-D", c.DataDir, "status").Run(); err != nil {
		return 0, false
	}
	// postmaster.pid line 4 holds the port.
	b, err := os.ReadFile(filepath.Join(c.DataDir, "postmaster.pid"))
	if err != nil {
		return 0, false
	}
	lines := strings.Split(string(b), "\n")
	if len(lines) < 4 {
		return 0, false
	}
	port, err := strconv.Atoi(strings.TrimSpace(lines[3]))
	return port, err == nil
}

// Stop shuts the server down quickly.
func (c *Cluster) Stop() error {
	return c.run(context.Background(), filepath.Join(c.BinDir, "pg_ctl"), "-D", c.DataDir, "-m", "fast", "-w", "stop")
}

// URL returns a connection URL for role on database.
func (c *Cluster) URL(role, database string) string {
	u := url.URL{Scheme: "postgres", User: url.User(role), Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(c.Port)), Path: "/" + database}
	u.RawQuery = "sslmode=disable"
	return u.String()
}

// SuperuserURL connects as the cluster's superuser.
func (c *Cluster) SuperuserURL(database string) string { return c.URL(superuser, database) }

func (c *Cluster) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		conn, err := pgx.Connect(ctx, c.SuperuserURL("postgres"))
		if err == nil {
			return conn.Close(ctx)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("localpg: server on port %d not ready: %w", c.Port, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// ensureRoles creates the owner and app login roles.
func (c *Cluster) ensureRoles(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, c.SuperuserURL("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '`+OwnerRole+`') THEN
    CREATE ROLE `+OwnerRole+` LOGIN CREATEDB NOSUPERUSER BYPASSRLS;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '`+AppRole+`') THEN
    CREATE ROLE `+AppRole+` LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB;
  END IF;
END $$`)
	if err != nil {
		return fmt.Errorf("localpg: create roles: %w", err)
	}
	// The owner runs migrations and the search function (see migrations);
	// the app role never bypasses row-level security.
	if _, err := conn.Exec(ctx, `ALTER ROLE `+OwnerRole+` BYPASSRLS`); err != nil {
		return fmt.Errorf("localpg: owner role: %w", err)
	}
	return nil
}

// EnsureDatabase creates database name owned by the owner role if missing.
func (c *Cluster) EnsureDatabase(ctx context.Context, name string) error {
	conn, err := pgx.Connect(ctx, c.SuperuserURL("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+" OWNER "+OwnerRole)
	return err
}

// portFree reports whether nothing listens on port of 127.0.0.1.
func portFree(port int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return false
	}
	_ = l.Close()
	return true
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Running reports whether the server still runs (pg_ctl status).
func (c *Cluster) Running() bool {
	_, ok := c.runningPort()
	return ok
}

// RunningIn reports whether a server runs on the data folder dir.
func RunningIn(dir string) (bool, error) {
	c, err := clusterAt(dir)
	if err != nil {
		return false, err
	}
	return c.Running(), nil
}

// clusterAt is the cluster of data folder dir, running or not.
func clusterAt(dir string) (*Cluster, error) {
	bin, err := FindBinDir()
	if err != nil {
		return nil, err
	}
	c := &Cluster{DataDir: dir, BinDir: bin}
	if os.Geteuid() == 0 {
		c.asUser = "postgres"
	}
	return c, nil
}

// StopDir stops a local server on the first of dirs that holds a running
// cluster; it is not an error if none runs.
func StopDir(ctx context.Context, dirs ...string) error {
	for _, dir := range dirs {
		c, err := clusterAt(dir)
		if err != nil {
			return err
		}
		if _, ok := c.runningPort(); ok {
			slog.Info("stopping local postgres", "dir", dir)
			return c.Stop()
		}
	}
	slog.Info("no local postgres running")
	return nil
}
