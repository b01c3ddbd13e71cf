package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/dustin/go-humanize"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/syncer"
)

// SyncService is what the window needs of the sync: the progress of a
// connection's sync (its own or another process's, from SQLite), the
// choice of object types, and "Update now".
type SyncService interface {
	Progress(ctx context.Context, connID string) (syncer.Progress, error)
	SetEnabled(ctx context.Context, connID, typeName string, enabled bool) error
	DeleteData(ctx context.Context, connID, typeName string) error
	UpdateNow(connID string)
}

// syncPanel shows, on a connection's page, how far its data is: overall
// and per object type, with a box per type to keep it or not, the time of
// the last complete update, and Update now.
type syncPanel struct {
	sh      Shell
	conn    domain.Connection
	root    fyne.CanvasObject
	summary *widget.Label
	overall *widget.ProgressBar
	update  *widget.Button
	rows    map[string]*typeRow
	grid    *fyne.Container
	loaded  bool
}

type typeRow struct {
	keep  *widget.Check
	bar   *widget.ProgressBar
	count *widget.Label
}

func newSyncPanel(sh Shell, c domain.Connection) *syncPanel {
	p := &syncPanel{sh: sh, conn: c, rows: map[string]*typeRow{}}
	p.summary = widget.NewLabel("Reading sync progress…")
	p.overall = widget.NewProgressBar()
	p.update = widget.NewButtonWithIcon("Update now", theme.ViewRefreshIcon(), func() { sh.Services().Sync.UpdateNow(c.ID) })
	p.grid = container.New(layout.NewFormLayout())
	p.root = container.NewVBox(
		widget.NewLabelWithStyle("Data on this computer", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewBorder(nil, nil, nil, p.update, p.summary),
		p.overall,
		p.grid,
	)
	return p
}

// show puts a progress snapshot on screen.
func (p *syncPanel) show(pr syncer.Progress) {
	if !p.loaded {
		p.build(pr)
	}
	p.overall.SetValue(pr.Fraction())
	p.summary.SetText(syncSummary(pr, p.sh.Now()))
	for _, t := range pr.Types {
		r, ok := p.rows[t.Type]
		if !ok {
			continue
		}
		r.keep.OnChanged = nil
		r.keep.SetChecked(t.Enabled)
		r.keep.OnChanged = p.toggle(t.Type)
		r.bar.SetValue(t.Fraction())
		r.count.SetText(typeLine(t))
	}
}

// build makes one row per object type, in the registry's order.
func (p *syncPanel) build(pr syncer.Progress) {
	for _, t := range pr.Types {
		r := &typeRow{keep: widget.NewCheck(typeTitle(t.Type), nil), bar: widget.NewProgressBar(), count: widget.NewLabel("")}
		r.bar.TextFormatter = func() string { return "" }
		p.rows[t.Type] = r
		p.grid.Add(r.keep)
		p.grid.Add(container.NewGridWithColumns(2, r.bar, r.count))
	}
	p.loaded = true
}

// toggle turns a type on at once; turning one off asks whether to keep
// the rows already copied.
func (p *syncPanel) toggle(typeName string) func(bool) {
	return func(on bool) {
		if on {
			runSyncAction(p.sh, func(ctx context.Context) error {
				return p.sh.Services().Sync.SetEnabled(ctx, p.conn.ID, typeName, true)
			})
			return
		}
		keep := dialog.NewConfirm("Stop syncing "+typeTitle(typeName)+"?",
			"Ledgerline will stop copying "+typeTitle(typeName)+" for "+p.conn.Name+". Keep the rows already on this computer?",
			func(keepRows bool) {
				runSyncAction(p.sh, func(ctx context.Context) error {
					if err := p.sh.Services().Sync.SetEnabled(ctx, p.conn.ID, typeName, false); err != nil || keepRows {
						return err
					}
					return p.sh.Services().Sync.DeleteData(ctx, p.conn.ID, typeName)
				})
			}, p.sh.Window())
		keep.SetConfirmText("Keep them")
		keep.SetDismissText("Delete them")
		keep.Show()
	}
}

// runSyncAction runs a change to the sync settings off the UI goroutine
// and shows its error, if any.
func runSyncAction(sh Shell, fn func(context.Context) error) {
	var err error
	sh.Background(func() { err = fn(context.Background()) }, func() {
		if err != nil {
			sh.ShowError(err)
		}
	})
}

// syncSummary is the panel's one-line state.
func syncSummary(pr syncer.Progress, now time.Time) string {
	last := pr.LastCompleteAt()
	switch {
	case pr.Stage == syncer.StageFailed && pr.Err != "":
		return "The last sync stopped: " + pr.Err
	case pr.Running && pr.Fraction() < 1:
		return fmt.Sprintf("Syncing — %d%%", int(pr.Fraction()*100))
	case !last.IsZero():
		return "Up to date · last complete update " + relative(last, now, "never")
	case pr.Running:
		return "Catching up with Stripe…"
	default:
		return "Not synced yet."
	}
}

// typeLine is a type's count and state: "1,234 of ~5,000", "12,003 · ready".
func typeLine(t syncer.TypeProgress) string {
	switch {
	case !t.Enabled:
		return "not kept"
	case t.LastError != "":
		return "stopped: " + t.LastError
	case t.Phase == syncer.PhaseReady:
		return humanize.Comma(t.Synced) + " · up to date"
	case t.Phase == syncer.PhaseNone:
		return "waiting"
	default:
		return humanize.Comma(t.Synced) + " of ~" + humanize.Comma(max(t.Estimated, t.Synced))
	}
}

// typeTitle words an object type's key: "payment_intents" → "Payment intents".
func typeTitle(name string) string {
	s := strings.ReplaceAll(name, "_", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}
