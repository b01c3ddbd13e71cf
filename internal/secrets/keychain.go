// Package secrets is Ledgerline's access to the system keychain: GNOME
// Keyring or KWallet through the Secret Service on Linux, the login Keychain
// on macOS, Credential Manager on Windows (all through go-keyring).
//
// Each connection has one keychain item: service "Ledgerline", account = the
// connection id, value = the connection's Credentials as one JSON document.
// There is no plaintext fallback: when the keychain cannot be used, every
// call fails with an *Error that says why (a kind and a reason the window
// and the command line word for a person), and whose Kind (ErrUnavailable, ErrLocked, ErrTimeout, …) the UI can
// test with errors.Is.
//
// Every call is bounded by a timeout, because a keychain can wait forever:
// a locked collection on Linux waits for a password prompt nobody answers,
// and a half-started daemon may never reply.
package secrets

import (
	"context"
	"errors"
	"runtime"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// DefaultService is the keychain service name Ledgerline's items live under.
const DefaultService = "Ledgerline"

// DefaultTimeout bounds each keychain call when Options.Timeout is zero.
const DefaultTimeout = 15 * time.Second

// Keychain is what the rest of the app needs from a keychain. account is a
// connection id. Get returns an error matching ErrNotFound (and
// domain.ErrNotFound) when there is no item; Delete does the same for a
// missing item. Other failures are *Error values.
type Keychain interface {
	Get(ctx context.Context, account string) (string, error)
	Set(ctx context.Context, account, secret string) error
	Delete(ctx context.Context, account string) error
}

// Options configures a Store. The zero value gives the real keychain under
// service "Ledgerline" with a 15 s timeout.
type Options struct {
	// Service is the keychain service name; tests use their own so they
	// never touch a person's real items. Default DefaultService.
	Service string
	// Timeout bounds each call. Default DefaultTimeout.
	Timeout time.Duration
	// Backend reaches the keychain. Default SystemBackend{}.
	Backend Backend
}

// Store is the keychain for one service name. It implements Keychain and
// adds typed Credentials on top (see credentials.go). Safe for concurrent use.
type Store struct {
	service string
	timeout time.Duration
	backend Backend
	goos    string
}

var _ Keychain = (*Store)(nil)

// New returns a Store with opts' defaults filled in.
func New(opts Options) *Store {
	s := &Store{service: opts.Service, timeout: opts.Timeout, backend: opts.Backend, goos: runtime.GOOS}
	if s.service == "" {
		s.service = DefaultService
	}
	if s.timeout <= 0 {
		s.timeout = DefaultTimeout
	}
	if s.backend == nil {
		s.backend = SystemBackend{}
	}
	return s
}

// Service returns the keychain service name the Store uses.
func (s *Store) Service() string { return s.service }

// Get returns the secret stored for account. Errors: ErrNotFound when there
// is no item; otherwise an *Error of kind ErrUnavailable, ErrLocked,
// ErrTimeout or domain.ErrCanceled.
func (s *Store) Get(ctx context.Context, account string) (string, error) {
	return s.call(ctx, "read", account, nil, func() (string, error) {
		return s.backend.Get(s.service, account)
	})
}

// Set creates or replaces account's item. Errors as for Get (never
// ErrNotFound), plus ErrTooLarge — on every system when the item would not
// fit Windows' or macOS's keychain (limits.go). A Set that timed out may still take effect
// later, when the keychain finally answers.
func (s *Store) Set(ctx context.Context, account, secret string) error {
	return s.set(ctx, account, secret, nil)
}

// set is Set with more strings (parts of secret) to keep out of errors.
func (s *Store) set(ctx context.Context, account, secret string, parts []string) error {
	hide := append([]string{secret}, parts...)
	_, err := s.call(ctx, "save", account, hide, func() (string, error) {
		if err := fitsEveryKeychain(s.service, account, secret); err != nil {
			return "", err
		}
		return "", s.backend.Set(s.service, account, secret)
	})
	return err
}

// Delete removes account's item. It returns ErrNotFound when there is none;
// other errors as for Get.
func (s *Store) Delete(ctx context.Context, account string) error {
	_, err := s.call(ctx, "delete", account, nil, func() (string, error) {
		return "", s.backend.Delete(s.service, account)
	})
	return err
}

type result struct {
	value string
	err   error
}

// call runs fn in its own goroutine and waits for it, the Store's timeout or
// ctx, whichever comes first. When the wait ends early, the goroutine is
// abandoned: it finishes on its own when the backend returns (its result goes
// into a buffered channel nobody reads) and holds no lock meanwhile. Against
// a keychain that never answers it stays blocked, which is the cost of not
// freezing the caller. Errors are classified; hide lists strings (the secret
// and its parts) that must not appear even in Error.Detail.
func (s *Store) call(ctx context.Context, op, account string, hide []string, fn func() (string, error)) (string, error) {
	if account == "" {
		return "", errors.New("secrets: the keychain account (connection id) is empty")
	}
	if err := ctx.Err(); err != nil {
		return "", s.contextError(op, account, err)
	}
	done := make(chan result, 1)
	go func() {
		v, err := fn()
		done <- result{v, err}
	}()
	timer := time.NewTimer(s.timeout)
	defer timer.Stop()
	select {
	case r := <-done:
		if r.err != nil {
			return "", s.classified(op, account, r.err, hide)
		}
		return r.value, nil
	case <-timer.C:
		return "", &Error{Kind: ErrTimeout, Op: op, Account: account, Wait: s.timeout}
	case <-ctx.Done():
		return "", s.contextError(op, account, ctx.Err())
	}
}

// classified turns a backend error into an *Error.
func (s *Store) classified(op, account string, err error, hide []string) error {
	kind, reason := classify(err, s.goos)
	return &Error{Kind: kind, Op: op, Account: account, Reason: reason, Detail: scrub(err.Error(), hide)}
}

// contextError reports a caller's context that ended before the keychain
// answered: canceled, or its own deadline passed.
func (s *Store) contextError(op, account string, err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return &Error{Kind: ErrTimeout, Op: op, Account: account, ctxErr: err}
	}
	return &Error{Kind: domain.ErrCanceled, Op: op, Account: account, ctxErr: err}
}
