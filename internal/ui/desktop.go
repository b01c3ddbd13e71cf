package ui

import "github.com/ledgerline/ledgerline/internal/domain"

// UpdateAll asks every connected account's sync to run now (the tray's
// Update all). Safe from any goroutine.
func (u *UI) UpdateAll() {
	u.p.RunOnUI(func() {
		if u.p.Sync == nil {
			return
		}
		for _, c := range u.rows {
			if c.Status != domain.StatusDisconnected {
				u.p.Sync.UpdateNow(c.ID)
			}
		}
	})
}

// ShowWindow brings the window to the front (the tray's Open Ledgerline).
// Safe from any goroutine.
func (u *UI) ShowWindow() {
	u.p.RunOnUI(func() {
		u.win.Show()
		u.win.RequestFocus()
	})
}
