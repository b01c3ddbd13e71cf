package i18n

import (
	"bufio"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"text/template"

	"fyne.io/fyne/v2"
)

// sameOnPurpose reads same-as-english.txt: the keys whose Swedish text is
// the English text on purpose (a name, "OK"), one per line, # comments.
func sameOnPurpose(t *testing.T) map[string]bool {
	t.Helper()
	f, err := os.Open("same-as-english.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
			out[line] = true
		}
	}
	return out
}

// forms are a message's texts: itself, or its plural forms by name.
func forms(v any) map[string]string {
	switch m := v.(type) {
	case string:
		return map[string]string{"": m}
	case map[string]any:
		out := map[string]string{}
		for k, f := range m {
			if s, ok := f.(string); ok {
				out[k] = s
			}
		}
		return out
	}
	return nil
}

func TestEveryKeyIsInEveryLanguage(t *testing.T) {
	en, err := Messages(English)
	if err != nil {
		t.Fatal(err)
	}
	same := sameOnPurpose(t)
	for _, l := range Languages()[1:] {
		other, err := Messages(l)
		if err != nil {
			t.Fatal(err)
		}
		for k := range en {
			if _, ok := other[k]; !ok {
				t.Errorf("%s: key %q is missing", l, k)
			}
		}
		for k, v := range other {
			e, ok := en[k]
			if !ok {
				t.Errorf("%s: key %q is not in English", l, k)
				continue
			}
			ef, of := forms(e), forms(v)
			if !reflect.DeepEqual(keysOf(ef), keysOf(of)) {
				t.Errorf("%s: %q has forms %v, English %v", l, k, keysOf(of), keysOf(ef))
			}
			for form, text := range of {
				if strings.TrimSpace(text) == "" {
					t.Errorf("%s: %q (%s) is empty", l, k, form)
				}
				if text == ef[form] && !same[k] {
					t.Errorf("%s: %q is the English text %q; translate it or list it in same-as-english.txt", l, k, text)
				}
			}
		}
	}
	for k := range same {
		if _, ok := en[k]; !ok {
			t.Errorf("same-as-english.txt lists %q, which no catalog has", k)
		}
	}
}

func keysOf(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestEveryMessageIsAValidTemplateWithTheSameFields(t *testing.T) {
	en, _ := Messages(English)
	for _, l := range Languages() {
		m, err := Messages(l)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range m {
			for form, text := range forms(v) {
				if _, err := template.New(k).Parse(text); err != nil {
					t.Errorf("%s: %q (%s): %v", l, k, form, err)
				}
				if l != English {
					if got, want := fields(text), fields(forms(en[k])["other"]+forms(en[k])[""]); !subset(got, want) {
						t.Errorf("%s: %q uses %v, English only %v", l, k, got, want)
					}
				}
			}
		}
	}
}

func fields(s string) map[string]bool {
	out := map[string]bool{}
	for {
		i := strings.Index(s, "{{.")
		if i < 0 {
			return out
		}
		s = s[i+3:]
		j := strings.Index(s, "}}")
		if j < 0 {
			return out
		}
		out[s[:j]] = true
		s = s[j:]
	}
}

func subset(a, b map[string]bool) bool {
	for k := range a {
		if !b[k] && k != "Count" {
			return false
		}
	}
	return true
}

func TestUseSwitchesLanguageAtOnce(t *testing.T) {
	t.Cleanup(func() { _ = Use(English) })
	if err := Use(Swedish); err != nil {
		t.Fatal(err)
	}
	if got := T("Cancel"); got != "Avbryt" {
		t.Errorf("Swedish Cancel = %q", got)
	}
	if err := Use(English); err != nil {
		t.Fatal(err)
	}
	if got := T("Cancel"); got != "Cancel" {
		t.Errorf("English Cancel = %q", got)
	}
	if got := T("no.such.key"); got != "no.such.key" {
		t.Errorf("a missing key shows as %q", got)
	}
}

func TestResolveAndFormatLocale(t *testing.T) {
	cases := []struct {
		choice Language
		system fyne.Locale
		lang   Language
		locale string
	}{
		{System, "sv-SE", Swedish, "sv-SE"},
		{System, "sv_FI", Swedish, "sv-FI"},
		{System, "en-GB", English, "en-GB"},
		{System, "de-DE", English, "en-US"},
		{System, "", English, "en-US"},
		{English, "sv-SE", English, "en-US"},
		{Swedish, "en-GB", Swedish, "sv-SE"},
	}
	for _, c := range cases {
		l := Resolve(c.choice, c.system)
		if l != c.lang {
			t.Errorf("Resolve(%q, %q) = %q, want %q", c.choice, c.system, l, c.lang)
		}
		if got := formatLocale(l, c.system); got != c.locale {
			t.Errorf("formatLocale(%q, %q) = %q, want %q", l, c.system, got, c.locale)
		}
	}
	if Parse("sv") != Swedish || Parse("") != System || Parse("xx") != System {
		t.Error("Parse")
	}
}

func TestCountUsesTheLocalesGrouping(t *testing.T) {
	t.Cleanup(func() { state.locale = "" })
	for locale, want := range map[string]string{"en-US": "1,234,567", "sv-SE": "1\u00a0234\u00a0567", "de-DE": "1.234.567"} {
		state.locale = locale
		if got := Count(1234567); got != want {
			t.Errorf("%s: %q, want %q", locale, got, want)
		}
	}
}

func TestThePseudoLocaleMarksEveryFragmentAndKeepsTemplates(t *testing.T) {
	got := pseudo("**Hi** {{.Name}}, z")
	if got != "⟦**Ḣı** {{.Name}}, ż⟧" {
		t.Errorf("pseudo = %q", got)
	}
	if !IsPseudo("ı") || IsPseudo("Acme Outdoor Goods") || !IsPseudo("⟦") {
		t.Error("IsPseudo")
	}
	msgs, err := PseudoMessages()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = Use(English) })
	if err := UseMessages(msgs, "sv-SE"); err != nil {
		t.Fatal(err)
	}
	if got := T("Cancel"); got != "⟦Ċȧṅċėŀ⟧" {
		t.Errorf("Cancel = %q", got)
	}
}
