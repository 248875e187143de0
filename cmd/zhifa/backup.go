package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"zhifa/internal/backup"
	"zhifa/internal/config"
	"zhifa/internal/filestore"
)

// openFiles opens the evidence file store (ZHIFA_FILES) and clears what a
// killed process left half-written in it.
func openFiles(cfg config.Config) (*filestore.Dir, error) {
	files, err := filestore.NewDir(cfg.Files)
	if err != nil {
		return nil, err
	}
	// An upload makes progress at least every uploadIdle (2 minutes); a
	// temporary file untouched for an hour belongs to no running upload.
	if n, err := files.Sweep(time.Hour); err != nil {
		return nil, err
	} else if n > 0 {
		slog.Info("removed unfinished uploads from the file store", "files", n)
	}
	slog.Info("evidence files", "dir", files.Root)
	return files, nil
}

// backupCmd runs `zhifa backup DIR`, `zhifa restore DIR` and
// `zhifa restore --check DIR`.
func backupCmd(ctx context.Context, cfg config.Config, cmd string, args []string) error {
	check := cmd == "restore" && len(args) == 2 && args[0] == "--check"
	if check {
		args = args[1:]
	}
	if len(args) != 1 {
		return fmt.Errorf("usage: zhifa %s DIR", cmd)
	}
	dir := args[0]
	if check {
		m, err := backup.Verify(dir)
		if err != nil {
			return err
		}
		fmt.Printf("backup of %s from %s is whole: the database dump and %d evidence files match the manifest\n",
			m.Database, m.Created.Format(time.RFC3339), len(m.Files))
		return nil
	}
	if _, err := resolveDatabase(ctx, &cfg); err != nil {
		return err
	}
	files, err := filestore.NewDir(cfg.Files)
	if err != nil {
		return err
	}
	opts := backup.Options{DatabaseURL: cfg.MigrateURL, Files: files, Log: func(format string, args ...any) {
		slog.Info(fmt.Sprintf(format, args...))
	}}
	if cmd == "backup" {
		m, err := backup.Backup(ctx, dir, opts)
		if err != nil {
			return err
		}
		fmt.Printf("backed up %s (schema version %d) and %d evidence files to %s\n", m.Database, m.SchemaVersion, len(m.Files), dir)
		return nil
	}
	m, err := backup.Restore(ctx, dir, opts)
	if errors.Is(err, backup.ErrNotEmpty) {
		return fmt.Errorf("%w\n(nothing was changed)", err)
	} else if err != nil {
		return err
	}
	fmt.Printf("restored %s from the backup of %s with %d evidence files; start the server as usual\n",
		m.Database, m.Created.Format(time.RFC3339), len(m.Files))
	return nil
}
