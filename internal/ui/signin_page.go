package ui

import (
	"github.com/ledgerline/ledgerline/internal/authflow"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// SignInPage words the page the browser shows when a sign-in comes back
// to Ledgerline (authflow.Config.Pages), in the window's language. Safe
// from any goroutine: the loopback server calls it.
func SignInPage(k authflow.PageKind) authflow.PageWords {
	lang := string(i18n.Current())
	if lang == "" {
		lang = string(i18n.English)
	}
	return authflow.PageWords{
		Lang:    lang,
		Title:   i18n.T("signin_page." + string(k) + ".title"),
		Message: i18n.T("signin_page." + string(k) + ".message"),
	}
}
