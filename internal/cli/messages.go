package cli

import (
	"errors"
	"github.com/dustin/go-humanize"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// The command line's own words: English (the convention for command-line
// tools), one sentence per error kind that says what happened and what to
// run next. Logic packages return kinds and facts; message turns any error
// into the one-line reason printed on standard error, and statusText words
// a connection's status reason for `ledgerline connections`.

// message is the one-line English reason for err, naming what the user can
// do. A classified error (one with a known kind anywhere in its chain) gets
// its kind's sentence with the facts filled in; the command line's own
// errors (usage, a file it could not read) keep their text.
func message(err error) string {
	if err == nil {
		return ""
	}
	if l, ok := err.(*labeled); ok {
		return l.label + ": " + message(l.err)
	}
	if parts, ok := labeledParts(err); ok {
		return strings.Join(parts, " ")
	}
	kind, facts := domain.KindOf(err)
	if !kind.Known() || kind == domain.KindUnknown && !errors.Is(err, domain.KindUnknown) {
		return oneLine(err.Error()) // the command line's own, or nobody's
	}
	return sentence(kind, facts)
}

// labeled is an error about one of several things (a connection among
// those a sync ran), which message words as "label: sentence".
type labeled struct {
	label string
	err   error
}

func (e *labeled) Error() string { return e.label + ": " + e.err.Error() }
func (e *labeled) Unwrap() error { return e.err }

// labeledParts words a joined error whose parts are labeled, one by one.
func labeledParts(err error) ([]string, bool) {
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return nil, false
	}
	var parts []string
	for _, e := range j.Unwrap() {
		if _, isLabeled := e.(*labeled); !isLabeled {
			return nil, false
		}
		parts = append(parts, message(e))
	}
	return parts, len(parts) > 0
}

// statusText is the sentence for why c's status is what it is, "" when
// there is nothing to say: `connections --json` prints it as status_detail.
func statusText(c domain.Connection) string {
	if c.StatusReason == "" {
		return ""
	}
	return sentence(c.StatusReason, c.StatusFacts)
}

// statusLabel is a status as `ledgerline connections` prints it.
func statusLabel(s domain.Status) string {
	switch s {
	case domain.StatusConnected:
		return "Connected"
	case domain.StatusNeedsReauth:
		return "Needs re-authentication"
	case domain.StatusError:
		return "Error"
	case domain.StatusDisconnected:
		return "Disconnected"
	}
	return string(s)
}

// sentence fills kind's message with facts.
func sentence(kind domain.Kind, facts domain.Facts) string {
	text, ok := messages[domain.MessageKey(kind, facts)]
	if !ok {
		text = messages[string(domain.KindUnknown)]
	}
	t, err := template.New("").Option("missingkey=zero").Parse(text)
	if err != nil {
		return text
	}
	var b strings.Builder
	if err := t.Execute(&b, messageArgs(facts)); err != nil {
		return text
	}
	return oneLine(b.String())
}

// messageArgs are facts as template values: every fact name present, waits,
// times, modes and counts written out.
func messageArgs(facts domain.Facts) map[string]string {
	args := map[string]string{}
	for _, name := range domain.FactNames() {
		args[name] = facts[name]
	}
	for _, name := range []string{domain.FactMode, domain.FactExpectedMode} {
		if v := facts[name]; v == "live" || v == "test" {
			args[name] = v + " mode"
		}
	}
	if d, err := time.ParseDuration(facts[domain.FactWait]); err == nil {
		args[domain.FactWait] = waitWords(d)
	}
	if t, err := time.Parse(time.RFC3339, facts[domain.FactCheckedAt]); err == nil {
		args[domain.FactCheckedAt] = t.Local().Format("15:04")
	}
	for _, name := range []string{domain.FactFreeBytes, domain.FactNeededBytes} {
		if n, err := strconv.ParseUint(facts[name], 10, 64); err == nil {
			args[name] = humanize.Bytes(n)
		}
	}
	return args
}

