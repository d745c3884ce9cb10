package postgres

import (
	"context"
	"embed"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"presto/internal/store/internal/storeutil"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// lockMigrations serialises migrations of one schema across replicas for the rest of the
// transaction. The key is derived from the schema so that separate schemas (test runs, tenants)
// do not wait for each other.
const lockMigrations = `SELECT pg_advisory_xact_lock(hashtext('presto.migrate.' || coalesce(current_schema(), '')))`

// migrate applies every migration not yet recorded in schema_migrations, each in its own
// transaction together with its record, holding the advisory lock and re-checking the record
// under it, so replicas starting at once apply each step exactly once.
func migrate(ctx context.Context, pool *pgxpool.Pool, logger *slog.Logger) error {
	ms, err := storeutil.LoadMigrations(migrationFiles, "migrations")
	if err != nil {
		return err
	}
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, lockMigrations); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    integer PRIMARY KEY,
			name       text NOT NULL,
			applied_at timestamptz NOT NULL
		)`)
		return err
	})
	if err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	for _, m := range ms {
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return applyMigration(ctx, tx, m, logger) })
		if err != nil {
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
	}
	return nil
}

func applyMigration(ctx context.Context, tx pgx.Tx, m storeutil.Migration, logger *slog.Logger) error {
	if _, err := tx.Exec(ctx, lockMigrations); err != nil {
		return fmt.Errorf("lock: %w", err)
	}
	var applied bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)`, m.Version).Scan(&applied)
	if err != nil {
		return fmt.Errorf("read schema_migrations: %w", err)
	}
	if applied {
		return nil
	}
	// Exec without arguments uses the simple protocol, which runs a file of several statements.
	if _, err := tx.Exec(ctx, m.SQL); err != nil {
		return fmt.Errorf("apply: %w", err)
	}
	_, err = tx.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
		m.Version, m.Name, storeutil.Now())
	if err != nil {
		return fmt.Errorf("record: %w", err)
	}
	logger.Info("applied store migration", "engine", "postgres", "migration", m.Name)
	return nil
}
