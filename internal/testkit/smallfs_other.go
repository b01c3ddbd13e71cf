//go:build !linux

package testkit

import "testing"

// SmallFS mounts a small file system on Linux; elsewhere the test that
// asks for one is skipped.
func SmallFS(t testing.TB, size int64) (dir string, resize func(size int64)) {
	t.Helper()
	t.Skip("a small file system needs Linux's tmpfs")
	return "", nil
}
