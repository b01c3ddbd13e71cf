package store

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
)

func TestConnectionRecords(t *testing.T) {
	ctx := context.Background()

	t.Run("a record round-trips with every field", func(t *testing.T) {
		db := openTestDB(t)
		want := domain.Connection{
			ID:              "conn_roundtrip",
			Provider:        domain.ProviderStripe,
			Name:            "Rocket Rides",
			AccountID:       "acct_1Qx2345679LmA",
			Livemode:        true,
			Scope:           "stripe_apps",
			AuthMethod:      domain.AuthAPIKey,
			Status:          domain.StatusError,
			StatusReason:    domain.KindStripeDown,
			StatusFacts:     domain.Facts{domain.FactHTTPStatus: "500"},
			ConnectedAt:     time.Date(2026, 11, 26, 13, 56, 20, 123_000_000, time.UTC),
			StatusCheckedAt: time.Date(2026, 11, 27, 8, 0, 0, 1_000_000, time.UTC),
			LastSyncAt:      time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC),
		}
		if err := db.CreateConnection(ctx, want, nil); err != nil {
			t.Fatal(err)
		}
		got, err := db.GetConnection(ctx, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("read back\n %+v\nwant\n %+v", got, want)
		}
		assertColumns(t, db, want.ID, "2026-11-26T13:56:20.123Z", "2026-11-27T08:00:00.001Z", "2026-11-27T09:30:00.000Z")
	})

	t.Run("zero times are stored as NULL and read back as zero", func(t *testing.T) {
		db := openTestDB(t)
		c := sampleConnection(1)
		if err := db.CreateConnection(ctx, c, nil); err != nil {
			t.Fatal(err)
		}
		got, err := db.GetConnection(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.StatusCheckedAt.IsZero() || !got.LastSyncAt.IsZero() || got.Livemode {
			t.Errorf("read back %+v, want zero check and sync times in test mode", got)
		}
		assertColumns(t, db, c.ID, "2026-11-26T13:56:21.123Z", "NULL", "NULL")
	})

	t.Run("times in other zones are stored in UTC, to the millisecond", func(t *testing.T) {
		db := openTestDB(t)
		c := sampleConnection(1)
		c.ConnectedAt = time.Date(2026, 3, 1, 10, 0, 0, 987_654_321, time.FixedZone("CET", 3600))
		if err := db.CreateConnection(ctx, c, nil); err != nil {
			t.Fatal(err)
		}
		assertColumns(t, db, c.ID, "2026-03-01T09:00:00.987Z", "NULL", "NULL")
		got, _ := db.GetConnection(ctx, c.ID)
		if want := c.ConnectedAt.Truncate(time.Millisecond); !got.ConnectedAt.Equal(want) || got.ConnectedAt.Location() != time.UTC {
			t.Errorf("ConnectedAt = %v, want %v in UTC", got.ConnectedAt, want)
		}
	})

	t.Run("a missing ConnectedAt is taken from the clock", func(t *testing.T) {
		now := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
		db, err := Open(ctx, Options{Dir: t.TempDir(), Now: fixedClock(now)})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		c := sampleConnection(1)
		c.ConnectedAt = time.Time{}
		if err := db.CreateConnection(ctx, c, nil); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.GetConnection(ctx, c.ID); !got.ConnectedAt.Equal(now) {
			t.Errorf("ConnectedAt = %v, want the clock's %v", got.ConnectedAt, now)
		}
	})

	t.Run("a missing connection is ErrNotFound everywhere", func(t *testing.T) {
		db := openTestDB(t)
		_, err := db.GetConnection(ctx, "conn_nobody")
		assertNotFound(t, "GetConnection", err)
		assertNotFound(t, "UpdateConnection", db.UpdateConnection(ctx, sampleConnection(9)))
		assertNotFound(t, "SetStatus", db.SetStatus(ctx, "conn_nobody", domain.StatusError, domain.KindUnknown, nil, time.Now()))
		assertNotFound(t, "SetLastSync", db.SetLastSync(ctx, "conn_nobody", time.Now()))
		assertNotFound(t, "DeleteConnection", db.DeleteConnection(ctx, "conn_nobody"))
		called := false
		err = db.UpdateConnectionWith(ctx, sampleConnection(9), func(context.Context) error { called = true; return nil })
		assertNotFound(t, "UpdateConnectionWith", err)
		if called {
			t.Error("beforeCommit ran for a connection that does not exist")
		}
	})

	t.Run("updates change only what they name", func(t *testing.T) {
		db := openTestDB(t)
		c := sampleConnection(1)
		if err := db.CreateConnection(ctx, c, nil); err != nil {
			t.Fatal(err)
		}
		checked := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
		if err := db.SetStatus(ctx, c.ID, domain.StatusNeedsReauth, domain.KindRevokedOAuth, domain.Facts{"x": "y"}, checked); err != nil {
			t.Fatal(err)
		}
		synced := checked.Add(time.Minute)
		if err := db.SetLastSync(ctx, c.ID, synced); err != nil {
			t.Fatal(err)
		}
		want := c
		want.Status, want.StatusReason, want.StatusFacts, want.StatusCheckedAt, want.LastSyncAt =
			domain.StatusNeedsReauth, domain.KindRevokedOAuth, domain.Facts{"x": "y"}, checked, synced
		assertStored(t, db, want)

		// UpdateConnection may not move the account, provider or connected_at.
		edit := want
		edit.Name, edit.Scope, edit.AuthMethod, edit.Status, edit.StatusReason, edit.StatusFacts = "Renamed", "", domain.AuthAPIKey, domain.StatusConnected, "", nil
		edit.LastSyncAt = time.Time{}
		edit.AccountID, edit.ConnectedAt = "acct_other", time.Now()
		if err := db.UpdateConnection(ctx, edit); err != nil {
			t.Fatal(err)
		}
		want.Name, want.Scope, want.AuthMethod, want.Status, want.StatusReason, want.StatusFacts = "Renamed", "", domain.AuthAPIKey, domain.StatusConnected, "", nil
		want.LastSyncAt = time.Time{}
		assertStored(t, db, want)
	})

	t.Run("delete removes the record", func(t *testing.T) {
		db := openTestDB(t)
		c := sampleConnection(1)
		if err := db.CreateConnection(ctx, c, nil); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteConnection(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		_, err := db.GetConnection(ctx, c.ID)
		assertNotFound(t, "GetConnection after delete", err)
	})

	t.Run("list is ordered by name ignoring case, then connected_at", func(t *testing.T) {
		db := openTestDB(t)
		for i, name := range []string{"beta", "Alpha", "alpha", "Gamma"} {
			c := sampleConnection(10 - i) // later rows connected earlier
			c.Name = name
			if err := db.CreateConnection(ctx, c, nil); err != nil {
				t.Fatal(err)
			}
		}
		list, err := db.ListConnections(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, c := range list {
			names = append(names, c.Name)
		}
		if got, want := strings.Join(names, ","), "alpha,Alpha,beta,Gamma"; got != want {
			t.Errorf("order %s, want %s", got, want)
		}
	})

	t.Run("the list query is served by an index, not a sort", func(t *testing.T) {
		db := openTestDB(t)
		plan := queryPlan(t, db, listQuery)
		if !strings.Contains(plan, "connections_by_name") || strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("plan %q, want a scan of connections_by_name without a temporary sort", plan)
		}
	})

	t.Run("an empty store lists nothing", func(t *testing.T) {
		db := openTestDB(t)
		if list, err := db.ListConnections(ctx); err != nil || len(list) != 0 {
			t.Errorf("ListConnections = %v, %v; want none", list, err)
		}
	})
}

func TestConnectionValidation(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	for name, edit := range map[string]func(*domain.Connection){
		"an empty id":          func(c *domain.Connection) { c.ID = "" },
		"an empty account id":  func(c *domain.Connection) { c.AccountID = "" },
		"an unknown status":    func(c *domain.Connection) { c.Status = "sleeping" },
		"an unknown provider":  func(c *domain.Connection) { c.Provider = "paypal" },
		"an unknown auth":      func(c *domain.Connection) { c.AuthMethod = "password" },
		"an empty auth method": func(c *domain.Connection) { c.AuthMethod = "" },
	} {
		t.Run("rejects "+name, func(t *testing.T) {
			c := sampleConnection(1)
			edit(&c)
			if err := db.CreateConnection(ctx, c, nil); !errors.Is(err, ErrInvalid) {
				t.Errorf("CreateConnection = %v, want ErrInvalid", err)
			}
		})
	}
	t.Run("rejects an unknown status in SetStatus and UpdateConnection", func(t *testing.T) {
		c := sampleConnection(2)
		if err := db.CreateConnection(ctx, c, nil); err != nil {
			t.Fatal(err)
		}
		if err := db.SetStatus(ctx, c.ID, "sleeping", "", nil, time.Now()); !errors.Is(err, ErrInvalid) {
			t.Errorf("SetStatus = %v, want ErrInvalid", err)
		}
		c.Status = ""
		if err := db.UpdateConnection(ctx, c); !errors.Is(err, ErrInvalid) {
			t.Errorf("UpdateConnection = %v, want ErrInvalid", err)
		}
	})
	if list, _ := db.ListConnections(ctx); len(list) != 1 {
		t.Errorf("%d records stored, want only the valid one", len(list))
	}
}

func assertNotFound(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("%s = %v, want domain.ErrNotFound", what, err)
	}
}

