package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/ledgerline/ledgerline/internal/localefmt"
	"github.com/ledgerline/ledgerline/internal/reports"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// How the Payouts tab words a payout and its transactions. Every word is
// the catalog's (payouts.*.json); Stripe's own code is shown when the
// catalog has no word for it.

// arrivalFormatter writes arrival dates: Stripe gives a payout's arrival
// day as midnight UTC, so it is written in UTC, the day Stripe means,
// whatever the computer's zone.
func arrivalFormatter() *localefmt.Formatter {
	return localefmt.New(i18n.FormatLocale(), localefmt.InZone(time.UTC))
}

// catalogOr is the catalog's words for key, or fallback when it has none.
func catalogOr(key, fallback string) string {
	if w := i18n.T(key); w != key {
		return w
	}
	return fallback
}

// payoutStatusText words a payout's status: paid, pending, in transit,
// canceled or failed.
func payoutStatusText(s string) string {
	if s == "" {
		return "—"
	}
	return catalogOr("payouts.status."+s, strings.ReplaceAll(s, "_", " "))
}

// payoutKindText words where and how a payout went: "Bank account,
// standard", "Card, instant".
func payoutKindText(p reports.PayoutRow) string {
	kind := catalogOr("payouts.type."+p.Type, p.Type)
	if p.Method == "" {
		return kind
	}
	return i18n.T("payouts.kind", i18n.Args{"Type": kind, "Method": catalogOr("payouts.method."+p.Method, p.Method)})
}

// bankText is the bank account's last four digits, "••6789", or "—".
func bankText(last4 string) string {
	if last4 == "" {
		return "—"
	}
	return "••" + last4
}

// Reconciliation marks: words with an icon beside them.
const (
	markReconciled = "reconciled"
	markOff        = "off"
	markNotCopied  = "not_copied"
)

// reconcileMark is a payout's reconciliation state.
func reconcileMark(p reports.PayoutRow) string {
	switch {
	case !p.LinksSynced:
		return markNotCopied
	case p.Reconciled:
		return markReconciled
	}
	return markOff
}

// difference is what a payout's transactions lack (or have too much) to
// add up to it: the payout's amount − Σ net of its transactions.
func difference(p reports.PayoutRow) int64 { return p.Amount - p.LinkedNet }

// reconcileCell is the list's mark: "✓ Reconciled", "Doesn't reconcile:
// $10.88 difference", "Not copied yet", each with its icon.
func reconcileCell(f *localefmt.Formatter, p reports.PayoutRow) reportCell {
	switch reconcileMark(p) {
	case markReconciled:
		return reportCell{text: i18n.T("payouts.mark.reconciled"), icon: theme.ConfirmIcon()}
	case markOff:
		return reportCell{text: i18n.T("payouts.mark.off", i18n.Args{"Difference": f.Money(difference(p), p.Currency)}),
			icon: theme.WarningIcon()}
	}
	return reportCell{text: i18n.T("payouts.mark.not_copied"), icon: theme.HistoryIcon()}
}

// reconcileSentence is the selected payout's mark in a sentence.
func reconcileSentence(f *localefmt.Formatter, p reports.PayoutRow) (string, fyne.Resource) {
	args := i18n.Args{"Net": f.Money(p.LinkedNet, p.Currency), "Amount": f.Money(p.Amount, p.Currency),
		"Difference": f.Money(difference(p), p.Currency)}
	switch reconcileMark(p) {
	case markReconciled:
		return i18n.N("payouts.detail.reconciled", int(p.Links), args), theme.ConfirmIcon()
	case markOff:
		return i18n.T("payouts.detail.off", args), theme.WarningIcon()
	}
	return i18n.T("payouts.detail.not_copied"), theme.HistoryIcon()
}

// txnKindText words a transaction: its reporting category (charge,
// refund, dispute, fee, …) when stored, else its type.
func txnKindText(t reports.PayoutTransaction) string {
	if t.ReportingCategory != "" {
		return catalogOr("payouts.category."+t.ReportingCategory, strings.ReplaceAll(t.ReportingCategory, "_", " "))
	}
	return catalogOr("payouts.txn_type."+t.Type, strings.ReplaceAll(t.Type, "_", " "))
}

// orDash is s, or "—" for nothing.
func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
