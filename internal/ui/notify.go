package ui

import (
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
	name := u.connectionName(p.ConnectionID)
	switch {
	case p.Stage == syncer.StageFailed && p.Err != "":
		delete(u.copying, p.ConnectionID)
		u.p.Notify("The sync of "+name+" stopped", p.Err)
	case (p.Stage == syncer.StageFollowing || p.Stage == syncer.StageDone) && u.copying[p.ConnectionID]:
		delete(u.copying, p.ConnectionID)
		var n int64
		for _, t := range p.Types {
			n += t.Synced
		}
		u.p.Notify(name+" is up to date", humanize.Comma(n)+" objects are on this computer.")
	}
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

// connectionName is the connection's name as last listed, or "A connection".
func (u *UI) connectionName(id string) string {
	if u.connections != nil {
		for _, c := range u.connections.table.rows {
			if c.ID == id {
				return c.Name
			}
		}
	}
	return "A connection"
}
