package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// .ci/builtin-broker.sh is how `make package BROKER_URL=…` builds the
// broker's address into the app; it edits a staged copy of this package.
func TestBuiltInBrokerScript(t *testing.T) {
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	stage := func() (string, string) {
		dir := t.TempDir()
		main := filepath.Join(dir, "cmd", "ledgerline", "main.go")
		if err := os.MkdirAll(filepath.Dir(main), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(main, src, 0o644); err != nil {
			t.Fatal(err)
		}
		return dir, main
	}
	script, _ := filepath.Abs("../../.ci/builtin-broker.sh")

	dir, main := stage()
	if out, err := exec.Command(script, dir, "https://broker.ledgerline.example/").CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	got, _ := os.ReadFile(main)
	if !strings.Contains(string(got), "\nvar brokerURL = \"https://broker.ledgerline.example\"\n") || strings.Contains(string(got), "var brokerURL string") {
		t.Fatalf("the staged main.go was not filled in:\n%s", got)
	}
	for _, bad := range []string{"http://broker.example.com", "https://user@broker.example.com", "https://broker.example.com/?x=1", `https://a.example/"; panic("`} {
		dir, main := stage()
		if err := exec.Command(script, dir, bad).Run(); err == nil {
			t.Errorf("accepted %q", bad)
		}
		if after, _ := os.ReadFile(main); string(after) != string(src) {
			t.Errorf("%q changed the file", bad)
		}
	}
}
