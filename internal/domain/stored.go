package domain

import "encoding/json"

// storedError is an error's kind and facts as a column keeps them.
type storedError struct {
	Kind  Kind  `json:"kind"`
	Facts Facts `json:"facts,omitempty"`
}

// StoreError writes err's kind and facts as compact JSON for a column that
// remembers a failure ({"kind":"stripe_unavailable","facts":{…}}), so
// whoever shows it later can word it in their language; "" for nil. Only
// the kind and facts are kept, never the cause's text.
func StoreError(err error) string {
	if err == nil {
		return ""
	}
	k, f := KindOf(err)
	if !k.Known() {
		k, f = KindUnknown, nil
	}
	b, _ := json.Marshal(storedError{Kind: k, Facts: f}) // strings only: cannot fail
	return string(b)
}

// LoadError reads what StoreError wrote back into an *Error; nil for "".
// Anything else (a sentence an older Ledgerline saved) is KindUnknown.
func LoadError(s string) error {
	if s == "" {
		return nil
	}
	var st storedError
	if json.Unmarshal([]byte(s), &st) != nil || !st.Kind.Known() {
		return &Error{Kind: KindUnknown}
	}
	return &Error{Kind: st.Kind, Facts: st.Facts}
}
