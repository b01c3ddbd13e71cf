package secrets

import (
	"sync"

	"github.com/zalando/go-keyring"
)

// Backend is the seam between a Store and the operating system's keychain.
// Its three methods have the shape of go-keyring's package functions:
// service is the application ("Ledgerline"), user is the item's account
// (a connection id). Get and Delete must return an error that matches
// keyring.ErrNotFound (errors.Is) when the item does not exist. A Backend
// may block for as long as it likes; the Store bounds every call with a
// timeout. Implementations must be safe for concurrent use.
type Backend interface {
	Get(service, user string) (string, error)
	Set(service, user, password string) error
	Delete(service, user string) error
}

// SystemBackend is the real keychain: go-keyring's package functions, that
// is the Secret Service over D-Bus on Linux (GNOME Keyring, KWallet), the
// login Keychain on macOS and Credential Manager on Windows. It is the
// Backend a Store uses when Options.Backend is nil.
type SystemBackend struct{}

// Get reads an item through go-keyring.
func (SystemBackend) Get(service, user string) (string, error) { return keyring.Get(service, user) }

// Set writes (creates or replaces) an item through go-keyring.
func (SystemBackend) Set(service, user, password string) error {
	return keyring.Set(service, user, password)
}

// Delete removes an item through go-keyring.
func (SystemBackend) Delete(service, user string) error { return keyring.Delete(service, user) }

// MemoryBackend keeps items in this process's memory and nowhere else. It is
// meant for tests of code that uses a Store: it is never a fallback for an
// unavailable keychain, and its items vanish when the process ends. The zero
// value is ready to use and safe for concurrent use.
type MemoryBackend struct {
	mu    sync.Mutex
	items map[memoryKey]string
}

type memoryKey struct{ service, user string }

// NewMemoryBackend returns an empty MemoryBackend.
func NewMemoryBackend() *MemoryBackend { return &MemoryBackend{} }

// Get returns the item or keyring.ErrNotFound.
func (m *MemoryBackend) Get(service, user string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.items[memoryKey{service, user}]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

// Set creates or replaces the item.
func (m *MemoryBackend) Set(service, user, password string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.items == nil {
		m.items = make(map[memoryKey]string)
	}
	m.items[memoryKey{service, user}] = password
	return nil
}

// Delete removes the item or returns keyring.ErrNotFound.
func (m *MemoryBackend) Delete(service, user string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := memoryKey{service, user}
	if _, ok := m.items[k]; !ok {
		return keyring.ErrNotFound
	}
	delete(m.items, k)
	return nil
}

// Len reports how many items the backend holds, across all services.
func (m *MemoryBackend) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.items)
}
