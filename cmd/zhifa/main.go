// Command zhifa is the case-management server of Ziyang County's town
// enforcement teams.
//
//	zhifa serve               migrate, (locally: seed once) and serve HTTP
//	zhifa migrate up|down N|version
//	zhifa seed                load the demo data (idempotent)
//	zhifa db                  start the project-local PostgreSQL and print its URLs
//	zhifa backup DIR          back up the database and the evidence files to DIR
//	zhifa restore DIR         restore such a backup into an empty system
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"zhifa/internal/account"
	"zhifa/internal/config"
	"zhifa/internal/database"
	"zhifa/internal/localpg"
	"zhifa/internal/seed"
	"zhifa/internal/server"
	"zhifa/internal/zhifa"
	"zhifa/web"
)

const usage = `usage: zhifa <command>

commands:
  serve                 migrate, seed the demo data when on the local database, serve HTTP
  migrate up            apply pending migrations
  migrate down N        roll back N migrations
  migrate version       print the schema version
  seed                  load the demo data (idempotent)
  db                    start the project-local PostgreSQL only
  db stop               stop it
  backup DIR            write a backup (database + evidence files + manifest.json) to DIR
  restore DIR           restore the backup in DIR into an empty database and file store
  restore --check DIR   only check the backup in DIR against its manifest
`

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "zhifa:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	cfg, err := config.FromEnv()
	if err != nil {
		return err
	}
	slog.SetDefault(slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: logLevel(cfg.LogLevel)})))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return errors.New("no command")
	}
	switch args[0] {
	case "serve":
		return serve(ctx, cfg)
	case "migrate":
		return migrateCmd(ctx, cfg, args[1:])
	case "seed":
		return seedCmd(ctx, cfg)
	case "backup", "restore":
		return backupCmd(ctx, cfg, args[0], args[1:])
	case "db":
		if len(args) > 1 && args[1] == "stop" {
			return localpg.StopDir(ctx, localDataDirs(cfg)...)
		}
		local, err := resolveDatabase(ctx, &cfg)
		if err != nil {
			return err
		}
		if !local {
			return errors.New("DATABASE_URL is set: there is no local database to start")
		}
		fmt.Printf("DATABASE_URL=%s\nZHIFA_MIGRATE_URL=%s\n", cfg.DatabaseURL, cfg.MigrateURL)
		return nil
	default:
		fmt.Fprint(os.Stderr, usage)
		return fmt.Errorf("unknown command %q", args[0])
	}
}

func logLevel(s string) slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return slog.LevelInfo
	}
	return l
}

// resolveDatabase starts the project-local cluster when DATABASE_URL is
// empty and fills in its URLs. It reports whether the database is local.
func resolveDatabase(ctx context.Context, cfg *config.Config) (bool, error) {
	cluster, err := startLocal(ctx, cfg)
	return cluster != nil, err
}

// startLocal is resolveDatabase that returns the local cluster (nil when
// DATABASE_URL is set), so that serve can stop it if it started it. A
// cluster it started but could not use is stopped again.
func startLocal(ctx context.Context, cfg *config.Config) (*localpg.Cluster, error) {
	if cfg.DatabaseURL != "" {
		return nil, nil
	}
	dirs := localDataDirs(*cfg)
	cluster, err := localpg.Start(ctx, localpg.Options{DataDir: dirs[0], Port: cfg.PGPort, FallbackDir: dirs[1]})
	if err != nil {
		return nil, err
	}
	if err := cluster.EnsureDatabase(ctx, "zhifa"); err != nil {
		if cluster.Started {
			_ = cluster.Stop()
		}
		return nil, err
	}
	cfg.DatabaseURL = cluster.URL(localpg.AppRole, "zhifa")
	cfg.MigrateURL = cluster.URL(localpg.OwnerRole, "zhifa")
	return cluster, nil
}

// localDataDirs is the project-local data folder, and the fallback used when
// the postgres OS user cannot reach it (a checkout under /root, run as
// root): a folder under the temporary directory named after the data
// folder's absolute path (so after the checkout), the same on every run, so
// that the next run finds the same data (and `zhifa db stop` the server).
func localDataDirs(cfg config.Config) []string {
	abs, err := filepath.Abs(cfg.PGData)
	if err != nil {
		abs = cfg.PGData
	}
	return []string{abs, filepath.Join(os.TempDir(), "zhifa-pgdata-"+strconv.Itoa(int(hash(abs))))}
}

func hash(s string) uint32 {
	var h uint32 = 2166136261
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	return h
}

func migrateCmd(ctx context.Context, cfg config.Config, args []string) error {
	if _, err := resolveDatabase(ctx, &cfg); err != nil {
		return err
	}
	mg, err := database.NewMigrator(ctx, cfg.MigrateURL)
	if err != nil {
		return err
	}
	defer mg.Close()
	switch {
	case len(args) == 1 && args[0] == "up":
		return mg.Up()
	case len(args) == 2 && args[0] == "down":
		n, err := strconv.Atoi(args[1])
		if err != nil || n < 1 {
			return fmt.Errorf("migrate down: N must be a positive number, got %q", args[1])
		}
		return mg.Down(n)
	case len(args) == 1 && args[0] == "version":
		v, dirty, err := mg.Version()
		if err != nil {
			return err
		}
		fmt.Printf("version %d dirty=%v\n", v, dirty)
		return nil
	}
	return errors.New("usage: zhifa migrate up | down N | version")
}

