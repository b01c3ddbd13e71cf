package ui

import (
	"context"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/reports"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// moneyMonthsCount is how many months gross against net covers.
const moneyMonthsCount = 12

// moneyMonths is the Net and fees tab's (and All stores') gross against
// net volume by month: one line chart per settlement currency, over the
// last 12 calendar months in the computer's zone. It does not follow the
// tab's period; it is read again when the connections change.
type moneyMonths struct {
	sh   Shell
	root *fyne.Container
	ids  []string // the connections on show (or being read)
	gen  int      // bumped on every read: a late answer is dropped
	// shown are the months on show and charts their charts, for tests.
	shown  []reports.MonthMoney
	charts []*chart
}

func newMoneyMonths(sh Shell) *moneyMonths {
	return &moneyMonths{sh: sh, root: container.NewVBox()}
}

// load reads the months of ids off the UI goroutine, unless they are the
// ones on show already.
func (m *moneyMonths) load(ids []string) {
	if m.gen > 0 && slices.Equal(ids, m.ids) {
		return
	}
	m.ids = slices.Clone(ids)
	m.gen++
	gen := m.gen
	m.root.Objects = []fyne.CanvasObject{lowNote(i18n.T("charts.money.loading"))}
	m.root.Refresh()
	svc, loc := m.sh.Services().Money, m.sh.Now().Location()
	var months []reports.MonthMoney
	var err error
	m.sh.Background(func() {
		months, err = svc.MoneyByMonth(context.Background(), ids, moneyMonthsCount, loc)
	}, func() {
		if gen != m.gen {
			return
		}
		if err != nil {
			m.root.Objects = []fyne.CanvasObject{wrapped(i18n.T("charts.error", i18n.Args{"Reason": errorText(err)}))}
			m.root.Refresh()
			return
		}
		m.show(months)
	})
}

// show lays out a chart per settlement currency.
func (m *moneyMonths) show(months []reports.MonthMoney) {
	m.shown, m.charts = months, nil
	count := i18n.Args{"Count": formatter().Number(int64(len(months)))}
	curs := settlementCurrencies(months)
	if len(curs) == 0 {
		m.root.Objects = []fyne.CanvasObject{lowNote(i18n.N("charts.money.empty", len(months), count))}
		m.root.Refresh()
		return
	}
	var objs []fyne.CanvasObject
	for _, c := range curs {
		ch := newChart(grossNetChart(months, c))
		m.charts = append(m.charts, ch)
		objs = append(objs, chartTitle(i18n.N("charts.money.title", len(months),
			i18n.Args{"Currency": upper(c), "Count": count["Count"]})), tabChart(ch))
	}
	first := months[0].Month
	objs = append(objs, lowNote(i18n.T("charts.money.incomplete", i18n.Args{"Zone": zoneName(first.Location(), first)})),
		lowNote(i18n.T("charts.hint")))
	m.root.Objects = objs
	m.root.Refresh()
}

// chartTitle is a chart's bold title, wrapped when the window is narrow.
func chartTitle(text string) *widget.Label {
	l := sectionTitle(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// lowNote is a quiet line of explanation.
func lowNote(text string) *widget.Label {
	l := wrapped(text)
	l.Importance = widget.LowImportance
	return l
}
