package browse

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// Query is what the person picked.
type Query struct {
	ConnID   string
	View     string    // a View.Name
	Search   string    // "" = no search; surrounding spaces are ignored
	Status   string    // "" = all statuses; else one of View.Statuses
	From, To time.Time // created in [From, To); zero = open end
	SortBy   string    // a Sortable column key; "" = "created"
	Asc      bool      // false = newest / largest first
}

// ErrInvalidQuery is wrapped by the errors Open and Export return for a
// query they cannot run: an unknown view, sort column or status, no
// connection, From after To. The message says what was wrong.
var ErrInvalidQuery error = domain.KindInvalidQuery

// ErrTooManyToSort is wrapped by the error returned when a sort without an
// index (the payments' amount) would hold more than 100,000 rows. Open
// returns it when the date range and status show it at once; with a
// search, the matches are only known later, and Count, Rows or Export
// return it.
var ErrTooManyToSort error = domain.KindTooManyToSort

// plan is a checked Query with its view.
type plan struct {
	s        spec
	q        Query
	snapshot *snapshotSort // nil: sorted by created, through its index
}

// check validates q and returns its plan; errors wrap ErrInvalidQuery.
func check(q Query) (plan, error) {
	s, ok := specByName(q.View)
	if !ok {
		return plan{}, invalidQuery("there is no view called %q", q.View)
	}
	q.Search = strings.TrimSpace(q.Search)
	if q.ConnID == "" {
		return plan{}, invalidQuery("no connection given")
	}
	if q.Status != "" && !slices.Contains(s.Statuses, q.Status) {
		if len(s.Statuses) == 0 {
			return plan{}, invalidQuery("%s have no status to filter by", s.Name)
		}
		return plan{}, invalidQuery("%q is not a status of %s (they are %s)",
			q.Status, s.Name, strings.Join(s.Statuses, ", "))
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		return plan{}, invalidQuery("the date range starts (%s) at or after it ends (%s)",
			q.From.Format(time.DateOnly), q.To.Format(time.DateOnly))
	}
	if q.SortBy == "" {
		q.SortBy = "created"
	}
	p := plan{s: s, q: q}
	i := slices.IndexFunc(s.Columns, func(c Column) bool { return c.Key == q.SortBy })
	switch {
	case i < 0:
		return plan{}, invalidQuery("%s have no column %q to sort by", s.Name, q.SortBy)
	case !s.Columns[i].Sortable:
		return plan{}, invalidQuery("%s cannot be sorted by %q", s.Name, s.Columns[i].Key)
	case q.SortBy != "created":
		ss := s.snapshotSorts[q.SortBy]
		p.snapshot = &ss
	}
	return p, nil
}

// tooManyToSort is the error for a sort over more rows than limit.
func (p plan) tooManyToSort(limit int) error {
	return &SortLimitError{View: p.s.Name, Column: p.q.SortBy, Limit: limit}
}

// invalidQuery is an ErrInvalidQuery whose detail (technical English, for
// logs and the command line) says what was wrong.
func invalidQuery(format string, a ...any) error {
	return domain.E(domain.KindInvalidQuery, nil, domain.FactDetail, fmt.Sprintf(format, a...))
}

// SortLimitError is the error for a sort over more rows than Limit: it
// holds the facts a UI words it with, and wraps the domain error of kind
// ErrTooManyToSort with the same facts (domain.KindOf finds them).
type SortLimitError struct {
	View   string // "payments"
	Column string // the column's Key: "amount"
	Limit  int
}

func (e *SortLimitError) Error() string {
	return fmt.Sprintf("%v: more than %d %s match; narrow the %s with a date range or a status to sort them by %s",
		ErrTooManyToSort, e.Limit, e.View, e.View, strings.ReplaceAll(e.Column, "_", " "))
}

func (e *SortLimitError) Unwrap() error {
	return domain.E(domain.KindTooManyToSort, nil, domain.FactLimit, strconv.Itoa(e.Limit), domain.FactColumn, e.Column,
		domain.FactWhat, e.View)
}
