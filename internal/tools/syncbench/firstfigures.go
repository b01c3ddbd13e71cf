package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// firstFiguresPoll is how often firstFigures asks for the report.
const firstFiguresPoll = 250 * time.Millisecond

// figuresPoll is one answer of the report while the sync ran.
type figuresPoll struct {
	at       time.Duration // since the sync started
	figures  string        // the report's JSON without its coverage
	complete bool          // this month and last month complete
}

// firstFigures times a newly connected account's first sync (live rate
// limits) until the current month's money report is right: it runs
// `ledgerline report overview --json` (this month, beside last month)
// every firstFiguresPoll while `ledgerline sync` runs, as a script would,
// and returns the time from the sync's start after which every answer
// equals the one after the whole sync and says both periods complete,
// with the whole sync's time. With SYNCBENCH_DEBUG set it prints each
// answer's coverage to standard error.
func (b *bench) firstFigures(scale, run int) (time.Duration, time.Duration, error) {
	info, stop, err := b.startSandbox("--scale", fmt.Sprint(scale), "--rate-limit", "live", "--seed", fmt.Sprint(200+run))
	if err != nil {
		return 0, 0, err
	}
	defer stop()
	dataDir := filepath.Join(b.tmp, fmt.Sprintf("first-figures-%d", run))
	if err := b.connect(dataDir, info); err != nil {
		return 0, 0, err
	}
	sync := b.ledgerline(dataDir, info.BaseURL, nil, []string{"LEDGERLINE_SYNC_LIMITS=live"}, "sync")
	start := time.Now()
	if err := sync.Start(); err != nil {
		return 0, 0, err
	}
	done := make(chan error, 1)
	go func() { done <- sync.Wait() }()
	var polls []figuresPoll
	var total time.Duration
	for running := true; running; {
		at := time.Since(start)
		p, err := b.overview(dataDir, info.BaseURL)
		if err != nil {
			return 0, 0, err
		}
		p.at = at
		polls = append(polls, p)
		select {
		case err := <-done:
			if err != nil {
				return 0, 0, fmt.Errorf("ledgerline sync: %w", err)
			}
			total, running = time.Since(start), false
		case <-time.After(firstFiguresPoll):
		}
	}
	final, err := b.overview(dataDir, info.BaseURL)
	if err != nil {
		return 0, 0, err
	}
	if !final.complete {
		return 0, 0, fmt.Errorf("after the whole sync the report still says it is incomplete: %s", final.figures)
	}
	right := total // no answer while the sync ran was right for good
	for i := len(polls) - 1; i >= 0 && polls[i].complete && polls[i].figures == final.figures; i-- {
		right = polls[i].at
	}
	return right, total, nil
}

// overview runs this month's money report and splits its answer.
func (b *bench) overview(dataDir, apiBase string) (figuresPoll, error) {
	cmd := b.ledgerline(dataDir, apiBase, nil, nil, "report", "overview", "--period", "this_month", "--json")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return figuresPoll{}, fmt.Errorf("ledgerline report overview: %w", err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(out, &raw); err != nil {
		return figuresPoll{}, fmt.Errorf("ledgerline report overview: %w", err)
	}
	var cov struct {
		Complete         bool `json:"complete"`
		PreviousComplete bool `json:"previous_complete"`
	}
	if err := json.Unmarshal(raw["coverage"], &cov); err != nil {
		return figuresPoll{}, fmt.Errorf("ledgerline report overview: no coverage: %w", err)
	}
	if os.Getenv("SYNCBENCH_DEBUG") != "" {
		fmt.Fprintf(os.Stderr, "%s coverage %s\n", time.Now().Format("15:04:05.0"), raw["coverage"])
	}
	delete(raw, "coverage")
	figures, _ := json.Marshal(raw) // keys sorted: equal answers compare equal
	return figuresPoll{figures: string(figures), complete: cov.Complete && cov.PreviousComplete}, nil
}
