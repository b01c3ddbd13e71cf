package ui

import (
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/layout"
)

// modifierName is how the platform names the shortcut key.
func modifierName() string {
	if runtime.GOOS == "darwin" {
		return "Cmd"
	}
	return "Ctrl"
}

func layoutForm() fyne.Layout { return layout.NewFormLayout() }
