package sandbox

// Ids of generated objects encode where the object lives, so an id maps back
// to its index without any table: after the prefix come a lead character
// (which stream of a merged list, such as balance transactions or events,
// the object belongs to), six base-62 digits of (index + an offset drawn per
// account and family), and filler drawn from the seed. The alphabet is in
// ASCII order, so within a family and lead, ids sort like indexes — which is
// what "newest first, then id" ordering needs — and the filler lets a
// lookup reject ids the sandbox never issued (or issued to another account).

// family is a kind of id: its prefix and length.
type family uint8

const (
	famCustomer family = iota
	famProduct
	famPrice
	famCoupon
	famSubscription
	famSubItem
	famInvoice
	famLine
	famCharge
	famPaymentIntent
	famRefund
	famDispute
	famPayout
	famCreditNote
	famTxn
	famEvent
	famInvoiceItem
	numFamilies
)

type familySpec struct {
	prefix string
	length int // characters after the prefix
}

var families = [numFamilies]familySpec{
	famCustomer:      {"cus_", 14},
	famProduct:       {"prod_", 14},
	famPrice:         {"price_", 24},
	famCoupon:        {"", 8},
	famSubscription:  {"sub_", 24},
	famSubItem:       {"si_", 14},
	famInvoice:       {"in_", 24},
	famLine:          {"il_", 24},
	famCharge:        {"ch_", 24},
	famPaymentIntent: {"pi_", 24},
	famRefund:        {"re_", 24},
	famDispute:       {"dp_", 24},
	famPayout:        {"po_", 24},
	famCreditNote:    {"cn_", 24},
	famTxn:           {"txn_", 24},
	famEvent:         {"evt_", 24},
	famInvoiceItem:   {"ii_", 24},
}

// idDigits is how many base-62 digits hold the index; 62^6 ≈ 5.7e10.
const idDigits = 6

// maxIDOffset bounds the per-account offset added to indexes (62^6 / 2),
// leaving room for as many indexes again.
const maxIDOffset = 28400117792

// leadPlain is the lead character of families that are not merged.
const leadPlain = '1'

// mix64 is SplitMix64's finaliser: a fast, well-spread 64-bit hash step.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// hash draws a deterministic 64-bit value for (account, what, index, salt).
func (d *dataset) hash(what uint64, i int, salt uint64) uint64 {
	return mix64(mix64(d.seed+what*0x9e3779b97f4a7c15) + uint64(i)*0xd1b54a32d192ed03 + salt)
}

// offset is the per-account, per-family, per-lead shift of encoded indexes.
func (d *dataset) offset(f family, lead byte) int {
	return int(d.hash(0xf00+uint64(f), int(lead), 7) % maxIDOffset)
}

// appendID appends the id of index i in family f under lead.
func (d *dataset) appendID(b []byte, f family, lead byte, i int) []byte {
	spec := &families[f]
	b = append(b, spec.prefix...)
	n := spec.length
	if f != famCoupon {
		b = append(b, lead)
		n--
	}
	v := uint64(i + d.offset(f, lead))
	var digits [idDigits]byte
	for k := idDigits - 1; k >= 0; k-- {
		digits[k] = alphanumeric[v%62]
		v /= 62
	}
	b = append(b, digits[:]...)
	n -= idDigits
	return d.appendFiller(b, f, lead, i, n)
}

// appendFiller appends n pseudo-random characters that depend on the
// account, family, lead and index.
func (d *dataset) appendFiller(b []byte, f family, lead byte, i int, n int) []byte {
	h0 := d.hash(0xf1d0+uint64(f)<<8+uint64(lead), i, 0)
	h := h0
	for k := 0; k < n; k++ {
		if k > 0 && k%10 == 0 {
			h = mix64(h0 + uint64(k))
		}
		b = append(b, alphanumeric[(h&63)%62])
		h >>= 6
	}
	return b
}

// id returns the id of index i in family f under lead.
func (d *dataset) id(f family, lead byte, i int) string {
	var buf [40]byte
	return string(d.appendID(buf[:0], f, lead, i))
}

// parseID reads an id of family f back into its lead and index. It fails
// for anything this account's dataset could not have issued.
func (d *dataset) parseID(f family, s string) (lead byte, i int, ok bool) {
	spec := &families[f]
	if len(s) != len(spec.prefix)+spec.length || s[:len(spec.prefix)] != spec.prefix {
		return 0, 0, false
	}
	rest := s[len(spec.prefix):]
	lead = leadPlain
	if f != famCoupon {
		lead, rest = rest[0], rest[1:]
	}
	v := 0
	for k := 0; k < idDigits; k++ {
		c := base62Digit(rest[k])
		if c < 0 {
			return 0, 0, false
		}
		v = v*62 + c
	}
	i = v - d.offset(f, lead)
	if i < 0 {
		return 0, 0, false
	}
	var buf [40]byte
	if string(d.appendID(buf[:0], f, lead, i)) != s {
		return 0, 0, false
	}
	return lead, i, true
}

// auxID makes an id for something that is named but never looked up (a
// payment method, a bank account, a card fingerprint): prefix plus n
// characters drawn from (what, i).
func (d *dataset) auxID(b []byte, prefix string, what uint64, i int, n int) []byte {
	b = append(b, prefix...)
	h0 := d.hash(what, i, 0xa0c)
	h := h0
	for k := 0; k < n; k++ {
		if k > 0 && k%10 == 0 {
			h = mix64(h0 + uint64(k))
		}
		b = append(b, alphanumeric[(h&63)%62])
		h >>= 6
	}
	return b
}
