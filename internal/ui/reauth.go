package ui

import (
	"context"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// reauthenticate restores a connection's access: an OAuth connection signs
// in again in the browser; an API-key connection asks for a new key. Both
// end on the connection's details with the result at the top.
func (u *UI) reauthenticate(c domain.Connection) {
	if c.AuthMethod == domain.AuthAPIKey {
		u.keyDialog = u.showAPIKeyDialog("Replace the API key for "+c.Name,
			func(ctx context.Context, key string) (domain.Connection, string, error) {
				return u.p.Connector.ReauthenticateWithAPIKey(ctx, c.ID, key)
			},
			func(done domain.Connection, warning string) {
				u.showDetails(done)
				u.showConnected(done, warning)
			})
		return
	}
	if u.reauthRunning {
		return
	}
	u.reauthRunning = true
	u.banner.Show(bannerInfo, plain("Waiting for Stripe in your browser to re-authenticate "+c.Name+"…"))
	var conn domain.Connection
	var err error
	u.background(func() { conn, err = u.p.Connector.Reauthenticate(context.Background(), c.ID) }, func() {
		u.reauthRunning = false
		if err != nil {
			u.showError(err)
			return
		}
		u.offline[conn.ID] = false
		u.showDetails(conn)
		u.showConnected(conn, "")
	})
}
