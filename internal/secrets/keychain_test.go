package secrets

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// blockingBackend never answers until release is closed, like a keychain
// waiting on a password prompt nobody sees. Each call reports on returned
// when it finally comes back.
type blockingBackend struct {
	release  chan struct{}
	returned chan string
}

func newBlockingBackend() *blockingBackend {
	return &blockingBackend{release: make(chan struct{}), returned: make(chan string, 8)}
}

func (b *blockingBackend) Get(service, user string) (string, error) {
	<-b.release
	b.returned <- "get"
	return "late value", nil
}

func (b *blockingBackend) Set(service, user, password string) error {
	<-b.release
	b.returned <- "set"
	return nil
}

func (b *blockingBackend) Delete(service, user string) error {
	<-b.release
	b.returned <- "delete"
	return nil
}

// failingBackend fails every call with err.
type failingBackend struct{ err error }

func (f failingBackend) Get(string, string) (string, error) { return "", f.err }
func (f failingBackend) Set(string, string, string) error   { return f.err }
func (f failingBackend) Delete(string, string) error        { return f.err }

func TestStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	mem := NewMemoryBackend()
	s := New(Options{Service: "Ledgerline-unit", Backend: mem})

	t.Run("reads back what it wrote, under its own service name", func(t *testing.T) {
		if err := s.Set(ctx, "conn_a", "first"); err != nil {
			t.Fatalf("Set: %v", err)
		}
		got, err := s.Get(ctx, "conn_a")
		if err != nil || got != "first" {
			t.Fatalf("Get = %q, %v; want first", got, err)
		}
		if v, err := mem.Get("Ledgerline-unit", "conn_a"); err != nil || v != "first" {
			t.Fatalf("backend holds %q, %v under the test service", v, err)
		}
	})

	t.Run("overwrites an existing item", func(t *testing.T) {
		if err := s.Set(ctx, "conn_a", "second"); err != nil {
			t.Fatalf("Set: %v", err)
		}
		if got, _ := s.Get(ctx, "conn_a"); got != "second" {
			t.Fatalf("Get after overwrite = %q", got)
		}
		if mem.Len() != 1 {
			t.Fatalf("backend holds %d items, want 1", mem.Len())
		}
	})

	t.Run("delete removes the item, and a second delete reports not found", func(t *testing.T) {
		if err := s.Delete(ctx, "conn_a"); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		_, err := s.Get(ctx, "conn_a")
		if !errors.Is(err, ErrNotFound) || !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("Get after delete: %v, want ErrNotFound and domain.ErrNotFound", err)
		}
		err = s.Delete(ctx, "conn_a")
		if !errors.Is(err, ErrNotFound) {
			t.Fatalf("second Delete: %v, want ErrNotFound", err)
		}
	})

	t.Run("not found is an *Error that matches domain.ErrNotFound", func(t *testing.T) {
		_, err := s.Get(ctx, "conn_never")
		var e *Error
		if !errors.As(err, &e) || e.Kind != ErrNotFound || e.Op != "read" || e.Account != "conn_never" {
			t.Fatalf("error = %#v", err)
		}
		if !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("%v does not match domain.ErrNotFound", err)
		}
	})

	t.Run("an empty account is refused before the keychain is asked", func(t *testing.T) {
		s := New(Options{Backend: failingBackend{errors.New("backend must not be called")}})
		if err := s.Set(ctx, "", "x"); err == nil || strings.Contains(err.Error(), "backend") {
			t.Fatalf("Set with empty account: %v", err)
		}
	})
}

func TestNewDefaults(t *testing.T) {
	s := New(Options{})
	if s.Service() != "Ledgerline" || s.timeout != 15*time.Second {
		t.Fatalf("defaults: service %q timeout %v", s.Service(), s.timeout)
	}
	if _, ok := s.backend.(SystemBackend); !ok {
		t.Fatalf("default backend is %T, want SystemBackend", s.backend)
	}
}

func TestTimeout(t *testing.T) {
	t.Run("a backend that never answers gives ErrTimeout after the timeout", func(t *testing.T) {
		b := newBlockingBackend()
		defer close(b.release)
		s := New(Options{Service: "Ledgerline-unit", Timeout: 50 * time.Millisecond, Backend: b})

		done := make(chan error, 1)
		go func() { done <- s.Set(context.Background(), "conn_a", "tok_secret_value") }()
		var err error
		select {
		case err = <-done:
		case <-time.After(10 * time.Second): // a hang guard, not an assertion on speed
			t.Fatal("Set did not return although the backend never answered")
		}
		if !errors.Is(err, ErrTimeout) {
			t.Fatalf("err = %v, want ErrTimeout", err)
		}
		if k, f := domain.KindOf(err); k != domain.KindKeychainTimedOut || f[domain.FactWait] != "50ms" {
			t.Fatalf("kind %q facts %v", k, f)
		}
		if strings.Contains(err.Error(), "tok_secret_value") {
			t.Fatal("timeout error contains the secret")
		}
	})

	t.Run("the abandoned call finishes on its own once the backend answers", func(t *testing.T) {
		b := newBlockingBackend()
		s := New(Options{Timeout: 20 * time.Millisecond, Backend: b})
		if _, err := s.Get(context.Background(), "conn_a"); !errors.Is(err, ErrTimeout) {
			t.Fatalf("err = %v, want ErrTimeout", err)
		}
		close(b.release)
		select {
		case op := <-b.returned:
			if op != "get" {
				t.Fatalf("returned %q", op)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the backend call never returned after release")
		}
	})

	t.Run("a canceled context ends the wait with ErrCanceled", func(t *testing.T) {
		b := newBlockingBackend()
		defer close(b.release)
		s := New(Options{Timeout: time.Hour, Backend: b})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- s.Delete(ctx, "conn_a") }()
		cancel()
		err := <-done
		if !errors.Is(err, domain.ErrCanceled) || !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want domain.ErrCanceled and context.Canceled", err)
		}
	})

	t.Run("the caller's own deadline reads as a timeout", func(t *testing.T) {
		b := newBlockingBackend()
		defer close(b.release)
		s := New(Options{Timeout: time.Hour, Backend: b})
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		_, err := s.Get(ctx, "conn_a")
		if !errors.Is(err, ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want ErrTimeout and context.DeadlineExceeded", err)
		}
		if !strings.Contains(err.Error(), "did not answer in time") {
			t.Fatalf("sentence %q", err.Error())
		}
	})

	t.Run("an already canceled context never reaches the backend", func(t *testing.T) {
		s := New(Options{Backend: failingBackend{errors.New("backend must not be called")}})
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := s.Set(ctx, "conn_a", "x"); !errors.Is(err, domain.ErrCanceled) {
			t.Fatalf("err = %v, want ErrCanceled", err)
		}
	})
}

func TestStoreIsSafeForConcurrentUse(t *testing.T) {
	s := New(Options{Backend: NewMemoryBackend()})
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			acct := "conn_" + string(rune('a'+i))
			for j := 0; j < 20; j++ {
				if err := s.Set(ctx, acct, "v"); err != nil {
					t.Error(err)
					return
				}
				if _, err := s.Get(ctx, acct); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestMemoryBackendSpeaksGoKeyringNotFound(t *testing.T) {
	m := NewMemoryBackend()
	if _, err := m.Get("svc", "u"); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("Get on empty backend: %v", err)
	}
	if err := m.Delete("svc", "u"); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("Delete on empty backend: %v", err)
	}
	_ = m.Set("svc", "u", "v")
	if _, err := m.Get("other", "u"); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("items leak across services: %v", err)
	}
}
