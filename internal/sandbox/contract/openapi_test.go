// Package contract checks the sandbox's objects against Stripe's OpenAPI
// specification, as shipped in the stripe-mock module. It is a package of
// its own so that the validator's dependencies stay out of the sandbox.
package contract

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/ledgerline/ledgerline/internal/sandbox"
)

// stripeMock is the stripe-mock release whose spec the objects must match;
// `make test` installs it, which puts the module in the module cache.
const stripeMock = "github.com/stripe/stripe-mock@v0.203.0"

var (
	specOnce sync.Once
	spec     *openapi3.T
	specErr  error
)

// loadSpec finds and loads spec3.json once, or skips the test (fails when
// LEDGERLINE_CONTRACT_TESTS=1, as in CI).
func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	specOnce.Do(func() {
		out, err := exec.Command("go", "env", "GOMODCACHE").Output()
		path := filepath.Join(strings.TrimSpace(string(out)), filepath.FromSlash(stripeMock), "embedded", "openapi", "spec3.json")
		if err == nil {
			_, err = os.Stat(path)
		}
		if err != nil {
			specErr = fmt.Errorf("Stripe's OpenAPI spec is not in the module cache (%v): install %s", err, stripeMock)
			return
		}
		spec, specErr = openapi3.NewLoader().LoadFromFile(path)
	})
	if specErr != nil {
		if os.Getenv("LEDGERLINE_CONTRACT_TESTS") == "1" {
			t.Fatal(specErr)
		}
		t.Skip(specErr)
	}
	return spec
}

// sandboxUnderTest serves a sandbox big enough that every variant of every
// object (failed charges, canceled subscriptions, disputes, credit notes, …)
// shows up.
func sandboxUnderTest(t *testing.T) (base string, info sandbox.Info) {
	t.Helper()
	sb, err := sandbox.New(sandbox.Options{Seed: 81, Scale: 6000})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	return srv.URL, sb.Info()
}

// get fetches a sandbox URL and decodes its JSON body.
func get(t *testing.T, base, key, path string) (int, any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+path, nil)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return resp.StatusCode, v
}

// responseSchema is the schema of a path's GET answer for status.
func responseSchema(t *testing.T, doc *openapi3.T, path string, status int) *openapi3.Schema {
	t.Helper()
	item := doc.Paths.Find(path)
	if item == nil || item.Get == nil {
		t.Fatalf("the spec has no GET %s", path)
	}
	resp := item.Get.Responses.Status(status)
	if resp == nil {
		resp = item.Get.Responses.Default()
	}
	return resp.Value.Content.Get("application/json").Schema.Value
}

// componentSchema is a named schema of components/schemas.
func componentSchema(t *testing.T, doc *openapi3.T, name string) *openapi3.Schema {
	t.Helper()
	ref, ok := doc.Components.Schemas[name]
	if !ok {
		t.Fatalf("the spec has no schema %q", name)
	}
	return ref.Value
}

// validate checks v against schema and reports every violation, once per
// field (indexes into arrays are folded, so a page reports each problem once).
func validate(t *testing.T, what string, schema *openapi3.Schema, v any) {
	t.Helper()
	err := schema.VisitJSON(v, openapi3.MultiErrors())
	if err == nil {
		return
	}
	var problems []string
	seen := map[string]bool{}
	var walk func(err error)
	walk = func(err error) {
		var multi openapi3.MultiError
		if errors.As(err, &multi) {
			for _, e := range multi {
				walk(e)
			}
			return
		}
		msg := err.Error()
		var se *openapi3.SchemaError
		if errors.As(err, &se) {
			msg = "/" + strings.Join(se.JSONPointer(), "/") + ": " + se.Reason
		}
		folded := arrayIndex.ReplaceAllString(msg, "/*/")
		if !seen[folded] {
			seen[folded] = true
			problems = append(problems, folded)
		}
	}
	walk(err)
	t.Errorf("%s does not match Stripe's spec:\n  %s", what, strings.Join(problems, "\n  "))
}

var arrayIndex = regexp.MustCompile(`/[0-9]+/`)

