package store

import (
	"context"
	"database/sql"
	"errors"
	"testing"
)

func TestWriteTx(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	mustExec(t, db.writer.Exec, `CREATE TABLE notes (n INTEGER)`)
	count := func() (n int) {
		t.Helper()
		if err := db.Reader().QueryRow(`SELECT count(*) FROM notes`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	t.Run("commits what fn wrote", func(t *testing.T) {
		err := db.WriteTx(ctx, func(tx *sql.Tx) error {
			_, err := tx.Exec(`INSERT INTO notes VALUES (1), (2)`)
			return err
		})
		if err != nil || count() != 2 {
			t.Errorf("err %v, %d rows; want nil, 2", err, count())
		}
	})
	t.Run("rolls back and returns fn's error as it is", func(t *testing.T) {
		boom := errors.New("boom")
		err := db.WriteTx(ctx, func(tx *sql.Tx) error {
			tx.Exec(`INSERT INTO notes VALUES (3)`)
			return boom
		})
		if err != boom || count() != 2 {
			t.Errorf("err %v, %d rows; want boom, 2", err, count())
		}
	})
	t.Run("rolls back when fn panics and stays usable", func(t *testing.T) {
		func() {
			defer func() { recover() }()
			db.WriteTx(ctx, func(tx *sql.Tx) error {
				tx.Exec(`INSERT INTO notes VALUES (4)`)
				panic("fn panicked")
			})
		}()
		if count() != 2 {
			t.Errorf("%d rows after a panic; want 2", count())
		}
		if err := db.WriteTx(ctx, func(tx *sql.Tx) error { _, err := tx.Exec(`INSERT INTO notes VALUES (5)`); return err }); err != nil {
			t.Errorf("the writer is stuck after a panic: %v", err)
		}
	})
	t.Run("the reader pool refuses writes", func(t *testing.T) {
		if _, err := db.Reader().Exec(`INSERT INTO notes VALUES (6)`); err == nil {
			t.Error("a reader wrote")
		}
	})
}
