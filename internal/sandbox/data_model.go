package sandbox

import (
	"math/rand/v2"
	"sort"
	"sync"
	"time"
)

// The data model. Each account owns a dataset: for every kind of object an
// index space 0…n-1 of base objects, generated on demand from
// (seed, account, kind, index), followed by objects appended by mutations.
// Within a kind, created is non-decreasing in the index, so "newest first"
// is "highest index first" and a created filter is a binary search. Links
// between kinds are arithmetic: a payment intent shares its charge's index;
// an invoice, refund, dispute or credit note is the child of one parent in a
// fixed-size block of parents. Nothing is stored per object except what
// mutations change (see overlay), so memory is O(mutations), not O(scale).

// kind is an index space of objects.
type kind uint8

const (
	kCustomer kind = iota
	kProduct
	kPrice
	kCoupon
	kSubscription
	kInvoice
	kCharge // payment intents share this space: payment intent i pays charge i
	kRefund
	kDispute
	kPayout
	kCreditNote
	numKinds
)

// timeline spreads n base objects over [start, start+span) with a little
// seeded jitter, keeping created non-decreasing in the index.
type timeline struct {
	start, span int64
	n           int
}

func (t timeline) at(i int, jitter uint64) int64 {
	return t.start + (int64(i)*t.span+int64(jitter%uint64(t.span)))/int64(t.n)
}

// dataset is one account's objects.
type dataset struct {
	acct       *account
	descriptor string // the account's statement descriptor
	seed       uint64
	end        int64 // the newest base object is no newer than this (unix seconds)
	window     int64 // events created at or after this are listed (end - 30 days)
	base       [numKinds]int
	tl         [numKinds]timeline // for kinds with their own timeline
	hist       history            // invoices, their charges, refunds, disputes, credit notes (ready)
	oneOffs    int                // one-off invoices
	// chargeBudget is how many charges the scale asks for: the charges of
	// invoices come out of it, the rest are orders.
	chargeBudget int

	// mu guards ov, events and the mutation state: readers hold it for a
	// whole page.
	mu           sync.RWMutex
	ov           [numKinds]overlay
	events       []mutEvent
	rng          *rand.Rand // picks mutation targets; seeded, so runs repeat
	lastMutation int64

	truthOnce sync.Once
	baseTruth baseTruth

	payOnce sync.Once
	pay     payoutSchedule // base payouts; set by ready
}

// Derived-object delays after their parent, in seconds.
const (
	invoiceLead   = 3600 // an invoice is finalized an hour before its charge
	refundDelay   = 5400
	disputeDelay  = 7200
	creditNoteLag = 600
	eventWindow   = 30 * 24 * 3600
)

// scaleMix turns --scale (objects of all types per account, roughly) into
// the number of charges: about 3.9 objects of all types exist per charge.
func chargesForScale(scale int) int {
	c := scale * 10 / 39
	if c < 1 {
		c = 1
	}
	return c
}

func clamp(v, lo, hi int) int { return max(lo, min(v, hi)) }

