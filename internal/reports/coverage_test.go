package reports

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/sandbox"
	"github.com/ledgerline/ledgerline/internal/store"
	"github.com/ledgerline/ledgerline/internal/syncer"
	"github.com/ledgerline/ledgerline/internal/testkit"
	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// sandboxIDs lists, straight from the sandbox, the ids of objects at path
// created at or after from.
func sandboxIDs(t *testing.T, base, key, path string, from int64) []string {
	t.Helper()
	var ids []string
	after := ""
	for {
		v := url.Values{"limit": {"100"}, "created[gte]": {strconv.FormatInt(from, 10)}}
		if after != "" {
			v.Set("starting_after", after)
		}
		req, _ := http.NewRequest("GET", base+path+"?"+v.Encode(), nil)
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var page struct {
			Data []struct {
				ID string `json:"id"`
			} `json:"data"`
			HasMore bool `json:"has_more"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("listing %s: %v", path, err)
		}
		for _, o := range page.Data {
			ids = append(ids, o.ID)
		}
		if !page.HasMore || len(page.Data) == 0 {
			return ids
		}
		after = page.Data[len(page.Data)-1].ID
	}
}

// A first sync stopped part way: the money report of this month (and last
// month, which it compares with) is already complete and equals the one
// after the whole copy; a report of last year says it is not, and from
// when its data is: every object of the types it reads created from then on
// is stored (checked against the sandbox's own lists), and that instant is
// just after the oldest charge, refund, dispute, customer or balance
// transaction stored so far of a type still copying.
func TestReportsSayHowFarTheCopyIs(t *testing.T) {
	ctx := context.Background()
	srv, err := sandbox.New(sandbox.Options{Seed: 3, Accounts: 1, Scale: 4000})
	if err != nil {
		t.Fatal(err)
	}
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	acct := srv.Info().Accounts[0]
	dir := t.TempDir()
	db, err := store.Open(ctx, store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	conn := domain.Connection{ID: domain.NewConnectionID(), Provider: domain.ProviderStripe, Name: acct.Name, AccountID: acct.ID,
		AuthMethod: domain.AuthAPIKey, Status: domain.StatusConnected, ConnectedAt: time.Now()}
	if err := db.CreateConnection(ctx, conn, nil); err != nil {
		t.Fatal(err)
	}
	wh, err := warehouse.New(warehouse.Options{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	// This month and last month are within the first pages (about 1,000
	// charges over three years: 100 a page reach back about 100 days);
	// older pages wait.
	held := &testkit.HoldOlder{Cutoff: now.AddDate(0, 0, -75).Unix()}
	// One worker a type: no range is split, so each type lists down to
	// the cutoff and waits there.
	eng, err := syncer.New(syncer.Params{Store: db, Warehouse: wh, Keys: fixedKey(acct.APIKey), APIBase: base,
		LockDir: dir, Limits: syncer.Limits{Off: true}, HTTPClient: &http.Client{Transport: held}, PerType: 1, Concurrency: 40})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- eng.Sync(ctx, conn.ID, syncer.Options{}) }()

	r := New(db.Reader(), func() time.Time { return now })
	loc := time.UTC
	thisMonth, _ := PresetPeriod(PeriodThisMonth, now, loc)
	lastYear, _ := PresetPeriod(PeriodLastYear, now, loc)
	// Wait until the copy stands still: requests held, and the report's
	// coverage unchanged for half a second.
	var partial MoneyReport
	var last string
	still := time.Now()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if time.Now().After(deadline) {
			t.Fatalf("the copy never stood still (last coverage %s)", last)
		}
		if partial, err = r.MoneyReport(ctx, []string{conn.ID}, lastYear); err != nil {
			t.Fatal(err)
		}
		key := fmt.Sprint(partial.Coverage, held.Held())
		if key != last {
			last, still = key, time.Now()
		} else if held.Held() > 0 && !partial.Coverage.From.IsZero() && time.Since(still) > 500*time.Millisecond {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	cov := partial.Coverage
	if cov.Complete || cov.PreviousComplete || cov.From.IsZero() || len(cov.Copying) == 0 {
		t.Fatalf("last year while copying: %+v, want incomplete with a date", cov)
	}
	t.Logf("copying %v; complete from %s", cov.Copying, cov.From)

	t.Run("every object read, created from that date on, is stored", func(t *testing.T) {
		for _, c := range []struct{ table, path string }{{"stripe_charges", "/v1/charges"}, {"stripe_refunds", "/v1/refunds"},
			{"stripe_disputes", "/v1/disputes"}, {"stripe_customers", "/v1/customers"},
			{"stripe_balance_transactions", "/v1/balance_transactions"}} {
			want := sandboxIDs(t, base, acct.APIKey, c.path, cov.From.Unix())
			var n int
			for _, id := range want {
				var found int
				if err := db.Reader().QueryRow(`SELECT count(*) FROM `+c.table+` WHERE connection_id = ? AND id = ?`, conn.ID, id).Scan(&found); err != nil {
					t.Fatal(err)
				}
				n += found
			}
			if n != len(want) {
				t.Errorf("%s: %d of the %d objects created since %s are stored", c.table, n, len(want), cov.From)
			}
		}
	})

	t.Run("and the date is the oldest stored object of a type still copying, plus a second", func(t *testing.T) {
		tables := map[string]string{"charges": "stripe_charges", "refunds": "stripe_refunds", "disputes": "stripe_disputes",
			"customers": "stripe_customers", "balance_transactions": "stripe_balance_transactions"}
		var edges []int64
		for _, typ := range cov.Copying {
			var oldest int64
			if err := db.Reader().QueryRow(`SELECT min(created) FROM `+tables[typ]+` WHERE connection_id = ?`, conn.ID).Scan(&oldest); err != nil {
				t.Fatal(err)
			}
			edges = append(edges, oldest+1)
		}
		if !slices.Contains(edges, cov.From.Unix()) || cov.From.Unix() < slices.Max(edges) {
			t.Errorf("complete from %d; the oldest stored objects of %v end at %v", cov.From.Unix(), cov.Copying, edges)
		}
	})

	during, err := r.MoneyReport(ctx, []string{conn.ID}, thisMonth)
	if err != nil {
		t.Fatal(err)
	}
	if during.Coverage.Incomplete() {
		t.Errorf("this month while copying: %+v, want this month and last month complete", during.Coverage)
	}

	held.Release()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	after, err := r.MoneyReport(ctx, []string{conn.ID}, thisMonth)
	if err != nil {
		t.Fatal(err)
	}
	if c := after.Coverage; c.Incomplete() || !c.From.IsZero() || len(c.Copying) != 0 {
		t.Errorf("after the copy: %+v, want complete", c)
	}
	during.Coverage, after.Coverage = Completeness{}, Completeness{}
	if !reflect.DeepEqual(during, after) {
		t.Errorf("this month's figures changed after the copy:\nduring %+v\nafter  %+v", during, after)
	}
	full, err := r.MoneyReport(ctx, []string{conn.ID}, lastYear)
	if err != nil {
		t.Fatal(err)
	}
	if full.Coverage.Incomplete() {
		t.Errorf("last year after the copy: %+v", full.Coverage)
	}
}
