package ui

import (
	"github.com/ledgerline/ledgerline/internal/localefmt"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// formatter writes numbers, money and dates the way the window's language
// and the computer's region do (i18n.FormatLocale), in the computer's time
// zone.
func formatter() *localefmt.Formatter { return localefmt.New(i18n.FormatLocale()) }
