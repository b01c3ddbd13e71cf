// Package i18n is the window's message catalog: every word the window, the
// browser's sign-in page and the desktop notifications show, in English and
// Swedish, through Fyne's translation support (fyne.io/fyne/v2/lang).
//
// Messages live in translations/AREA.LANG.json (go-i18n's JSON: a key maps
// to a string, or to plural forms "one"/"other"), one file per area of the
// window so that a page and its words sit side by side. Code names a message
// by its key: T("connections.title"), N("sync.objects", n). A key missing
// from the catalog shows as the key itself, and the tests fail on it.
//
// The language is chosen here, not by Fyne: lang picks the system's
// language among those it has messages for and offers no way to choose
// another, so Use registers the chosen language's messages (Fyne's own
// words included, in fyne.LANG.json) under every language tag lang may
// pick. That makes the choice take effect at once, without a restart.
//
// T, N and Use may be called from any goroutine (the sign-in page is
// worded on the loopback server's): lang keeps its localizer in a package
// variable, so this package guards it with a lock. Fyne's own widgets ask
// lang directly, on the UI goroutine, where the window also calls Use.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
)

//go:embed translations/*.json
var files embed.FS

// Language is a catalog's language as a BCP 47 base tag ("en", "sv"), or
// System for the computer's own.
type Language string

const (
	// System follows the computer's language: Swedish on a Swedish
	// desktop, English everywhere else.
	System  Language = ""
	English Language = "en"
	Swedish Language = "sv"
)

// Languages are the catalog's languages, English first (the fallback).
func Languages() []Language { return []Language{English, Swedish} }

// Name is the language's name in itself, as a language menu shows it.
func (l Language) Name() string {
	switch l {
	case English:
		return "English"
	case Swedish:
		return "Svenska"
	}
	return string(l)
}

// Parse turns a saved preference into a Language; anything unknown
// (including "") is System.
func Parse(s string) Language {
	for _, l := range Languages() {
		if string(l) == s {
			return l
		}
	}
	return System
}

// fyneTags are the languages Fyne ships its own translations for: lang's
// localizer picks one of these (or a language Use added) from the system's
// locales, so the chosen catalog is registered under each of them.
var fyneTags = []string{"cs", "de", "el", "en", "es", "fr", "ja", "pl", "pt", "pt-BR", "ru", "sv", "ta", "uk", "zh-Hans"}

// state is what Use last applied; read by Current and FormatLocale. mu
// guards it and lang's localizer: T and N read-lock, Use write-locks.
var (
	mu    sync.RWMutex
	state struct {
		lang   Language
		locale string // BCP 47, for numbers, money and dates
	}
)

// Resolve is the language shown for a choice: the choice itself, or for
// System the system locale's language when the catalog has it, else English.
func Resolve(choice Language, system fyne.Locale) Language {
	if choice != System {
		return choice
	}
	base := strings.ToLower(system.LanguageString())
	base, _, _ = strings.Cut(strings.ReplaceAll(base, "_", "-"), "-")
	for _, l := range Languages() {
		if string(l) == base {
			return l
		}
	}
	return English
}

// Use makes every T and N answer in the language chosen (System resolved
// against the system's locale), and sets the locale that numbers, money and
// dates are written in: the system's own when it speaks that language
// (en-GB stays British), else the language's home (en-US, sv-SE). Call it
// before building widgets; widgets built earlier keep their words.
func Use(choice Language) error {
	system := lang.SystemLocale()
	l := Resolve(choice, system)
	msgs, err := Messages(l)
	if err != nil {
		return err
	}
	mu.Lock()
	defer mu.Unlock()
	if err := register(msgs); err != nil {
		return err
	}
	state.lang = l
	state.locale = formatLocale(l, system)
	return nil
}

// UseMessages registers msgs (key → string or plural forms) as the
// catalog for every language tag, with locale for formatting. Tests use it
// for a pseudo-locale that marks every message.
func UseMessages(msgs map[string]any, locale string) error {
	mu.Lock()
	defer mu.Unlock()
	if err := register(msgs); err != nil {
		return err
	}
	state.lang, state.locale = English, locale
	return nil
}

func register(msgs map[string]any) error {
	data, err := json.Marshal(msgs)
	if err != nil {
		return err
	}
	for _, tag := range fyneTags {
		if err := lang.AddTranslationsForLocale(data, fyne.Locale(tag)); err != nil {
			return fmt.Errorf("i18n: registering messages for %s: %w", tag, err)
		}
	}
	return nil
}

// Current is the language Use last applied.
func Current() Language {
	mu.RLock()
	defer mu.RUnlock()
	return state.lang
}

// FormatLocale is the BCP 47 locale (such as "sv-SE") that numbers, money
// and dates are written in.
func FormatLocale() string {
	mu.RLock()
	defer mu.RUnlock()
	if state.locale == "" {
		return "en-US"
	}
	return state.locale
}

// homeLocale is where a language is written when the system speaks another.
var homeLocale = map[Language]string{English: "en-US", Swedish: "sv-SE"}

func formatLocale(l Language, system fyne.Locale) string {
	s := strings.ReplaceAll(string(system), "_", "-")
	base, region, _ := strings.Cut(s, "-")
	if strings.EqualFold(base, string(l)) && region != "" {
		region, _, _ = strings.Cut(region, "-")
		return string(l) + "-" + strings.ToUpper(region)
	}
	return homeLocale[l]
}

// Messages reads every translations/*.l.json file into one map. A key in
// two files is an error, so an area can't silently override another.
func Messages(l Language) (map[string]any, error) {
	names, err := fs.Glob(files, "translations/*."+string(l)+".json")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("i18n: no catalog for language %q", l)
	}
	slices.Sort(names)
	out := map[string]any{}
	from := map[string]string{}
	for _, name := range names {
		data, err := files.ReadFile(name)
		if err != nil {
			return nil, err
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", path.Base(name), err)
		}
		for k, v := range m {
			if other, dup := from[k]; dup {
				return nil, fmt.Errorf("i18n: key %q is in both %s and %s", k, other, path.Base(name))
			}
			from[k] = path.Base(name)
			out[k] = v
		}
	}
	return out, nil
}

// Keys are the catalog's keys in l, sorted.
func Keys(l Language) ([]string, error) {
	m, err := Messages(l)
	if err != nil {
		return nil, err
	}
	return slices.Sorted(maps.Keys(m)), nil
}
