//go:build windows

package main

import (
	"os"

	"golang.org/x/sys/windows"
)

// attachParentConsole lets the Windows build, a windowed (GUI-subsystem)
// program, print to the console it was started from: `ledgerline
// connections` in cmd.exe or PowerShell shows its output. Streams already
// redirected to a file or a pipe are kept; started from Explorer there is
// no console, and nothing changes.
func attachParentConsole() {
	const attachParentProcess = ^uintptr(0) // ATTACH_PARENT_PROCESS, (DWORD)-1
	attach := windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")
	if r, _, _ := attach.Call(attachParentProcess); r == 0 {
		return
	}
	reopen := func(f **os.File, std uint32, name string, flag int) {
		if h, err := windows.GetStdHandle(std); err == nil && h != 0 && h != windows.InvalidHandle {
			return // redirected: keep it
		}
		if nf, err := os.OpenFile(name, flag, 0); err == nil {
			*f = nf
		}
	}
	reopen(&os.Stdout, windows.STD_OUTPUT_HANDLE, "CONOUT$", os.O_WRONLY)
	reopen(&os.Stderr, windows.STD_ERROR_HANDLE, "CONOUT$", os.O_WRONLY)
	reopen(&os.Stdin, windows.STD_INPUT_HANDLE, "CONIN$", os.O_RDONLY)
}
