// Command syncbench measures Ledgerline's sync against the targets of the
// sync issue and prints them as a table. It drives the real programs: a
// stripe-sandbox process serves the data, `ledgerline connect` links an
// account with its restricted key, `ledgerline sync` backfills it (timed,
// with its peak memory read from the OS), SQLite's dbstat gives bytes per
// charge, and `ledgerline sync --follow` is timed from a sandbox change to
// the row in SQLite. Run it through `make bench`, which builds the programs
// and provides a keychain:
//
//	go run ./internal/tools/syncbench -bin bin -scale 1000000 -runs 3
package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/dustin/go-humanize"
	_ "modernc.org/sqlite"
)

func main() {
	bin := flag.String("bin", "bin", "folder holding the built ledgerline and stripe-sandbox programs")
	scale := flag.Int("scale", 1_000_000, "objects in the sandbox account")
	runs := flag.Int("runs", 3, "runs of each backfill (the table shows medians)")
	fresh := flag.Int("freshness", 15, "changes timed with sync --follow")
	only := flag.String("only", "", "measure one thing: first-figures (the current month's figures during a first sync)")
	flag.Parse()
	b := &bench{bin: *bin, only: *only}
	if err := b.run(*scale, *runs, *fresh); err != nil {
		fmt.Fprintln(os.Stderr, "syncbench:", err)
		os.Exit(1)
	}
}

type bench struct {
	bin  string
	tmp  string
	only string
}

// result is one line of the table.
type result struct {
	what, target, got, limit string
}

func (b *bench) run(scale, runs, fresh int) error {
	tmp, err := os.MkdirTemp("", "syncbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	b.tmp = tmp
	var rows []result
	for _, mode := range []struct {
		limit, target string
		min           float64
	}{{"live", "≥ 9,000/s", 9000}, {"off", "≥ 15,000/s", 15000}} {
		if b.only != "" {
			break
		}
		var rates, rss []float64
		var perCharge float64
		for i := 0; i < runs; i++ {
			r, err := b.backfill(scale, mode.limit, i)
			if err != nil {
				return err
			}
			rates, rss = append(rates, r.rate), append(rss, r.rssMB)
			perCharge = r.bytesPerCharge
			fmt.Fprintf(os.Stderr, "backfill %d (rate limits %s): %.0f objects/s, %.0f MB peak, %.0f bytes/charge\n", i+1, mode.limit, r.rate, r.rssMB, r.bytesPerCharge)
		}
		rows = append(rows, result{fmt.Sprintf("backfill of %s objects, rate limits %s", commas(scale), mode.limit), mode.target,
			fmt.Sprintf("%s/s", commas(int(median(rates)))), verdict(median(rates) >= mode.min)})
		rows = append(rows, result{"peak memory (RSS) of that backfill", "≤ 150 MB", fmt.Sprintf("%.0f MB", median(rss)), verdict(median(rss) <= 150)})
		if mode.limit == "off" {
			rows = append(rows, result{"disk per charge, indexes included", "≤ 2 KB", fmt.Sprintf("%.0f B", perCharge), verdict(perCharge <= 2048)})
		}
	}
	var firsts, wholes []float64
	for i := 0; i < runs; i++ {
		first, whole, err := b.firstFigures(scale, i)
		if err != nil {
			return err
		}
		firsts, wholes = append(firsts, first.Seconds()), append(wholes, whole.Seconds())
		fmt.Fprintf(os.Stderr, "first sync %d: this month's figures right and complete after %.1f s (whole sync %.1f s)\n", i+1, first.Seconds(), whole.Seconds())
	}
	rows = append(rows, result{"first sync: this month's figures right and complete (rate limits live)", "≤ 10 s",
		fmt.Sprintf("%.1f s (whole sync %.0f s)", median(firsts), median(wholes)), verdict(median(firsts) <= 10)})
	if b.only != "" {
		return printTable(rows)
	}
	lat, err := b.freshness(fresh)
	if err != nil {
		return err
	}
	rows = append(rows, result{fmt.Sprintf("freshness with --follow (median of %d changes)", fresh), "≤ 5 s", lat.Round(10 * time.Millisecond).String(), verdict(lat <= 5*time.Second)})

	return printTable(rows)
}

// printTable prints the results as a table.
func printTable(rows []result) error {
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "MEASURE\tTARGET\tMEDIAN\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.what, r.target, r.got, r.limit)
	}
	return tw.Flush()
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT MET"
}

