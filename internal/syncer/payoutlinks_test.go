package syncer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/sandbox"
	"github.com/ledgerline/ledgerline/internal/stripeapi"
)

// linkScale is large enough for dozens of payouts, a few of them failed.
const linkScale = 3000

// storedPayout is an automatic payout as the warehouse holds it.
type storedPayout struct {
	id, status string
	amount     int64
}

// linkedPayouts are the paid and failed automatic payouts stored.
func (s *sandboxEnv) linkedPayouts() []storedPayout {
	s.t.Helper()
	rows, err := s.db.Reader().Query(`SELECT id, status, amount FROM stripe_payouts
		WHERE connection_id = ? AND automatic = 1 AND status IN ('paid', 'failed') AND is_deleted = 0`, s.connID)
	if err != nil {
		s.t.Fatal(err)
	}
	defer rows.Close()
	var out []storedPayout
	for rows.Next() {
		var p storedPayout
		if err := rows.Scan(&p.id, &p.status, &p.amount); err != nil {
			s.t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// links are the balance transactions stored as payout's links, sorted, and
// the sum of their net.
func (s *sandboxEnv) links(payout string) ([]string, int64) {
	s.t.Helper()
	rows, err := s.db.Reader().Query(`SELECT balance_transaction, net FROM stripe_payout_links
		WHERE connection_id = ? AND payout = ? ORDER BY balance_transaction`, s.connID, payout)
	if err != nil {
		s.t.Fatal(err)
	}
	defer rows.Close()
	var ids []string
	var sum int64
	for rows.Next() {
		var id string
		var net int64
		if err := rows.Scan(&id, &net); err != nil {
			s.t.Fatal(err)
		}
		ids, sum = append(ids, id), sum+net
	}
	return ids, sum
}

// requireLinks fails unless every paid or failed automatic payout stored has
// exactly the sandbox's links, adding up to its amount, and a done marker;
// it returns how many payouts it checked.
func (s *sandboxEnv) requireLinks() int {
	s.t.Helper()
	payouts := s.linkedPayouts()
	var want int
	for _, p := range payouts {
		truth, ok := s.sb.PayoutLinks(s.account, p.id)
		if !ok {
			s.t.Fatalf("payout %s: the sandbox has no links for it", p.id)
		}
		got, sum := s.links(p.id)
		wantIDs := slices.Sorted(slices.Values(truth.Links))
		if !slices.Equal(got, wantIDs) {
			s.t.Fatalf("payout %s (%s): stored %d links, the sandbox %d\nstored %v\ntruth  %v", p.id, p.status, len(got), len(wantIDs), got, wantIDs)
		}
		if sum != p.amount || truth.Amount != p.amount {
			s.t.Fatalf("payout %s (%s): amount %d (truth %d), its links' net adds up to %d", p.id, p.status, p.amount, truth.Amount, sum)
		}
		if n := s.queryString(`SELECT links FROM sync_payout_links WHERE connection_id = ? AND payout = ?`, s.connID, p.id); n != fmt.Sprint(len(got)) {
			s.t.Fatalf("payout %s: marker says %q links, %d stored", p.id, n, len(got))
		}
		want += len(wantIDs)
	}
	if total := s.queryString(`SELECT count(*) FROM stripe_payout_links WHERE connection_id = ?`, s.connID); total != fmt.Sprint(want) {
		s.t.Fatalf("%s links stored, the payouts' truth has %d", total, want)
	}
	return len(payouts)
}

// linkedSplit is how many paid or failed automatic payouts stored were
// created in the last linksRecent and how many before, and how many of each
// have their links' marker.
func (s *sandboxEnv) linkedSplit() (recent, recentDone, older, olderDone int) {
	s.t.Helper()
	cut := time.Now().Add(-linksRecent).Unix()
	rows, err := s.db.Reader().Query(`SELECT p.created >= ?, EXISTS (SELECT 1 FROM sync_payout_links m
			WHERE m.connection_id = p.connection_id AND m.payout = p.id)
		FROM stripe_payouts p WHERE p.connection_id = ? AND p.automatic = 1 AND p.status IN ('paid', 'failed') AND p.is_deleted = 0`, cut, s.connID)
	if err != nil {
		s.t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var isRecent, done bool
		if err := rows.Scan(&isRecent, &done); err != nil {
			s.t.Fatal(err)
		}
		switch {
		case isRecent:
			recent++
			if done {
				recentDone++
			}
		default:
			older++
			if done {
				olderDone++
			}
		}
	}
	return
}

// requireOneShotLinks fails unless a one-shot sync linked exactly the
// payouts of the last linksRecent; it returns how many older ones it left.
func (s *sandboxEnv) requireOneShotLinks() int {
	s.t.Helper()
	recent, recentDone, older, olderDone := s.linkedSplit()
	s.t.Logf("one-shot sync: %d of %d recent payouts linked, %d of %d older", recentDone, recent, olderDone, older)
	if recentDone != recent || olderDone != 0 {
		s.t.Fatalf("a one-shot sync linked %d of %d recent payouts and %d of %d older ones; want all recent, no older", recentDone, recent, olderDone, older)
	}
	return older
}

// followUntilLinked runs a Follow sync with eng until every paid or failed
// automatic payout stored has its links (at most a minute), stops it and
// returns its error.
func (s *sandboxEnv) followUntilLinked(ctx context.Context, eng *Engine) error {
	s.t.Helper()
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- eng.Sync(ctx, s.connID, Options{Follow: true, PollEvery: 20 * time.Millisecond}) }()
	deadline := time.Now().Add(time.Minute)
	for {
		select {
		case err := <-done:
			return err
		case <-time.After(20 * time.Millisecond):
		}
		if _, rd, o, od := s.linkedSplit(); rd+od == len(s.linkedPayouts()) && od == o {
			break
		}
		if time.Now().After(deadline) {
			s.t.Fatal("following for a minute did not link every payout")
		}
	}
	stop()
	return <-done
}

// get GETs a sandbox path and decodes its JSON into v.
func (s *sandboxEnv) get(path string, v any) {
	s.t.Helper()
	resp, err := http.Get(s.base + path)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		s.t.Fatalf("%s: %v", path, err)
	}
}

// linkRequests counts the requests for a payout's links that reach h, and
// calls at(n) (when set) before serving the n-th.
func linkRequests(n *atomic.Int64, at func(int64)) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/v1/balance_transactions" && r.URL.Query().Get("payout") != "" {
				k := n.Add(1)
				if at != nil {
					at(k)
				}
			}
			h.ServeHTTP(w, r)
		})
	}
}

