// Package localefmt writes money, numbers, percentages and dates the way a
// locale writes them, from Unicode CLDR data kept by libraries (never from
// rules written here):
//
//   - money: github.com/bojanz/currency (CLDR symbols, patterns and digits);
//   - numbers and percentages: golang.org/x/text/message and number;
//   - month and weekday names and date/time patterns: a table generated from
//     CLDR's JSON data (cldr_dates.go, see internal/cldrgen), read by a small
//     interpreter of CLDR's pattern letters (UTS #35, dates.go).
//
// Spaces are CLDR's: U+00A0 (no-break space) in "1 234,50 kr" and U+202F
// (narrow no-break space) in "3:04 PM"; callers must not replace them.
//
// A Formatter is immutable and safe for concurrent use. It imports no UI
// toolkit: the window asks it for strings.
package localefmt

import (
	"time"

	"github.com/bojanz/currency"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Fallback is the locale used for a tag that can't be parsed or whose
// language the date table does not have.
const Fallback = "en-US"

// Formatter writes values for one locale and one time zone.
type Formatter struct {
	locale string // BCP 47 as used, e.g. "sv-SE"
	money  *currency.Formatter
	num    *message.Printer
	cal    *calendar
	zone   *time.Location // nil: time.Local at the moment of formatting
}

// Option changes a Formatter made by New.
type Option func(*Formatter)

// InZone shows times in loc instead of the computer's zone (time.Local).
// Tests use it to be deterministic; nil keeps time.Local.
func InZone(loc *time.Location) Option {
	return func(f *Formatter) { f.zone = loc }
}

// New returns a Formatter for a BCP 47 locale such as "sv-SE", "en-US",
// "en-GB" or "de-DE" ("sv_SE" is accepted too). A locale that can't be
// parsed, or whose language has no calendar data here (see Supported), gets
// Fallback, so every formatter writes money, numbers and dates in one
// language. Dates use the nearest locale in the table (en-JM → en-GB, the
// nearest English, for instance); money and numbers use the locale as
// given, which the libraries know in full.
func New(locale string, opts ...Option) *Formatter {
	tag, key := match(locale)
	f := &Formatter{
		locale: tag.String(),
		money:  currency.NewFormatter(currency.NewLocale(tag.String())),
		num:    message.NewPrinter(tag),
		cal:    calendars[key],
	}
	for _, o := range opts {
		o(f)
	}
	return f
}

// Locale is the BCP 47 tag the formatter writes for (Fallback when the one
// asked for was unknown).
func (f *Formatter) Locale() string { return f.locale }

// Supported lists the locales with their own calendar data, for tests and
// for a language menu; any region of their languages is accepted by New.
func Supported() []string {
	out := make([]string, len(tableTags))
	for i, t := range tableTags {
		out[i] = t.String()
	}
	return out
}

// tableTags are the calendar table's locales, Fallback's first so that the
// matcher's default is English.
var tableTags, matcher = func() ([]language.Tag, language.Matcher) {
	tags := []language.Tag{language.MustParse("en")}
	for k := range calendars {
		if k != "en" {
			tags = append(tags, language.MustParse(k))
		}
	}
	sortTags(tags[1:])
	return tags, language.NewMatcher(tags)
}()

// match parses locale and finds its calendar; unknown → Fallback.
func match(locale string) (language.Tag, string) {
	fallback := language.MustParse(Fallback)
	tag, err := language.Parse(normalize(locale))
	if err != nil || locale == "" {
		return fallback, "en"
	}
	_, i, conf := matcher.Match(tag)
	if conf == language.No {
		return fallback, "en"
	}
	// Keep what the libraries use (language, script, region); drop
	// extensions such as -u-rg-… that they would read differently.
	base, script, region := tag.Raw()
	tag, err = language.Compose(base, script, region)
	if err != nil {
		return fallback, "en"
	}
	if region.String() == "ZZ" && base.String() == "en" {
		// Plain "en" means American English, as in CLDR.
		tag = fallback
	}
	return tag, tableTags[i].String()
}