// newDataset lays out an account's objects for scale, with the newest base
// objects just before now.
func newDataset(a *account, sandboxSeed int64, scale int, now time.Time) *dataset {
	d := &dataset{acct: a, descriptor: a.statementDescriptor()}
	d.seed = mix64(uint64(sandboxSeed)*0x9e3779b97f4a7c15 + fnv64(a.ID))
	// Truncating to the hour keeps the data of one seed identical for an
	// hour of starts; the margin keeps derived objects in the past.
	d.end = now.UTC().Truncate(time.Hour).Unix() - 900
	d.window = d.end - eventWindow
	start := max(a.Created.Unix(), d.end-3*365*24*3600)
	span := d.end - start - 2*creditNoteLag - invoiceLead - disputeDelay
	if span < 3600 {
		span = 3600
	}

	c := chargesForScale(scale)
	b := &d.base
	b[kCharge] = c
	b[kCustomer] = max(1, c/8)
	b[kProduct] = clamp(c/2000+4, 4, 150)
	b[kPrice] = 3 * b[kProduct]
	b[kCoupon] = clamp(c/5000+6, 6, 40)
	// Subscriptions: one per 50 charges, and at least one per 14 (up to 90)
	// in small accounts, so that even they have a subscription history.
	b[kSubscription] = max(1, c/50, min(c/14, 90))
	d.oneOffs = max(1, c/20)
	d.chargeBudget = c
	// Invoices, charges, refunds, disputes, credit notes and payouts follow
	// from the billing history and the payout schedule (ready).

	lead := span / 50 // customers exist a little before the first sale
	d.tl[kCustomer] = timeline{start: start, span: span, n: b[kCustomer]}
	d.tl[kProduct] = timeline{start: start, span: max(span/10, 3600*int64(b[kProduct])), n: b[kProduct]}
	d.tl[kCoupon] = timeline{start: start + lead, span: span - lead, n: b[kCoupon]}
	// Subscriptions started in the last 26 months: twelve months of MRR and
	// the year before them to compare with.
	subStart := max(start+lead, d.end-26*30*day)
	d.tl[kSubscription] = timeline{start: subStart, span: max(d.end-subStart-2*day, 3600), n: b[kSubscription]}
	d.tl[kInvoice] = timeline{start: start + lead, span: span - lead, n: d.oneOffs}
	d.tl[kCharge] = timeline{start: start + lead, span: span - lead, n: c}
	return d
}

// fnv64 hashes a string (FNV-1a).
func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// salts for hash draws, one per purpose.
const (
	sTime uint64 = iota + 1
	sTarget
	sFail
	sPick
	sAmount
	sName
	sCurrency
	sStatus
	sCard
	sCount
	sQty
	sMisc
	sPrice
	sReason
	sAddr
)

// n is the number of objects of kind k, appended ones included.
// Callers hold d.mu for reading.
func (d *dataset) n(k kind) int { return d.base[k] + len(d.ov[k].created) }

// created is when object i of kind k was created (unix seconds).
// Callers hold d.mu for reading when i may be an appended object.
func (d *dataset) created(k kind, i int) int64 {
	if i >= d.base[k] {
		return d.ov[k].created[i-d.base[k]]
	}
	switch k {
	case kPrice:
		return d.created(kProduct, i/3) + int64(i%3)*60
	case kInvoice:
		return d.hist.t0 + int64(d.hist.inv[i]>>32)
	case kCharge:
		r, inv := d.hist.invoiceChargeRank(i)
		if inv {
			return d.hist.t0 + int64(d.hist.ch[r]>>32)
		}
		return d.tl[kCharge].at(r, d.hash(uint64(kCharge), r, sTime))
	case kRefund:
		return d.created(kCharge, int(d.hist.ref[i])) + refundDelay
	case kDispute:
		return d.created(kCharge, int(d.hist.dis[i])) + disputeDelay
	case kCreditNote:
		return d.created(kInvoice, int(d.hist.cn[i])) + invoiceLead + creditNoteLag
	case kPayout:
		return d.pay.slots[i].created
	}
	return d.tl[k].at(i, d.hash(uint64(k), i, sTime))
}

// firstAtOrAfter is the lowest index of kind k created at or after t
// (n(k) when none). Callers hold d.mu for reading.
func (d *dataset) firstAtOrAfter(k kind, t int64) int {
	return sort.Search(d.n(k), func(i int) bool { return d.created(k, i) >= t })
}

// countBefore is how many objects of kind k were created before t.
func (d *dataset) countBefore(k kind, t int64) int { return d.firstAtOrAfter(k, t) }

// exists reports whether object i of kind k exists and is not deleted.
func (d *dataset) exists(k kind, i int) bool {
	if i < 0 || i >= d.n(k) {
		return false
	}
	_, gone := d.ov[k].deleted[int32(i)]
	return !gone
}

// version is the object's revision: 0 as generated, +1 per update.
func (d *dataset) version(k kind, i int) int {
	return int(d.ov[k].version[int32(i)])
}
