// Package browse reads the data behind a connection page's tabs (Payments,
// Invoices, Customers, Subscriptions) from the warehouse tables: the views
// and their columns, a Pager that reaches any row position quickly (keyset
// paging over the tables' indexes), one object's fields, and CSV export.
// It imports no UI toolkit; the window calls it off its UI goroutine.
package browse

import "slices"

// Kind says how a UI shows a value.
type Kind int

const (
	// Text is a string shown as it is.
	Text Kind = iota
	// Status is a string from View.Statuses (a badge, say).
	Status
	// Money is an int64 in the currency's smallest unit; Row.Currency
	// says which currency.
	Money
	// Date is an int64 of unix seconds.
	Date
	// Count is an int64.
	Count
	// Bool is an int64, 0 or 1.
	Bool
)

// Column is one column of a view. It holds no words for people: a UI
// names the column by its view and Key (the window's catalog has
// "data.payments.column.amount").
type Column struct {
	// Key is the column's stable name ("amount", "payment_method_type"),
	// and also its CSV header: those headers are a data contract with the
	// analysts who load the exports, so they stay snake_case English in
	// every language and a key is never renamed.
	Key      string
	Kind     Kind    // how to show the value
	Sortable bool    // the UI shows a sort arrow only on these
	Width    float32 // suggested width in Fyne units
}

// View is one tab of a connection page. Like Column it holds no words
// for people: a UI names the view, its search field and its statuses by
// Name and the status values.
type View struct {
	Name  string // "payments", "invoices", "customers", "subscriptions"
	Table string // the warehouse type name: "charges", …
	// Columns: the first is always the date ("created"); Money columns
	// carry the row's currency (Row.Currency).
	Columns []Column
	// Statuses are Stripe's values the status filter offers, in order;
	// empty when the view has no status filter.
	Statuses []string
}

// Views returns the four views in tab order, as fresh copies.
func Views() []View {
	ss := viewSpecs()
	out := make([]View, len(ss))
	for i := range ss {
		out[i] = ss[i].public()
	}
	return out
}

// ViewByName returns the view called name ("payments").
func ViewByName(name string) (View, bool) {
	s, ok := specByName(name)
	if !ok {
		return View{}, false
	}
	return s.public(), true
}

// hasMoney reports whether any column of v is Money.
func (v View) hasMoney() bool {
	return slices.ContainsFunc(v.Columns, func(c Column) bool { return c.Kind == Money })
}
