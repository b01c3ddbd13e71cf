package warehouse

import (
	"net/url"
	"slices"
	"strings"
	"sync"
)

// Types returns the 17 object types the warehouse keeps, parents before
// their children, as fresh copies (changing them changes nothing else).
func Types() []Type {
	m := registry()
	ts := make([]Type, len(m))
	for i := range m {
		ts[i] = m[i].clone()
	}
	return ts
}

// TypeByName returns the type whose Name (plural key) is name.
func TypeByName(name string) (Type, bool) {
	return find(func(t *Type) bool { return t.Name == name })
}

// TypeByObject returns the type whose objects carry "object": object
// ("charge", "line_item").
func TypeByObject(object string) (Type, bool) {
	return find(func(t *Type) bool { return t.Object == object })
}

// TypeForEvent returns the type an event type's data.object belongs to, by
// the longest matching EventPrefixes ("charge.dispute.created" → disputes,
// "charge.succeeded" → charges). Check the object itself with TypeByObject
// too: a few events under a prefix carry other objects.
func TypeForEvent(eventType string) (Type, bool) {
	m := registry()
	best, longest := -1, 0
	for i := range m {
		for _, p := range m[i].EventPrefixes {
			if len(p) > longest && strings.HasPrefix(eventType, p) {
				best, longest = i, len(p)
			}
		}
	}
	if best < 0 {
		return Type{}, false
	}
	return m[best].clone(), true
}

func find(match func(*Type) bool) (Type, bool) {
	m := registry()
	for i := range m {
		if match(&m[i]) {
			return m[i].clone(), true
		}
	}
	return Type{}, false
}

// registry builds the types once; nothing ever changes the result, and
// callers get clones of it.
var registry = sync.OnceValue(func() []Type {
	ts := append(paymentTypes(), billingTypes()...)
	for i := range ts {
		t := &ts[i]
		t.Table = "stripe_" + t.Name
		if t.ListPath == "" {
			t.ListPath = "/v1/" + t.Name
		}
		for j := range t.Columns {
			c := &t.Columns[j]
			if len(c.From) == 0 {
				c.From = []string{c.Name}
			}
			c.keys = splitPaths(c.From)
		}
	}
	for i := range ts {
		if p := ts[i].Parent; p != "" {
			for j := range ts {
				if ts[j].Name == p {
					child := ts[i]
					ts[j].Child, ts[j].child = child.Name, &child
				}
			}
		}
	}
	for i := range ts {
		if x := ts[i].Expands; x != nil {
			for j := range ts {
				if ts[j].Name == x.Type {
					inner := ts[j]
					x.inner = &inner
				}
			}
		}
	}
	return ts
})

// clone copies t deeply enough that changing the copy's slices and maps
// leaves t as it was (the split paths, never changed, are shared).
func (t Type) clone() Type {
	t.ListParams = cloneValues(t.ListParams)
	t.EventPrefixes = slices.Clone(t.EventPrefixes)
	t.Columns = slices.Clone(t.Columns)
	t.Expands = t.Expands.clone()
	t.FilterValues = slices.Clone(t.FilterValues)
	for i := range t.Columns {
		t.Columns[i].From = slices.Clone(t.Columns[i].From)
	}
	if t.child != nil {
		c := t.child.clone()
		t.child = &c
	}
	return t
}

func cloneValues(v url.Values) url.Values {
	if v == nil {
		return nil
	}
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

func splitPaths(from []string) [][]string {
	keys := make([][]string, len(from))
	for i, f := range from {
		keys[i] = strings.Split(f, ".")
	}
	return keys
}

// Column constructors: the JSON path defaults to the column's name.

func text(name, doc string, from ...string) Column {
	return Column{Name: name, Kind: Text, From: from, Doc: doc}
}

func integer(name, doc string, from ...string) Column {
	return Column{Name: name, Kind: Integer, From: from, Doc: doc}
}

func number(name, doc string, from ...string) Column {
	return Column{Name: name, Kind: Real, From: from, Doc: doc}
}

func boolean(name, doc string, from ...string) Column {
	return Column{Name: name, Kind: Bool, From: from, Doc: doc}
}

func unix(name, doc string, from ...string) Column {
	return Column{Name: name, Kind: Time, From: from, Doc: doc}
}

// amount is an amount in the smallest currency unit (cents).
func amount(name, doc string, from ...string) Column {
	return integer(name, doc+" In the currency's smallest unit (cents).", from...)
}

func currency() Column {
	return text("currency", "Three-letter ISO currency code, lower case (usd).")
}

func params(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}
