package syncer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/sandbox"
	"github.com/ledgerline/ledgerline/internal/stripeapi"
	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// sandboxEnv is the real sandbox, in this process on 127.0.0.1, and an env
// connected to its first account with that account's restricted key.
type sandboxEnv struct {
	*env
	sb      *sandbox.Server
	base    string
	account string
	key     string
}

// newSandboxEnv starts a sandbox with opts; wrap, when not nil, goes around
// its handler (fault injection).
func newSandboxEnv(t testing.TB, opts sandbox.Options, wrap func(http.Handler) http.Handler) *sandboxEnv {
	t.Helper()
	return newSandboxEnvIn(t, t.TempDir(), opts, wrap)
}

// newSandboxEnvIn is newSandboxEnv with its data in dir.
func newSandboxEnvIn(t testing.TB, dir string, opts sandbox.Options, wrap func(http.Handler) http.Handler) *sandboxEnv {
	t.Helper()
	opts.Accounts = 1
	sb, err := sandbox.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	h := sb.Handler()
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	acct := sb.Info().Accounts[0]
	return &sandboxEnv{env: newEnvIn(t, dir, acct.ID, acct.APIKey), sb: sb, base: srv.URL, account: acct.ID, key: acct.APIKey}
}

// truth is the sandbox's /_sandbox/truth for the account.
func (s *sandboxEnv) truth() map[string]warehouse.Count {
	s.t.Helper()
	tr, ok := s.sb.Truth(s.account)
	if !ok {
		s.t.Fatalf("the sandbox doesn't know account %s", s.account)
	}
	out := make(map[string]warehouse.Count, len(tr))
	for k, c := range tr {
		out[k] = warehouse.Count{Live: int64(c.Live), Deleted: int64(c.Deleted)}
	}
	return out
}

// hook POSTs form to a /_sandbox/ hook and decodes the answer into v.
func (s *sandboxEnv) hook(path string, form url.Values, v any) {
	s.t.Helper()
	resp, err := http.PostForm(s.base+path, form)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		s.t.Fatalf("%s: %s", path, resp.Status)
	}
	if v != nil {
		if err := json.Unmarshal(body, v); err != nil {
			s.t.Fatal(err)
		}
	}
}

// object GETs one object from the sandbox's API, as a map without nulls.
func (s *sandboxEnv) object(path string) map[string]any {
	s.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.base+path, nil)
	req.Header.Set("Authorization", "Bearer "+s.key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		s.t.Fatal(err)
	}
	return withoutNulls(m).(map[string]any)
}

// stored is the data column of one warehouse row, as a map.
func (s *sandboxEnv) stored(table, id string) map[string]any {
	s.t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s.queryString(`SELECT data FROM `+table+` WHERE id = ?`, id)), &m); err != nil {
		s.t.Fatalf("%s %s: %v", table, id, err)
	}
	return m
}

func withoutNulls(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if e == nil {
				delete(x, k)
			} else {
				x[k] = withoutNulls(e)
			}
		}
	case []any:
		for i := range x {
			x[i] = withoutNulls(x[i])
		}
	}
	return v
}

// rateModes are the sandbox's rate-limit modes and the engine's limits for
// each (the sandbox's accounts are test-mode; "live" gives them live-mode
// budgets on both sides).
var rateModes = []struct {
	sandbox string
	engine  Limits
}{
	{sandbox.RateLimitOff, Limits{Off: true}},
	{sandbox.RateLimitTest, DefaultLimits()},
	{sandbox.RateLimitLive, Limits{Test: DefaultLimits().Live}},
}

func TestSyncMatchesSandboxTruth(t *testing.T) {
	ctx := context.Background()
	for _, seed := range []int64{1, 2} {
		for _, mode := range rateModes {
			t.Run(fmt.Sprintf("a backfill stores exactly the sandbox's truth, seed %d, rate limits %s", seed, mode.sandbox), func(t *testing.T) {
				s := newSandboxEnv(t, sandbox.Options{Seed: seed, Scale: 800, RateLimit: mode.sandbox}, nil)
				if err := s.engine(s.base, Params{Limits: mode.engine}).Sync(ctx, s.connID, Options{}); err != nil {
					t.Fatalf("Sync: %v", err)
				}
				s.requireCounts(s.truth())
				s.integrity()
			})
		}
	}
}

