package syncer

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/sandbox"
)

// following runs a Follow sync of s until the test ends and waits until it
// has caught up once.
func following(t testing.TB, s *sandboxEnv, poll time.Duration) {
	t.Helper()
	caught := make(chan struct{})
	var closed bool
	eng := s.engine(s.base, Params{Progress: func(p Progress) {
		if p.Stage == StageFollowing && !closed {
			closed = true
			close(caught)
		}
	}})
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- eng.Sync(ctx, s.connID, Options{Follow: true, PollEvery: poll}) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("Follow ended with %v", err)
		}
	})
	select {
	case <-caught:
	case err := <-done:
		t.Fatalf("Follow stopped before catching up: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("Follow did not catch up within a minute")
	}
}

// visible waits until the change's event and the object's state as of it
// are in SQLite, and returns how long that took from since.
func visible(t testing.TB, s *sandboxEnv, table string, c sandbox.Change, since time.Time, limit time.Duration) time.Duration {
	t.Helper()
	deadline := since.Add(limit)
	for {
		var ok bool
		err := s.db.Reader().QueryRow(`SELECT o.version >= e.created * 1000 FROM stripe_events e, `+table+` o
			WHERE e.id = ? AND o.id = ?`, c.Event, c.ID).Scan(&ok)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			t.Fatal(err)
		}
		if ok {
			return time.Since(since)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s %s %s was not in SQLite within %v", c.Type, c.ID, c.Action, limit)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestFollowKeepsUpWithChurn(t *testing.T) {
	s := newSandboxEnv(t, sandbox.Options{Seed: 11, Scale: 1500, Churn: 20}, nil)
	following(t, s, 200*time.Millisecond)
	changes, err := s.sb.Mutate(s.account, "charges", "update", 1, "")
	if err != nil {
		t.Fatal(err)
	}
	took := visible(t, s, "stripe_charges", changes[0], time.Now(), 5*time.Second)
	t.Logf("an update reached SQLite after %v while the sandbox made 20 changes a second", took.Round(time.Millisecond))

	// Let the churn run, stop it, and give the follower a moment: the
	// warehouse then holds exactly what the sandbox does.
	time.Sleep(time.Second)
	if err := s.sb.Close(); err != nil {
		t.Fatal(err)
	}
	marker, err := s.sb.Mutate(s.account, "customers", "create", 1, "")
	if err != nil {
		t.Fatal(err)
	}
	visible(t, s, "stripe_customers", marker[0], time.Now(), 10*time.Second)
	// The marker's page may still be being written for other types.
	truth := s.truth()
	deadline := time.Now().Add(5 * time.Second)
	for !reflect.DeepEqual(s.counts(), truth) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	s.requireCounts(truth)
}

// BenchmarkFollowFreshness measures how long a change in the sandbox takes
// to reach SQLite under a Follow sync polling every second (the default):
// it reports the median and the 90th percentile over b.N changes.
func BenchmarkFollowFreshness(b *testing.B) {
	s := newSandboxEnv(b, sandbox.Options{Seed: 12, Scale: 2000}, nil)
	following(b, s, DefaultPollEvery)
	var lat []time.Duration
	b.ResetTimer()
	for i := range b.N {
		typ, table := "charges", "stripe_charges"
		if i%2 == 1 {
			typ, table = "customers", "stripe_customers"
		}
		start := time.Now()
		changes, err := s.sb.Mutate(s.account, typ, "update", 1, "")
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, visible(b, s, table, changes[0], start, 10*time.Second))
		// Changes arrive at random moments relative to the polls.
		time.Sleep(time.Duration(137*(i%7)) * time.Millisecond)
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Milliseconds()), "median-ms")
	b.ReportMetric(float64(lat[len(lat)*9/10].Milliseconds()), "p90-ms")
}