// lists are the sandbox's list endpoints with the spec path that describes them.
var lists = []struct{ path, query string }{
	{"/v1/customers", ""}, {"/v1/charges", ""}, {"/v1/coupons", ""}, {"/v1/invoices", ""},
	{"/v1/plans", ""}, {"/v1/subscriptions", "status=all"}, {"/v1/events", ""}, {"/v1/refunds", ""},
	{"/v1/payment_intents", ""}, {"/v1/balance_transactions", ""}, {"/v1/payouts", ""},
	{"/v1/disputes", ""}, {"/v1/products", ""}, {"/v1/prices", ""}, {"/v1/credit_notes", ""},
	// What a sync asks for: balance transactions expanded inside charges,
	// refunds and payouts, and the other balance transactions by type.
	{"/v1/charges", "expand[]=data.balance_transaction"}, {"/v1/refunds", "expand[]=data.balance_transaction"},
	{"/v1/payouts", "expand[]=data.balance_transaction"}, {"/v1/balance_transactions", "type=adjustment"},
	// The rest of what Stripe serves and the sandbox imitates: invoice items,
	// the expansions Stripe documents on lists, and the balance
	// transactions that payouts sweep.
	{"/v1/invoiceitems", ""}, {"/v1/charges", "expand[]=data.refunds"},
	{"/v1/customers", "expand[]=data.sources&expand[]=data.subscriptions&expand[]=data.tax_ids"},
	{"/v1/plans", "expand[]=data.tiers"}, {"/v1/payouts", "expand[]=data.destination"},
	{"/v1/balance_transactions", "type=payout_failure"}, {"/v1/balance_transactions", "type=stripe_fee"},
}

