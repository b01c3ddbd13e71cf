package localefmt

import "testing"

func TestBytes(t *testing.T) {
	en, sv := New("en-US"), New("sv-SE")
	for _, c := range []struct {
		n      int64
		en, sv string
	}{
		{0, "0\u00a0B", "0\u00a0B"},
		{999, "999\u00a0B", "999\u00a0B"},
		{1500, "2\u00a0kB", "2\u00a0kB"},
		{2_500_000, "2.5\u00a0MB", "2,5\u00a0MB"},
		{1_430_000_000, "1.4\u00a0GB", "1,4\u00a0GB"},
		{5_100_000_000_000, "5.1\u00a0TB", "5,1\u00a0TB"},
	} {
		if got := en.Bytes(c.n); got != c.en {
			t.Errorf("en-US Bytes(%d) = %q, want %q", c.n, got, c.en)
		}
		if got := sv.Bytes(c.n); got != c.sv {
			t.Errorf("sv-SE Bytes(%d) = %q, want %q", c.n, got, c.sv)
		}
	}
}
