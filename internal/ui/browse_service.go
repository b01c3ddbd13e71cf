package ui

import (
	"context"
	"io"

	"github.com/ledgerline/ledgerline/internal/browse"
)

// BrowseService reads the synced tables behind a connection page's data
// tabs (internal/browse). Every method may take a while and is called off
// the UI goroutine.
type BrowseService interface {
	// Open checks q and returns its rows' pager. Its errors are
	// browse.Browser.Open's: a *browse.SortLimitError (the tab words it)
	// or one whose reason errorText words.
	Open(ctx context.Context, q browse.Query) (RowPager, error)
	// Object returns one object's fields for the details dialog.
	Object(ctx context.Context, view, connID, id string) ([]browse.Field, error)
	// Export writes the rows q selects as CSV and returns how many.
	Export(ctx context.Context, q browse.Query, w io.Writer) (int, error)
}

// RowPager gives random access to a query's rows (browse.Pager).
type RowPager interface {
	Count(ctx context.Context) (int, error)
	Rows(ctx context.Context, from, n int) ([]browse.Row, error)
}

// NewBrowseService adapts a browse.Browser to the window.
func NewBrowseService(b *browse.Browser) BrowseService { return browser{b} }

type browser struct{ b *browse.Browser }

func (s browser) Open(ctx context.Context, q browse.Query) (RowPager, error) {
	p, err := s.b.Open(ctx, q)
	if err != nil {
		return nil, err
	}
	return p, nil
}

func (s browser) Object(ctx context.Context, view, connID, id string) ([]browse.Field, error) {
	return s.b.Object(ctx, view, connID, id)
}

func (s browser) Export(ctx context.Context, q browse.Query, w io.Writer) (int, error) {
	return s.b.Export(ctx, q, w)
}
