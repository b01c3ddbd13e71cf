package warehouse

import (
	"net/url"
	"strings"
)

// Types returns the 17 object types the warehouse keeps, parents before
// their children, as fresh values (changing them changes nothing else).
func Types() []Type {
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
	return ts
}

// TypeByName returns the type whose Name (plural key) is name.
func TypeByName(name string) (Type, bool) {
	for _, t := range Types() {
		if t.Name == name {
			return t, true
		}
	}
	return Type{}, false
}

// TypeByObject returns the type whose objects carry "object": object
// ("charge", "line_item").
func TypeByObject(object string) (Type, bool) {
	for _, t := range Types() {
		if t.Object == object {
			return t, true
		}
	}
	return Type{}, false
}

// TypeForEvent returns the type an event type's data.object belongs to, by
// the longest matching EventPrefixes ("charge.dispute.created" → disputes,
// "charge.succeeded" → charges). Check the object itself with TypeByObject
// too: a few events under a prefix carry other objects.
func TypeForEvent(eventType string) (Type, bool) {
	var best Type
	longest := 0
	for _, t := range Types() {
		for _, p := range t.EventPrefixes {
			if len(p) > longest && strings.HasPrefix(eventType, p) {
				best, longest = t, len(p)
			}
		}
	}
	return best, longest > 0
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
