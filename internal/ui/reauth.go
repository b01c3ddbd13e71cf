package ui

import (
	"context"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// Reauthenticate restores a connection's access: an OAuth connection signs
// in again in the browser; an API-key connection asks for a new key. Both
// end on the connection's page with the result at the top.
func (u *UI) Reauthenticate(c domain.Connection) {
	if c.AuthMethod == domain.AuthAPIKey {
		u.keyDialog = showAPIKeyDialog(u, i18n.T("apikey.title.replace", i18n.Args{"Name": c.Name}),
			func(ctx context.Context, key string) (domain.Connection, string, error) {
				return u.p.Connector.ReauthenticateWithAPIKey(ctx, c.ID, key)
			},
			func(done domain.Connection, warning string) {
				u.openConnection(done, "")
				u.Connected(done, warning)
			})
		return
	}
	if u.reauthRunning {
		return
	}
	u.reauthRunning, u.reauthName = true, c.Name
	u.Say(bannerInfo, plain(i18n.T("reauth.waiting", i18n.Args{"Name": c.Name})))
	var conn domain.Connection
	var err error
	u.Background(func() { conn, err = u.p.Connector.Reauthenticate(context.Background(), c.ID) }, func() {
		u.reauthRunning, u.reauthName = false, ""
		if err != nil {
			u.ShowError(err)
			return
		}
		u.offline[conn.ID] = false
		u.openConnection(conn, "")
		u.Connected(conn, "")
	})
}