// sandboxInfo is the sandbox's start line.
type sandboxInfo struct {
	BaseURL  string `json:"base_url"`
	Accounts []struct {
		ID     string `json:"id"`
		APIKey string `json:"api_key"`
	} `json:"accounts"`
}

// startSandbox runs stripe-sandbox with args and reads its start line.
func (b *bench) startSandbox(args ...string) (sandboxInfo, func(), error) {
	cmd := exec.Command(filepath.Join(b.bin, "stripe-sandbox"), append([]string{"--addr", "127.0.0.1:0", "--accounts", "1"}, args...)...)
	cmd.Stderr = io.Discard
	out, err := cmd.StdoutPipe()
	if err != nil {
		return sandboxInfo{}, nil, err
	}
	if err := cmd.Start(); err != nil {
		return sandboxInfo{}, nil, err
	}
	stop := func() { _ = cmd.Process.Signal(syscall.SIGTERM); _ = cmd.Wait() }
	line, err := bufio.NewReader(out).ReadBytes('\n')
	if err != nil {
		stop()
		return sandboxInfo{}, nil, fmt.Errorf("reading the sandbox's start line: %w", err)
	}
	var info sandboxInfo
	if err := json.Unmarshal(line, &info); err != nil || len(info.Accounts) == 0 {
		stop()
		return sandboxInfo{}, nil, fmt.Errorf("the sandbox's start line %q: %v", line, err)
	}
	return info, stop, nil
}

// ledgerline runs the ledgerline program with args against dataDir.
func (b *bench) ledgerline(dataDir, apiBase string, stdin io.Reader, env []string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(b.bin, "ledgerline"), append([]string{"--data-dir", dataDir, "--stripe-api-base", apiBase}, args...)...)
	cmd.Stdin = stdin
	cmd.Env = append(os.Environ(), env...)
	return cmd
}

// connect links the sandbox's account to a fresh data dir with its key.
func (b *bench) connect(dataDir string, info sandboxInfo) error {
	cmd := b.ledgerline(dataDir, info.BaseURL, strings.NewReader(info.Accounts[0].APIKey), nil, "connect", "stripe", "--api-key-stdin")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("ledgerline connect: %v: %s", err, out)
	}
	return nil
}

type backfillResult struct {
	rate, rssMB, bytesPerCharge float64
}

// backfill syncs a fresh data dir from a sandbox of the given scale and
// rate limit, timing the sync process and reading its peak RSS.
func (b *bench) backfill(scale int, limit string, run int) (backfillResult, error) {
	info, stop, err := b.startSandbox("--scale", fmt.Sprint(scale), "--rate-limit", limit, "--seed", fmt.Sprint(100+run))
	if err != nil {
		return backfillResult{}, err
	}
	defer stop()
	dataDir := filepath.Join(b.tmp, fmt.Sprintf("backfill-%s-%d", limit, run))
	if err := b.connect(dataDir, info); err != nil {
		return backfillResult{}, err
	}
	total, err := truthTotal(info)
	if err != nil {
		return backfillResult{}, err
	}
	// The sandbox is test mode; "live" asks the engine for live-mode limits.
	cmd := b.ledgerline(dataDir, info.BaseURL, nil, []string{"LEDGERLINE_SYNC_LIMITS=" + limit}, "sync")
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return backfillResult{}, fmt.Errorf("ledgerline sync: %w", err)
	}
	took := time.Since(start)
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	var rss float64
	if ru != nil {
		rss = float64(ru.Maxrss) / 1024 // Linux reports KiB
	}
	per, err := bytesPerCharge(filepath.Join(dataDir, "ledgerline.db"))
	if err != nil {
		return backfillResult{}, err
	}
	return backfillResult{rate: float64(total) / took.Seconds(), rssMB: rss, bytesPerCharge: per}, nil
}

