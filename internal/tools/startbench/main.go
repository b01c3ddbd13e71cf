// Command startbench measures how long Ledgerline takes to start with a
// large database against an empty data folder (the big-stores issue's
// target: at most 1.2 ×). It times the real programs: `ledgerline
// connections --json`, and the window under Xvfb until the Connections page
// lists the connections (LEDGERLINE_TRACE_START). Each is timed warm (the
// file in the page cache) and cold (the database's pages dropped from the
// cache first with posix_fadvise, which needs no privileges, where
// /proc/sys/vm/drop_caches is not writable). The large database is a
// sandbox account of -scale objects synced once and kept in the user's
// cache folder. Run it through `make bench`, which builds the programs and
// provides a keychain:
//
//	go run ./internal/tools/startbench -bin bin -scale 1000000 -runs 5
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/dustin/go-humanize"
	"golang.org/x/sys/unix"

	"github.com/ledgerline/ledgerline/internal/store"
	"github.com/ledgerline/ledgerline/internal/tools/benchkit"
)

func main() {
	bin := flag.String("bin", "bin", "folder holding the built ledgerline and stripe-sandbox programs")
	scale := flag.Int("scale", 1_000_000, "objects in the large database's account")
	runs := flag.Int("runs", 5, "timed runs of each start (the table shows medians)")
	window := flag.Bool("window", true, "also time the window under Xvfb")
	flag.Parse()
	if err := run(benchkit.Programs{Bin: *bin}, *scale, *runs, *window); err != nil {
		fmt.Fprintln(os.Stderr, "startbench:", err)
		os.Exit(1)
	}
}

func run(p benchkit.Programs, scale, runs int, window bool) error {
	big, err := largeDatabase(p, scale)
	if err != nil {
		return err
	}
	empty, err := os.MkdirTemp("", "startbench-empty-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(empty)
	if out, err := p.Ledgerline(empty, "", nil, nil, "connections").CombinedOutput(); err != nil {
		return fmt.Errorf("creating the empty database: %v: %s", err, out)
	}
	fi, err := os.Stat(filepath.Join(big, store.FileName))
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "large database: %s, %s\n", big, humanize.Bytes(uint64(fi.Size())))

	type start struct {
		name string
		time func(dir string) (time.Duration, error)
	}
	starts := []start{{"ledgerline connections --json", func(dir string) (time.Duration, error) {
		t0 := time.Now()
		if out, err := p.Ledgerline(dir, "", nil, nil, "connections", "--json").CombinedOutput(); err != nil {
			return 0, fmt.Errorf("ledgerline connections: %v: %s", err, out)
		}
		return time.Since(t0), nil
	}}}
	if window {
		x, err := benchkit.StartXvfb()
		if err != nil {
			return err
		}
		defer x.Stop()
		starts = append(starts, start{"window until the Connections page lists them", func(dir string) (time.Duration, error) {
			return timeWindow(p, x.Display, dir)
		}})
	}

	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "START (median of %d)\tCACHE\tEMPTY\t%s OBJECTS\tRATIO\tTARGET\t\n", runs, humanize.Comma(int64(scale)))
	for _, s := range starts {
		for _, cold := range []bool{false, true} {
			var med [2]float64
			for i, dir := range []string{empty, big} {
				var xs []float64
				if _, err := s.time(dir); err != nil { // warm-up
					return err
				}
				for range runs {
					if cold {
						if err := evict(dir); err != nil {
							return err
						}
					}
					d, err := s.time(dir)
					if err != nil {
						return err
					}
					xs = append(xs, d.Seconds())
				}
				med[i] = benchkit.Median(xs)
			}
			cache := "warm"
			if cold {
				cache = "cold"
			}
			ratio := med[1] / med[0]
			fmt.Fprintf(tw, "%s\t%s\t%.3f s\t%.3f s\t%.2f ×\t≤ 1.2 ×\t%s\n", s.name, cache, med[0], med[1], ratio, benchkit.Verdict(ratio <= 1.2))
		}
	}
	return tw.Flush()
}

// timeWindow starts the window on dir and times it until it says the
// Connections page lists the connections; it quits itself then.
func timeWindow(p benchkit.Programs, display, dir string) (time.Duration, error) {
	cmd := p.Ledgerline(dir, "", nil, []string{"DISPLAY=" + display, "LEDGERLINE_TRACE_START=quit"})
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return 0, err
	}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	defer cmd.Wait()
	listed := make(chan time.Duration, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if strings.TrimSpace(sc.Text()) == "listed" {
				listed <- time.Since(t0)
			}
		}
		close(listed)
	}()
	select {
	case d, ok := <-listed:
		if !ok {
			return 0, errors.New("the window ended without listing the connections")
		}
		return d, nil
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		return 0, errors.New("the window did not list the connections within 60 s")
	}
}

// evict drops the database's files from the page cache.
func evict(dir string) error {
	for _, name := range []string{store.FileName, store.FileName + "-wal"} {
		f, err := os.Open(filepath.Join(dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		err = unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED)
		f.Close()
		if err != nil {
			return fmt.Errorf("dropping %s from the page cache: %w", name, err)
		}
	}
	return nil
}

// largeDatabase is a data folder holding a sandbox account of scale
// objects, synced once and kept in the user's cache folder (per schema
// version, so another build's database is not reused).
func largeDatabase(p benchkit.Programs, scale int) (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "ledgerline-startbench", fmt.Sprintf("scale-%d-schema%d", scale, store.SchemaVersion()))
	if _, err := os.Stat(filepath.Join(dir, store.FileName)); err == nil {
		return dir, nil
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), filepath.Base(dir)+".building-*")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	fmt.Fprintf(os.Stderr, "syncing a sandbox account of %s objects once, into %s…\n", humanize.Comma(int64(scale)), dir)
	sb, stop, err := p.StartSandbox("--scale", fmt.Sprint(scale), "--rate-limit", "off", "--seed", "7")
	if err != nil {
		return "", err
	}
	defer stop()
	if err := p.Connect(tmp, sb); err != nil {
		return "", err
	}
	cmd := p.Ledgerline(tmp, sb.BaseURL, nil, []string{"LEDGERLINE_SYNC_LIMITS=off"}, "sync")
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("ledgerline sync: %w", err)
	}
	return dir, os.Rename(tmp, dir)
}
