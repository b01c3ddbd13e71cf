package sandbox

import (
	"errors"
	"fmt"
	"math/rand/v2"
)

// Change is one object a mutation created, updated or deleted, with the
// event that announced it.
type Change struct {
	Type      string `json:"type"`   // plural, as in /_sandbox/truth: "customers"
	ID        string `json:"id"`     // the object's id
	Action    string `json:"action"` // "created", "updated" or "deleted"
	Event     string `json:"event"`  // the event's id
	EventType string `json:"event_type"`
}

// Mutation actions.
const (
	ActionCreate = "create"
	ActionUpdate = "update"
	ActionDelete = "delete"
)

// errMutation is the class of mutation requests that cannot be done; the
// message says why in words for the person who asked.
var errMutation = errors.New("mutation refused")

// errNoTarget means the named object does not exist (or is deleted).
var errNoTarget = errors.New("no such object")

// mutate applies count mutations of one action to view v at time now and
// returns what changed. target, when given, names the object to update or
// delete (count must then be 1). Callers hold no lock.
func (d *dataset) mutate(v view, action string, count int, target string, now int64) ([]Change, error) {
	if err := checkMutation(v, action); err != nil {
		return nil, err
	}
	d.ready()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.rng == nil {
		d.rng = rand.New(rand.NewPCG(d.seed, 0x6d757461)) // "muta"
	}
	if last := d.lastMutation; now < last {
		now = last // keep created non-decreasing for appended objects and events
	}
	d.lastMutation = now
	var out []Change
	for n := 0; n < count; n++ {
		var err error
		switch action {
		case ActionCreate:
			out, err = d.create(v, now, out)
		default:
			var i int
			if target != "" {
				i = d.resolveTarget(v, target)
			} else {
				i = d.randomLive(v)
			}
			if i < 0 {
				if target != "" {
					return out, fmt.Errorf("%w: %s", errNoTarget, target)
				}
				return out, fmt.Errorf("%w: no %s is left to %s", errMutation, views[v].name, action)
			}
			if action == ActionUpdate {
				out = d.update(v, i, now, out)
			} else {
				out = d.remove(v, i, now, out)
			}
		}
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// checkMutation refuses what Stripe itself does not do: events, balance
// transactions and child items are never mutated directly; payment intents
// change without an event; only some objects can be deleted.
func checkMutation(v view, action string) error {
	switch {
	case action != ActionCreate && action != ActionUpdate && action != ActionDelete:
		return fmt.Errorf("%w: action must be create, update or delete, not %q", errMutation, action)
	case v == vEvents || v == vBalanceTransactions:
		return fmt.Errorf("%w: %s are made by other objects' changes, not directly", errMutation, views[v].name)
	case v == vInvoiceLineItems || v == vSubscriptionItems:
		return fmt.Errorf("%w: %s change with their parent; mutate the parent instead", errMutation, views[v].name)
	case v == vPaymentIntents && action == ActionUpdate:
		return fmt.Errorf("%w: Stripe sends no event when a payment intent is updated, so the sandbox does not update them", errMutation)
	case action == ActionDelete && !views[v].deletable:
		return fmt.Errorf("%w: Stripe cannot delete %s (deletable: customers, products, prices, plans, coupons, invoices, subscriptions)", errMutation, views[v].name)
	}
	return nil
}

// resolveTarget reads an id of view v that exists and is not deleted, or -1.
func (d *dataset) resolveTarget(v view, id string) int {
	lead, i, ok := d.parseID(views[v].fam, id)
	if !ok || lead != leadPlain || !d.inView(v, i) || !d.exists(views[v].kind, i) {
		return -1
	}
	return i
}

// randomLive draws an object of view v that is not deleted, or -1.
func (d *dataset) randomLive(v view) int {
	k := views[v].kind
	n := d.n(k)
	if n == 0 {
		return -1
	}
	for tries := 0; tries < 64; tries++ {
		if i := d.rng.IntN(n); d.exists(k, i) && d.inView(v, i) {
			return i
		}
	}
	for i := n - 1; i >= 0; i-- {
		if d.exists(k, i) && d.inView(v, i) {
			return i
		}
	}
	return -1
}

// appendObject adds a new object of kind k created at now, with a
// kind-specific variant and the objects it refers to (see link).
func (d *dataset) appendObject(k kind, now int64, variant uint8, links [2]int32) int {
	o := &d.ov[k]
	o.created = append(o.created, now)
	o.variant = append(o.variant, variant)
	o.links = append(o.links, links)
	return d.n(k) - 1
}

// pickLive draws a live object of kind k for a new object to refer to, or -1.
func (d *dataset) pickLive(k kind) int {
	n := d.n(k)
	for tries := 0; tries < 64 && n > 0; tries++ {
		if i := d.rng.IntN(n); d.exists(k, i) {
			return i
		}
	}
	for i := n - 1; i >= 0; i-- {
		if d.exists(k, i) {
			return i
		}
	}
	return -1
}

// newLinks chooses what a new object of kind k refers to: live objects
// only, so nothing new points at something deleted. For charges: the
// customer (-1: a guest); subscriptions: the customer; invoices: the
// customer and the subscription billed (-1: a one-off invoice); credit
// notes: the invoice; prices: the product.
func (d *dataset) newLinks(k kind) [2]int32 {
	l := [2]int32{-1, -1}
	switch k {
	case kCharge:
		if d.rng.IntN(5) != 0 {
			l[0] = int32(d.pickLive(kCustomer))
		}
	case kSubscription:
		l[0] = int32(max(d.pickLive(kCustomer), 0))
	case kInvoice:
		if d.rng.IntN(10) < 7 {
			l[1] = int32(d.pickLive(kSubscription))
		}
		if l[1] >= 0 {
			l[0] = int32(d.sub(int(l[1])).customer)
		} else {
			l[0] = int32(max(d.pickLive(kCustomer), 0))
		}
	case kCreditNote:
		l[0] = int32(max(d.pickLive(kInvoice), 0))
	case kPrice:
		l[0] = int32(max(d.pickLive(kProduct), 0))
	}
	return l
}

// link returns what appended object i of kind k refers to; false for base
// objects, whose links follow from the seed.
func (d *dataset) link(k kind, i int) ([2]int32, bool) {
	if i < d.base[k] {
		return [2]int32{}, false
	}
	return d.ov[k].links[i-d.base[k]], true
}

// record appends an event and returns the change it announces.
func (d *dataset) record(v view, i int, r rev, action, typ string, now int64, prev bool) Change {
	d.events = append(d.events, mutEvent{created: now, typ: typ, view: v, index: i, rev: r, prevRev: prev})
	return Change{
		Type:      views[v].name,
		ID:        d.id(views[v].fam, leadPlain, i),
		Action:    action,
		Event:     d.id(famEvent, leadMutationEvent, len(d.events)-1),
		EventType: typ,
	}
}

// create appends one new object of view v (and what Stripe creates with
// it) with its events.
func (d *dataset) create(v view, now int64, out []Change) ([]Change, error) {
	switch v {
	case vCharges, vPaymentIntents:
		i := d.appendObject(kCharge, now, 0, d.newLinks(kCharge))
		out = append(out, d.record(vPaymentIntents, i, rev{}, "created", "payment_intent.succeeded", now, false))
		return append(out, d.record(vCharges, i, rev{}, "created", "charge.succeeded", now, false)), nil
	case vPrices, vPlans:
		variant := uint8(d.rng.IntN(3))
		if v == vPlans {
			variant = uint8(priceMonthly + d.rng.IntN(2))
		}
		i := d.appendObject(kPrice, now, variant, d.newLinks(kPrice))
		out = append(out, d.record(vPrices, i, rev{}, "created", "price.created", now, false))
		if variant != priceOneTime {
			out = append(out, d.record(vPlans, i, rev{}, "created", "plan.created", now, false))
		}
		return out, nil
	}
	i := d.appendObject(views[v].kind, now, 0, d.newLinks(views[v].kind))
	typ := v.eventPrefix() + ".created"
	if v == vInvoices {
		typ = "invoice.finalized" // appended invoices are open, waiting for payment
	}
	return append(out, d.record(v, i, rev{}, "created", typ, now, false)), nil
}

// update makes the next revision of object i of view v.
func (d *dataset) update(v view, i int, now int64, out []Change) []Change {
	k := views[v].kind
	o := &d.ov[k]
	if o.version == nil {
		o.version, o.updated = map[int32]int32{}, map[int32]int64{}
	}
	o.version[int32(i)]++
	o.updated[int32(i)] = now
	r := d.current(k, i)
	if k == kPrice {
		out = append(out, d.record(vPrices, i, r, "updated", "price.updated", now, true))
		if d.recurringPrice(i) {
			out = append(out, d.record(vPlans, i, r, "updated", "plan.updated", now, true))
		}
		return out
	}
	return append(out, d.record(v, i, r, "updated", v.eventPrefix()+".updated", now, true))
}

// remove deletes object i of view v; its event carries the object as it
// was last seen.
func (d *dataset) remove(v view, i int, now int64, out []Change) []Change {
	k := views[v].kind
	o := &d.ov[k]
	if o.deleted == nil {
		o.deleted = map[int32]int64{}
	}
	o.deleted[int32(i)] = now
	r := d.current(k, i)
	if k == kPrice {
		out = append(out, d.record(vPrices, i, r, "deleted", "price.deleted", now, false))
		if d.recurringPrice(i) {
			out = append(out, d.record(vPlans, i, r, "deleted", "plan.deleted", now, false))
		}
		return out
	}
	return append(out, d.record(v, i, r, "deleted", v.eventPrefix()+".deleted", now, false))
}
