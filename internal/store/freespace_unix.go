//go:build unix

package store

import "golang.org/x/sys/unix"

// FreeBytes is the space the current user may still write on the file
// system holding path.
func FreeBytes(path string) (int64, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return 0, err
	}
	return int64(st.Bavail) * int64(st.Bsize), nil
}
