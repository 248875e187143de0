// Package config reads the environment variables the README lists.
package config

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is the process configuration.
type Config struct {
	DatabaseURL     string   // DATABASE_URL: the app's connection (a role that owns nothing)
	MigrateURL      string   // ZHIFA_MIGRATE_URL: the schema owner's connection; required, and different, with DATABASE_URL
	Addr            string   // ZHIFA_ADDR
	DemoPassword    string   // ZHIFA_DEMO_PASSWORD
	PGData          string   // ZHIFA_PGDATA: the local cluster when DATABASE_URL is empty
	PGPort          int      // ZHIFA_PGPORT
	Files           string   // ZHIFA_FILES: the evidence file store; default .files beside ZHIFA_PGDATA
	SecureCookies   bool     // ZHIFA_SECURE_COOKIES
	TrustedProxies  []string // ZHIFA_TRUSTED_PROXIES: comma-separated CIDRs of reverse proxies
	SessionIdle     time.Duration
	SessionLifetime time.Duration
	LogLevel        string // ZHIFA_LOG_LEVEL: debug, info, warn, error
}

// FromEnv reads the configuration, with defaults for a developer machine.
func FromEnv() (Config, error) {
	c := Config{
		DatabaseURL:  os.Getenv("DATABASE_URL"),
		MigrateURL:   os.Getenv("ZHIFA_MIGRATE_URL"),
		Addr:         get("ZHIFA_ADDR", ":8080"),
		DemoPassword: get("ZHIFA_DEMO_PASSWORD", "zhifa-demo"),
		PGData:       get("ZHIFA_PGDATA", ".pgdata"),
		LogLevel:     get("ZHIFA_LOG_LEVEL", "info"),
	}
	// The schema owner bypasses row-level security; the app must not run as
	// it, so a deployment names both connections (the local cluster fills
	// in both itself).
	if c.DatabaseURL != "" && c.MigrateURL == "" {
		return c, errors.New("DATABASE_URL is set but ZHIFA_MIGRATE_URL is not: set ZHIFA_MIGRATE_URL to the schema owner's connection " +
			"(it runs the migrations), and DATABASE_URL to the app's own role, which owns nothing and cannot bypass row-level security")
	}
	if c.DatabaseURL != "" && c.MigrateURL == c.DatabaseURL {
		return c, errors.New("ZHIFA_MIGRATE_URL is the same as DATABASE_URL: the app must connect as its own role, " +
			"not as the schema owner that runs the migrations (row-level security does not apply to the owner)")
	}
	// Evidence files sit beside the local database (not inside: its folder
	// belongs to the postgres user), so one checkout keeps both together.
	c.Files = get("ZHIFA_FILES", filepath.Join(filepath.Dir(filepath.Clean(c.PGData)), ".files"))
	var err error
	if c.PGPort, err = strconv.Atoi(get("ZHIFA_PGPORT", "5433")); err != nil {
		return c, fmt.Errorf("ZHIFA_PGPORT: %w", err)
	}
	if c.SecureCookies, err = strconv.ParseBool(get("ZHIFA_SECURE_COOKIES", "false")); err != nil {
		return c, fmt.Errorf("ZHIFA_SECURE_COOKIES: %w", err)
	}
	for _, p := range strings.Split(os.Getenv("ZHIFA_TRUSTED_PROXIES"), ",") {
		if p = strings.TrimSpace(p); p != "" {
			if _, err := netip.ParsePrefix(p); err != nil {
				return c, fmt.Errorf("ZHIFA_TRUSTED_PROXIES: %w", err)
			}
			c.TrustedProxies = append(c.TrustedProxies, p)
		}
	}
	if c.SessionIdle, err = time.ParseDuration(get("ZHIFA_SESSION_IDLE", "30m")); err != nil {
		return c, fmt.Errorf("ZHIFA_SESSION_IDLE: %w", err)
	}
	if c.SessionLifetime, err = time.ParseDuration(get("ZHIFA_SESSION_LIFETIME", "12h")); err != nil {
		return c, fmt.Errorf("ZHIFA_SESSION_LIFETIME: %w", err)
	}
	return c, nil
}

func get(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
