// Package warehouse is Ledgerline's local copy of a Stripe account: one
// SQLite table per object type, stripe_<plural>, with the columns an analyst
// queries and the whole object as compact JSON.
//
// The registry (Types, TypeByName, TypeByObject, TypeForEvent) says what
// each type is called in Stripe's API and in SQLite. Prepare turns one raw
// Stripe object into a Row without decoding it into a struct; a Warehouse
// writes a page of Rows in one transaction (Apply) and counts what it holds
// (Counts). The tables themselves are created by the store's migration
// 0002_warehouse.sql; a test checks that they match the registry.
package warehouse

import (
	"net/url"
	"strings"
)

// Kind is how a typed column is stored and how Prepare reads its value.
type Kind int

const (
	// Text is TEXT: a JSON string, or the id of an expanded object.
	Text Kind = iota
	// Integer is INTEGER: a JSON number (amounts in the currency's
	// smallest unit, counts).
	Integer
	// Real is REAL: a JSON number that may have a fraction (percent_off).
	Real
	// Bool is INTEGER 0 or 1 from a JSON true or false.
	Bool
	// Time is INTEGER unix seconds, as Stripe sends times.
	Time
)

// SQLType is the column's declared type in SQLite.
func (k Kind) SQLType() string {
	switch k {
	case Text:
		return "TEXT"
	case Real:
		return "REAL"
	default:
		return "INTEGER"
	}
}

// String names the kind for people (docs/schema.md).
func (k Kind) String() string {
	switch k {
	case Text:
		return "TEXT"
	case Integer:
		return "INTEGER"
	case Real:
		return "REAL"
	case Bool:
		return "INTEGER 0/1"
	case Time:
		return "INTEGER unix s"
	}
	return "?"
}

// Column is one typed column of a warehouse table.
type Column struct {
	// Name is the SQLite column name.
	Name string
	// Kind is how the value is stored.
	Kind Kind
	// From lists the JSON paths the value is read from, dot-separated
	// ("payment_method_details.card.brand"; a number selects an array
	// element: "items.data.0.price.id"), tried in order: the first one
	// present and not null wins; none gives NULL. Several paths cover
	// Stripe API versions that moved a field.
	From []string
	// Doc says what the column holds, for docs/schema.md.
	Doc string

	keys [][]string // From, split on dots
}

// Type describes one Stripe object type and its table.
type Type struct {
	// Name is the plural key: the table suffix and the key in Counts and in
	// the sandbox's /_sandbox/truth ("charges").
	Name string
	// Table is the SQLite table ("stripe_charges").
	Table string
	// Object is the value of the object's "object" field ("charge").
	Object string
	// ListPath is the list endpoint ("/v1/charges"). For a child type it
	// holds "{parent}" where the parent's id goes; see ListFor.
	ListPath string
	// ListParams are query parameters every list request adds
	// (subscriptions: status=all, or Stripe hides canceled ones). A fresh
	// copy comes with each Type; "{parent}" in a value stands for the
	// parent's id.
	ListParams url.Values
	// HasCreated is true when the objects carry "created" and the list
	// endpoint accepts created[gte|lte] filters.
	HasCreated bool
	// EventPrefixes are the prefixes of event types whose data.object is of
	// this type ("charge." for charge.succeeded). Prefixes overlap
	// ("charge." and "charge.dispute."): use TypeForEvent, which takes the
	// longest, and check data.object.object with TypeByObject, since a few
	// events under a prefix carry other objects (customer.source.created
	// carries a card). Empty for types without events of their own.
	EventPrefixes []string
	// Parent is, for a child type, the parent type's Name
	// ("invoices" for invoice_line_items); empty otherwise.
	Parent string
	// EmbeddedField is, for a child type, the parent's field holding a list
	// of children ("lines"); Prepare on a parent yields them as Children.
	EmbeddedField string
	// ParentColumn is, for a child type, the column holding the parent's id
	// ("invoice").
	ParentColumn string
	// Child is, for a parent type, the child type's Name.
	Child string
	// Expands, when set, is the other type whose objects this type's list
	// can bring inside its own (see Expansion).
	Expands *Expansion
	// FilterParam, when set, is a list parameter that splits the type's
	// list into disjoint parts, one per FilterValues entry, together all of
	// it ("type" for balance transactions): a sync lists only the parts no
	// Expansion brings.
	FilterParam  string
	FilterValues []string
	// Columns are the typed columns, after the common ones (Common).
	Columns []Column
	// Doc says what a row is, for docs/schema.md.
	Doc string

	child *Type // the child type, for a parent; set by Types
}

// ListFor returns the list path and parameters for the children of the
// parent with the given id ("/v1/invoices/in_1/lines"); for a type that is
// not a child it returns ListPath and ListParams unchanged.
func (t Type) ListFor(parentID string) (string, url.Values) {
	params := url.Values{}
	for k, vs := range t.ListParams {
		for _, v := range vs {
			params.Add(k, strings.ReplaceAll(v, "{parent}", parentID))
		}
	}
	return strings.ReplaceAll(t.ListPath, "{parent}", parentID), params
}

// columnIndex returns the position of the typed column name in t.Columns,
// or -1.
func (t Type) columnIndex(name string) int {
	for i, c := range t.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// CommonColumn is one of the columns every warehouse table starts with.
type CommonColumn struct {
	Name    string
	SQLType string
	Doc     string
}

// Common lists the columns every table has before its typed columns, and
// data, which comes last.
func Common() []CommonColumn {
	return []CommonColumn{
		{"connection_id", "TEXT", "The connection (connections.id) the row came through; deleting the connection deletes the row."},
		{"id", "TEXT", "Stripe's id of the object."},
		{"created", "INTEGER unix s", "When Stripe created the object; NULL for types without one and for tombstones of objects never seen."},
		{"livemode", "INTEGER 0/1", "1 for live mode, 0 for test mode (the connection's mode when the object does not say)."},
		{"is_deleted", "INTEGER 0/1", "1 once the object was deleted in Stripe (or its parent was, or it left its parent's list); the row stays."},
		{"synced_at", "TEXT", "When Ledgerline last wrote the row (RFC 3339 UTC with milliseconds)."},
		{"version", "INTEGER unix ms", "Time of the state the row holds (the event's created time, or when the page was fetched). A write with a smaller version never replaces the row."},
		{"data", "TEXT", "The object as Stripe sent it, as compact JSON with null fields left out; query it with json_extract(data, '$.field')."},
	}
}
