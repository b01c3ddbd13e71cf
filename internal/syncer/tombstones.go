package syncer

import (
	"context"
	"fmt"
	"math"

	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// A listing shows the objects that exist; an object deleted before it ran
// is simply absent. Stripe still has the deletion's event for 30 days, so
// before a type is listed from scratch (a first sync or a re-scan) its
// deletion events up to the watermark are read and stored as deleted rows:
// the warehouse then knows of every deletion Stripe can still tell of, as
// it would had it been syncing all along.

// deletionEvents names, per type, the events Stripe sends when one of its
// objects is deleted.
var deletionEvents = map[string]string{
	"customers":     "customer.deleted",
	"products":      "product.deleted",
	"prices":        "price.deleted",
	"plans":         "plan.deleted",
	"coupons":       "coupon.deleted",
	"invoices":      "invoice.deleted",
	"subscriptions": "customer.subscription.deleted",
}

// tombstones stores the deletions Stripe's events tell of, up to wm, for
// the types in trs that can be deleted. It is idempotent (a deletion
// stored twice is one deleted row), so a run killed halfway repeats it.
func (r *run) tombstones(ctx context.Context, trs []*typeRun, wm watermark) error {
	byEvent := map[string]*typeRun{}
	req := listRequest{endpoint: "GET /v1/events", path: "/v1/events", priority: math.MaxInt64}
	for _, tr := range trs {
		if name, ok := deletionEvents[tr.t.Name]; ok {
			byEvent[name] = tr
			req.add("types[]", name)
		}
	}
	if len(byEvent) == 0 {
		return nil
	}
	req.addInt("created[lte]", wm.created)
	base := req.params
	after := ""
	for {
		req.params = base
		if after != "" {
			req.add("starting_after", after)
		}
		rows := map[*typeRun][]warehouse.Row{}
		var more bool
		var last string
		err := r.call.fetch(ctx, eventsType, req, func(p *page) error {
			rows = map[*typeRun][]warehouse.Row{}
			more, last = p.HasMore, ""
			for _, raw := range p.Data {
				ev, err := parseEvent(raw)
				if err != nil {
					return err
				}
				last = ev.id
				tr := byEvent[ev.typ]
				if tr == nil || ev.objType != tr.t.Object || ev.object == nil {
					continue
				}
				row, err := warehouse.Prepare(tr.t, ev.object, eventVersion(ev.created), true)
				if err != nil {
					return unreadable("event %s: %v", ev.id, err)
				}
				if tr.child == nil {
					row.Children = nil // the child type is off
				}
				rows[tr] = append(rows[tr], row)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("reading the deletions Stripe's events tell of: %w", err)
		}
		for _, tr := range trs {
			if len(rows[tr]) == 0 {
				continue
			}
			if err := r.e.p.Warehouse.Apply(ctx, r.connID, tr.t, rows[tr], nil); err != nil {
				return err
			}
		}
		if !more || last == "" {
			return nil
		}
		after = last
	}
}
