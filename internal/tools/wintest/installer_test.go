package wintest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const uninstallKey = `HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\Ledgerline`

// TestInstaller installs Ledgerline-Setup.exe silently as the user (no
// administrator), runs the installed program, installs again over it
// (upgrade in place), then uninstalls silently: the program, its Start menu
// entry and its Settings › Apps entry go, the user's data stays; with
// /DELETEDATA the data goes too.
func TestInstaller(t *testing.T) {
	needWine(t)
	ctx := ctxFor(t, 5*time.Minute)
	installDir := filepath.Join(prefix.LocalAppData(), "Programs", "Ledgerline")
	installed := filepath.Join(installDir, "Ledgerline.exe")
	uninstaller := filepath.Join(installDir, "Uninstall.exe")
	shortcut := filepath.Join(prefix.AppData(), "Microsoft", "Windows", "Start Menu", "Programs", "Ledgerline.lnk")
	dataDir := filepath.Join(prefix.AppData(), "Ledgerline")

	install := func() {
		t.Helper()
		if r, err := prefix.Run(ctx, setupPath, nil, "/S"); err != nil || r.Code != 0 {
			t.Fatalf("Ledgerline-Setup.exe /S: exit %d, %v: %s", r.Code, err, r.Stderr)
		}
		if err := prefix.Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	uninstall := func(args ...string) {
		t.Helper()
		// The uninstaller copies itself to %TEMP% and runs from there, so
		// the prefix is waited for, not just the process.
		if r, err := prefix.Run(ctx, prefix.WinPath(uninstaller), nil, append([]string{"/S"}, args...)...); err != nil || r.Code != 0 {
			t.Fatalf("Uninstall.exe /S: exit %d, %v: %s", r.Code, err, r.Stderr)
		}
		if err := prefix.Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}

	install()
	want, err := os.ReadFile(exePath)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(installed)
	if err != nil {
		t.Fatalf("nothing installed in %%LOCALAPPDATA%%\\Programs\\Ledgerline: %v", err)
	}
	if string(got) != string(want) {
		t.Error("the installed Ledgerline.exe is not the built one")
	}
	if _, err := os.Stat(shortcut); err != nil {
		t.Errorf("no Start menu entry: %v", err)
	}
	reg, ok, err := prefix.RegQuery(ctx, uninstallKey)
	if err != nil || !ok {
		t.Fatalf("no uninstall entry %s: %v", uninstallKey, err)
	}
	for _, v := range []string{"DisplayName", "DisplayVersion", "Publisher", "DisplayIcon", "UninstallString", "QuietUninstallString", "InstallLocation"} {
		if !strings.Contains(reg, v) {
			t.Errorf("the uninstall entry lacks %s:\n%s", v, reg)
		}
	}
	// reg prints in the console's code page, not UTF-8, so the user's name
	// (Ö) comes out mangled: the path is checked from AppData on.
	if !strings.Contains(reg, `AppData\Local\Programs\Ledgerline\Uninstall.exe" /S`) {
		t.Errorf("the uninstall entry does not name the installed uninstaller:\n%s", reg)
	}

	// The installed program runs, and makes the user's data folder.
	r, err := prefix.Run(ctx, prefix.WinPath(installed), nil, "connections", "--json")
	if err != nil || r.Code != 0 {
		t.Fatalf("the installed Ledgerline.exe connections --json: exit %d, %v: %s", r.Code, err, r.Stderr)
	}
	var cs []connection
	if err := json.Unmarshal([]byte(r.Stdout), &cs); err != nil {
		t.Fatalf("the installed program printed %q: %v", r.Stdout, err)
	}
	if _, err := os.Stat(filepath.Join(dataDir, "ledgerline.db")); err != nil {
		t.Fatal(err)
	}

	// The installed program connects a sandbox store and syncs it, in a
	// data folder of its own (the other tests use the default one).
	t.Run("the installed program connects a store and syncs it", func(t *testing.T) {
		sb, err := StartSandbox(sandboxPath, "--scale", "2000", "--seed", "21")
		if err != nil {
			t.Fatal(err)
		}
		defer sb.Stop()
		own := filepath.Join(prefix.UserDir(), "Documents", "Ledgerline installerad")
		if err := os.RemoveAll(own); err != nil { // a prefix kept from an earlier run
			t.Fatal(err)
		}
		args := []string{"--data-dir", prefix.WinPath(own), "--stripe-api-base=" + sb.BaseURL}
		if r, err := prefix.Run(ctx, prefix.WinPath(installed), strings.NewReader(sb.APIKey+"\n"),
			append(args, "connect", "stripe", "--api-key-stdin")...); err != nil || r.Code != 0 {
			t.Fatalf("installed connect: exit %d, %v: %s%s", r.Code, err, r.Stdout, r.Stderr)
		}
		if r, err := prefix.Run(ctx, prefix.WinPath(installed), nil, append(args, "sync")...); err != nil || r.Code != 0 {
			t.Fatalf("installed sync: exit %d, %v: %s%s", r.Code, err, r.Stdout, r.Stderr)
		}
		r, err := prefix.Run(ctx, prefix.WinPath(installed), nil, append(args, "connections", "--json")...)
		var cs []connection
		if err != nil || r.Code != 0 || json.Unmarshal([]byte(r.Stdout), &cs) != nil || len(cs) != 1 {
			t.Fatalf("installed connections: exit %d, %v: %s", r.Code, err, r.Stdout)
		}
		truth, err := sb.Truth()
		if err != nil {
			t.Fatal(err)
		}
		got := counts(t, ctx, own, cs[0].ID)
		for typ, want := range truth {
			if typ == "payout_links" {
				continue
			}
			if g := got[typ]; g.Live != want.Live || g.Deleted != want.Deleted {
				t.Errorf("%s: %d live, %d deleted; the sandbox has %d, %d", typ, g.Live, g.Deleted, want.Live, want.Deleted)
			}
		}
		if truth["charges"].Live == 0 {
			t.Error("the sandbox has no charges: nothing was checked")
		}
	})

	// The installed program's window, on the store it just synced.
	t.Run("the installed program shows its window", func(t *testing.T) {
		x, err := StartXvfb()
		if err != nil {
			t.Fatal(err)
		}
		defer x.Stop()
		own := filepath.Join(prefix.UserDir(), "Documents", "Ledgerline installerad")
		look := []string{"DISPLAY=" + x.Display, "FYNE_SCALE=1", "FYNE_THEME=light"}
		shot, win := shoot(t, ctx, x, prefix.Wine(ctx, prefix.WinPath(installed), look, "--data-dir", prefix.WinPath(own)))
		if out := os.Getenv("WINTEST_OUT"); out != "" {
			save(t, filepath.Join(out, "window-installed.png"), shot)
		}
		st := PictureStats(shot)
		if win.Title != "Ledgerline" || st.Colours < minColours || st.CommonestPart > maxCommonest {
			t.Errorf("the installed program's window %q: %d colours, commonest %.1f%%", win.Title, st.Colours, 100*st.CommonestPart)
		}
	})

	// Upgrade in place: a second install replaces the program in the same
	// folder and keeps one entry.
	marker := filepath.Join(installDir, "Ledgerline.exe")
	if err := os.WriteFile(marker, []byte("an older version"), 0o755); err != nil {
		t.Fatal(err)
	}
	install()
	if got, _ := os.ReadFile(installed); string(got) != string(want) {
		t.Error("installing again did not replace the program in place")
	}

	uninstall()
	for _, gone := range []string{installed, uninstaller, shortcut, installDir} {
		if _, err := os.Stat(gone); !os.IsNotExist(err) {
			t.Errorf("%s remains after uninstalling (%v)", gone, err)
		}
	}
	if _, ok, err := prefix.RegQuery(ctx, uninstallKey); err != nil || ok {
		t.Errorf("the uninstall entry remains (%v)", err)
	}
	if _, err := os.Stat(filepath.Join(dataDir, "ledgerline.db")); err != nil {
		t.Errorf("uninstalling removed the user's data: %v", err)
	}

	install()
	uninstall("/DELETEDATA")
	if _, err := os.Stat(dataDir); !os.IsNotExist(err) {
		t.Errorf("Uninstall.exe /S /DELETEDATA kept %s (%v)", dataDir, err)
	}
	if _, err := os.Stat(installDir); !os.IsNotExist(err) {
		t.Errorf("%s remains after the second uninstall (%v)", installDir, err)
	}
}