func TestPayoutLinks(t *testing.T) {
	ctx := context.Background()
	for _, seed := range []int64{1, 2} {
		t.Run(fmt.Sprintf("a sync links the last 7 days' payouts, following the older ones too: every paid or failed automatic payout's links, adding up to its amount, seed %d", seed), func(t *testing.T) {
			s := newSandboxEnv(t, sandbox.Options{Seed: seed, Scale: linkScale}, nil)
			eng := s.engine(s.base, Params{})
			if err := eng.Sync(ctx, s.connID, Options{}); err != nil {
				t.Fatalf("Sync: %v", err)
			}
			if older := s.requireOneShotLinks(); older == 0 {
				t.Fatal("no payout older than 7 days: the test proves little")
			}
			if err := s.followUntilLinked(ctx, eng); err != nil {
				t.Fatalf("Follow: %v", err)
			}
			n := s.requireLinks()
			failed := s.queryString(`SELECT count(*) FROM stripe_payouts WHERE status = 'failed' AND automatic = 1`)
			if n < 10 || failed == "0" {
				t.Fatalf("only %d payouts with links, %s failed: the test proves little", n, failed)
			}
			t.Logf("%d payouts (%s failed), %s links", n, failed, s.queryString(`SELECT count(*) FROM stripe_payout_links`))
			// The truth's payout_links counts the links of payouts still in
			// transit too; those are fetched once they are paid.
			var truth map[string]sandbox.Count
			s.get("/_sandbox/truth?account="+s.account, &truth)
			var stored, inTransit int
			fmt.Sscan(s.queryString(`SELECT count(*) FROM stripe_payout_links`), &stored)
			rows, err := s.db.Reader().Query(`SELECT id FROM stripe_payouts WHERE automatic = 1 AND status NOT IN ('paid', 'failed')`)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var id string
				rows.Scan(&id)
				l, _ := s.sb.PayoutLinks(s.account, id)
				inTransit += len(l.Links)
			}
			rows.Close()
			if got := truth["payout_links"].Live; got != stored+inTransit {
				t.Errorf("truth has %d payout links; %d stored, %d of payouts in transit", got, stored, inTransit)
			}
			if own := s.queryString(`SELECT count(*) FROM stripe_payout_links WHERE type = 'payout' AND source = payout`); own != "0" {
				t.Errorf("%s payouts' own transactions stored as links", own)
			}
			s.requireCounts(s.truth())
			s.integrity()
		})
	}

	t.Run("a one-shot sync links the payouts of the last 7 days and no older one", func(t *testing.T) {
		// At this scale payouts are weekly: the last 7 days hold one paid.
		s := newSandboxEnv(t, sandbox.Options{Seed: 1, Scale: 2 * linkScale}, nil)
		if err := s.engine(s.base, Params{}).Sync(ctx, s.connID, Options{}); err != nil {
			t.Fatalf("Sync: %v", err)
		}
		older := s.requireOneShotLinks()
		if recent, _, _, _ := s.linkedSplit(); recent == 0 || older == 0 {
			t.Fatalf("%d recent payouts, %d older: the test proves little", recent, older)
		}
	})

	t.Run("a follow sync links older payouts between polls, newest first, at most linksPerFollow a poll", func(t *testing.T) {
		s := newSandboxEnv(t, sandbox.Options{Seed: 1, Scale: 2 * linkScale}, nil)
		follow, stop := context.WithCancel(ctx)
		defer stop()
		followed := make(chan error, 1)
		go func() {
			followed <- s.engine(s.base, Params{}).Sync(follow, s.connID, Options{Follow: true, PollEvery: time.Hour})
		}()
		// The first round, then one idle wait before a poll an hour away.
		deadline := time.Now().Add(30 * time.Second)
		for {
			if _, _, _, od := s.linkedSplit(); od >= linksPerFollow {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("no older payouts linked within 30 s of following")
			}
			time.Sleep(20 * time.Millisecond)
		}
		time.Sleep(500 * time.Millisecond)
		recent, recentDone, older, olderDone := s.linkedSplit()
		if recentDone != recent || olderDone != linksPerFollow || older <= linksPerFollow {
			t.Fatalf("before the next poll: %d of %d recent, %d of %d older linked; want all recent and %d older", recentDone, recent, olderDone, older, linksPerFollow)
		}
		// The ones linked are the newest older payouts.
		cut := time.Now().Add(-linksRecent).Unix()
		if n := s.queryString(`SELECT count(*) FROM (SELECT p.id FROM stripe_payouts p
				WHERE p.connection_id = ? AND p.automatic = 1 AND p.status IN ('paid', 'failed') AND p.is_deleted = 0 AND p.created < ?
				ORDER BY p.created DESC, p.id DESC LIMIT ?) n
			WHERE EXISTS (SELECT 1 FROM sync_payout_links m WHERE m.connection_id = ? AND m.payout = n.id)`, s.connID, cut, linksPerFollow, s.connID); n != fmt.Sprint(linksPerFollow) {
			t.Fatalf("%s of the %d newest older payouts linked", n, linksPerFollow)
		}
		stop()
		if err := <-followed; err != nil {
			t.Fatalf("Follow: %v", err)
		}
	})

	t.Run("a follow sync stopped half way through the links resumes without losing, doubling or refetching links", func(t *testing.T) {
		var seen atomic.Int64
		var mu sync.Mutex
		var asked []string // payouts whose links were asked for, once the first sync returned
		resumed := atomic.Bool{}
		stop, cancel := context.WithCancel(ctx)
		defer cancel()
		s := newSandboxEnv(t, sandbox.Options{Seed: 1, Scale: linkScale}, func(h http.Handler) http.Handler {
			return linkRequests(&seen, func(n int64) {
				if n == 12 {
					cancel()
				}
			})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if po := r.URL.Query().Get("payout"); po != "" && resumed.Load() {
					mu.Lock()
					asked = append(asked, po)
					mu.Unlock()
				}
				h.ServeHTTP(w, r)
			}))
		})
		// Follow ends without an error when its context does.
		if err := s.engine(s.base, Params{}).Sync(stop, s.connID, Options{Follow: true, PollEvery: 20 * time.Millisecond}); err != nil {
			t.Fatalf("Follow: %v", err)
		}
		done := map[string]bool{}
		for _, p := range s.linkedPayouts() {
			if s.queryString(`SELECT count(*) FROM sync_payout_links WHERE payout = ?`, p.id) == "1" {
				done[p.id] = true
			}
		}
		if len(done) == 0 || len(done) == len(s.linkedPayouts()) {
			t.Fatalf("%d payouts done when stopped: not half way", len(done))
		}
		t.Logf("stopped with %d payouts done after %d link requests", len(done), seen.Load())
		resumed.Store(true)
		if err := s.followUntilLinked(ctx, s.engine(s.base, Params{})); err != nil {
			t.Fatalf("Follow after the stop: %v", err)
		}
		s.requireLinks()
		mu.Lock()
		defer mu.Unlock()
		for _, po := range asked {
			if done[po] {
				t.Errorf("the resumed sync asked again for the links of %s, done before the stop", po)
			}
		}
		if len(asked) < len(s.linkedPayouts())-len(done) {
			t.Errorf("the resumed sync asked for %d payouts' links; %d were left", len(asked), len(s.linkedPayouts())-len(done))
		}
	})

	t.Run("a payout that is paid later gets its links in the next follow round", func(t *testing.T) {
		var hide atomic.Value // the payout shown as in_transit while set
		hide.Store("")
		s := newSandboxEnv(t, sandbox.Options{Seed: 2, Scale: linkScale}, showInTransit(&hide))
		list := s.object("/v1/payouts?limit=100")
		var target string
		for _, p := range list["data"].([]any) {
			if m := p.(map[string]any); m["automatic"] == true && m["status"] == "paid" {
				target = m["id"].(string)
				break
			}
		}
		if target == "" {
			t.Fatal("no paid automatic payout")
		}
		hide.Store(target)
		eng := s.engine(s.base, Params{})
		if err := eng.Sync(ctx, s.connID, Options{}); err != nil {
			t.Fatal(err)
		}
		if st := s.queryString(`SELECT status FROM stripe_payouts WHERE id = ?`, target); st != "in_transit" {
			t.Fatalf("the hidden payout is stored %s", st)
		}
		if got, _ := s.links(target); len(got) != 0 {
			t.Fatalf("an in-transit payout got %d links", len(got))
		}

		follow, stopFollow := context.WithCancel(ctx)
		defer stopFollow()
		followed := make(chan error, 1)
		go func() {
			followed <- eng.Sync(follow, s.connID, Options{Follow: true, PollEvery: 20 * time.Millisecond})
		}()
		hide.Store("")
		// Stripe says it is paid: an event with the payout as it is now.
		if _, err := s.sb.Mutate(s.account, "payouts", "update", 1, target); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(20 * time.Second)
		for {
			if got, _ := s.links(target); len(got) > 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the payout got no links within 20 s of following")
			}
			time.Sleep(20 * time.Millisecond)
		}
		stopFollow()
		if err := <-followed; err != nil {
			t.Fatalf("Follow: %v", err)
		}
		if err := s.followUntilLinked(ctx, eng); err != nil {
			t.Fatalf("Follow until every payout is linked: %v", err)
		}
		s.requireLinks()
	})

	t.Run("a key revoked while links are fetched: needs re-authentication, links kept, the rest after re-authentication", func(t *testing.T) {
		var seen atomic.Int64
		var s *sandboxEnv
		s = newSandboxEnv(t, sandbox.Options{Seed: 1, Scale: linkScale}, linkRequests(&seen, func(n int64) {
			if n == 8 {
				go s.hook("/_sandbox/revoke", url.Values{"api_key": {s.key}}, nil)
				time.Sleep(50 * time.Millisecond) // the revocation lands first
			}
		}))
		err := s.engine(s.base, Params{}).Sync(ctx, s.connID, Options{Follow: true, PollEvery: 20 * time.Millisecond})
		if !errors.Is(err, stripeapi.ErrNeedsReauth) {
			t.Fatalf("Follow: %v, want ErrNeedsReauth", err)
		}
		if conn, _ := s.db.GetConnection(ctx, s.connID); conn.Status != domain.StatusNeedsReauth {
			t.Errorf("status %q", conn.Status)
		}
		kept := s.queryString(`SELECT count(*) FROM sync_payout_links`)
		if kept == "0" {
			t.Error("no payout's links kept from before the revocation")
		}
		// Every payout marked done has all its links.
		for _, p := range s.linkedPayouts() {
			if marker := s.queryString(`SELECT count(*) FROM sync_payout_links WHERE payout = ?`, p.id); marker == "1" {
				truth, _ := s.sb.PayoutLinks(s.account, p.id)
				if got, _ := s.links(p.id); len(got) != len(truth.Links) {
					t.Fatalf("payout %s marked done with %d of %d links", p.id, len(got), len(truth.Links))
				}
			}
		}
		var fresh struct {
			APIKey string `json:"api_key"`
		}
		s.hook("/_sandbox/keys", url.Values{"account": {s.account}}, &fresh)
		s.keys.set(s.connID, fresh.APIKey)
		if err := s.db.SetStatus(ctx, s.connID, domain.StatusConnected, "", nil, time.Now()); err != nil {
			t.Fatal(err)
		}
		if err := s.followUntilLinked(ctx, s.engine(s.base, Params{})); err != nil {
			t.Fatalf("Follow after re-authentication: %v", err)
		}
		s.requireLinks()
	})
}

// showInTransit rewrites, while hide holds a payout's id, that payout's
// status to in_transit in every list or event the sandbox answers: as if
// Stripe had not paid it yet.
func showInTransit(hide *atomic.Value) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id, _ := hide.Load().(string)
			if id == "" || (r.URL.Path != "/v1/payouts" && r.URL.Path != "/v1/events") {
				h.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			body := rec.Body.Bytes()
			if rec.Code == http.StatusOK && bytes.Contains(body, []byte(id)) {
				var v any
				if err := json.Unmarshal(body, &v); err == nil {
					rewriteStatus(v, id)
					body, _ = json.Marshal(v)
				}
			}
			for k, vs := range rec.Header() {
				if !strings.EqualFold(k, "Content-Length") {
					w.Header()[k] = vs
				}
			}
			w.WriteHeader(rec.Code)
			w.Write(body)
		})
	}
}

func rewriteStatus(v any, id string) {
	switch x := v.(type) {
	case map[string]any:
		if x["id"] == id && x["object"] == "payout" {
			x["status"] = "in_transit"
		}
		for _, e := range x {
			rewriteStatus(e, id)
		}
	case []any:
		for _, e := range x {
			rewriteStatus(e, id)
		}
	}
}
