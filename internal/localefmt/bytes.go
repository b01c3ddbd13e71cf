package localefmt

// Bytes writes a size in decimal units (kB, MB, GB, TB: powers of 1000, as
// disks and file managers count) with one decimal from MB up, in the
// locale's digits: 1_430_000_000 is en-US "1.4 GB", sv-SE "1,4 GB" (the
// space U+00A0). The unit symbols are the SI ones, the same in every
// language CLDR lists for these two.
func (f *Formatter) Bytes(n int64) string {
	const nbsp = "\u00a0"
	switch {
	case n < 1000:
		return f.Number(n) + nbsp + "B"
	case n < 1000_000:
		return f.Decimal(float64(n)/1e3, 0) + nbsp + "kB"
	case n < 1000_000_000:
		return f.Decimal(float64(n)/1e6, 1) + nbsp + "MB"
	case n < 1000_000_000_000:
		return f.Decimal(float64(n)/1e9, 1) + nbsp + "GB"
	}
	return f.Decimal(float64(n)/1e12, 1) + nbsp + "TB"
}