// waitWords writes 5m0s as "5 minutes" and 30s as "30 seconds".
func waitWords(d time.Duration) string {
	plural := func(n int64, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return strconv.FormatInt(n, 10) + " " + unit + "s"
	}
	switch {
	case d >= time.Minute && d%time.Minute == 0:
		return plural(int64(d/time.Minute), "minute")
	case d >= time.Second:
		return plural(int64(d.Round(time.Second)/time.Second), "second")
	default:
		return d.String()
	}
}

// messages: a sentence for every key domain.MessageKeys lists.
var messages = map[string]string{
	"destination":                           "The PostgreSQL database {{.database}} on {{.host}} refused the copy{{if .detail}}: {{.detail}}{{end}}. The local data is untouched; fix the problem, then retry.",
	"destination.bad_url":                   "That is not a PostgreSQL connection string. Write it as postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=verify-full.",
	"destination.busy":                      "Another Ledgerline ({{.holder}}) is copying to the schema {{.schema}}. This one waits and takes over when it stops.",
	"destination.disk_full":                 "The disk of the PostgreSQL server {{.host}} is full. Free space there; Ledgerline retries by itself and loses nothing.",
	"destination.no_database":               "The PostgreSQL server {{.host}} has no database named {{.database}}. Create it (createdb {{.database}}) or correct the address.",
	"destination.not_found":                 "There is no destination {{.value}}. See the destinations there are with ledgerline destination list.",
	"destination.permission":                "The user {{.user}} may not create or write the schema {{.schema}} in {{.database}} on {{.host}}. Grant it CREATE on the database, or create the schema for it and make it the owner.",
	"destination.unreachable":               "Ledgerline can't reach the PostgreSQL server {{.host}}. Check that it is running and that this computer may connect to it; Ledgerline retries by itself, and the local data is untouched.",
	"destination.wrong_password":            "The PostgreSQL server {{.host}} refused the user {{.user}} or its password. Add the destination again with the right password.",
	"already_connected":                     "{{.name}} ({{.account_id}}) is already connected to Ledgerline. To sign in to it again, run ledgerline reauth with its ID (see ledgerline connections).",
	"api_key":                               "That is not a usable Stripe API key. In Stripe's dashboard, open Developers › API keys › Create restricted key, give it Read access, and paste the key that starts with rk_live_ (or rk_test_).",
	"api_key.empty":                         "No API key was given. In Stripe's dashboard, open Developers › API keys › Create restricted key, give it Read access, and paste the key that starts with rk_live_ (or rk_test_).",
	"api_key.malformed":                     "That doesn't look like a Stripe restricted or secret API key. Copy the whole key that starts with rk_live_ (or rk_test_) from Developers › API keys in Stripe's dashboard.",
	"api_key.other_account":                 "That key belongs to {{.account_name}} ({{.account_id}}, {{.mode}}), but this connection is for {{.name}} ({{.expected_account_id}}, {{.expected_mode}}). Nothing was changed. Give a key for {{.name}}.",
	"api_key.publishable":                   "That is a publishable key (pk_…), which can't read your payments or invoices. In Stripe's dashboard, open Developers › API keys › Create restricted key and paste the key that starts with rk_.",
	"api_key.too_long":                      "That is {{.length}} characters long, which is not a Stripe API key. Paste only the key that starts with rk_live_ (or rk_test_), from Developers › API keys in Stripe's dashboard.",
	"api_key.unknown":                       "Stripe doesn't recognise this API key. Check that you copied all of it, and that it hasn't been deleted or rolled in Stripe's dashboard. Nothing was saved.",
	"api_key.webhook_secret":                "That is a webhook signing secret (whsec_…), not an API key. In Stripe's dashboard, open Developers › API keys › Create restricted key and paste the key that starts with rk_.",
	"browse.invalid_query":                  "The query is not valid{{if .detail}}: {{.detail}}{{end}}. Check the table, --since date and connection you gave.",
	"browse.too_many_to_sort":               "More than {{.limit}} rows match, too many to sort by {{.column}}. Narrow them with a date range or a status.",
	"canceled":                              "The request was stopped before it finished. Try again when you're ready.",
	"config.bad_mode":                       "The Stripe mode must be test or live{{if .mode}}, not “{{.mode}}”{{end}}. Use --mode test or --mode live.",
	"config.bad_url":                        "The {{if .setting}}{{.setting}} {{end}}address {{if eq .problem \"user_info\"}}must not contain a user name or password{{else if eq .problem \"not_https\"}}{{if .host}}for {{.host}} {{end}}must use https{{else}}is not a valid web address{{end}}. Correct the address and try again.",
	"config.no_config_dir":                  "Ledgerline can't find your user configuration folder to keep its data in. Choose a data folder with --data-dir (or LEDGERLINE_DATA_DIR).",
	"database":                              "Ledgerline couldn't use its database{{if .path}} at {{.path}}{{end}}. The file was left untouched. Choose another data folder with --data-dir, or restore a backup.",
	"database.in_use":                       "Another Ledgerline has the database at {{.path}} open. Close every Ledgerline window and stop any ledgerline sync --follow, then run ledgerline restore again. Nothing was replaced.",
	"backup":                                "The backup or restore failed. Nothing was replaced.",
	"backup.unwritable":                     "Ledgerline can't write the backup to {{.path}}{{if .detail}} ({{.detail}}){{end}}. Choose a folder you may write to, with room for the copy.",
	"backup.unusable":                       "{{.path}} can't be restored: it is not a sound Ledgerline database{{if .detail}} ({{.detail}}){{end}}. Nothing was replaced.",
	"database.disk_full":                    "The disk holding Ledgerline's data ({{.path}}) is full{{if .free_bytes}}: {{.free_bytes}} free{{end}}{{if .needed_bytes}}, and the sync needs about {{.needed_bytes}} more{{end}}. Nothing was half-written. Free some space on that disk; ledgerline sync --follow and the window carry on by themselves once there is room.",
	"database.damaged":                      "Ledgerline's database at {{.path}} is damaged. The file was left untouched: move it aside (for example rename it to {{.file_name}}.damaged) and start Ledgerline again to begin with an empty database.",
	"database.not_ledgerline":               "{{.path}} is another program's database, not Ledgerline's. The file was left untouched: move it elsewhere, or choose another data folder with --data-dir.",
	"database.not_sqlite":                   "{{.path}} is not a Ledgerline database. The file was left untouched: move it elsewhere, or choose another data folder with --data-dir.",
	"database.too_new":                      "The database at {{.path}} was written by a newer version of Ledgerline{{if .version}} (schema {{.version}}; this one knows up to {{.latest}}){{end}}. The file was left untouched: update Ledgerline to open it.",
	"database.unwritable":                   "Ledgerline can't write to its data folder{{if .path}} ({{.path}}){{end}}. Check that the folder exists and that you may write to it, or choose another data folder with --data-dir.",
	"disconnected":                          "Disconnected. The data already copied to this computer is kept; connect the account again to sync it.",
	"disconnected.api_key":                  "Disconnected. To end access for good, delete the API key in Stripe's dashboard (Developers › API keys).",
	"disconnected.unconfirmed":              "Disconnected. Stripe no longer accepted Ledgerline's sign-in, so its removal in Stripe could not be confirmed: if Ledgerline is still listed in your Stripe dashboard (Settings › Installed apps), remove it there.",
	"keychain.corrupt":                      "The keychain item for this connection doesn't hold valid Ledgerline credentials (another program may have changed it). Connect the account again (ledgerline connect stripe).",
	"keychain.corrupt.newer_version":        "The keychain item for this connection was written by a newer version of Ledgerline. Update Ledgerline, or connect the account again.",
	"keychain.locked":                       "The system keychain is locked, and the prompt to unlock it was dismissed or could not be shown. Unlock the “Login” keyring (for example in Passwords and Keys), then try again.",
	"keychain.missing":                      "Ledgerline has no saved credentials for this connection in the system keychain. Connect the account again (ledgerline connect stripe).",
	"keychain.refused_store":                "Stripe renewed Ledgerline's access, but the system keychain refused to store it, and the previous sign-in no longer works. Unlock the keychain: Ledgerline keeps the new sign-in in memory and saves it as soon as it can. If Ledgerline is closed before then, re-authenticate the connection (ledgerline reauth ID).",
	"keychain.timed_out":                    "The system keychain did not answer{{if .wait}} within {{.wait}}{{end}}. It may be locked and waiting for your password: unlock it, then try again.",
	"keychain.too_large":                    "The credentials are too large for the system keychain to store. Use a restricted API key instead.",
	"keychain.unavailable":                  "The system keychain couldn't be used. Check that it is running and unlocked, then try again.",
	"keychain.unavailable.macos":            "The macOS Keychain did not accept the request. Open Keychain Access, check that the login keychain is unlocked and that Ledgerline may use it, then try again.",
	"keychain.unavailable.no_collection":    "The system keychain has no default keyring for Ledgerline to use. Create a keyring named “Login” and make it the default (for example in Passwords and Keys), then try again.",
	"keychain.unavailable.no_service":       "No keychain service is running. Ledgerline keeps secrets in the system keychain (GNOME Keyring or KWallet's Secret Service). Install gnome-keyring and sign in again, or start it with gnome-keyring-daemon --start --components=secrets.",
	"keychain.unavailable.no_session_bus":   "There is no desktop session bus (DBUS_SESSION_BUS_ADDRESS is not set, or nothing answers there), and the system keychain is reached through it. Run Ledgerline from a logged-in desktop session, or start it with dbus-run-session -- ledgerline.",
	"keychain.unavailable.secret_service":   "The system keychain (Secret Service) reported an error. Check that GNOME Keyring or KWallet is running and unlocked, then try again.",
	"keychain.unavailable.unsupported":      "This system has no keychain that Ledgerline can use, and Ledgerline never keeps credentials anywhere else. Use Ledgerline on Linux with a Secret Service, macOS or Windows.",
	"keychain.unavailable.windows":          "Windows Credential Manager did not accept the request. Check that you are signed in to Windows with your own account, then try again.",
	"needs_reauth":                          "Stripe no longer accepts Ledgerline's access to this account. Re-authenticate to continue (ledgerline reauth ID); the data already copied is kept.",
	"needs_reauth.keychain_missing":         "Ledgerline's saved sign-in for this connection is missing from the system keychain. Re-authenticate to continue (ledgerline reauth ID).",
	"needs_reauth.keychain_missing.api_key": "The API key for this connection is missing from the system keychain. Add the restricted key again to continue.",
	"needs_reauth.no_refresh_token":         "Ledgerline's Stripe access for this connection has expired and can't be renewed automatically. Re-authenticate to continue (ledgerline reauth ID).",
	"needs_reauth.refresh_refused":          "Stripe no longer accepts Ledgerline's sign-in for this connection: it was revoked in Stripe, has expired, or was replaced. Re-authenticate to continue (ledgerline reauth ID); the data already copied is kept.",
	"needs_reauth.revoked_key":              "The API key was revoked or deleted in Stripe. Add a new restricted key to continue (ledgerline connect stripe --api-key-stdin).",
	"needs_reauth.revoked_oauth":            "Stripe no longer accepts Ledgerline's access to this account (it was removed in Stripe, or the sign-in expired). Re-authenticate to continue (ledgerline reauth ID).",
	"not_found":                             "{{if eq .what \"payout\"}}No payout{{if .value}} {{.value}}{{end}} in the synced data{{if .connection_id}} of connection {{.connection_id}}{{end}}. Run ledgerline report payouts to see the payouts, or ledgerline sync to fetch new ones.{{else}}No connection{{if .connection_id}} {{.connection_id}}{{end}}. Run ledgerline connections to see the IDs.{{end}}",
	"offline":                               "Ledgerline can't reach Stripe. Check your internet connection; Ledgerline will try again.",
	"offline.unreadable_answer":             "Ledgerline got an answer it couldn't read instead of Stripe's. If this network needs you to sign in (a hotel or café page), do that; otherwise try again in a few minutes.",
	"permission":                            "Ledgerline's access to this Stripe account is missing the “{{.permission}}” permission. Re-authenticate the connection (ledgerline reauth ID) to grant it; if it is still missing, Ledgerline's Stripe app does not ask for it yet.",
	"permission.api_key_account":            "Stripe accepted the key, but it may not read the account's details. In Stripe's dashboard (Developers › API keys), give the restricted key Read access to Account, then give it again on standard input.",
	"permission.restricted":                 "The API key is missing the “{{.permission}}” permission. In Stripe's dashboard (Developers › API keys), edit the restricted key and allow {{.access}} for {{.resource}}.",
	"permission.restricted_unknown":         "The API key is missing the “{{.permission}}” permission. In Stripe's dashboard (Developers › API keys), edit the restricted key and grant that permission.",
	"permission.unnamed":                    "Stripe refused Ledgerline permission to read this account. Re-authenticate (ledgerline reauth ID) and allow the access Ledgerline asks for.",
	"permission.unnamed_key":                "The restricted key is missing a permission Ledgerline needs. In Stripe's dashboard (Developers › API keys), give the key Read access to the data you want in Ledgerline.",
	"rate_limited":                          "Stripe asked Ledgerline to slow down. Ledgerline will wait and try again by itself; you don't need to do anything.",
	"report.bad_date":                       "{{if .setting}}{{.setting}} takes{{else}}Dates are{{end}} a calendar day written YYYY-MM-DD, like 2026-01-31{{if .value}}; “{{.value}}” is not one{{end}}.",
	"report.bad_range":                      "The report's range must end after it starts{{if .from}}: --from {{.from}} is not before --to {{.to}}{{end}}. --to is the last day included, so --from 2026-11-01 --to 2026-11-30 is November.",
	"report.unknown_period":                 "There is no period{{if .period}} “{{.period}}”{{end}}. Use one of today, this_week, this_month, last_month, last_7_days, last_30_days, last_90_days, this_quarter, this_year, last_year, or --from and --to.",
	"request_refused":                       "Stripe refused a request from Ledgerline{{if .http_status}} (HTTP {{.http_status}}){{end}}.{{if .stripe_message}} Stripe said: {{.stripe_message}}{{end}} Try again; if it keeps happening, update Ledgerline.",
	"signin.browser_failed":                 "Ledgerline couldn't open your web browser for the Stripe sign-in. Run the command again with --no-browser and open the address it prints.",
	"signin.busy":                           "A Stripe sign-in is already in progress. Finish it in your browser, or stop it, before starting another.",
	"signin.canceled":                       "The Stripe sign-in was canceled. Run the command again when you want to try again.",
	"signin.client_rejected":                "Ledgerline's sign-in service doesn't accept this copy of Ledgerline{{if .code}} ({{.code}}){{end}}. Update Ledgerline, then try again.",
	"signin.credentials_changed":            "This connection's credentials changed while Ledgerline was reading them. Try again.",
	"signin.denied":                         "Access was denied in Stripe, so nothing was connected. Run ledgerline connect stripe to try again.",
	"signin.expired":                        "The sign-in expired or was already used. Run ledgerline connect stripe to try again.",
	"signin.local_listener":                 "Ledgerline couldn't open a local port for the Stripe sign-in. Check that no security software blocks Ledgerline, then try again.",
	"signin.none":                           "Connect with Stripe needs Ledgerline's sign-in service, and none is set up. Set --broker-url (or LEDGERLINE_BROKER_URL) to its address, connect with an API key (ledgerline connect stripe --api-key-stdin), or try Ledgerline with the built-in sandbox (--sandbox).",
	"signin.none.renew":                     "This connection signed in through Ledgerline's sign-in service, and none is set up here, so its Stripe access can't be renewed. Set --broker-url (or LEDGERLINE_BROKER_URL), or connect with an API key instead (ledgerline connect stripe --api-key-stdin).",
	"signin.revoke_unconfirmed":             "Stripe no longer accepts Ledgerline's sign-in for this account, so Ledgerline can't confirm its access was removed there. Check Settings › Installed apps in your Stripe dashboard.",
	"signin.none.revoke":                    "Ledgerline can't revoke its access to {{.name}} without its sign-in service, so nothing was changed. Set --broker-url (or LEDGERLINE_BROKER_URL) and try again.",
	"signin.refused":                        "Ledgerline's sign-in service refused the request{{if .code}} ({{.code}}){{end}}. Try again; if it keeps happening, update Ledgerline.",
	"signin.renew_timed_out":                "Renewing Ledgerline's Stripe access took too long. Check your internet connection; Ledgerline will try again.",
	"signin.timed_out":                      "Ledgerline {{if .wait}}waited {{.wait}} for Stripe, then stopped waiting{{else}}stopped waiting for the Stripe sign-in to finish{{end}}. Run ledgerline connect stripe to try again.",
	"signin.trouble":                        "Stripe or Ledgerline's sign-in service had a temporary problem. Ledgerline will try again; you can also try again in a few minutes.",
	"signin.unreachable":                    "Ledgerline couldn't reach its sign-in service{{if .host}} at {{.host}}{{end}}. Check your internet connection and try again.",
	"signin.unusable_answer":                "Ledgerline's sign-in service gave an answer Ledgerline couldn't use. Try again, and update Ledgerline if it keeps happening.",
	"stripe_unavailable":                    "Stripe is having problems right now{{if .http_status}} (HTTP {{.http_status}}){{end}}{{if .checked_at}}, as of {{.checked_at}}{{end}}. Ledgerline will try again; you can also try again in a few minutes.",
	"sync.already_running":                  "A sync of this connection is already running (in the Ledgerline window or another ledgerline sync). Wait for it to finish, or run again with --wait.",
	"sync.disconnected":                     "This connection is disconnected. Connect it again (ledgerline connect stripe) to sync it.",
	"sync.malformed_event":                  "Stripe sent an event{{if .event_id}} ({{.event_id}}){{end}} that Ledgerline couldn't read, so {{if .what}}{{.what}}{{else}}that data{{end}} is not updated past it. Update Ledgerline, then sync again.",
	"sync.malformed_page":                   "Stripe sent a page{{if .what}} of {{.what}}{{end}} that Ledgerline couldn't read{{if .attempts}}, {{.attempts}} times in a row{{end}}. Nothing of that page was saved and the rest of the sync is kept. Sync again later; if it keeps happening, update Ledgerline.",
	"unknown":                               "Something went wrong that Ledgerline didn't expect. Try again; if it keeps happening, restart Ledgerline.",
	"wrong_account":                         "The sign-in saved for {{.name}} now opens another Stripe account ({{.account_id}}), not {{.expected_account_id}}. Ledgerline stopped using it so the two accounts' data don't mix. Re-authenticate with the right account (ledgerline reauth ID).",
	"wrong_account.api_key":                 "The API key saved for {{.name}} now belongs to another Stripe account ({{.account_id}}), not {{.expected_account_id}}. Ledgerline stopped using it so the two accounts' data don't mix. Add this account's restricted key.",
	"wrong_account.grant":                   "Stripe granted access to {{.granted_account_id}} but answered for {{.account_id}}, so nothing was connected. Run ledgerline connect stripe to try again.",
	"wrong_account.reauth":                  "You signed in to {{.account_name}} ({{.account_id}}, {{.mode}}), but this connection is for {{.name}} ({{.expected_account_id}}, {{.expected_mode}}). Nothing was changed. Run ledgerline reauth again and choose {{.name}} in Stripe.",
}
