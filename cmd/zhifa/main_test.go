package main

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"zhifa/internal/config"
	"zhifa/internal/localpg"
)

// The fallback data folder (used when the postgres user cannot reach the
// checkout) lies under the temporary directory and is named after the
// checkout: the same on every run of a checkout, so the next run finds
// the same data; another for another checkout.
func TestLocalDataFolderIsNamedAfterTheCheckout(t *testing.T) {
	dirs := localDataDirs(config.Config{PGData: "/srv/checkout-a/.pgdata"})
	if dirs[0] != "/srv/checkout-a/.pgdata" {
		t.Errorf("data folder %s", dirs[0])
	}
	if filepath.Dir(dirs[1]) != os.TempDir() || !strings.HasPrefix(filepath.Base(dirs[1]), "zhifa-pgdata-") {
		t.Errorf("fallback %s is not %s/zhifa-pgdata-…", dirs[1], os.TempDir())
	}
	if again := localDataDirs(config.Config{PGData: "/srv/checkout-a/.pgdata"}); again[1] != dirs[1] {
		t.Errorf("a second run falls back to %s, the first to %s", again[1], dirs[1])
	}
	if other := localDataDirs(config.Config{PGData: "/srv/checkout-b/.pgdata"}); other[1] == dirs[1] {
		t.Errorf("two checkouts share the fallback %s", other[1])
	}
	// A relative folder is the checkout's (the current folder's).
	wd, _ := os.Getwd()
	if rel := localDataDirs(config.Config{PGData: ".pgdata"}); rel[0] != filepath.Join(wd, ".pgdata") ||
		rel[1] != localDataDirs(config.Config{PGData: filepath.Join(wd, ".pgdata")})[1] {
		t.Errorf("relative .pgdata: %v", rel)
	}
}

// `zhifa serve` stops the local PostgreSQL it started when it is told to
// stop (SIGTERM, as Ctrl-C's SIGINT), and leaves running one it found
// running. Run as `make run` runs it: the binary in a subprocess, on a
// fresh data folder and free ports.
func TestServeStopsTheDatabaseItStarted(t *testing.T) {
	if _, err := localpg.FindBinDir(); err != nil {
		t.Skip(err)
	}
	bin := filepath.Join(t.TempDir(), "zhifa")
	build := exec.Command(goTool(), "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	// The postgres OS user (when run as root) must reach the folder.
	parent, err := os.MkdirTemp("", "zhifa-serve-test-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(parent, 0o755); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(parent, "pgdata")
	t.Cleanup(func() {
		_ = localpg.StopDir(context.Background(), dir) // whatever the test left running
		_ = os.RemoveAll(parent)
	})
	pgPort := freePort(t)

	// A fresh folder: serve makes the cluster, starts it, and stops it on
	// SIGTERM. At `make run`'s log level it prints one line: where the app
	// is and how to log in (no templ, migration or PostgreSQL chatter).
	out := serveUntilSIGTERM(t, bin, parent, pgPort)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], "/login") || !strings.Contains(lines[0], "maoba-officer1") ||
		!strings.Contains(lines[0], "zhifa-demo") {
		t.Errorf("serve printed %d lines, want one saying where to log in:\n%s", len(lines), out)
	}
	if running, err := localpg.RunningIn(dir); err != nil || running {
		t.Fatalf("after serve stopped, the PostgreSQL it started is running=%v (%v)", running, err)
	}

	// A cluster already running (make db): serve uses it and leaves it.
	cluster, err := localpg.Start(context.Background(), localpg.Options{DataDir: dir, Port: pgPort})
	if err != nil {
		t.Fatal(err)
	}
	serveUntilSIGTERM(t, bin, parent, pgPort)
	if running, err := localpg.RunningIn(dir); err != nil || !running {
		t.Fatalf("serve stopped a PostgreSQL it found running: running=%v (%v)", running, err)
	}
	if err := cluster.Stop(); err != nil {
		t.Fatal(err)
	}
}

// serveUntilSIGTERM runs `zhifa serve` on the local database in parent
// until it answers, sends it SIGTERM, and wants it to exit cleanly.
func serveUntilSIGTERM(t *testing.T, bin, parent string, pgPort int) string {
	t.Helper()
	addr := "127.0.0.1:" + strconv.Itoa(freePort(t))
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(withoutDatabaseURLs(os.Environ()), "ZHIFA_PGDATA="+filepath.Join(parent, "pgdata"),
		"ZHIFA_PGPORT="+strconv.Itoa(pgPort), "ZHIFA_ADDR="+addr, "ZHIFA_FILES="+filepath.Join(parent, "files"),
		"ZHIFA_LOG_LEVEL=warn")
	var log strings.Builder
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		res, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case err := <-done:
			t.Fatalf("serve exited before it answered: %v\n%s", err, log.String())
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("serve did not answer within 3 minutes\n%s", log.String())
		}
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve after SIGTERM: %v\n%s", err, log.String())
		}
		return log.String()
	case <-time.After(time.Minute):
		_ = cmd.Process.Kill()
		t.Fatalf("serve did not exit within a minute of SIGTERM\n%s", log.String())
	}
	return ""
}

func withoutDatabaseURLs(env []string) []string {
	var out []string
	for _, e := range env {
		if !strings.HasPrefix(e, "DATABASE_URL=") && !strings.HasPrefix(e, "ZHIFA_MIGRATE_URL=") &&
			!strings.HasPrefix(e, "ZHIFA_PGDATA=") && !strings.HasPrefix(e, "ZHIFA_FILES=") {
			out = append(out, e)
		}
	}
	return out
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// goTool is the go command that runs this test: `go test` puts its GOROOT's
// bin first on PATH.
func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return "go"
}
