package store

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/ledgerline/ledgerline/internal/domain"
)

func TestReadersWorkWhileTheWriterWrites(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	const writes = 60

	done := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			seen, reads := 0, 0
			for {
				select {
				case <-done:
					if reads == 0 {
						errs <- fmt.Errorf("a reader never got to read")
					}
					return
				default:
				}
				list, err := db.ListConnections(ctx)
				if err != nil {
					errs <- err
					return
				}
				// Each commit is atomic and commits only add rows, so a
				// reader never sees the count go down.
				if len(list) < seen {
					errs <- fmt.Errorf("a reader saw %d rows after %d", len(list), seen)
					return
				}
				seen = len(list)
				reads++
			}
		}()
	}

	// Two writers queue on the single writer connection (BEGIN IMMEDIATE).
	var writers sync.WaitGroup
	for w := range 2 {
		writers.Add(1)
		go func() {
			defer writers.Done()
			for i := w; i < writes; i += 2 {
				c := sampleConnection(i)
				if err := db.CreateConnection(ctx, c, nil); err != nil {
					errs <- err
					return
				}
				if err := db.SetStatus(ctx, c.ID, domain.StatusError, domain.KindStripeDown, nil, c.ConnectedAt); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	writers.Wait()
	close(done)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	list, err := db.ListConnections(ctx)
	if err != nil || len(list) != writes {
		t.Fatalf("after the writes: %d rows, %v; want %d", len(list), err, writes)
	}
	for _, c := range list {
		if c.Status != domain.StatusError {
			t.Fatalf("%s has status %s, want every update kept", c.ID, c.Status)
		}
	}
}
