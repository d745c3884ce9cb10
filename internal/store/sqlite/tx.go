package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// inWrite runs fn in one IMMEDIATE transaction on the writer connection.
func (s *Store) inWrite(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return inTx(ctx, s.write, nil, fn)
}

// inRead runs fn in one read transaction, so a multi-row read sees a single snapshot.
func (s *Store) inRead(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return inTx(ctx, s.read, &sql.TxOptions{ReadOnly: true}, fn)
}

// inTx commits when fn succeeds and rolls back otherwise.
func inTx(ctx context.Context, db *sql.DB, opts *sql.TxOptions, fn func(tx *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	if err := fn(tx); err != nil {
		// database/sql has already rolled back when ctx ended; that is not a second failure.
		if rbErr := tx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
			return errors.Join(err, fmt.Errorf("roll back: %w", rbErr))
		}
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
