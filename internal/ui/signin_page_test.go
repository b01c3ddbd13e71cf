package ui

import (
	"strings"
	"testing"

	"github.com/ledgerline/ledgerline/internal/authflow"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// The page the browser shows when a sign-in comes back speaks the
// window's language: every page kind has its own words in each language.
func TestTheSignInPageSpeaksTheWindowsLanguage(t *testing.T) {
	words := map[i18n.Language]map[authflow.PageKind]authflow.PageWords{}
	for _, l := range i18n.Languages() {
		useLanguage(t, l)
		words[l] = map[authflow.PageKind]authflow.PageWords{}
		for _, k := range authflow.PageKinds() {
			w := SignInPage(k)
			if w.Lang != string(l) || w.Title == "" || w.Message == "" || strings.HasPrefix(w.Title, "signin_page.") ||
				strings.HasPrefix(w.Message, "signin_page.") {
				t.Errorf("%s %s: %+v", l, k, w)
			}
			words[l][k] = w
		}
	}
	for _, k := range authflow.PageKinds() {
		if words[i18n.English][k] != authflow.EnglishPage(k) {
			t.Errorf("%s: the window's English %+v differs from the command line's %+v", k, words[i18n.English][k], authflow.EnglishPage(k))
		}
		if words[i18n.Swedish][k].Message == words[i18n.English][k].Message {
			t.Errorf("%s: the Swedish page is the English one", k)
		}
	}
	if got := words[i18n.Swedish][authflow.PageConnected].Title; got != "Ledgerline är anslutet" {
		t.Errorf("Swedish connected page: %q", got)
	}
}