// truthTotal is the number of objects of every type the account holds.
func truthTotal(info sandboxInfo) (int, error) {
	resp, err := http.Get(info.BaseURL + "/_sandbox/truth?account=" + url.QueryEscape(info.Accounts[0].ID))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var truth map[string]struct{ Live, Deleted int }
	if err := json.NewDecoder(resp.Body).Decode(&truth); err != nil {
		return 0, fmt.Errorf("reading /_sandbox/truth: %w", err)
	}
	n := 0
	for typ, c := range truth {
		if typ == "payout_links" {
			continue // links between payouts and balance transactions, not objects
		}
		n += c.Live + c.Deleted
	}
	return n, nil
}

// bytesPerCharge is the pages of stripe_charges and its indexes over its
// rows, from SQLite's dbstat table.
func bytesPerCharge(path string) (float64, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var bytes, rows float64
	err = db.QueryRow(`SELECT (SELECT sum(pgsize) FROM dbstat WHERE name = 'stripe_charges'
		OR name IN (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'stripe_charges')),
		(SELECT count(*) FROM stripe_charges)`).Scan(&bytes, &rows)
	if err != nil {
		return 0, fmt.Errorf("measuring stripe_charges: %w", err)
	}
	if rows == 0 {
		return 0, errors.New("no charges were synced")
	}
	return bytes / rows, nil
}

// freshness runs sync --follow and times n sandbox changes until each is
// in SQLite.
func (b *bench) freshness(n int) (time.Duration, error) {
	info, stop, err := b.startSandbox("--scale", "2000", "--seed", "7")
	if err != nil {
		return 0, err
	}
	defer stop()
	dataDir := filepath.Join(b.tmp, "freshness")
	if err := b.connect(dataDir, info); err != nil {
		return 0, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	follow := exec.CommandContext(ctx, filepath.Join(b.bin, "ledgerline"), "--data-dir", dataDir, "--stripe-api-base", info.BaseURL, "sync", "--follow", "--json")
	out, _ := follow.StdoutPipe()
	if err := follow.Start(); err != nil {
		return 0, err
	}
	defer func() { cancel(); _ = follow.Wait() }()
	if err := waitForStage(out, "following"); err != nil {
		return 0, err
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dataDir, "ledgerline.db")+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var lats []float64
	for i := 0; i < n; i++ {
		start := time.Now()
		id, err := mutate(info)
		if err != nil {
			return 0, err
		}
		for {
			var found int
			_ = db.QueryRow(`SELECT count(*) FROM stripe_customers WHERE id = ?`, id).Scan(&found)
			if found == 1 {
				break
			}
			if time.Since(start) > time.Minute {
				return 0, fmt.Errorf("customer %s never reached SQLite", id)
			}
			time.Sleep(20 * time.Millisecond)
		}
		lats = append(lats, time.Since(start).Seconds())
		time.Sleep(300 * time.Millisecond)
	}
	return time.Duration(median(lats) * float64(time.Second)), nil
}

// waitForStage reads sync --json lines until one reports stage.
func waitForStage(r io.Reader, stage string) error {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		var p struct{ Stage string }
		if json.Unmarshal(sc.Bytes(), &p) == nil && p.Stage == stage {
			go func() { _, _ = io.Copy(io.Discard, r) }()
			return nil
		}
	}
	return fmt.Errorf("sync --follow ended before reaching %q", stage)
}

// mutate creates one customer in the sandbox and returns its id.
func mutate(info sandboxInfo) (string, error) {
	resp, err := http.PostForm(info.BaseURL+"/_sandbox/mutate", url.Values{
		"account": {info.Accounts[0].ID}, "type": {"customers"}, "action": {"create"}, "count": {"1"}})
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var out struct {
		Changes []struct{ ID string } `json:"changes"`
	}
	if err := json.Unmarshal(body, &out); err != nil || len(out.Changes) == 0 {
		return "", fmt.Errorf("/_sandbox/mutate answered %s", body)
	}
	return out.Changes[0].ID, nil
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}

func commas(n int) string { return humanize.Comma(int64(n)) }