func TestSyncKnowsEarlierDeletions(t *testing.T) {
	ctx := context.Background()
	s := newSandboxEnv(t, sandbox.Options{Seed: 9, Scale: 800}, nil)
	for _, typ := range []string{"customers", "invoices", "subscriptions", "coupons"} {
		if _, err := s.sb.Mutate(s.account, typ, "delete", 2, ""); err != nil {
			t.Fatal(err)
		}
	}
	truth := s.truth()
	if truth["customers"].Deleted == 0 {
		t.Fatal("the sandbox counts no deleted customers")
	}
	if err := s.engine(s.base, Params{}).Sync(ctx, s.connID, Options{}); err != nil {
		t.Fatal(err)
	}
	s.requireCounts(truth)
}

func TestSandboxIncrementalSync(t *testing.T) {
	ctx := context.Background()
	s := newSandboxEnv(t, sandbox.Options{Seed: 3, Scale: 1000}, nil)
	eng := s.engine(s.base, Params{})
	if err := eng.Sync(ctx, s.connID, Options{}); err != nil {
		t.Fatalf("backfill: %v", err)
	}
	s.requireCounts(s.truth())

	// Creates, updates and deletes across types, each with its event.
	var updated []sandbox.Change
	for _, m := range []struct {
		typ, action string
		n           int
	}{
		{"customers", "create", 3}, {"customers", "update", 4}, {"customers", "delete", 2},
		{"charges", "create", 5}, {"charges", "update", 5},
		{"invoices", "create", 2}, {"invoices", "update", 2}, {"invoices", "delete", 1},
		{"subscriptions", "create", 2}, {"subscriptions", "update", 2}, {"subscriptions", "delete", 1},
		{"products", "update", 1}, {"prices", "delete", 1}, {"coupons", "delete", 1}, {"refunds", "create", 2},
	} {
		changes, err := s.sb.Mutate(s.account, m.typ, m.action, m.n, "")
		if err != nil {
			t.Fatalf("mutate %s %s: %v", m.action, m.typ, err)
		}
		if m.action == "update" {
			updated = append(updated, changes...)
		}
	}
	if err := eng.Sync(ctx, s.connID, Options{}); err != nil {
		t.Fatalf("incremental sync: %v", err)
	}
	s.requireCounts(s.truth())
	s.integrity()
	for _, c := range updated {
		typ, _ := warehouse.TypeByName(c.Type)
		want := s.object(typ.ListPath + "/" + c.ID)
		if got := s.stored(typ.Table, c.ID); !reflect.DeepEqual(got, want) {
			t.Errorf("%s %s after its update differs from Stripe's:\nstored %v\nstripe %v", c.Type, c.ID, got, want)
		}
	}
	if st := s.state("customers"); st.EventsApplied == 0 || st.LastEventID == "" {
		t.Errorf("customers state: %d events applied, last %q", st.EventsApplied, st.LastEventID)
	}
}