func assertStored(t *testing.T, db *DB, want domain.Connection) {
	t.Helper()
	got, err := db.GetConnection(context.Background(), want.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("stored\n %+v\nwant\n %+v", got, want)
	}
}

// assertColumns checks the raw text of the three time columns, as an
// analyst opening the file would read them ("NULL" for NULL).
func assertColumns(t *testing.T, db *DB, id string, connected, checked, synced string) {
	t.Helper()
	var a string
	var b, c sql.NullString
	err := db.reader.QueryRow(`SELECT connected_at, status_checked_at, last_sync_at FROM connections WHERE id = ?`, id).Scan(&a, &b, &c)
	if err != nil {
		t.Fatal(err)
	}
	text := func(s sql.NullString) string {
		if !s.Valid {
			return "NULL"
		}
		return s.String
	}
	if got := []string{a, text(b), text(c)}; !reflect.DeepEqual(got, []string{connected, checked, synced}) {
		t.Errorf("stored times %q, want %q", got, []string{connected, checked, synced})
	}
}

// queryPlan returns EXPLAIN QUERY PLAN's details for query, joined by "; ".
func queryPlan(t *testing.T, db *DB, query string) string {
	t.Helper()
	rows, err := db.reader.Query("EXPLAIN QUERY PLAN " + query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var steps []string
	for rows.Next() {
		var id, parent, notUsed int
		var detail string
		if err := rows.Scan(&id, &parent, &notUsed, &detail); err != nil {
			t.Fatal(err)
		}
		steps = append(steps, detail)
	}
	return strings.Join(steps, "; ")
}
