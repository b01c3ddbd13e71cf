//go:build !windows

package main

// attachParentConsole is needed only by the Windows build: elsewhere a
// program started from a terminal prints to it.
func attachParentConsole() {}
