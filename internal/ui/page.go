package ui

import (
	"fyne.io/fyne/v2"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/syncer"
)

// Page is one screen of the window. The shell shows one page at a time
// under the message area and the page's breadcrumb; it builds pages from
// their routes (router.go), so a page can be opened, left, come back to,
// remembered for the next run and rebuilt in another language.
//
// Every method runs on the UI goroutine. Pages embed basePage for the
// events they don't need.
type Page interface {
	// Route names the page and its state worth keeping: "connections",
	// "connection/conn_…/payments". Going to it rebuilds the same page.
	Route() string
	// Crumbs are the breadcrumb's steps, the page itself last; one step
	// (or none) shows no breadcrumb.
	Crumbs() []Crumb
	// Content is the page's widgets, built once.
	Content() fyne.CanvasObject
	// Shown runs when the page comes on screen; Closed when it leaves:
	// it stops the page's background work.
	Shown()
	Closed()
	// Progress gets every sync snapshot while the page is on show;
	// Connections gets the connections each time they are read again
	// (after a status check, a sync, a connect or a disconnect), or the
	// error that kept them from being read.
	Progress(p syncer.Progress)
	Connections(rows []domain.Connection, err error)
	// Shortcut does what a menu shortcut asks on this page; false when
	// the page has nothing to do for it.
	Shortcut(a Action) bool
}

// Crumb is one step of a breadcrumb: its words and the route it opens
// ("" for the page on show).
type Crumb struct {
	Title string
	Route string
}

// Action is a menu shortcut that means something only on some pages.
type Action struct {
	Kind ActionKind
	// Tab is the tab's index for ActionTab.
	Tab int
}

// ActionKind names what a page-level shortcut asks for.
type ActionKind int

const (
	// ActionRefresh: Check status on Connections, Update now on a
	// connection's page.
	ActionRefresh ActionKind = iota + 1
	// ActionSearch focuses the search box of the table on show.
	ActionSearch
	// ActionExport opens Export CSV… for the table on show.
	ActionExport
	// ActionTab selects a connection page's tab by index (Ctrl+1…).
	ActionTab
	// ActionTabStep selects the next tab (Tab 1) or the previous one
	// (Tab -1) of a connection's page, round the end (Ctrl+Page Down/Up).
	ActionTabStep
)

// basePage gives a page the events it doesn't use.
type basePage struct{}

func (basePage) Crumbs() []Crumb                        { return nil }
func (basePage) Shown()                                 {}
func (basePage) Closed()                                {}
func (basePage) Progress(syncer.Progress)               {}
func (basePage) Connections([]domain.Connection, error) {}
func (basePage) Shortcut(Action) bool                   { return false }