func seedCmd(ctx context.Context, cfg config.Config) error {
	if _, err := resolveDatabase(ctx, &cfg); err != nil {
		return err
	}
	if err := database.MigrateUp(ctx, cfg.MigrateURL); err != nil {
		return err
	}
	db, err := database.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	clock := zhifa.Clock(time.Now)
	n, err := seed.Run(ctx, db, account.NewHasher(nil), cfg.DemoPassword, clock.Today())
	if err != nil {
		return err
	}
	if _, err := seed.DemoDocuments(ctx, db, web.RenderDocument); err != nil {
		return err
	}
	if _, err := seed.DemoFilings(ctx, db, web.RenderDocument, clock.Today()); err != nil {
		return err
	}
	if _, err := seed.DemoEvaluations(ctx, db, clock.Today()); err != nil {
		return err
	}
	slog.Info("demo data loaded", "accounts_created", n)
	return nil
}

func serve(ctx context.Context, cfg config.Config) error {
	cluster, err := startLocal(ctx, &cfg)
	if err != nil {
		return err
	}
	local := cluster != nil
	if local && cluster.Started {
		// The local PostgreSQL this run started stops with it (Ctrl-C,
		// SIGTERM, or an error), after the pool below is closed; one that
		// was already running is left running.
		defer func() {
			if !cluster.Running() {
				return // stopped meanwhile (make db-stop)
			}
			slog.Info("stopping the local postgres this run started", "dir", cluster.DataDir)
			if err := cluster.Stop(); err != nil {
				slog.Error("stop local postgres", "err", err)
			}
		}()
	}
	if err := database.MigrateUp(ctx, cfg.MigrateURL); err != nil {
		return err
	}
	db, err := database.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	// Row-level security keeps the towns apart only if the app's role is
	// subject to it.
	if err := database.CheckAppRole(ctx, db.Pool); err != nil {
		return err
	}

	clock := zhifa.Clock(time.Now)
	hasher := account.NewHasher(nil)
	if local {
		// The local database gets the demo data, and what later versions add
		// to it (the seed is idempotent: existing rows stay as they are);
		// deployments seed only when asked (zhifa seed).
		seeded, err := seed.Seeded(ctx, db)
		if err != nil {
			return err
		}
		n, err := seed.Run(ctx, db, hasher, cfg.DemoPassword, clock.Today())
		if err != nil {
			return err
		}
		if !seeded {
			slog.Info("demo data loaded", "password", "ZHIFA_DEMO_PASSWORD or zhifa-demo")
		} else if n > 0 {
			slog.Info("demo data completed", "accounts_added", n)
		}
	}

	files, err := openFiles(cfg)
	if err != nil {
		return err
	}
	srv := server.New(db, account.New(db, hasher, clock), clock, slog.Default(), server.Config{
		SecureCookies:   cfg.SecureCookies,
		SessionIdle:     cfg.SessionIdle,
		SessionLifetime: cfg.SessionLifetime,
		TrustedProxies:  cfg.TrustedProxies,
		SessionCleanup:  5 * time.Minute,
		Files:           files,
	})
	defer srv.PDF.Close() // the dossier's Chromium, if it was started
	// The reference cache's invalidations (internal/refcache), until shutdown.
	stopListening := srv.ListenForChanges()
	defer stopListening()
	if local {
		// The demo case's documents, issued once (seed.Run has no renderer).
		if _, err := seed.DemoDocuments(ctx, db, web.RenderDocument); err != nil {
			return err
		}
		// The major decisions filed and reviewed (their documents need the renderer too).
		if _, err := seed.DemoFilings(ctx, db, web.RenderDocument, clock.Today()); err != nil {
			return err
		}
		// Last year's evaluation round, scored, with its correction tasks.
		if _, err := seed.DemoEvaluations(ctx, db, clock.Today()); err != nil {
			return err
		}
	}
	httpSrv := &http.Server{
		Addr:              cfg.Addr,
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	errc := make(chan error, 1)
	go func() {
		url := "http://localhost" + portOf(cfg.Addr) + "/login"
		slog.Info("serving", "addr", cfg.Addr, "url", url)
		// The one line `make run` prints (its logs are at warn): where the
		// app is and how to log in.
		fmt.Println(readyLine(url, local, cfg.DemoPassword))
		errc <- httpSrv.ListenAndServe()
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// SIGTERM or Ctrl-C: stop accepting, finish what is in flight.
	slog.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := httpSrv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	srv.Wait()
	return nil
}

// readyLine says where the app is and, on the demo database, how to log in.
func readyLine(url string, demo bool, password string) string {
	if !demo {
		return "zhifa 已启动：" + url + "（按 Ctrl-C 停止）"
	}
	pw := "zhifa-demo"
	if password != pw {
		pw = "ZHIFA_DEMO_PASSWORD 的值"
	}
	return "zhifa 已启动：打开 " + url + " ，演示账号 maoba-officer1（执法队员；另有 maoba-leader、maoba-head、maoba-reviewer、county-reviewer、county-admin），密码 " + pw + "（按 Ctrl-C 停止）"
}

func portOf(addr string) string {
	for i := len(addr) - 1; i >= 0; i-- {
		if addr[i] == ':' {
			return addr[i:]
		}
	}
	return ""
}
