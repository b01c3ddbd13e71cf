package i18n

import (
	"fyne.io/fyne/v2/lang"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Args are a message's template values: T("banner.connected",
// Args{"Name": c.Name}) fills {{.Name}}. Values are shown as given, so
// numbers, money and dates are formatted (by the locale) before they go in.
type Args = map[string]any

// T is the message key in the current language, its {{.Field}}s filled
// from args. A key missing from the catalog comes back as the key.
func T(key string, args ...Args) string {
	mu.RLock()
	defer mu.RUnlock()
	if len(args) > 0 {
		return lang.X(key, key, args[0])
	}
	return lang.X(key, key)
}

// N is the plural message key for count: its "one" or "other" form (as the
// language's plural rules choose), with {{.Count}} set to count written for
// the locale ("1,234", "1 234") unless args set Count themselves.
func N(key string, count int, args ...Args) string {
	data := Args{}
	if len(args) > 0 {
		for k, v := range args[0] {
			data[k] = v
		}
	}
	if _, ok := data["Count"]; !ok {
		data["Count"] = Count(count)
	}
	mu.RLock()
	defer mu.RUnlock()
	return lang.XN(key, key, count, data)
}

// Count is n written for the format locale, with its digit grouping.
func Count(n int) string {
	return message.NewPrinter(language.Make(FormatLocale())).Sprintf("%d", n)
}