func TestObjectsMatchStripesSpec(t *testing.T) {
	doc := loadSpec(t)
	base, info := sandboxUnderTest(t)
	key := info.Accounts[0].APIKey
	seen := map[string]int{}

	for _, l := range lists {
		t.Run(l.path+"?"+l.query+": every page and every object", func(t *testing.T) {
			schema := responseSchema(t, doc, l.path, 200)
			after := ""
			for {
				q, _ := url.ParseQuery(l.query)
				q.Set("limit", "100")
				if after != "" {
					q.Set("starting_after", after)
				}
				status, page := get(t, base, key, l.path+"?"+q.Encode())
				if status != http.StatusOK {
					t.Fatalf("%s: %d", l.path, status)
				}
				validate(t, "a page of "+l.path, schema, page)
				m := page.(map[string]any)
				data := m["data"].([]any)
				for _, o := range data {
					obj := o.(map[string]any)
					seen[obj["object"].(string)]++
					if bt, ok := obj["balance_transaction"].(map[string]any); ok {
						// anyOf(id, object) in the page's schema: check the
						// object as an object, too.
						seen["expanded balance_transaction"]++
						validate(t, "the balance transaction expanded in "+obj["id"].(string),
							componentSchema(t, doc, "balance_transaction"), bt)
					}
					if obj["object"] == "event" {
						inner := obj["data"].(map[string]any)["object"].(map[string]any)
						validate(t, "the object of event "+obj["id"].(string), componentSchema(t, doc, inner["object"].(string)), inner)
					}
				}
				if m["has_more"] != true || t.Failed() {
					break
				}
				after = data[len(data)-1].(map[string]any)["id"].(string)
			}
		})
	}
	t.Run("/v1/balance_transactions?payout=…, /v1/transfers and /v1/accounts/{account}", func(t *testing.T) {
		_, pos := get(t, base, key, "/v1/payouts?limit=5")
		for _, po := range pos.(map[string]any)["data"].([]any) {
			id := po.(map[string]any)["id"].(string)
			status, page := get(t, base, key, "/v1/balance_transactions?limit=100&payout="+id)
			if status != http.StatusOK {
				t.Fatalf("payout=%s: %d", id, status)
			}
			validate(t, "the balance transactions of "+id, responseSchema(t, doc, "/v1/balance_transactions", 200), page)
			seen["swept balance_transaction"] += len(page.(map[string]any)["data"].([]any))
		}
		_, page := get(t, base, key, "/v1/transfers")
		validate(t, "the transfers", responseSchema(t, doc, "/v1/transfers", 200), page)
		_, acct := get(t, base, key, "/v1/accounts/"+info.Accounts[0].ID)
		validate(t, "the account by id", responseSchema(t, doc, "/v1/accounts/{account}", 200), acct)
		_, po := get(t, base, key, "/v1/payouts?limit=1&expand[]=data.destination")
		dest := po.(map[string]any)["data"].([]any)[0].(map[string]any)["destination"]
		validate(t, "an expanded destination", componentSchema(t, doc, "bank_account"), dest)
		seen["expanded destination"]++
	})
	t.Run("/v1/invoices/{invoice}/lines and /v1/subscription_items", func(t *testing.T) {
		_, invs := get(t, base, key, "/v1/invoices?limit=3")
		for _, inv := range invs.(map[string]any)["data"].([]any) {
			id := inv.(map[string]any)["id"].(string)
			_, page := get(t, base, key, "/v1/invoices/"+id+"/lines")
			validate(t, "lines of "+id, responseSchema(t, doc, "/v1/invoices/{invoice}/lines", 200), page)
		}
		_, subs := get(t, base, key, "/v1/subscriptions?limit=3&status=all")
		for _, sub := range subs.(map[string]any)["data"].([]any) {
			id := sub.(map[string]any)["id"].(string)
			_, page := get(t, base, key, "/v1/subscription_items?subscription="+id)
			validate(t, "items of "+id, responseSchema(t, doc, "/v1/subscription_items", 200), page)
		}
	})
	t.Run("single objects from retrieve endpoints", func(t *testing.T) {
		for _, l := range lists {
			if strings.Contains(l.query, "type=") {
				continue // types that only large accounts have for sure
			}
			_, page := get(t, base, key, l.path+"?limit=1&"+l.query)
			id := page.(map[string]any)["data"].([]any)[0].(map[string]any)["id"].(string)
			_, obj := get(t, base, key, l.path+"/"+url.PathEscape(id))
			name := obj.(map[string]any)["object"].(string)
			validate(t, l.path+"/"+id, componentSchema(t, doc, name), obj)
		}
	})
	t.Run("objects and events after mutations", func(t *testing.T) {
		for _, m := range []string{"customers/update", "customers/delete", "charges/create", "invoices/create",
			"subscriptions/update", "plans/create", "prices/update", "products/delete", "refunds/create",
			"disputes/create", "payouts/create", "credit_notes/create", "coupons/update", "invoices/delete"} {
			typ, action, _ := strings.Cut(m, "/")
			resp, err := http.PostForm(base+"/_sandbox/mutate", url.Values{"account": {info.Accounts[0].ID},
				"type": {typ}, "action": {action}, "count": {"2"}})
			if err != nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("mutate %s: %v %v", m, err, resp.Status)
			}
			var out struct {
				Changes []struct{ ID, Type, Event string }
			}
			_ = json.NewDecoder(resp.Body).Decode(&out)
			resp.Body.Close()
			for _, c := range out.Changes {
				_, e := get(t, base, key, "/v1/events/"+c.Event)
				validate(t, "event "+c.Event, componentSchema(t, doc, "event"), e)
				data := e.(map[string]any)["data"].(map[string]any)
				inner := data["object"].(map[string]any)
				validate(t, "the object of event "+c.Event, componentSchema(t, doc, inner["object"].(string)), inner)
				if action == "update" && len(data["previous_attributes"].(map[string]any)) == 0 {
					t.Errorf("update event %s has no previous attributes", c.Event)
				}
				if typ == "customers" && action == "delete" {
					_, stub := get(t, base, key, "/v1/customers/"+c.ID)
					validate(t, "deleted customer "+c.ID, componentSchema(t, doc, "deleted_customer"), stub)
				}
			}
		}
		_, page := get(t, base, key, "/v1/events?limit=100")
		validate(t, "the newest events", responseSchema(t, doc, "/v1/events", 200), page)
	})
	t.Run("errors have Stripe's error shape", func(t *testing.T) {
		for _, path := range []string{"/v1/charges?limit=0", "/v1/charges?starting_after=ch_nope", "/v1/charges?color=red",
			"/v1/charges?expand[]=data.customer", "/v1/balance_transactions?type=gift",
			"/v1/balance_transactions?payout=po_nope", "/v1/accounts/acct_nope", "/v1/transfers?starting_after=tr_nope",
			"/v1/invoiceitems?pending=maybe", "/v1/invoiceitems/ii_nope", "/v1/plans?expand[]=data.product"} {
			status, body := get(t, base, key, path)
			if status < 400 {
				t.Fatalf("%s: %d", path, status)
			}
			validate(t, "the error of "+path, componentSchema(t, doc, "error"), body)
		}
	})
	for _, object := range []string{"customer", "charge", "coupon", "invoice", "plan", "subscription", "event",
		"refund", "payment_intent", "balance_transaction", "payout", "dispute", "product", "price", "credit_note",
		"expanded balance_transaction", "invoiceitem", "swept balance_transaction", "expanded destination"} {
		if seen[object] == 0 {
			t.Errorf("no %s was checked", object)
		}
	}
}

func TestTheCheckerCatchesBadObjects(t *testing.T) {
	doc := loadSpec(t)
	base, info := sandboxUnderTest(t)
	_, page := get(t, base, info.Accounts[0].APIKey, "/v1/charges?limit=1")
	charge := page.(map[string]any)["data"].([]any)[0].(map[string]any)
	schema := componentSchema(t, doc, "charge")
	if err := schema.VisitJSON(charge); err != nil {
		t.Fatalf("a good charge fails: %v", err)
	}
	for name, spoil := range map[string]func(map[string]any){
		"without an amount":             func(c map[string]any) { delete(c, "amount") },
		"with a string amount":          func(c map[string]any) { c["amount"] = "12.00" },
		"with an unknown status":        func(c map[string]any) { c["status"] = "maybe" },
		"with a number for a customer":  func(c map[string]any) { c["customer"] = 42.0 },
		"with null for required object": func(c map[string]any) { c["billing_details"] = nil },
	} {
		bad := map[string]any{}
		for k, v := range charge {
			bad[k] = v
		}
		spoil(bad)
		if schema.VisitJSON(bad) == nil {
			t.Errorf("a charge %s passes", name)
		}
	}
}
