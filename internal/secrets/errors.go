package secrets

import (
	"errors"
	"fmt"
	"net"
	"os/exec"
	"strings"
	"time"

	dbus "github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// Categories of keychain failure. Every error a Store returns is an *Error
// whose Kind is one of these (or domain.ErrCanceled); test them with
// errors.Is. None of them ever contains a secret.
var (
	// ErrNotFound: the keychain has no item for this connection. It also
	// matches domain.ErrNotFound.
	ErrNotFound = fmt.Errorf("keychain item %w", domain.ErrNotFound)
	// ErrUnavailable: no keychain can be reached (no session bus, no Secret
	// Service, no usable keyring, an unsupported platform) or it refused.
	ErrUnavailable = errors.New("system keychain unavailable")
	// ErrLocked: the keychain is locked and could not be unlocked (the unlock
	// prompt was dismissed or could not be shown).
	ErrLocked = errors.New("system keychain locked")
	// ErrTimeout: the keychain did not answer in time.
	ErrTimeout = errors.New("system keychain did not answer in time")
	// ErrTooLarge: the value is too large for this platform's keychain.
	ErrTooLarge = errors.New("value too large for the system keychain")
	// ErrCorrupt: the item exists but does not hold valid Ledgerline
	// credentials.
	ErrCorrupt = errors.New("keychain item is not valid Ledgerline credentials")
)

// The sentences a person reads. They name what happened and what to do.
const (
	msgNotFound = "Ledgerline has no saved credentials for this connection in the system keychain. " +
		"Connect the account again."
	msgNoSessionBus = "There is no desktop session bus (DBUS_SESSION_BUS_ADDRESS is not set, or nothing answers there), " +
		"and the system keychain is reached through it. Run Ledgerline from a logged-in desktop session, " +
		"or start it with `dbus-run-session -- ledgerline`."
	msgNoService = "No keychain service is running. Ledgerline keeps secrets in the system keychain " +
		"(GNOME Keyring or KWallet's Secret Service). Install gnome-keyring and sign in again, " +
		"or start it with `gnome-keyring-daemon --start --components=secrets`."
	msgNoCollection = "The system keychain has no default keyring for Ledgerline to use. " +
		"Create a keyring named \"Login\" and make it the default (for example in Passwords and Keys), then try again."
	msgLocked = "The system keychain is locked (or has no login keyring yet), and the prompt to unlock it " +
		"was dismissed or could not be shown. Unlock the \"Login\" keyring (for example in Passwords and Keys, " +
		"or by signing out and in again), then try again."
	msgTimeoutSuffix = " It may be locked and waiting for your password, or not running."
	msgTooLarge      = "The credentials are too large for the system keychain to store."
	msgLinuxOther    = "The system keychain (Secret Service) reported an error. " +
		"Check that GNOME Keyring or KWallet is running and unlocked, then try again."
	msgDarwin = "The macOS Keychain did not accept the request. Open Keychain Access, check that the " +
		"login keychain is unlocked and that Ledgerline may use it, then try again."
	msgWindows = "Windows Credential Manager did not accept the request. Check that you are signed in " +
		"to Windows with your own account, then try again."
	msgUnsupported = "This system has no keychain that Ledgerline can use, and Ledgerline never keeps " +
		"credentials anywhere else. Use Ledgerline on Linux with a Secret Service, macOS or Windows."
	msgCanceled = "The keychain request was canceled."
)

// Error is a keychain failure worded for a person. Error() is the one
// sentence to show; Kind is the category to branch on; Detail is the
// backend's own words for logs, with every secret the Store knew of removed.
// An Error never holds the secret value.
type Error struct {
	Kind    error  // ErrNotFound, ErrUnavailable, ErrLocked, ErrTimeout, ErrTooLarge, ErrCorrupt or domain.ErrCanceled
	Op      string // "read", "save" or "delete"
	Account string // the keychain account, a connection id (not a secret)
	Message string // the sentence for a person
	Detail  string // the backend's error text, secrets removed; may be empty
	ctxErr  error  // context.Canceled or context.DeadlineExceeded, when the caller's context ended
}

// Error returns the sentence for a person.
func (e *Error) Error() string { return e.Message }

// Unwrap lets errors.Is match the Kind (and, when the caller's context ended,
// context.Canceled or context.DeadlineExceeded). The backend's error is not
// kept, so nothing it might contain can leak through the chain.
func (e *Error) Unwrap() []error {
	if e.ctxErr != nil {
		return []error{e.Kind, e.ctxErr}
	}
	return []error{e.Kind}
}

// timeoutMessage is the sentence for a call that outlived the Store's timeout.
func timeoutMessage(d time.Duration) string {
	return "The system keychain did not answer within " + formatWait(d) + "." + msgTimeoutSuffix
}

// formatWait writes a wait as a person reads it: "15 s", "1.5 s", "50 ms".
func formatWait(d time.Duration) string {
	switch {
	case d >= time.Second && d%time.Second == 0:
		return fmt.Sprintf("%d s", d/time.Second)
	case d >= time.Second:
		return fmt.Sprintf("%.1f s", d.Seconds())
	default:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
}

// classify sorts a backend error into a category and a sentence. goos is
// runtime.GOOS, passed in so each platform's mapping can be tested anywhere.
// The texts matched are those go-keyring v0.2.8 and godbus v5 produce.
func classify(err error, goos string) (kind error, message string) {
	switch {
	case errors.Is(err, keyring.ErrNotFound), errors.Is(err, domain.ErrNotFound):
		return ErrNotFound, msgNotFound
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return ErrTooLarge, msgTooLarge
	case errors.Is(err, keyring.ErrUnsupportedPlatform):
		return ErrUnavailable, msgUnsupported
	}
	switch goos {
	case "darwin":
		return ErrUnavailable, msgDarwin
	case "windows":
		return ErrUnavailable, msgWindows
	}
	return classifySecretService(err)
}

// classifySecretService maps the errors of go-keyring's Secret Service
// provider (Linux and the BSDs).
func classifySecretService(err error) (kind error, message string) {
	if name, ok := dbusErrorName(err); ok {
		switch {
		case name == "org.freedesktop.DBus.Error.ServiceUnknown",
			name == "org.freedesktop.DBus.Error.NameHasNoOwner",
			strings.HasPrefix(name, "org.freedesktop.DBus.Error.Spawn."):
			// "The name org.freedesktop.secrets was not provided by any .service files"
			return ErrUnavailable, msgNoService
		case name == "org.freedesktop.Secret.Error.IsLocked":
			return ErrLocked, msgLocked
		case name == "org.freedesktop.Secret.Error.NoSuchObject",
			name == "org.freedesktop.DBus.Error.UnknownObject":
			return ErrUnavailable, msgNoCollection
		case name == "org.freedesktop.DBus.Error.NoReply",
			name == "org.freedesktop.DBus.Error.Timeout",
			name == "org.freedesktop.DBus.Error.TimedOut":
			return ErrTimeout, "The system keychain did not answer in time." + msgTimeoutSuffix
		}
		return ErrUnavailable, msgLinuxOther
	}
	text := err.Error()
	var execErr *exec.Error
	var exitErr *exec.ExitError
	var netErr *net.OpError
	switch {
	// go-keyring's Unlock when the prompt was dismissed, or could not be
	// shown (no prompter, no display): "failed to unlock correct collection '/org/freedesktop/secrets/…'"
	case strings.Contains(text, "failed to unlock correct collection"):
		return ErrLocked, msgLocked
	// godbus without DBUS_SESSION_BUS_ADDRESS: it tries /run/user/<uid>/bus,
	// then runs dbus-launch, and fails with one of these.
	case strings.Contains(text, "couldn't determine address of session bus"),
		strings.Contains(text, "invalid bus address"),
		errors.As(err, &execErr) && strings.Contains(execErr.Name, "dbus-launch"),
		errors.As(err, &exitErr), // only dbus-launch is run on this platform
		errors.As(err, &netErr) && netErr.Op == "dial":
		return ErrUnavailable, msgNoSessionBus
	}
	return ErrUnavailable, msgLinuxOther
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
