package ui

import (
	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/syncer"
)

// TEMPORARY until the error kinds land: these show the lower layers' text.

func errorText(err error) string { return err.Error() }

func statusDetailText(c domain.Connection) string { return c.StatusDetail }

func syncErrorText(p syncer.Progress) string { return p.Err }
