package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/dustin/go-humanize"

	"github.com/ledgerline/ledgerline/internal/app"
	"github.com/ledgerline/ledgerline/internal/domain"
)

// connectionJSON is one element of `ledgerline connections --json`; the
// field names are a contract for scripts (DESIGN.md). Times are RFC 3339
// in UTC, or null when they never happened.
type connectionJSON struct {
	ID              string     `json:"id"`
	Provider        string     `json:"provider"`
	Name            string     `json:"name"`
	AccountID       string     `json:"account_id"`
	Livemode        bool       `json:"livemode"`
	Scope           string     `json:"scope"`
	AuthMethod      string     `json:"auth_method"`
	Status          string     `json:"status"`
	StatusDetail    string     `json:"status_detail"` // the reason worded in English; "" when none
	StatusReason    string     `json:"status_reason"` // the reason's kind code, e.g. needs_reauth.revoked_key
	ConnectedAt     *time.Time `json:"connected_at"`
	StatusCheckedAt *time.Time `json:"status_checked_at"`
	LastSyncAt      *time.Time `json:"last_sync_at"`
}

func toJSON(c domain.Connection) connectionJSON {
	return connectionJSON{
		ID: c.ID, Provider: string(c.Provider), Name: c.Name, AccountID: c.AccountID, Livemode: c.Livemode,
		Scope: c.Scope, AuthMethod: string(c.AuthMethod), Status: string(c.Status), StatusDetail: statusText(c), StatusReason: string(c.StatusReason),
		ConnectedAt: timePtr(c.ConnectedAt), StatusCheckedAt: timePtr(c.StatusCheckedAt), LastSyncAt: timePtr(c.LastSyncAt),
	}
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// runConnections lists the connections from SQLite alone: it works with no
// network and without the keychain.
func runConnections(ctx context.Context, args []string, c common, env Env) error {
	fs := newFlagSet("ledgerline connections", env, "Usage: ledgerline connections [--json]\n\nList connections and their last known status. Works offline.\n\n")
	c.register(fs)
	asJSON := fs.Bool("json", false, "print a JSON array for scripts")
	if err := fs.Parse(args); err != nil {
		return usageErr(err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: connections takes no arguments", errUsage)
	}
	cfg, err := c.resolve(env)
	if err != nil {
		return err
	}
	db, err := app.OpenStore(ctx, cfg, env.Now)
	if err != nil {
		return err
	}
	defer db.Close()
	conns, err := db.ListConnections(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env.Stdout, conns)
	}
	return writeTable(env.Stdout, conns, env.Now())
}

func writeJSON(w io.Writer, conns []domain.Connection) error {
	out := make([]connectionJSON, 0, len(conns))
	for _, c := range conns {
		out = append(out, toJSON(c))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func writeTable(w io.Writer, conns []domain.Connection, now time.Time) error {
	if len(conns) == 0 {
		_, err := fmt.Fprintln(w, "No connections yet. Run `ledgerline connect stripe`, or open Ledgerline and click Add a Data Source.")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tACCOUNT\tMODE\tSTATUS\tLAST SYNC")
	for _, c := range conns {
		last := "never"
		if !c.LastSyncAt.IsZero() {
			last = humanize.RelTime(c.LastSyncAt, now, "ago", "from now")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.Name, c.AccountID, c.ModeLabel(), statusLabel(c.Status), last)
	}
	return tw.Flush()
}
