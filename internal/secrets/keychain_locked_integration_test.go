//go:build linux

package secrets_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	dbus "github.com/godbus/dbus/v5"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/secrets"
)

// keyringAdmin talks to gnome-keyring over its own D-Bus connection to lock
// and unlock the collection go-keyring writes to.
type keyringAdmin struct {
	conn       *dbus.Conn
	session    dbus.ObjectPath
	collection dbus.ObjectPath
	password   string
}

// secretStruct is the Secret Service's (oayays) secret.
type secretStruct struct {
	Session     dbus.ObjectPath
	Parameters  []byte
	Value       []byte
	ContentType string
}

func newKeyringAdmin(t *testing.T) *keyringAdmin {
	t.Helper()
	conn, err := dbus.SessionBusPrivate()
	if err == nil {
		err = conn.Auth(nil)
	}
	if err == nil {
		err = conn.Hello()
	}
	if err != nil {
		t.Fatalf("connecting to the session bus: %v", err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	a := &keyringAdmin{conn: conn, password: os.Getenv("LEDGERLINE_KEYCHAIN_PASSWORD")}
	if a.password == "" {
		a.password = "pw"
	}
	svc := conn.Object(ssName, ssPath)
	var out dbus.Variant
	if err := svc.Call(ssService+".OpenSession", 0, "plain", dbus.MakeVariant("")).Store(&out, &a.session); err != nil {
		t.Fatalf("opening a Secret Service session: %v", err)
	}
	// The collection go-keyring uses: "login" when it exists, else the default alias.
	a.collection = loginPath
	v, err := svc.GetProperty(ssService + ".Collections")
	if paths, ok := v.Value().([]dbus.ObjectPath); err != nil || !ok || !contains(paths, loginPath) {
		if err := svc.Call(ssService+".ReadAlias", 0, "default").Store(&a.collection); err != nil || a.collection == "/" {
			t.Fatalf("no login or default collection to lock (%v)", err)
		}
	}
	return a
}

func contains(paths []dbus.ObjectPath, p dbus.ObjectPath) bool {
	for _, q := range paths {
		if q == p {
			return true
		}
	}
	return false
}

func (a *keyringAdmin) secret(s string) secretStruct {
	return secretStruct{a.session, []byte{}, []byte(s), "text/plain"}
}

// checkPassword proves the password is right before anything is locked:
// gnome-keyring verifies the original password when changing it (to itself).
func (a *keyringAdmin) checkPassword() error {
	return a.conn.Object(ssName, ssPath).Call(gnomeMaster+".ChangeWithMasterPassword", 0,
		a.collection, a.secret(a.password), a.secret(a.password)).Err
}

func (a *keyringAdmin) lock() error {
	var locked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	return a.conn.Object(ssName, ssPath).Call(ssService+".Lock", 0, []dbus.ObjectPath{a.collection}).Store(&locked, &prompt)
}

// unlock uses the password directly: headless there is no prompt to answer.
func (a *keyringAdmin) unlock() error {
	return a.conn.Object(ssName, ssPath).Call(gnomeMaster+".UnlockWithMasterPassword", 0,
		a.collection, a.secret(a.password)).Err
}

func (a *keyringAdmin) locked(t *testing.T) bool {
	t.Helper()
	v, err := a.conn.Object(ssName, a.collection).GetProperty("org.freedesktop.Secret.Collection.Locked")
	locked, ok := v.Value().(bool)
	if err != nil || !ok {
		t.Fatalf("reading Locked of %s: %v", a.collection, err)
	}
	return locked
}

// lockForTest locks the collection and unlocks it again when the test ends.
func (a *keyringAdmin) lockForTest(t *testing.T) {
	t.Helper()
	if err := a.checkPassword(); err != nil {
		t.Fatalf("the keyring password is not %q (set LEDGERLINE_KEYCHAIN_PASSWORD, or run under "+
			"dbus-run-session as in CI): %v; nothing was locked", a.password, err)
	}
	if err := a.lock(); err != nil {
		t.Fatalf("locking %s: %v", a.collection, err)
	}
	t.Cleanup(func() {
		if err := a.unlock(); err != nil || a.locked(t) {
			t.Errorf("unlocking %s again failed: %v", a.collection, err)
		}
	})
	if !a.locked(t) {
		t.Fatalf("%s is still unlocked after Lock", a.collection)
	}
}

func TestRealKeychainLocked(t *testing.T) {
	requireRealKeychain(t)
	ctx := context.Background()
	const secret = "at_LOCKED_SECRET_5150"
	admin := newKeyringAdmin(t)

	t.Run("with nobody to answer the prompt, Set fails fast saying it is locked", func(t *testing.T) {
		s := realStore(t, 10*time.Second, "conn_locked")
		admin.lockForTest(t)
		err := s.Set(ctx, "conn_locked", secret)
		if !errors.Is(err, secrets.ErrLocked) && !errors.Is(err, secrets.ErrTimeout) {
			t.Fatalf("Set on a locked keychain: %v, want ErrLocked or ErrTimeout", err)
		}
		if !strings.Contains(err.Error(), "locked") {
			t.Fatalf("%q does not say the keychain is locked", err.Error())
		}
		var e *secrets.Error
		if !errors.As(err, &e) || strings.Contains(err.Error()+e.Detail, secret) {
			t.Fatalf("error %q / detail %q", err, e.Detail)
		}
		t.Logf("locked Set said: %s (kind %v; detail %q)", err, e.Kind, e.Detail)
		if _, err := s.Get(ctx, "conn_locked"); !errors.Is(err, secrets.ErrLocked) && !errors.Is(err, secrets.ErrTimeout) {
			t.Fatalf("Get on a locked keychain: %v", err)
		}
	})

	t.Run("with a prompt that never answers, Set returns ErrTimeout when the timeout fires", func(t *testing.T) {
		called, release := hangingPrompter(t, admin.conn)
		s := realStore(t, time.Second, "conn_hang")
		admin.lockForTest(t)
		err := s.Set(ctx, "conn_hang", secret)
		release() // let gnome-keyring's prompt fail, so go-keyring's goroutine can finish
		if !errors.Is(err, secrets.ErrTimeout) {
			t.Fatalf("Set waiting on a prompt: %v, want ErrTimeout", err)
		}
		select {
		case <-called:
		default:
			t.Fatal("gnome-keyring never asked the prompter: the timeout came from something else")
		}
		if k, f := domain.KindOf(err); k != domain.KindKeychainTimedOut || f[domain.FactWait] != "1s" {
			t.Fatalf("kind %q facts %v, want keychain.timed_out after 1s", k, f)
		}
	})

	t.Run("after unlocking, the keychain works again", func(t *testing.T) {
		if admin.locked(t) {
			t.Fatal("the earlier subtests left the keychain locked")
		}
		s := realStore(t, 10*time.Second, "conn_after")
		if err := s.Set(ctx, "conn_after", "ok"); err != nil {
			t.Fatalf("Set after unlock: %v", err)
		}
		if got, err := s.Get(ctx, "conn_after"); err != nil || got != "ok" {
			t.Fatalf("Get after unlock = %q, %v", got, err)
		}
	})
}

// prompter stands in for gcr's system prompter (the dialog that asks for the
// keyring password) and never answers, like a prompt on a screen nobody sees.
type prompter struct{ called, release chan struct{} }

func (p prompter) BeginPrompting(callback dbus.ObjectPath) *dbus.Error {
	select {
	case p.called <- struct{}{}:
	default:
	}
	<-p.release
	return dbus.NewError("org.gnome.keyring.Test.Gone", []any{"test prompter released"})
}

// hangingPrompter takes gnome-keyring's system prompter name on conn; the
// returned release makes it answer (with an error). The name is given back
// when the test ends.
func hangingPrompter(t *testing.T, conn *dbus.Conn) (called <-chan struct{}, release func()) {
	t.Helper()
	const name = "org.gnome.keyring.SystemPrompter"
	p := prompter{called: make(chan struct{}, 1), release: make(chan struct{})}
	var once sync.Once
	release = func() { once.Do(func() { close(p.release) }) }
	if err := conn.Export(p, "/org/gnome/keyring/Prompter", "org.gnome.keyring.internal.Prompter"); err != nil {
		t.Fatalf("exporting the prompter: %v", err)
	}
	t.Cleanup(func() {
		release()
		_, _ = conn.ReleaseName(name)
		_ = conn.Export(nil, "/org/gnome/keyring/Prompter", "org.gnome.keyring.internal.Prompter")
	})
	reply, err := conn.RequestName(name, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("taking %s: reply %v, %v", name, reply, err)
	}
	return p.called, release
}
