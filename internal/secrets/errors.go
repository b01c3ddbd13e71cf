package secrets

import (
	"errors"
	"net"
	"os/exec"
	"strings"
	"time"

	dbus "github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// Categories of keychain failure: domain kinds. Every error a Store returns
// is an *Error whose Kind is one of these (or domain.ErrCanceled); test them
// with errors.Is. None of them ever contains a secret.
var (
	// ErrNotFound: the keychain has no item for this connection. It also
	// matches domain.ErrNotFound.
	ErrNotFound error = domain.KindKeychainMissing
	// ErrUnavailable: no keychain can be reached (no session bus, no Secret
	// Service, no usable keyring, an unsupported platform) or it refused.
	// The *Error's Reason says which (domain.KeychainNoSessionBus, …).
	ErrUnavailable error = domain.KindKeychainUnavailable
	// ErrLocked: the keychain is locked and could not be unlocked (the unlock
	// prompt was dismissed or could not be shown).
	ErrLocked error = domain.KindKeychainLocked
	// ErrTimeout: the keychain did not answer in time.
	ErrTimeout error = domain.KindKeychainTimedOut
	// ErrTooLarge: the value is too large for this platform's keychain.
	ErrTooLarge error = domain.KindKeychainTooLarge
	// ErrCorrupt: the item exists but does not hold valid Ledgerline
	// credentials.
	ErrCorrupt error = domain.KindKeychainCorrupt
)

// Error is a keychain failure. Kind is the category to branch on; Reason
// and Wait are the facts a message needs; Detail is the backend's own words
// for logs, with every secret the Store knew of removed. Error() is short
// technical text. An Error never holds the secret value.
type Error struct {
	Kind    error  // ErrNotFound, ErrUnavailable, ErrLocked, ErrTimeout, ErrTooLarge, ErrCorrupt or domain.ErrCanceled
	Op      string // "read", "save" or "delete"
	Account string // the keychain account, a connection id (not a secret)
	// Reason says more about the Kind: for ErrUnavailable which keychain
	// part is missing (domain.KeychainNoSessionBus, …), for ErrCorrupt
	// "newer_version" when a newer Ledgerline wrote the item; may be empty.
	Reason string
	// Wait is how long the Store waited, for ErrTimeout; 0 when unknown.
	Wait   time.Duration
	Detail string // the backend's error text, secrets removed; may be empty
	ctxErr error  // context.Canceled or context.DeadlineExceeded, when the caller's context ended
}

// Error is technical text for logs, e.g.
// "keychain read conn_x: system keychain unavailable (no_service)".
func (e *Error) Error() string {
	s := "keychain " + e.Op + " " + e.Account + ": " + e.Kind.Error()
	if e.Reason != "" {
		s += " (" + e.Reason + ")"
	}
	if e.Wait > 0 {
		s += " after " + e.Wait.String()
	}
	return s
}

// KindFacts makes an Error a domain.Classified error.
func (e *Error) KindFacts() (domain.Kind, domain.Facts) {
	k, ok := e.Kind.(domain.Kind)
	if !ok {
		k = domain.KindUnknown
	}
	f := domain.Facts{}
	if e.Reason != "" {
		f[domain.FactReason] = e.Reason
	}
	if e.Wait > 0 {
		f[domain.FactWait] = e.Wait.String()
	}
	return k, f
}

// Unwrap lets errors.Is match the Kind (and, when the caller's context ended,
// context.Canceled or context.DeadlineExceeded). The backend's error is not
// kept, so nothing it might contain can leak through the chain.
func (e *Error) Unwrap() []error {
	if e.ctxErr != nil {
		return []error{e.Kind, e.ctxErr}
	}
	return []error{e.Kind}
}

// classify sorts a backend error into a category and, for ErrUnavailable,
// the reason (domain.KeychainNoSessionBus, …). goos is
// runtime.GOOS, passed in so each platform's mapping can be tested anywhere.
// The texts matched are those go-keyring v0.2.8 and godbus v5 produce.
func classify(err error, goos string) (kind error, reason string) {
	switch {
	case errors.Is(err, keyring.ErrNotFound), errors.Is(err, domain.ErrNotFound):
		return ErrNotFound, ""
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return ErrTooLarge, ""
	case errors.Is(err, keyring.ErrUnsupportedPlatform):
		return ErrUnavailable, domain.KeychainUnsupported
	}
	switch goos {
	case "darwin":
		return ErrUnavailable, domain.KeychainMacOS
	case "windows":
		return ErrUnavailable, domain.KeychainWindows
	}
	return classifySecretService(err)
}

// classifySecretService maps the errors of go-keyring's Secret Service
// provider (Linux and the BSDs).
func classifySecretService(err error) (kind error, reason string) {
	if name, ok := dbusErrorName(err); ok {
		switch {
		case name == "org.freedesktop.DBus.Error.ServiceUnknown",
			name == "org.freedesktop.DBus.Error.NameHasNoOwner",
			strings.HasPrefix(name, "org.freedesktop.DBus.Error.Spawn."):
			// "The name org.freedesktop.secrets was not provided by any .service files"
			return ErrUnavailable, domain.KeychainNoService
		case name == "org.freedesktop.Secret.Error.IsLocked":
			return ErrLocked, ""
		case name == "org.freedesktop.Secret.Error.NoSuchObject",
			name == "org.freedesktop.DBus.Error.UnknownObject":
			return ErrUnavailable, domain.KeychainNoCollection
		case name == "org.freedesktop.DBus.Error.NoReply",
			name == "org.freedesktop.DBus.Error.Timeout",
			name == "org.freedesktop.DBus.Error.TimedOut":
			return ErrTimeout, ""
		}
		return ErrUnavailable, domain.KeychainSecretService
	}
	text := err.Error()
	var execErr *exec.Error
	var exitErr *exec.ExitError
	var netErr *net.OpError
	switch {
	// go-keyring's Unlock when the prompt was dismissed, or could not be
	// shown (no prompter, no display): "failed to unlock correct collection '/org/freedesktop/secrets/…'"
	case strings.Contains(text, "failed to unlock correct collection"):
		return ErrLocked, ""
	// godbus without DBUS_SESSION_BUS_ADDRESS: it tries /run/user/<uid>/bus,
	// then runs dbus-launch, and fails with one of these.
	case strings.Contains(text, "couldn't determine address of session bus"),
		strings.Contains(text, "invalid bus address"),
		errors.As(err, &execErr) && strings.Contains(execErr.Name, "dbus-launch"),
		errors.As(err, &exitErr), // only dbus-launch is run on this platform
		errors.As(err, &netErr) && netErr.Op == "dial":
		return ErrUnavailable, domain.KeychainNoSessionBus
	}
	return ErrUnavailable, domain.KeychainSecretService
}

// dbusErrorName returns the D-Bus error name of a godbus error reply, which
// arrives as either dbus.Error or *dbus.Error.
func dbusErrorName(err error) (string, bool) {
	var v dbus.Error
	if errors.As(err, &v) {
		return v.Name, true
	}
	var p *dbus.Error
	if errors.As(err, &p) && p != nil {
		return p.Name, true
	}
	return "", false
}

// scrub removes every non-empty secret from text.
func scrub(text string, secrets []string) string {
	for _, s := range secrets {
		if s != "" {
			text = strings.ReplaceAll(text, s, "[redacted]")
		}
	}
	return text
}
