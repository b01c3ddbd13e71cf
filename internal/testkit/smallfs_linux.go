//go:build linux

package testkit

import (
	"fmt"
	"testing"

	"golang.org/x/sys/unix"
)

// SmallFS mounts a file system of size bytes (tmpfs) on a new folder and
// returns it, with resize to change its size later (as an owner freeing
// space would). It is unmounted when the test ends. Tests of a full disk
// use it so that the disk really fills, not a mocked error; where mounting
// is not permitted (not root, no CAP_SYS_ADMIN, not Linux) the test is
// skipped with the reason.
func SmallFS(t testing.TB, size int64) (dir string, resize func(size int64)) {
	t.Helper()
	dir = t.TempDir()
	if err := unix.Mount("tmpfs", dir, "tmpfs", 0, fmt.Sprintf("size=%d,mode=0700", size)); err != nil {
		t.Skipf("can't mount a small file system here (%v): run the tests as root to test a full disk", err)
	}
	t.Cleanup(func() { _ = unix.Unmount(dir, unix.MNT_DETACH) })
	return dir, func(size int64) {
		t.Helper()
		if err := unix.Mount("tmpfs", dir, "tmpfs", unix.MS_REMOUNT, fmt.Sprintf("size=%d,mode=0700", size)); err != nil {
			t.Fatalf("resizing the small file system: %v", err)
		}
	}
}