func TestSandboxTrouble(t *testing.T) {
	ctx := context.Background()

	t.Run("with the sandbox's faults 429=10%, 500=5%, reset=2% the counts are exact", func(t *testing.T) {
		s := newSandboxEnv(t, sandbox.Options{Seed: 4, Scale: 1500, Faults: "429=0.10,500=0.05,reset=0.02"}, nil)
		if err := s.engine(s.base, Params{}).Sync(ctx, s.connID, Options{}); err != nil {
			t.Fatalf("Sync: %v", err)
		}
		s.requireCounts(s.truth())
		s.integrity()
	})

	for _, c := range []struct {
		name  string
		spoil func([]byte) []byte
		says  string
	}{
		{"bad JSON", truncate, "not JSON"},
		{"an object without an id", dropFirstID, "has no id"},
	} {
		t.Run("a page with "+c.name+" is fetched again, then reported; nothing of it is written", func(t *testing.T) {
			bad := &corrupting{path: "/v1/charges", after: 1, times: -1, spoil: c.spoil}
			s := newSandboxEnv(t, sandbox.Options{Seed: 4, Scale: 1500}, func(h http.Handler) http.Handler { bad.next = h; return bad })
			eng := s.engine(s.base, Params{PerType: 1})
			err := eng.Sync(ctx, s.connID, Options{})
			if !errors.Is(err, ErrMalformedPage) || !strings.Contains(err.Error(), "charges") || !strings.Contains(err.Error(), c.says) {
				t.Fatalf("Sync: %v; want ErrMalformedPage naming charges and saying %q", err, c.says)
			}
			if n := bad.count(); n != DefaultRetry().MalformedAttempts {
				t.Errorf("the bad page was fetched %d times, want %d", n, DefaultRetry().MalformedAttempts)
			}
			if got := s.counts()["charges"].Live; got != 100 {
				t.Errorf("charges stored: %d, want exactly the one good page", got)
			}
			st := s.state("charges")
			if st.Phase != PhaseBackfill || st.Synced != 100 || !strings.Contains(st.LastError, c.says) {
				t.Errorf("charges state: phase %q, synced %d, last error %q", st.Phase, st.Synced, st.LastError)
			}
			truth := s.truth()
			if got := s.counts()["customers"]; got != truth["customers"] {
				t.Errorf("the other types should complete: customers %+v, truth %+v", got, truth["customers"])
			}
			s.integrity()
			bad.mu.Lock()
			bad.times = bad.done
			bad.mu.Unlock()
			if err := eng.Sync(ctx, s.connID, Options{}); err != nil {
				t.Fatalf("Sync once the pages are good: %v", err)
			}
			s.requireCounts(truth)
			if st := s.state("charges"); st.LastError != "" || st.Phase != PhaseReady {
				t.Errorf("after recovery: phase %q, last error %q", st.Phase, st.LastError)
			}
		})
	}

	t.Run("a key revoked mid-sync: needs re-authentication, rows kept, resumes after re-authentication", func(t *testing.T) {
		s := newSandboxEnv(t, sandbox.Options{Seed: 5, Scale: 3000}, nil)
		revoked := make(chan struct{})
		client, _ := countingClient("/v1/charges", 3, func() {
			s.hook("/_sandbox/revoke", url.Values{"api_key": {s.key}}, nil)
			close(revoked)
		})
		eng := s.engine(s.base, Params{HTTPClient: client})
		err := eng.Sync(ctx, s.connID, Options{})
		<-revoked
		if !errors.Is(err, stripeapi.ErrNeedsReauth) {
			t.Fatalf("Sync: %v, want ErrNeedsReauth", err)
		}
		conn, _ := s.db.GetConnection(ctx, s.connID)
		if conn.Status != domain.StatusNeedsReauth {
			t.Errorf("status %q", conn.Status)
		}
		kept := s.counts()["charges"].Live
		if kept == 0 {
			t.Error("no charge kept from before the revocation")
		}
		var fresh struct {
			APIKey string `json:"api_key"`
		}
		s.hook("/_sandbox/keys", url.Values{"account": {s.account}}, &fresh)
		s.keys.set(s.connID, fresh.APIKey)
		if err := s.db.SetStatus(ctx, s.connID, domain.StatusConnected, "", nil, time.Now()); err != nil {
			t.Fatal(err)
		}
		if err := s.engine(s.base, Params{}).Sync(ctx, s.connID, Options{}); err != nil {
			t.Fatalf("Sync after re-authentication: %v", err)
		}
		s.requireCounts(s.truth())
		if got := s.counts()["charges"].Live; got < kept {
			t.Errorf("charges went from %d to %d", kept, got)
		}
	})

	t.Run("a last event older than 30 days re-scans only the affected type, recorded", func(t *testing.T) {
		s := newSandboxEnv(t, sandbox.Options{Seed: 6, Scale: 800}, nil)
		eng := s.engine(s.base, Params{})
		if err := eng.Sync(ctx, s.connID, Options{}); err != nil {
			t.Fatal(err)
		}
		s.exec(`UPDATE sync_state SET last_event_created = ? WHERE object_type = 'invoices'`, time.Now().Add(-31*24*time.Hour).Unix())
		if _, err := s.sb.Mutate(s.account, "invoices", "delete", 2, ""); err != nil {
			t.Fatal(err)
		}
		before := s.state("charges").StartedAt
		if err := eng.Sync(ctx, s.connID, Options{}); err != nil {
			t.Fatal(err)
		}
		st := s.state("invoices")
		if st.Rescans != 1 || !strings.Contains(st.RescanReason, "30 days") || st.Phase != PhaseReady {
			t.Errorf("invoices: rescans %d, reason %q, phase %q", st.Rescans, st.RescanReason, st.Phase)
		}
		if lines := s.state("invoice_line_items"); lines.Rescans != 1 {
			t.Errorf("invoice lines, listed with their invoices, show %d re-scans", lines.Rescans)
		}
		if c := s.state("charges"); c.Rescans != 0 || !c.StartedAt.Equal(before) {
			t.Errorf("charges re-scanned too: %d", c.Rescans)
		}
		s.requireCounts(s.truth())
	})
}
