package localefmt_test

import (
	"fmt"
	"time"

	"github.com/ledgerline/ledgerline/internal/localefmt"
)

func Example() {
	t := time.Date(2026, 12, 7, 15, 4, 0, 0, time.UTC)
	for _, locale := range []string{"sv-SE", "en-US"} {
		f := localefmt.New(locale, localefmt.InZone(time.UTC))
		// %q shows CLDR's U+00A0 and U+202F spaces.
		fmt.Printf("%q %q %q %q\n", f.Money(123450, "sek"), f.Percent(0.123, 1), f.DateTime(t), f.MonthYear(t))
	}
	// Output:
	// "1\u00a0234,50\u00a0kr" "12,3\u00a0%" "7 dec. 2026 15:04" "dec. 2026"
	// "SEK\u00a01,234.50" "12.3%" "Dec 7, 2026, 3:04\u202fPM" "Dec 2026"
}
