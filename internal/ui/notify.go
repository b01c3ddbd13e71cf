package ui

import (
	"context"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/syncer"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// notices is what the desktop notifications remember: each connection's
// status as last listed (to notice the ones that come to need
// re-authentication) and those seen copying (to say when they are done).
type notices struct {
	statuses map[string]domain.Status
	copying  map[string]bool
}

func (n *notices) init() { n.copying = map[string]bool{} }

// noticeProgress sends a desktop notification when a connection's sync
// has finished copying (it was seen copying, and is now caught up) or
// stops with an error.
func (u *UI) noticeProgress(before, p syncer.Progress) {
	if syncing(p) {
		u.notices.copying[p.ConnectionID] = true
	}
	if p.Stage == before.Stage {
		return
	}
	switch {
	case p.Stage == syncer.StageFailed && p.Err != "":
		delete(u.notices.copying, p.ConnectionID)
		u.withName(p.ConnectionID, func(name string) {
			u.p.Notify(i18n.T("notify.sync_stopped.title", i18n.Args{"Name": name}), syncErrorText(p))
		})
	case (p.Stage == syncer.StageFollowing || p.Stage == syncer.StageDone) && u.notices.copying[p.ConnectionID]:
		delete(u.notices.copying, p.ConnectionID)
		var n int64
		for _, t := range p.Types {
			n += t.Synced
		}
		u.withName(p.ConnectionID, func(name string) {
			u.p.Notify(i18n.T("notify.up_to_date.title", i18n.Args{"Name": name}), i18n.N("notify.up_to_date.body", int(n)))
		})
	}
}

// withName calls fn with the connection's name: from the list on show,
// or, for a connection added since (by the command line, say), read from
// the database off the UI goroutine.
func (u *UI) withName(id string, fn func(name string)) {
	if c, ok := u.listedConnection(id); ok {
		fn(c.Name)
		return
	}
	var rows []domain.Connection
	u.Background(func() { rows, _ = u.p.Connections.ListConnections(context.Background()) }, func() {
		for _, c := range rows {
			if c.ID == id {
				fn(c.Name)
				return
			}
		}
		fn(i18n.T("notify.unknown_connection"))
	})
}

// noticeStatuses sends a notification for each connection that has just
// come to need re-authentication; statuses seen at start-up are not news.
func (u *UI) noticeStatuses(rows []domain.Connection) {
	first := u.notices.statuses == nil
	if first {
		u.notices.statuses = map[string]domain.Status{}
	}
	for _, c := range rows {
		was, seen := u.notices.statuses[c.ID]
		u.notices.statuses[c.ID] = c.Status
		if !first && seen && was != c.Status && c.NeedsReauth() {
			u.p.Notify(i18n.T("notify.needs_reauth.title", i18n.Args{"Name": c.Name}), i18n.T("notify.needs_reauth.body"))
		}
	}
}
