package testkit

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/store"
	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// chargesDBVersion names the generator below; change it when the charges
// it makes change, so an old cached database is not reused.
const chargesDBVersion = "v1"

// chargesDBs holds the databases ChargesDB opened in this process, by n: a
// benchmark database is built once and opened once per process (store.Open
// reads the whole file to check it).
var chargesDBs = struct {
	mu  sync.Mutex
	dbs map[int]chargesDB
}{dbs: map[int]chargesDB{}}

type chargesDB struct {
	db     *store.DB
	connID string
}

// ChargesDB returns an open Ledgerline database holding one connection
// with n charges, and that connection's id. The charges look like Stripe's
// (about 1.5 KB of compact JSON each, usd/eur/gbp/jpy, mostly succeeded,
// some failed or pending, newest first about every 29 s, one in ten sharing
// its created second with a neighbour, one in 50,000 deleted) and go in
// through warehouse.Prepare and Apply, so the tables and indexes are the
// real ones.
//
// The database is built once (in bulk transactions) into the user's cache
// directory, ledgerline-testkit/charges-<version>-schema<N>-<n> (N the
// store's schema version, so a database migrated by another build of the
// tree is not reused), and reused by later
// processes; within a process every call gets the same open *store.DB (use
// db.Path() for its file), which stays open until the process ends. Callers
// must only read it.
func ChargesDB(tb testing.TB, n int) (*store.DB, string) {
	tb.Helper()
	chargesDBs.mu.Lock()
	defer chargesDBs.mu.Unlock()
	if c, ok := chargesDBs.dbs[n]; ok {
		return c.db, c.connID
	}
	ctx := context.Background()
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "ledgerline-testkit", fmt.Sprintf("charges-%s-schema%d-%d", chargesDBVersion, store.SchemaVersion(), n))
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		if err := buildChargesDB(ctx, dir, n); err != nil {
			tb.Fatalf("building a database of %d charges: %v", n, err)
		}
	}
	// Processes that used it end without closing it, which to store looks
	// like an unclean shutdown; callers only read it, so no check is owed.
	db, err := store.Open(ctx, store.Options{Dir: dir, DeferCheck: true})
	if err != nil {
		tb.Fatalf("opening the database of %d charges: %v", n, err)
	}
	conns, err := db.ListConnections(ctx)
	if err != nil || len(conns) != 1 {
		tb.Fatalf("the database of %d charges in %s holds %d connections (%v); remove the directory to rebuild it", n, dir, len(conns), err)
	}
	chargesDBs.dbs[n] = chargesDB{db: db, connID: conns[0].ID}
	return db, conns[0].ID
}

// buildChargesDB writes the database in a fresh directory beside dir and
// renames it into place when complete, so a half-built one is never used.
// When another process got there first, its database is kept.
func buildChargesDB(ctx context.Context, dir string, n int) error {
	if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), filepath.Base(dir)+".building-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := fillChargesDB(ctx, tmp, n); err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		if _, statErr := os.Stat(dir); statErr == nil {
			return nil
		}
		return err
	}
	return nil
}

func fillChargesDB(ctx context.Context, dir string, n int) error {
	db, err := store.Open(ctx, store.Options{Dir: dir})
	if err != nil {
		return err
	}
	defer db.Close()
	conn := domain.Connection{ID: domain.NewConnectionID(), Provider: domain.ProviderStripe, Name: "Benchmark Shop",
		AccountID: "acct_1Benchmark", AuthMethod: domain.AuthAPIKey, Status: domain.StatusConnected,
		ConnectedAt: time.Unix(chargesT0, 0).UTC()}
	if err := db.CreateConnection(ctx, conn, nil); err != nil {
		return err
	}
	wh, err := warehouse.New(warehouse.Options{DB: db})
	if err != nil {
		return err
	}
	charges, _ := warehouse.TypeByName("charges")

	// One goroutine prepares pages while this one writes them.
	const page = 5000
	pages := make(chan []warehouse.Row, 2)
	errc := make(chan error, 1)
	go func() {
		defer close(pages)
		var buf []byte
		for start := 0; start < n; start += page {
			rows := make([]warehouse.Row, 0, page)
			for i := start; i < min(start+page, n); i++ {
				buf = appendCharge(buf[:0], i)
				r, err := warehouse.Prepare(charges, buf, 1, i%50_000 == 49_999)
				if err != nil {
					errc <- err
					return
				}
				rows = append(rows, r)
			}
			select {
			case pages <- rows:
			case <-ctx.Done():
				return
			}
		}
	}()
	for rows := range pages {
		if err := wh.Apply(ctx, conn.ID, charges, rows, nil); err != nil {
			for range pages { // let the producer finish
			}
			return err
		}
	}
	select {
	case err := <-errc:
		return err
	default:
	}
	return nil
}

// chargesT0 is the created time of the newest generated charge.
const chargesT0 = 1_767_225_600 // 2026-01-01T00:00:00Z

