package ui

import (
	"context"
	"errors"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/ui/i18n"
)

// DatabaseChecker reads the whole local database to check it is sound
// (store.DB): Check returns an error of kind domain.KindDBDamaged naming
// the file when it is not; SizeBytes is the file's size, for the message.
type DatabaseChecker interface {
	Check(ctx context.Context) error
	SizeBytes() int64
}

// CheckDatabase checks the database in the background, saying so in the
// message area; the pages stay usable meanwhile. afterCrash words it as
// the check an unclean shutdown calls for. When the file is sound it says
// so and runs then (nil: nothing); when it is damaged the window shows the
// start-up error instead of the pages, as if it had been found at start,
// and then never runs. It must be called on the UI goroutine.
func (u *UI) CheckDatabase(afterCrash bool, then func()) {
	db := u.p.Database
	if db == nil || u.p.StartupError != nil {
		return
	}
	size := formatter().Bytes(db.SizeBytes())
	key := "database.checking"
	if afterCrash {
		key = "database.checking_after_crash"
	}
	u.Say(bannerInfo, plain(i18n.T(key, i18n.Args{"size": size})))
	var err error
	var took time.Duration
	u.Background(func() {
		start := time.Now()
		err = db.Check(context.Background())
		took = time.Since(start)
	}, func() {
		switch {
		case errors.Is(err, domain.KindDBDamaged):
			u.p.StartupError = err
			u.ClearMessage()
			u.showStartupError(err)
		case err != nil:
			u.ShowError(err)
		default:
			u.Say(bannerSuccess, plain(i18n.T("database.sound", i18n.Args{"size": size,
				"seconds": formatter().Decimal(took.Seconds(), 1)})))
			if then != nil {
				then()
			}
		}
	})
}
