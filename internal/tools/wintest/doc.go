// Package wintest runs Ledgerline's Windows build under Wine, here on Linux:
// the command line, the keychain (Wine's Credential Manager), a sync against
// the Linux stripe-sandbox, the sync lock across processes, cmd.exe, the
// window under Xvfb and the NSIS installer. Its tests are the suite behind
// `make test-windows`; they run only with LEDGERLINE_WINE_TESTS=1 and the
// built programs named in the WINTEST_* variables (see the Makefile), and are
// skipped otherwise, like the other suites that need outside programs.
//
// Each run makes a throwaway Wine prefix whose Windows user is "Ölands
// Bageri" (Swedish letters and a space in every AppData path) and puts in its
// system32 a test-only bcryptprimitives.dll built here with mingw-w64 from
// testdata/processprng.c: Go 1.24+ programs call ProcessPrng from it at start,
// Windows 10 and later have it, Wine 8.0 does not. It is never shipped.
package wintest
