package domain

import (
	"errors"
	"slices"
	"strings"
)

// Facts are what a message about an error needs to name: an account, a
// permission, an HTTP status, a path. Names are the Fact… constants. A fact
// is never a secret: no key, token, code or anything that quotes one.
type Facts map[string]string

// Error is a failure of a Kind with the Facts its words need, and the Cause
// underneath for errors.Is and errors.As. Its text is short technical
// English for logs: the kind and the facts, never the cause's own text
// (which may quote a key, a body or a URL) and never a sentence for a
// person: the window's catalog and the command line word the Kind.
type Error struct {
	Kind  Kind
	Facts Facts
	Cause error
}

// E is an *Error of kind k with facts given as name, value pairs; empty
// values are left out.
func E(k Kind, cause error, pairs ...string) *Error {
	e := &Error{Kind: k, Cause: cause}
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			if e.Facts == nil {
				e.Facts = Facts{}
			}
			e.Facts[pairs[i]] = pairs[i+1]
		}
	}
	return e
}

// Error is the kind's text and the facts, e.g.
// "Stripe unavailable (http_status=503)".
func (e *Error) Error() string {
	s := e.Kind.Error()
	if len(e.Facts) == 0 {
		return s
	}
	names := make([]string, 0, len(e.Facts))
	for n := range e.Facts {
		names = append(names, n)
	}
	slices.Sort(names)
	var b strings.Builder
	b.WriteString(s)
	b.WriteString(" (")
	for i, n := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(n + "=" + e.Facts[n])
	}
	b.WriteString(")")
	return b.String()
}

// Unwrap returns the Kind and the Cause (when there is one), so errors.Is
// matches the kind, its parents and anything in the cause.
func (e *Error) Unwrap() []error {
	if e.Cause == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Cause}
}

// KindFacts makes *Error a Classified error.
func (e *Error) KindFacts() (Kind, Facts) { return e.Kind, e.Facts }

// Classified is an error that knows its kind and facts. *Error is one; a
// package's own error type (a keychain failure, a broker's OAuth error)
// may be one too, so KindOf finds its facts without another wrapper.
type Classified interface {
	error
	KindFacts() (Kind, Facts)
}

// Fact returns one fact, or "".
func (e *Error) Fact(name string) string { return e.Facts[name] }

// KindOf finds the kind of err and its facts: those of the first
// Classified error (such as an *Error) in its chain, else the first Kind; KindUnknown (and no facts) for an error
// nobody classified, "" for nil.
func KindOf(err error) (Kind, Facts) {
	if err == nil {
		return "", nil
	}
	var c Classified
	if errors.As(err, &c) {
		return c.KindFacts()
	}
	var k Kind
	if errors.As(err, &k) {
		return k, nil
	}
	return KindUnknown, nil
}

// StatusError is the reason for a connection's status, with its facts, as an
// error the window and the command line word like any other; nil when the
// status has no reason.
func (c Connection) StatusError() error {
	if c.StatusReason == "" {
		return nil
	}
	return &Error{Kind: c.StatusReason, Facts: c.StatusFacts}
}

func sortKinds(ks []Kind) { slices.Sort(ks) }
