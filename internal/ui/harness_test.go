package ui

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// uiLoop stands in for Fyne's event loop: background work posts closures
// to it, and the test goroutine runs them, so widgets are only ever
// touched from the test's own goroutine (as they would be from the UI's).
type uiLoop chan func()

func (q uiLoop) post(fn func()) { q <- fn }

// until runs posted closures until cond holds, failing after 10 s.
func (q uiLoop) until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for !cond() {
		select {
		case fn := <-q:
			fn()
		case <-deadline:
			t.Fatalf("timed out waiting until %s", what)
		}
	}
}

// fakeSource serves connections from memory.
type fakeSource struct {
	mu   sync.Mutex
	rows []domain.Connection
	err  error
}

func (f *fakeSource) ListConnections(context.Context) ([]domain.Connection, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]domain.Connection(nil), f.rows...), f.err
}

func (f *fakeSource) add(c domain.Connection) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rows = append(f.rows, c)
}

// fakeConnector records calls. connect, when set, decides the result of
// ConnectStripe; by default it adds newConn to source and returns it.
type fakeConnector struct {
	noBroker     bool
	source       *fakeSource
	newConn      domain.Connection
	connect      func(ctx context.Context) (domain.Connection, error)
	mu           sync.Mutex
	connects     int
	reauths      []string
	disconnects  []string
	deletedData  []bool
	disconnectEr error
	disconnectAs domain.Kind   // the status reason Disconnect reports; KindDisconnected when empty
	reauthWait   chan struct{} // when set, Reauthenticate waits for it to close, as a sign-in in the browser does
	keys         []string
}

func (f *fakeConnector) CanSignIn() bool { return !f.noBroker }

func (f *fakeConnector) ConnectStripe(ctx context.Context) (domain.Connection, error) {
	f.mu.Lock()
	f.connects++
	f.mu.Unlock()
	if f.connect != nil {
		return f.connect(ctx)
	}
	f.source.add(f.newConn)
	return f.newConn, nil
}

// ConnectWithAPIKey accepts "rk_test_good" (adding newConn) and
// "sk_test_good" (with a warning); anything else is refused.
func (f *fakeConnector) ConnectWithAPIKey(_ context.Context, key string) (domain.Connection, string, error) {
	f.mu.Lock()
	f.keys = append(f.keys, key)
	f.mu.Unlock()
	switch key {
	case "rk_test_good":
		f.source.add(f.newConn)
		return f.newConn, "", nil
	case "sk_test_good":
		f.source.add(f.newConn)
		return f.newConn, "secret_key", nil
	}
	return domain.Connection{}, "", errBadKey
}

func (f *fakeConnector) ReauthenticateWithAPIKey(_ context.Context, id, key string) (domain.Connection, string, error) {
	f.mu.Lock()
	f.keys = append(f.keys, key)
	f.reauths = append(f.reauths, id)
	f.mu.Unlock()
	if key != "rk_test_good" {
		return domain.Connection{}, "", errBadKey
	}
	for _, c := range f.source.rows {
		if c.ID == id {
			c.Status = domain.StatusConnected
			return c, "", nil
		}
	}
	return domain.Connection{}, "", domain.ErrNotFound
}

// errBadKey is the connect service's refusal of a publishable key.
var errBadKey = fmt.Errorf("checking the key: %w", domain.E(domain.KindKeyPublishable, nil))

func (f *fakeConnector) Reauthenticate(_ context.Context, id string) (domain.Connection, error) {
	if f.reauthWait != nil {
		<-f.reauthWait
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reauths = append(f.reauths, id)
	for _, c := range f.source.rows {
		if c.ID == id {
			c.Status = domain.StatusConnected
			return c, nil
		}
	}
	return domain.Connection{}, domain.ErrNotFound
}

func (f *fakeConnector) Disconnect(_ context.Context, id string, deleteData bool) (domain.Kind, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.disconnects = append(f.disconnects, id)
	f.deletedData = append(f.deletedData, deleteData)
	if f.disconnectEr != nil {
		return "", f.disconnectEr
	}
	if f.disconnectAs == "" {
		return domain.KindDisconnected, nil
	}
	return f.disconnectAs, nil
}

// setDisconnect sets what the next Disconnect answers.
func (f *fakeConnector) setDisconnect(reason domain.Kind, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.disconnectAs, f.disconnectEr = reason, err
}

// errBrokerDown is the sign-in flow's error when the broker can't be reached.
var errBrokerDown = fmt.Errorf("signing in: %w", domain.E(domain.KindBrokerUnreachable, errors.New("dial tcp: connection refused"),
	domain.FactHost, "broker.example.com"))

// fixedNow is the clock for every UI test: 26 Nov 2026 14:00 UTC.
var fixedNow = time.Date(2026, 11, 26, 14, 0, 0, 0, time.UTC)

// threeConnections are one connection of each status a person acts on.
func threeConnections() []domain.Connection {
	return []domain.Connection{
		{ID: "conn_a", Provider: domain.ProviderStripe, Name: "Acme Outdoor Goods", AccountID: "acct_1QxAbCdEfGh9Lm",
			Livemode: true, Scope: "stripe_apps", AuthMethod: domain.AuthOAuth, Status: domain.StatusConnected,
			ConnectedAt: fixedNow.Add(-48 * time.Hour), StatusCheckedAt: fixedNow.Add(-2 * time.Minute), LastSyncAt: fixedNow.Add(-3 * time.Minute)},
		{ID: "conn_b", Provider: domain.ProviderStripe, Name: "Acme test store", AccountID: "acct_1NzXyZwVu7Qa",
			Scope: "read_only", AuthMethod: domain.AuthOAuth, Status: domain.StatusNeedsReauth,
			StatusReason: domain.KindRevokedOAuth,
			ConnectedAt:  fixedNow.Add(-30 * 24 * time.Hour), StatusCheckedAt: fixedNow.Add(-time.Hour), LastSyncAt: fixedNow.Add(-48 * time.Hour)},
		{ID: "conn_c", Provider: domain.ProviderStripe, Name: "Pop-up shop", AccountID: "acct_1MmPqRsTu0Ff",
			Livemode: true, AuthMethod: domain.AuthAPIKey, Status: domain.StatusError,
			StatusReason: domain.KindStripeDown, StatusFacts: domain.Facts{domain.FactHTTPStatus: "500"},
			ConnectedAt: fixedNow.Add(-5 * 24 * time.Hour), StatusCheckedAt: fixedNow.Add(-2 * time.Hour)},
	}
}

// newTestUI builds the window on Fyne's test driver with a fixed clock.
func newTestUI(t *testing.T, src *fakeSource, conn *fakeConnector) (*UI, uiLoop) {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(NewTheme())
	loop := make(uiLoop, 16)
	u := New(Params{App: a, Services: Services{Connections: src, Connector: conn}, Now: func() time.Time { return fixedNow }, RunOnUI: loop.post})
	u.Window().Resize(fyne.NewSize(1100, 700))
	t.Cleanup(u.Window().Close)
	return u, loop
}

// connectionsPage is the Connections page on show, nil on other pages.
func (u *UI) connectionsPage() *connectionsPage {
	p, _ := u.current.(*connectionsPage)
	return p
}

// stripePage is the Stripe page on show, nil on other pages.
func (u *UI) stripePage() *stripePage {
	p, _ := u.current.(*stripePage)
	return p
}
