package ui

import (
	"context"
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/syncer"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
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
	p.summary = widget.NewLabel(i18n.T("sync.reading"))
	p.overall = widget.NewProgressBar()
	p.overall.TextFormatter = func() string { return percentDone(p.overall.Value) }
	p.update = widget.NewButtonWithIcon(i18n.T("sync.update_now"), theme.ViewRefreshIcon(), func() { sh.Services().Sync.UpdateNow(c.ID) })
	p.grid = container.New(layout.NewFormLayout())
	p.root = container.NewVBox(
		widget.NewLabelWithStyle(i18n.T("sync.heading"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
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
		args := i18n.Args{"Type": typeTitle(typeName), "Name": p.conn.Name}
		keep := dialog.NewConfirm(i18n.T("sync.stop.title", args), i18n.T("sync.stop.body", args),
			func(keepRows bool) {
				runSyncAction(p.sh, func(ctx context.Context) error {
					if err := p.sh.Services().Sync.SetEnabled(ctx, p.conn.ID, typeName, false); err != nil || keepRows {
						return err
					}
					return p.sh.Services().Sync.DeleteData(ctx, p.conn.ID, typeName)
				})
			}, p.sh.Window())
		keep.SetConfirmText(i18n.T("sync.stop.keep"))
		keep.SetDismissText(i18n.T("sync.stop.delete"))
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

// syncSummary is the panel's one-line state: "Syncing — 42%", "Up to
// date · last complete update 3 minutes ago", ….
func syncSummary(pr syncer.Progress, now time.Time) string {
	last := pr.LastCompleteAt()
	switch {
	case pr.Stage == syncer.StageFailed && pr.Err != "":
		return i18n.T("sync.summary.failed", i18n.Args{"Reason": syncErrorText(pr)})
	case pr.Running && pr.Fraction() < 1:
		return i18n.T("sync.summary.running", i18n.Args{"Percent": percentDone(pr.Fraction())})
	case !last.IsZero():
		return i18n.T("sync.summary.up_to_date", i18n.Args{"When": relative(last, now, i18n.T("time.never"))})
	case pr.Running:
		return i18n.T("sync.summary.catching_up")
	default:
		return i18n.T("sync.summary.not_synced")
	}
}

// percentDone writes a fraction as a whole percentage, rounded down so
// that a sync still running never reads 100% ("42%", "42 %"). The tiny
// nudge keeps 0.29, which is 28.999… hundredths in floating point, at 29%.
func percentDone(f float64) string {
	return formatter().Percent(math.Floor(f*100+1e-9)/100, 0)
}

// typeLine is a type's count and state: "1,234 of ~5,000", "12,003 · up to
// date", "not kept", "waiting".
func typeLine(t syncer.TypeProgress) string {
	f := formatter()
	switch {
	case !t.Enabled:
		return i18n.T("sync.type.not_kept")
	case t.LastError != "":
		return i18n.T("sync.type.stopped", i18n.Args{"Reason": typeErrorText(t)})
	case t.Phase == syncer.PhaseReady:
		return i18n.T("sync.type.ready", i18n.Args{"Synced": f.Number(t.Synced)})
	case t.Phase == syncer.PhaseNone:
		return i18n.T("sync.type.waiting")
	default:
		return i18n.T("sync.type.progress", i18n.Args{"Synced": f.Number(t.Synced), "Estimated": f.Number(max(t.Estimated, t.Synced))})
	}
}

// typeErrorText is why a type's last run failed, in the window's words.
func typeErrorText(t syncer.TypeProgress) string {
	if t.LastFailure != nil {
		return errorText(t.LastFailure)
	}
	return errorText(domain.KindUnknown)
}

// typeTitle is an object type's name as the window shows it
// ("payment_intents" → "Payment intents", "Betalningsavsikter"), from the
// catalog's "object.<type>"; a type the catalog lacks (Fyne logs the
// missing message; a test keeps every warehouse type in it) shows its key.
func typeTitle(name string) string {
	key := "object." + name
	if s := i18n.T(key); s != key {
		return s
	}
	return name
}
