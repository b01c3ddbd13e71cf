package ui

import (
	"context"

	"github.com/dustin/go-humanize"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/syncer"
)

// noticeProgress sends a desktop notification when a connection's sync
// has finished copying (it was seen copying, and is now caught up) or
// stops with an error.
func (u *UI) noticeProgress(before, p syncer.Progress) {
	if syncing(p) {
		u.copying[p.ConnectionID] = true
	}
	if p.Stage == before.Stage {
		return
	}
	switch {
	case p.Stage == syncer.StageFailed && p.Err != "":
		delete(u.copying, p.ConnectionID)
		u.withName(p.ConnectionID, func(name string) { u.p.Notify("The sync of "+name+" stopped", p.Err) })
	case (p.Stage == syncer.StageFollowing || p.Stage == syncer.StageDone) && u.copying[p.ConnectionID]:
		delete(u.copying, p.ConnectionID)
		var n int64
		for _, t := range p.Types {
			n += t.Synced
		}
		u.withName(p.ConnectionID, func(name string) {
			u.p.Notify(name+" is up to date", humanize.Comma(n)+" objects are on this computer.")
		})
	}
}

// withName calls fn with the connection's name: from the list on show,
// or, for a connection added since (by the command line, say), read from
// the database off the UI goroutine.
func (u *UI) withName(id string, fn func(name string)) {
	if name, ok := u.listedName(id); ok {
		fn(name)
		return
	}
	var rows []domain.Connection
	u.background(func() { rows, _ = u.p.Connections.ListConnections(context.Background()) }, func() {
		for _, c := range rows {
			if c.ID == id {
				fn(c.Name)
				return
			}
		}
		fn("A connection")
	})
}

// noticeStatuses sends a notification for each connection that has just
// come to need re-authentication; statuses seen at start-up are not news.
func (u *UI) noticeStatuses(rows []domain.Connection) {
	first := u.statuses == nil
	if first {
		u.statuses = map[string]domain.Status{}
	}
	for _, c := range rows {
		was, seen := u.statuses[c.ID]
		u.statuses[c.ID] = c.Status
		if !first && seen && was != c.Status && c.NeedsReauth() {
			u.p.Notify(c.Name+" needs re-authentication",
				"Ledgerline can't read this account until you sign in again. Open Ledgerline and click Re-authenticate.")
		}
	}
}

// listedName is the connection's name as last listed.
func (u *UI) listedName(id string) (string, bool) {
	if u.connections != nil {
		for _, c := range u.connections.table.rows {
			if c.ID == id {
				return c.Name, true
			}
		}
	}
	return "", false
}
