package ui

import (
	"strconv"
	"strings"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/syncer"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// The window's words for errors and status reasons. Logic packages return
// errors that carry a domain.Kind and the facts a message needs; this file
// turns them into the catalog's sentence (translations/errors.LANG.json),
// in the language the window speaks. Nothing here shows err.Error(): the
// only text from below that reaches a person is a fact, such as an account
// id, a path, or Stripe's own message with keys already blotted out.

// errorText is the catalog sentence for err, saying what happened and what
// the person can do; "" for nil. An error nobody classified gets the
// catalog's general sentence, never its own text.
func errorText(err error) string {
	if err == nil {
		return ""
	}
	kind, facts := domain.KindOf(err)
	if !kind.Known() {
		kind, facts = domain.KindUnknown, nil
	}
	key := "error." + domain.MessageKey(kind, facts)
	if s := i18n.T(key, errorArgs(facts)); s != key && strings.TrimSpace(s) != "" {
		return s
	}
	return i18n.T("error." + string(domain.KindUnknown))
}

// statusReasonText is the sentence for why c's status is what it is (a
// revoked key, Stripe's trouble, a missing permission); "" when there is
// nothing to say.
func statusReasonText(c domain.Connection) string { return errorText(c.StatusError()) }

// statusDetailText is c's status in a few words for the Data Sources table
// and the connection's page: "Connected", "Needs re-authentication", ….
// offline says the last check could not reach Stripe: then it reads
// "Offline — last checked 2 hours ago" (offlineText).
func statusDetailText(c domain.Connection, offline bool, now time.Time) string {
	if offline {
		return offlineText(c, now)
	}
	return statusLabel(c.Status)
}

// syncErrorText is the sentence for why a sync stopped (StageFailed).
func syncErrorText(p syncer.Progress) string {
	if p.Failure != nil {
		return errorText(p.Failure)
	}
	return errorText(domain.KindUnknown)
}

// errorArgs are facts as template values: every fact name is present (empty
// when the error lacks it), and the facts that are words or times are
// written for the window's language.
func errorArgs(facts domain.Facts) i18n.Args {
	args := i18n.Args{}
	for _, name := range domain.FactNames() {
		args[name] = facts[name]
	}
	for _, name := range []string{domain.FactMode, domain.FactExpectedMode} {
		if v := facts[name]; v == "live" || v == "test" {
			args[name] = i18n.T("error.mode." + v)
		}
	}
	if d, err := time.ParseDuration(facts[domain.FactWait]); err == nil {
		args[domain.FactWait] = waitText(d)
	}
	if t, err := time.Parse(time.RFC3339, facts[domain.FactCheckedAt]); err == nil {
		args[domain.FactCheckedAt] = t.Local().Format("15:04")
	}
	for _, name := range []string{domain.FactLength, domain.FactAttempts, domain.FactLimit} {
		if n, err := strconv.Atoi(facts[name]); err == nil {
			args[name] = i18n.Count(n)
		}
	}
	for _, name := range []string{domain.FactFreeBytes, domain.FactNeededBytes} {
		if n, err := strconv.ParseInt(facts[name], 10, 64); err == nil {
			args[name] = formatter().Bytes(n)
		}
	}
	return args
}

// waitText words a wait: "5 minutes", "15 seconds", "less than a second".
func waitText(d time.Duration) string {
	switch {
	case d >= time.Minute && d%time.Minute == 0:
		return i18n.N("error.wait.minutes", int(d/time.Minute))
	case d >= time.Second:
		return i18n.N("error.wait.seconds", int(d.Round(time.Second)/time.Second))
	default:
		return i18n.T("error.wait.under_second")
	}
}