// appendCharge appends charge i (0 = newest) as compact JSON.
func appendCharge(b []byte, i int) []byte {
	h := mix(uint64(i))
	created := int64(chargesT0 - i*29)
	if i%10 == 1 {
		created += 29 // the same second as the charge before it
	}
	cur, amount := "usd", int64(500+h%25_000)
	switch h >> 20 % 100 {
	case 0, 1, 2, 3, 4, 5, 6:
		cur, amount = "jpy", int64(300+h%30_000)
	case 7, 8, 9, 10, 11, 12, 13, 14:
		cur = "gbp"
	case 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29:
		cur = "eur"
	}
	status, paid, failure := "succeeded", true, ""
	switch {
	case h>>30%20 == 0:
		status, paid, failure = "failed", false, "card_declined"
	case h>>30%50 == 1:
		status = "pending"
	}
	refunded := int64(0)
	if paid && h>>36%40 == 0 {
		refunded = amount / 2
	}
	captured := amount
	if !paid {
		captured = 0
	}
	id := "ch_3" + base62(uint64(created), 6) + base62(h, 18)
	cus := "cus_" + base62(mix(uint64(i%20_011)), 14)

	s := func(k, v string) { b = append(b, `"`+k+`":`...); b = strconv.AppendQuote(b, v); b = append(b, ',') }
	num := func(k string, v int64) {
		b = append(b, `"`+k+`":`...)
		b = strconv.AppendInt(b, v, 10)
		b = append(b, ',')
	}
	boolean := func(k string, v bool) { b = append(b, `"`+k+`":`...); b = strconv.AppendBool(b, v); b = append(b, ',') }
	b = append(b, '{')
	s("id", id)
	s("object", "charge")
	num("amount", amount)
	num("amount_captured", captured)
	num("amount_refunded", refunded)
	s("balance_transaction", "txn_3"+base62(h>>3, 23))
	b = append(b, `"billing_details":{"address":{"city":"San Francisco","country":"US",`...)
	s("line1", strconv.Itoa(100+i%900)+" Townsend St")
	b = append(b, `"postal_code":"94103","state":"CA"},`...)
	s("email", "customer"+strconv.Itoa(i%20_011)+"@example.com")
	b = append(b, `"name":"Jenny Rosen"},"calculated_statement_descriptor":"LEDGERLINE SHOP",`...)
	boolean("captured", paid)
	num("created", created)
	s("currency", cur)
	if h>>40%5 != 0 {
		s("customer", cus)
	}
	desc := "Order #" + strconv.Itoa(100_000+i)
	if i%7 == 0 {
		desc += `, gift "wrapped"`
	}
	s("description", desc)
	boolean("disputed", false)
	if failure != "" {
		s("failure_code", failure)
		s("failure_message", "Your card was declined.")
	}
	b = append(b, `"fraud_details":{},"livemode":false,`...)
	b = append(b, `"metadata":{"order_id":"`...)
	b = strconv.AppendInt(b, int64(100_000+i), 10)
	b = append(b, `"},"outcome":{"network_status":"approved_by_network","risk_level":"normal",`...)
	num("risk_score", int64(10+h%60))
	b = append(b, `"seller_message":"Payment complete.","type":"authorized"},`...)
	boolean("paid", paid)
	s("payment_intent", "pi_3"+base62(h>>5, 23))
	s("payment_method", "pm_1"+base62(h>>7, 23))
	b = append(b, `"payment_method_details":{"card":{`...)
	num("amount_authorized", amount)
	b = append(b, `"brand":"visa","checks":{"address_line1_check":"pass","address_postal_code_check":"pass","cvc_check":"pass"},"country":"US",`...)
	num("exp_month", int64(1+i%12))
	num("exp_year", int64(2027+i%5))
	b = append(b, `"extended_authorization":{"status":"disabled"},`...)
	s("fingerprint", base62(h>>9, 16))
	b = append(b, `"funding":"credit","incremental_authorization":{"status":"unavailable"},"last4":"4242","multicapture":{"status":"unavailable"},"network":"visa","network_token":{"used":false},"overcapture":{`...)
	num("maximum_amount_capturable", amount)
	b = append(b, `"status":"unavailable"}},"type":"card"},"radar_options":{},`...)
	s("receipt_email", "customer"+strconv.Itoa(i%20_011)+"@example.com")
	s("receipt_url", "https://pay.stripe.com/receipts/payment/CAcaFwoVYWNjdF8x"+base62(h>>11, 60))
	boolean("refunded", false)
	s("status", status)
	b = b[:len(b)-1]
	return append(b, '}')
}

// mix is SplitMix64's finalizer: well-spread bits from a counter.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

const base62Digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// base62 writes the low digits of x, most significant first, in n digits;
// past x's own digits it continues with more mixed bits.
func base62(x uint64, n int) string {
	out := make([]byte, n)
	for i := n - 1; i >= 0; i-- {
		if x == 0 {
			x = mix(uint64(i))
		}
		out[i] = base62Digits[x%62]
		x /= 62
	}
	return string(out)
}
