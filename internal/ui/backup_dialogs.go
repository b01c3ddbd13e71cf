package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/backups"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// BackupService makes backups of the database: now, to a file the owner
// picks (store.DB's Backup), and automatically (internal/backups).
type BackupService interface {
	Backup(ctx context.Context, dst string, progress func(done, total int)) error
	SetAutomatic(backups.Settings)
}

// Preference keys of the automatic backups: a folder ("" is off) and how
// many to keep. A path and a number, never data.
const (
	prefBackupFolder = "backupFolder"
	prefBackupKeep   = "backupKeep"
)

// backupKeepChoices are the counts Automatic Backups… offers.
var backupKeepChoices = []int{3, 7, 14, 30}

// applyBackupPrefs hands the saved automatic-backup settings to the
// service; New calls it once.
func (u *UI) applyBackupPrefs() {
	if u.p.Backups == nil {
		return
	}
	prefs := u.p.App.Preferences()
	u.p.Backups.SetAutomatic(backups.Settings{Folder: prefs.String(prefBackupFolder),
		Keep: prefs.IntWithFallback(prefBackupKeep, backups.DefaultKeep)})
}

// backupFileName is the name Back Up the Database… suggests, ASCII with an
// ISO date like the CSV exports'.
func backupFileName(now time.Time) string {
	return fmt.Sprintf("ledgerline-backup-%s.db", now.Format(time.DateOnly))
}

// chooseBackupFile asks where to write a backup, then makes it in the
// background with its progress in the message area.
func (u *UI) chooseBackupFile() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			u.ShowError(err)
			return
		}
		if w == nil {
			return // canceled
		}
		path := w.URI().Path()
		w.Close() // the backup writes beside it and renames over it
		u.backUpTo(path)
	}, u.win)
	d.SetFileName(backupFileName(u.Now()))
	d.SetFilter(storage.NewExtensionFileFilter([]string{".db"}))
	d.Show()
	d.Resize(fyne.NewSize(860, 560))
}

// backUpTo writes a backup to path in the background. Progress reaches the
// message area at most every 200 ms.
func (u *UI) backUpTo(path string) {
	name := filepath.Base(path)
	u.Say(bannerInfo, withBoldName("backup.running", name, i18n.Args{"Percent": formatter().Percent(0, 0)})...)
	var mu sync.Mutex
	var last time.Time
	progress := func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		if time.Since(last) < 200*time.Millisecond || total == 0 {
			return
		}
		last = time.Now()
		share := float64(done) / float64(total)
		u.OnUI(func() {
			u.Say(bannerInfo, withBoldName("backup.running", name, i18n.Args{"Percent": formatter().Percent(share, 0)})...)
		})
	}
	var err error
	var took time.Duration
	u.Background(func() {
		start := time.Now()
		err = u.p.Backups.Backup(context.Background(), path, progress)
		took = time.Since(start)
	}, func() {
		if err != nil {
			u.ShowError(err)
			return
		}
		u.Say(bannerSuccess, withBoldName("backup.done", name, i18n.Args{"Seconds": formatter().Decimal(took.Seconds(), 1)})...)
	})
}

// showAutomaticBackups is File › Automatic Backups…: on or off, the
// folder, how many to keep, and what a backup holds.
func (u *UI) showAutomaticBackups() {
	prefs := u.p.App.Preferences()
	folder := prefs.String(prefBackupFolder)
	keep := prefs.IntWithFallback(prefBackupKeep, backups.DefaultKeep)

	folderLabel := widget.NewLabel("")
	folderLabel.Wrapping = fyne.TextWrapBreak
	var on *widget.Check
	choose := widget.NewButton(i18n.T("backup.auto.choose"), nil)
	show := func() {
		if folder == "" {
			folderLabel.SetText(i18n.T("backup.auto.no_folder"))
		} else {
			folderLabel.SetText(folder)
		}
	}
	on = widget.NewCheck(i18n.T("backup.auto.on"), func(checked bool) {
		if checked && folder == "" {
			choose.OnTapped()
		}
	})
	on.SetChecked(folder != "")
	choose.OnTapped = func() {
		fd := dialog.NewFolderOpen(func(l fyne.ListableURI, err error) {
			if err != nil || l == nil {
				if folder == "" {
					on.SetChecked(false)
				}
				return
			}
			folder = l.Path()
			show()
			on.SetChecked(true)
		}, u.win)
		fd.Show()
		fd.Resize(fyne.NewSize(860, 560))
	}
	show()
	var options []string
	for _, n := range backupKeepChoices {
		options = append(options, strconv.Itoa(n))
	}
	keepSelect := widget.NewSelect(options, nil)
	keepSelect.SetSelected(strconv.Itoa(keep))
	if keepSelect.Selected == "" {
		keepSelect.SetSelected(strconv.Itoa(backups.DefaultKeep))
	}
	holds := widget.NewLabel(i18n.T("backup.auto.holds"))
	holds.Wrapping = fyne.TextWrapWord
	form := container.NewVBox(on,
		widget.NewForm(
			widget.NewFormItem(i18n.T("backup.auto.folder"), container.NewBorder(nil, nil, nil, choose, folderLabel)),
			widget.NewFormItem(i18n.T("backup.auto.keep"), keepSelect)),
		holds)
	d := dialog.NewCustomConfirm(i18n.T("backup.auto.title"), i18n.T("backup.auto.save"), i18n.T("backup.auto.cancel"), form,
		func(save bool) {
			if !save {
				return
			}
			if !on.Checked {
				folder = ""
			}
			n, _ := strconv.Atoi(keepSelect.Selected)
			prefs.SetString(prefBackupFolder, folder)
			prefs.SetInt(prefBackupKeep, n)
			u.applyBackupPrefs()
		}, u.win)
	d.Resize(fyne.NewSize(620, 360))
	d.Show()
	u.backupDialog = d
}

// AutomaticBackupDone reports an automatic backup: silently when it
// worked (one a day needs no applause), in the message area when it
// failed. Call it on the UI goroutine.
func (u *UI) AutomaticBackupDone(r backups.Result, err error) {
	if err != nil {
		u.Say(bannerError, plain(i18n.T("backup.auto.failed", i18n.Args{"Reason": errorText(err)})))
	}
}
