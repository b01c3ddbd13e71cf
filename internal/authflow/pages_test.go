package authflow

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func TestPagesSpeakTheLanguageTheyAreGiven(t *testing.T) {
	t.Run("without words the page is English", func(t *testing.T) {
		rec := httptest.NewRecorder()
		writePage(rec, pageConnected, nil)
		body := rec.Body.String()
		if rec.Code != 200 || !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, "Ledgerline is connected") {
			t.Errorf("%d %s", rec.Code, body)
		}
	})
	t.Run("with words the page is theirs, escaped", func(t *testing.T) {
		swedish := func(k PageKind) PageWords {
			return PageWords{Lang: "sv", Title: "Åtkomsten nekades <b>", Message: "Gå tillbaka till Ledgerline."}
		}
		rec := httptest.NewRecorder()
		writePage(rec, failurePage(ErrDenied), swedish)
		body := rec.Body.String()
		if rec.Code != 400 || !strings.Contains(body, `<html lang="sv">`) || !strings.Contains(body, "Åtkomsten nekades &lt;b&gt;") ||
			strings.Contains(body, "Access was denied") {
			t.Errorf("%d %s", rec.Code, body)
		}
	})
	t.Run("every page kind has English words", func(t *testing.T) {
		for _, k := range PageKinds() {
			if w := EnglishPage(k); w.Title == "" || w.Message == "" || w.Lang != "en" {
				t.Errorf("%s: %+v", k, w)
			}
		}
	})
}
