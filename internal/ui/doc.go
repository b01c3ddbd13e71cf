// Package ui is Ledgerline's window, built with Fyne's own widgets and theme.
//
// It gets data and actions through the small interfaces in services.go and
// never talks to SQLite, the keychain or Stripe itself. Work that may block
// (a database read, a sign-in in the browser) runs on its own goroutine;
// its result reaches the widgets only through Params.RunOnUI, which is
// fyne.Do in the app and a queue that tests drain on their own goroutine.
package ui
