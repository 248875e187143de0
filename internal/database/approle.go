package database

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CheckAppRole refuses a connection whose role would slip past row-level
// security: a superuser or a BYPASSRLS role ignores every policy, and a
// table's owner ignores them unless the table forces them (and may alter or
// drop them). The app connects as a role that owns nothing; migrations run
// as another (ZHIFA_MIGRATE_URL). Called at startup, before serving.
func CheckAppRole(ctx context.Context, pool *pgxpool.Pool) error {
	var role string
	var super, bypass bool
	var owned []string
	err := pool.QueryRow(ctx, `SELECT current_user, r.rolsuper, r.rolbypassrls,
			coalesce((SELECT array_agg(schemaname || '.' || tablename ORDER BY tablename) FROM pg_tables
			          WHERE tableowner = current_user AND schemaname NOT IN ('pg_catalog', 'information_schema')), '{}')
		FROM pg_roles r WHERE r.rolname = current_user`).Scan(&role, &super, &bypass, &owned)
	if err != nil {
		return fmt.Errorf("check the database role: %w", err)
	}
	var why []string
	if super {
		why = append(why, "is a superuser")
	}
	if bypass {
		why = append(why, "has BYPASSRLS")
	}
	if len(owned) > 0 {
		list := owned
		if len(list) > 3 {
			list = append(list[:3:3], "…")
		}
		why = append(why, fmt.Sprintf("owns %d tables (%s)", len(owned), strings.Join(list, ", ")))
	}
	if len(why) > 0 {
		return fmt.Errorf("DATABASE_URL connects as role %q, which %s: row-level security would not apply to it, "+
			"so the towns' data would not be kept apart. Connect the app as a role that is not a superuser, "+
			"has no BYPASSRLS and owns no tables (the schema owner belongs in ZHIFA_MIGRATE_URL)", role, strings.Join(why, ", "))
	}
	return nil
}
