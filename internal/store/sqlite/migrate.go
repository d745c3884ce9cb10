package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"log/slog"

	"presto/internal/store/internal/storeutil"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrate applies every migration not yet recorded in schema_migrations, each in its own
// transaction together with its record. Transactions take the write lock at BEGIN and re-check
// the record inside it, so two processes opening the same file at once apply each step once.
func migrate(ctx context.Context, db *sql.DB, logger *slog.Logger) error {
	ms, err := storeutil.LoadMigrations(migrationFiles, "migrations")
	if err != nil {
		return err
	}
	err = inTx(ctx, db, nil, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    INTEGER PRIMARY KEY,
			name       TEXT NOT NULL,
			applied_at INTEGER NOT NULL
		) STRICT`)
		return err
	})
	if err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	for _, m := range ms {
		if err := inTx(ctx, db, nil, func(tx *sql.Tx) error { return applyMigration(ctx, tx, m, logger) }); err != nil {
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
	}
	return nil
}

func applyMigration(ctx context.Context, tx *sql.Tx, m storeutil.Migration, logger *slog.Logger) error {
	var applied int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.Version).Scan(&applied)
	if err != nil {
		return fmt.Errorf("read schema_migrations: %w", err)
	}
	if applied > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return fmt.Errorf("apply: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.Version, m.Name, storeutil.Now().UnixMicro())
	if err != nil {
		return fmt.Errorf("record: %w", err)
	}
	logger.Info("applied store migration", "engine", "sqlite", "migration", m.Name)
	return nil
}
