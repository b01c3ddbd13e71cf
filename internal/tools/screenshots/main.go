// Command screenshots takes the README's pictures of the real Ledgerline
// window. It runs the built app under Xvfb, inside a private D-Bus session
// with a throwaway, unlocked GNOME Keyring, in sandbox mode on a data folder
// it seeds first with the real command line (one account connected through
// the sandbox's sign-in page, one with its restricted key, both synced).
// Then it drives the window with xdotool, one shot at a time, and saves each
// as a PNG cropped to the window. Run it through `make screenshots`:
//
//	go run ./internal/tools/screenshots -bin bin/ledgerline -out docs/screenshots
//
// It needs Xvfb, dbus-run-session, gnome-keyring-daemon, xdotool, xwd and
// xwdtopnm (netpbm) on PATH, and leaves no process behind.
//
// When the layout changes, retune the coordinates in shots below: they are
// window pixels (FYNE_SCALE=1, so the 1100×700 window is 1100×700 pixels)
// measured from the window's top-left corner, as in the saved pictures.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"
)

// shots are the pictures, taken in this order; each starts where the
// previous one left the window. Steps run, the window settles (stops
// changing, at most settleMax), and the window is saved as Name.png.
var shots = []shot{
	{
		Name: "connections",
		Desc: "Connections: the Data Sources table with the two seeded accounts",
		// The window opens on Connections; the first status check lands.
		Steps: []step{pause(2 * time.Second)},
	},
	{
		Name:  "add-source",
		Desc:  "Add a Data Source: one tile per source, Stripe first",
		Steps: []step{click(1008, 106, "Add a Data Source")},
	},
	{
		Name:  "stripe",
		Desc:  "Stripe authorization: the read-only access asked for, Connect with Stripe",
		Steps: []step{click(103, 229, "the Stripe tile")},
	},
	{
		Name: "connection",
		Desc: "A connection's page on its Overview tab: figures per currency and revenue by month",
		Steps: []step{
			click(59, 53, "the Connections breadcrumb"),
			pause(time.Second),
			click(100, 181, "the first row (Lantern Light Candles)"),
			pause(2 * time.Second), // the overview is computed in the background
		},
	},
	// The tabs are chosen with their shortcuts (Ctrl+2 …), which reach
	// them whatever their titles' widths in the language.
	{
		Name:  "money",
		Desc:  "The Net and fees tab: what the store kept last month, each figure against the month before",
		Steps: []step{key("ctrl+2"), pause(2 * time.Second)},
	},
	{
		Name: "money-months",
		Desc: "The Net and fees tab scrolled to gross against net by month, the pointer on a month",
		Steps: []step{scroll(550, 450, 6, "the Net and fees tab"), pause(2 * time.Second),
			hover(750, 420, "a month of the gross and net chart"), pause(time.Second), hover(760, 420, "the same month")},
	},
	{
		Name: "payouts",
		Desc: "The Payouts tab: the last 30 days' payouts, each marked reconciled or not, and the transactions one paid out",
		// The pointer leaves the chart it was on for the sandbox's note.
		Steps: []step{
			hover(1050, 680, "the sandbox's note"),
			key("ctrl+3"),
			pause(2 * time.Second),
			click(300, 300, "the payouts' first row"),
			pause(2 * time.Second), // its transactions are read in the background
		},
	},
	{
		Name:  "recurring",
		Desc:  "The Recurring revenue tab: MRR, ARR, subscribers, churn and MRR by month with its movements",
		Steps: []step{key("ctrl+4"), pause(3 * time.Second)},
	},
	{
		Name: "recurring-charts",
		Desc: "The Recurring revenue tab scrolled to MRR's movements by month, the pointer on a month",
		Steps: []step{scroll(550, 450, 22, "the Recurring revenue tab"), pause(2 * time.Second),
			hover(640, 400, "a month of the movements chart"), pause(time.Second), hover(650, 400, "the same month")},
	},
	{
		Name: "at-risk",
		Desc: "The At risk tab: failed payments not recovered, past-due subscriptions, overdue invoices, open disputes",
		// The pointer leaves the chart it was on for the sandbox's note.
		Steps: []step{hover(1050, 680, "the sandbox's note"), key("ctrl+5"), pause(2 * time.Second)},
	},
	{
		Name:  "payments",
		Desc:  "The Payments tab: charges newest first, with search, filters and Export CSV…",
		Steps: []step{key("ctrl+6"), pause(2 * time.Second)},
	},
}

// seeding says which sandbox accounts the data folder gets: oauthAccount
// through the sign-in page (a store's name, as a person would pick it),
// keyAccount with its restricted key (the table's "Stripe · key" row).
const (
	oauthAccount = "Lantern Light Candles"
	keyAccount   = "Summit Climbing Gear"
)

// Timing: how long to wait for the window, for a shot to settle, and for
// the seeding sync.
const (
	windowTimeout = 60 * time.Second
	settleMax     = 10 * time.Second
	settleEvery   = 400 * time.Millisecond
	syncTimeout   = 5 * time.Minute
)

// Screen is Xvfb's screen; the window is windowW×windowH (internal/ui).
const (
	screenSpec = "1280x800x24"
	windowW    = 1100
	windowH    = 700
)

func main() {
	bin := flag.String("bin", "bin/ledgerline", "the built ledgerline program")
	out := flag.String("out", "docs/screenshots", "folder to write the PNGs to")
	keep := flag.Bool("keep", false, "keep the throwaway folders (data, keyring, logs) and print where they are")
	locale := flag.String("locale", "en_US.UTF-8", "the system locale the app starts in (LANG): sv_SE.UTF-8 takes the Swedish set")
	flag.Parse()
	cfg := config{bin: *bin, out: *out, keep: *keep, locale: *locale}
	var err error
	if dir := os.Getenv(innerEnv); dir != "" {
		err = runInner(cfg, dir)
	} else {
		err = runOuter(cfg)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "screenshots:", err)
		os.Exit(1)
	}
}

// config is the command line.
type config struct {
	bin, out string
	keep     bool
	// locale is the app's LANG: the window follows the system's language
	// (and its region's formats), as it does for a person.
	locale string
}
