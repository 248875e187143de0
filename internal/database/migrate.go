package database

import (
	"context"
	"errors"
	"fmt"

	"github.com/golang-migrate/migrate/v4"
	migratepgx "github.com/golang-migrate/migrate/v4/database/pgx/v5"
	"github.com/golang-migrate/migrate/v4/source/iofs"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"zhifa/migrations"
)

// Migrator applies the embedded migrations as the schema owner.
type Migrator struct {
	m    *migrate.Migrate
	pool *pgxpool.Pool
}

// NewMigrator connects to url (the owner's connection).
func NewMigrator(ctx context.Context, url string) (*Migrator, error) {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("open migration pool: %w", err)
	}
	src, err := iofs.New(migrations.FS, ".")
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("read embedded migrations: %w", err)
	}
	drv, err := migratepgx.WithInstance(stdlib.OpenDBFromPool(pool), &migratepgx.Config{})
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("migration driver: %w", err)
	}
	m, err := migrate.NewWithInstance("iofs", src, "pgx5", drv)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("migrator: %w", err)
	}
	return &Migrator{m: m, pool: pool}, nil
}

// Up applies every pending migration.
func (mg *Migrator) Up() error {
	if err := mg.m.Up(); err != nil && !errors.Is(err, migrate.ErrNoChange) {
		return fmt.Errorf("migrate up: %w", err)
	}
	return nil
}

// Down rolls back n migrations.
func (mg *Migrator) Down(n int) error {
	if err := mg.m.Steps(-n); err != nil && !errors.Is(err, migrate.ErrNoChange) {
		return fmt.Errorf("migrate down %d: %w", n, err)
	}
	return nil
}

// Version reports the current schema version.
func (mg *Migrator) Version() (version uint, dirty bool, err error) {
	version, dirty, err = mg.m.Version()
	if errors.Is(err, migrate.ErrNilVersion) {
		return 0, false, nil
	}
	return version, dirty, err
}

// Close releases the connection.
func (mg *Migrator) Close() {
	mg.m.Close()
	mg.pool.Close()
}

// MigrateUp is the one-call form used at start-up and in tests.
func MigrateUp(ctx context.Context, url string) error {
	mg, err := NewMigrator(ctx, url)
	if err != nil {
		return err
	}
	defer mg.Close()
	return mg.Up()
}
