package ui

import (
	"strings"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// Routes name the window's pages. A connection's page is
// "connection/<id>/<tab>", the tab by its stable name ("overview",
// "payments", "sync", "details").
const (
	routeConnections = "connections"
	routeAddSource   = "add-source"
	routeStripe      = "stripe"
)

func routeConnection(id, tab string) string {
	if tab == "" {
		return "connection/" + id
	}
	return "connection/" + id + "/" + tab
}

// parseConnectionRoute splits "connection/<id>/<tab>".
func parseConnectionRoute(route string) (id, tab string, ok bool) {
	rest, ok := strings.CutPrefix(route, "connection/")
	if !ok || rest == "" {
		return "", "", false
	}
	id, tab, _ = strings.Cut(rest, "/")
	return id, tab, true
}

// build makes the page of a route. A connection's page needs the
// connection among those last listed; anything unknown is Connections.
func (u *UI) build(route string) Page {
	switch route {
	case routeAddSource:
		return newAddSourcePage(u)
	case routeStripe:
		return newStripePage(u, &u.signIn)
	case routeAllStores:
		if u.p.Money != nil {
			return newAllStoresPage(u)
		}
	}
	if id, tab, ok := parseConnectionRoute(route); ok {
		if c, found := u.listedConnection(id); found {
			return newDetailsPage(u, c, tab)
		}
	}
	return newConnectionsPage(u)
}

// listedConnection is the connection as last listed.
func (u *UI) listedConnection(id string) (domain.Connection, bool) {
	for _, c := range u.rows {
		if c.ID == id {
			return c, true
		}
	}
	return domain.Connection{}, false
}

// openConnection shows c's page on tab ("" for the first), taking c as the
// freshest record (just connected or re-authenticated).
func (u *UI) openConnection(c domain.Connection, tab string) {
	found := false
	for i := range u.rows {
		if u.rows[i].ID == c.ID {
			u.rows[i], found = c, true
		}
	}
	if !found {
		u.rows = append(u.rows, c)
	}
	u.Go(routeConnection(c.ID, tab))
}

// restoreLastPage reopens the connection page the previous run ended on,
// once, if that connection still exists and nobody has moved on already.
func (u *UI) restoreLastPage(rows []domain.Connection) {
	route := u.restoring
	u.restoring = ""
	id, _, ok := parseConnectionRoute(route)
	if !ok || u.current == nil || u.current.Route() != routeConnections {
		return
	}
	for _, c := range rows {
		if c.ID == id {
			u.Go(route)
			return
		}
	}
}
