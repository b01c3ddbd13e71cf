package localefmt

import "testing"

func TestNumbers(t *testing.T) {
	type want struct{ sv, enUS, enGB, de string }
	cases := []struct {
		name string
		got  func(*Formatter) string
		want want
	}{
		{"a number with grouping", func(f *Formatter) string { return f.Number(1234567) },
			want{"1" + nbsp + "234" + nbsp + "567", "1,234,567", "1,234,567", "1.234.567"}},
		{"a negative number", func(f *Formatter) string { return f.Number(-1234) },
			want{minus + "1" + nbsp + "234", "-1,234", "-1,234", "-1.234"}},
		{"a small number has no separator", func(f *Formatter) string { return f.Number(999) },
			want{"999", "999", "999", "999"}},
		{"a decimal rounded to two digits", func(f *Formatter) string { return f.Decimal(1234.5678, 2) },
			want{"1" + nbsp + "234,57", "1,234.57", "1,234.57", "1.234,57"}},
		{"a decimal keeps trailing zeros", func(f *Formatter) string { return f.Decimal(2.5, 2) },
			want{"2,50", "2.50", "2.50", "2,50"}},
		{"a percentage with one digit", func(f *Formatter) string { return f.Percent(0.123, 1) },
			want{"12,3" + nbsp + "%", "12.3%", "12.3%", "12,3" + nbsp + "%"}},
		{"a negative whole percentage", func(f *Formatter) string { return f.Percent(-0.5, 0) },
			want{minus + "50" + nbsp + "%", "-50%", "-50%", "-50" + nbsp + "%"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for locale, want := range map[string]string{"sv-SE": c.want.sv, "en-US": c.want.enUS, "en-GB": c.want.enGB, "de-DE": c.want.de} {
				if got := c.got(New(locale)); got != want {
					t.Errorf("%s: got %q, want %q", locale, got, want)
				}
			}
		})
	}
}
