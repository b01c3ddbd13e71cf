package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/ledgerline/ledgerline/internal/testkit"
)

// BenchmarkBackup copies the 1,000,000-charge benchmark database (about
// 1.9 GB) with Backup, check included; MB/s is the file's size over the
// time. Target (the big-stores issue): ≥ 200 MB/s.
func BenchmarkBackup(b *testing.B) {
	db, _ := testkit.ChargesDB(b, 1_000_000)
	fi, err := os.Stat(db.Path())
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(fi.Size())
	dst := filepath.Join(b.TempDir(), "backup.db")
	for b.Loop() {
		if err := db.Backup(context.Background(), dst, nil); err != nil {
			b.Fatal(err)
		}
	}
}
