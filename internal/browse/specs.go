package browse

import "slices"

// spec is a view with what the queries need to know about its table.
type spec struct {
	View
	table string // SQLite table, stripe_<Table>
	// ownIDs are the prefixes of the view's own ids: a search term with one
	// is looked up through the primary key.
	ownIDs []string
	// refIDs maps a prefix of another object's id to the column holding
	// such ids ("cus_" → "customer"): a search term with it matches that
	// column exactly.
	refIDs map[string]string
	// search are the text columns a search term is looked for in.
	search []string
	// statusIndexed: an index (connection_id, status, created DESC) serves
	// a status filter in date order (migration 0004).
	statusIndexed bool
	// snapshotSorts are the Sortable columns other than created: a Pager
	// sorts them once into memory, at most limit rows, in an index's order
	// when indexed (migration 0004) or with SQLite's sorter.
	snapshotSorts map[string]snapshotSort
}

type snapshotSort struct {
	indexed bool
	limit   int
}

// maxUnindexedSort is how many rows a sort without an index may hold: the
// payments' amount (stripe_charges has no index but the date's, to keep a
// charge within its disk budget).
const maxUnindexedSort = 100_000

// maxIndexedSort is how many row ids a sort that an index serves may hold
// in memory (8 bytes each).
const maxIndexedSort = 1_000_000

var (
	indexed   = snapshotSort{indexed: true, limit: maxIndexedSort}
	unindexed = snapshotSort{limit: maxUnindexedSort}
)

func date(key string, sortable bool) Column {
	return Column{Key: key, Kind: Date, Sortable: sortable, Width: 150}
}

// viewSpecs returns the four views' specs, in tab order, freshly made.
func viewSpecs() []spec {
	ss := []spec{{
		View: View{Name: "payments", Table: "charges",
			Columns: []Column{
				date("created", true),
				{Key: "amount", Kind: Money, Sortable: true, Width: 110},
				{Key: "status", Kind: Status, Width: 100},
				{Key: "customer", Kind: Text, Width: 170},
				{Key: "description", Kind: Text, Width: 190},
				{Key: "payment_method_type", Kind: Text, Width: 100},
				{Key: "failure_code", Kind: Text, Width: 110},
				{Key: "amount_refunded", Kind: Money, Width: 100},
			},
			Statuses: []string{"succeeded", "pending", "failed"},
		},
		ownIDs:        []string{"ch_", "py_"},
		refIDs:        map[string]string{"cus_": "customer", "pi_": "payment_intent", "in_": "invoice"},
		search:        []string{"id", "customer", "description", "failure_code"},
		snapshotSorts: map[string]snapshotSort{"amount": unindexed},
	}, {
		View: View{Name: "invoices", Table: "invoices",
			Columns: []Column{
				date("created", true),
				{Key: "number", Kind: Text, Width: 130},
				{Key: "customer_email", Kind: Text, Width: 200},
				{Key: "status", Kind: Status, Width: 110},
				{Key: "total", Kind: Money, Width: 110},
				{Key: "amount_due", Kind: Money, Sortable: true, Width: 110},
				{Key: "amount_remaining", Kind: Money, Width: 110},
				{Key: "due_date", Kind: Date, Sortable: true, Width: 120},
			},
			Statuses: []string{"draft", "open", "paid", "uncollectible", "void"},
		},
		ownIDs:        []string{"in_"},
		refIDs:        map[string]string{"cus_": "customer", "sub_": "subscription"},
		search:        []string{"id", "number", "customer", "customer_email"},
		statusIndexed: true,
		snapshotSorts: map[string]snapshotSort{"amount_due": indexed, "due_date": indexed},
	}, {
		View: View{Name: "customers", Table: "customers",
			Columns: []Column{
				date("created", true),
				{Key: "email", Kind: Text, Sortable: true, Width: 220},
				{Key: "name", Kind: Text, Sortable: true, Width: 180},
				{Key: "description", Kind: Text, Width: 200},
				{Key: "balance", Kind: Money, Width: 100},
				{Key: "delinquent", Kind: Bool, Width: 90},
				{Key: "address_country", Kind: Text, Width: 80},
			},
		},
		ownIDs:        []string{"cus_"},
		search:        []string{"id", "email", "name", "description"},
		snapshotSorts: map[string]snapshotSort{"email": indexed, "name": indexed},
	}, {
		View: View{Name: "subscriptions", Table: "subscriptions",
			Columns: []Column{
				date("created", true),
				{Key: "customer", Kind: Text, Width: 170},
				{Key: "status", Kind: Status, Width: 110},
				{Key: "current_period_end", Kind: Date, Sortable: true, Width: 150},
				{Key: "cancel_at_period_end", Kind: Bool, Width: 90},
				{Key: "collection_method", Kind: Status, Width: 170},
			},
			Statuses: []string{"trialing", "active", "past_due", "incomplete", "incomplete_expired",
				"unpaid", "paused", "canceled"},
		},
		ownIDs:        []string{"sub_"},
		refIDs:        map[string]string{"cus_": "customer"},
		search:        []string{"id", "customer"},
		statusIndexed: true,
		snapshotSorts: map[string]snapshotSort{"current_period_end": indexed},
	}}
	for i := range ss {
		ss[i].table = "stripe_" + ss[i].Table
	}
	return ss
}

func specByName(name string) (spec, bool) {
	for _, s := range viewSpecs() {
		if s.Name == name {
			return s, true
		}
	}
	return spec{}, false
}

// public returns the View part as a copy the caller may change.
func (s spec) public() View {
	v := s.View
	v.Columns = slices.Clone(v.Columns)
	v.Statuses = slices.Clone(v.Statuses)
	return v
}
