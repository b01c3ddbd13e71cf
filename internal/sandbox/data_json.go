package sandbox

import (
	"strconv"
	"unicode/utf8"
)

// jw writes JSON straight into a byte slice, pretty-printed the way Stripe
// answers (two-space indent, `"key": value`, empty objects and arrays as
// `{}` and `[]`). It is the list hot path: no reflection, no maps, no
// allocation beyond growing b. Callers write well-formed sequences (a key
// before each value inside an object); jw only tracks layout.
type jw struct {
	b     []byte
	depth int
	first bool // the next member is the first of its object or array
	// expandTxn renders balance_transaction fields as the object, not its
	// id (expand[]=data.balance_transaction on a list).
	expandTxn bool
	// expandDest renders a payout's destination as its bank account
	// (expand[]=data.destination, expand[]=destination).
	expandDest bool
	// more are the other expansions of the objects of a list or retrieve
	// (data.refunds, data.subscriptions, …); nested objects are written
	// without them.
	more expandSet
}

// indent is sliced for indentation; deeper nesting than this is a bug.
const indent = "                                                                " +
	"                                                                "

// sep starts a member: a comma after a previous one, a newline, indentation.
func (w *jw) sep() {
	if !w.first {
		w.b = append(w.b, ',')
	}
	w.first = false
	w.b = append(w.b, '\n')
	w.b = append(w.b, indent[:2*w.depth]...)
}

// begin opens an object ('{') or array ('[') as a value.
func (w *jw) begin(c byte) {
	w.b = append(w.b, c)
	w.depth++
	w.first = true
}

// end closes what begin opened with '}' or ']'.
func (w *jw) end(c byte) {
	w.depth--
	if !w.first {
		w.b = append(w.b, '\n')
		w.b = append(w.b, indent[:2*w.depth]...)
	}
	w.b = append(w.b, c)
	w.first = false
}

// key writes a member's name; the value follows.
func (w *jw) key(k string) {
	w.sep()
	w.b = append(w.b, '"')
	w.b = append(w.b, k...)
	w.b = append(w.b, '"', ':', ' ')
}

// elem starts an array element; the value follows.
func (w *jw) elem() { w.sep() }

func (w *jw) str(s string) { w.b = appendQuoted(w.b, s) }
func (w *jw) int(v int64)  { w.b = strconv.AppendInt(w.b, v, 10) }
func (w *jw) null()        { w.b = append(w.b, "null"...) }
func (w *jw) bool(v bool)  { w.b = strconv.AppendBool(w.b, v) }

// Member shorthands.
func (w *jw) kstr(k, v string)       { w.key(k); w.str(v) }
func (w *jw) kint(k string, v int64) { w.key(k); w.int(v) }
func (w *jw) knull(k string)         { w.key(k); w.null() }
func (w *jw) kbool(k string, v bool) { w.key(k); w.bool(v) }
func (w *jw) kobj(k string)          { w.key(k); w.begin('{') }
func (w *jw) karr(k string)          { w.key(k); w.begin('[') }
func (w *jw) kempty(k string)        { w.key(k); w.b = append(w.b, '{', '}') }
func (w *jw) kemptyArr(k string)     { w.key(k); w.b = append(w.b, '[', ']') }

// kstrOr writes v, or null when v is empty.
func (w *jw) kstrOr(k, v string) {
	if v == "" {
		w.knull(k)
		return
	}
	w.kstr(k, v)
}

// kintOr writes v, or null when ok is false.
func (w *jw) kintOr(k string, v int64, ok bool) {
	if !ok {
		w.knull(k)
		return
	}
	w.kint(k, v)
}

// kraw writes a value that is already JSON (a number with a fraction, say).
func (w *jw) kraw(k, raw string) { w.key(k); w.b = append(w.b, raw...) }

// appendQuoted appends s as a JSON string. Generated text is plain ASCII, so
// the fast path copies it; anything else goes through strconv's quoting,
// which yields valid JSON for the characters our data can hold.
func appendQuoted(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf {
			return appendQuotedSlow(b, s)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func appendQuotedSlow(b []byte, s string) []byte {
	b = append(b, '"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '\n':
			b = append(b, '\\', 'n')
		case r < 0x20:
			b = append(b, `\u00`...)
			b = append(b, "0123456789abcdef"[r>>4], "0123456789abcdef"[r&15])
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return append(b, '"')
}
