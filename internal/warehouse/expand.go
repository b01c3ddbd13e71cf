package warehouse

import (
	"fmt"
	"slices"

	"github.com/valyala/fastjson"

	"github.com/ledgerline/ledgerline/internal/stripespec"
)

// Expansion says that a type's list can bring, inside each of its objects,
// an object of another type: Stripe's expand[]=data.<Field> on the list
// (charges, refunds and payouts bring their balance transaction that way,
// for no extra request). Prepare then returns the inner object as a row of
// its own type (Row.Expanded) and keeps the outer object exactly as Stripe
// sends it without expansion: the field holds the inner object's id.
type Expansion struct {
	// Field is the object's field that holds the other object's id, or the
	// object when expanded ("balance_transaction").
	Field string
	// Type is the Name of the inner object's type ("balance_transactions").
	Type string
	// Covers are the values of the inner type's FilterParam whose objects
	// all arrive this way: every balance transaction of type charge or
	// payment is some charge's balance_transaction, and every charge's
	// balance transaction is of one of those types.
	Covers []string

	inner *Type // the Type; set by the registry
}

// ListExpand is the list parameter and value that ask for the expansion:
// "expand[]", "data.balance_transaction".
func (x *Expansion) ListExpand() (string, string) { return "expand[]", "data." + x.Field }

// balanceTransactionTypes are Stripe's balance transaction types, which
// the list's type filter takes.
var balanceTransactionTypes = stripespec.BalanceTransactionTypes

// viaBalanceTransaction is the expansion of charges, refunds and payouts.
func viaBalanceTransaction(covers ...string) *Expansion {
	return &Expansion{Field: "balance_transaction", Type: "balance_transactions", Covers: covers}
}

func (x *Expansion) clone() *Expansion {
	if x == nil {
		return nil
	}
	c := *x
	c.Covers = slices.Clone(x.Covers)
	if x.inner != nil {
		it := x.inner.clone()
		c.inner = &it
	}
	return &c
}

// prepareExpanded takes the expanded object out of v (an object of a type
// with an Expansion), prepares it as a row of the inner type with the outer
// row's version, and puts its id back in its place, so that the outer
// object compacts to what Stripe sends without expansion. A field holding
// an id, or null, is left as it is.
func prepareExpanded(r *Row, x *Expansion, o *fastjson.Object, version int64, arena *fastjson.Arena) error {
	inner := o.Get(x.Field)
	if inner == nil || inner.Type() != fastjson.TypeObject {
		return nil
	}
	row, err := prepareValue(*x.inner, inner, version, false)
	if err != nil {
		return fmt.Errorf("expanded %s: %w", x.Field, err)
	}
	if !row.Livemode.Valid {
		row.Livemode = r.Livemode
	}
	o.Set(x.Field, arena.NewString(row.ID))
	r.Expanded = append(r.Expanded, row)
	return nil
}
