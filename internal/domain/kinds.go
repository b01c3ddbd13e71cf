package domain

import "slices"

// Kind is a class of failure (or a reason for a connection's status) that
// the layers below the window return instead of a sentence: the window's
// catalog and the command line's messages each word every kind in their own
// language. A Kind is an error, so a package may return one as it is or
// inside an *Error with the facts its words need, and callers test with
// errors.Is(err, domain.KindNeedsReauth).
//
// Kinds form a tree: errors.Is(KindRevokedKey, KindNeedsReauth) is true, so
// a caller that only cares whether the owner must sign in again need not
// know every variant. The code ("needs_reauth.revoked_key") is stable: it
// is saved in SQLite and printed by `ledgerline connections --json`.
type Kind string

// Error is the kind's short technical text, for logs.
func (k Kind) Error() string {
	if info, ok := kinds[k]; ok {
		return info.text
	}
	return string(k)
}

// Is reports whether k is target or one of target's variants.
func (k Kind) Is(target error) bool {
	t, ok := target.(Kind)
	if !ok {
		return false
	}
	for p := k; p != ""; p = kinds[p].parent {
		if p == t {
			return true
		}
	}
	return false
}

// Parent is the kind k is a variant of, or "" for a root kind.
func (k Kind) Parent() Kind { return kinds[k].parent }

// Known reports whether k is one of Kinds().
func (k Kind) Known() bool { _, ok := kinds[k]; return ok }

// The kinds. Facts each may carry are listed beside it; every fact is
// optional, and none is ever a secret.
const (
	// KindUnknown: a failure nobody classified. Also the reason of a status
	// saved before reasons were (its sentence was not kept).
	KindUnknown  Kind = "unknown"
	KindNotFound Kind = "not_found" // FactConnectionID
	KindCanceled Kind = "canceled"
	// KindAlreadyConnected: FactName, FactAccountID, FactMode.
	KindAlreadyConnected Kind = "already_connected"

	// KindNeedsReauth: the owner must sign in again (or add a new key).
	KindNeedsReauth Kind = "needs_reauth"
	// KindRevokedOAuth: Stripe refuses the OAuth access (removed in
	// Stripe, or expired).
	KindRevokedOAuth Kind = "needs_reauth.revoked_oauth"
	// KindRevokedKey: Stripe refuses the API key (revoked, deleted, rolled).
	KindRevokedKey Kind = "needs_reauth.revoked_key"
	// KindRefreshRefused: the sign-in service said invalid_grant on renewal.
	KindRefreshRefused Kind = "needs_reauth.refresh_refused"
	// KindNoRefreshToken: the access expired and there is nothing to renew it with.
	KindNoRefreshToken Kind = "needs_reauth.no_refresh_token"
	// KindCredentialsMissing: the keychain has no item for a connection
	// that should have one. FactAuthMethod.
	KindCredentialsMissing Kind = "needs_reauth.keychain_missing"

	// KindPermission: Stripe refused for a missing permission. FactPermission
	// (Stripe's name, or the dashboard's "Charges: Read"), FactResource,
	// FactAccess ("Read"/"Write"), FactRestricted ("true" for an rk_ key),
	// FactAuthMethod.
	KindPermission Kind = "permission"
	// KindKeyCantReadAccount: a pasted key works but may not read the
	// account's details. Facts as KindPermission.
	KindKeyCantReadAccount Kind = "permission.api_key_account"
	KindRateLimited        Kind = "rate_limited"
	// KindStripeDown: Stripe answered 5xx. FactHTTPStatus, FactCheckedAt.
	KindStripeDown Kind = "stripe_unavailable"
	// KindOffline: Stripe could not be reached.
	KindOffline Kind = "offline"
	// KindUnreadableAnswer: something answered that isn't Stripe (a captive
	// portal, a proxy page).
	KindUnreadableAnswer Kind = "offline.unreadable_answer"
	// KindRequestRefused: Stripe refused a request. FactHTTPStatus,
	// FactStripeMessage (Stripe's message, keys and tokens blotted out).
	KindRequestRefused Kind = "request_refused"
	// KindWrongAccount: the saved credential now opens another account.
	// FactAccountID (the one it opens), FactName, FactExpectedAccountID,
	// FactAuthMethod.
	KindWrongAccount Kind = "wrong_account"
	// KindSignedInToOther: a re-authentication chose another account or
	// mode. FactAccountName, FactAccountID, FactMode, FactName,
	// FactExpectedAccountID, FactExpectedMode, FactAuthMethod.
	KindSignedInToOther Kind = "wrong_account.reauth"
	// KindGrantMismatch: Stripe granted one account and answered for
	// another. FactGrantedAccountID, FactAccountID.
	KindGrantMismatch Kind = "wrong_account.grant"

	// KindNoBroker: Connect with Stripe needs the sign-in service, and none
	// is set up.
	KindNoBroker Kind = "signin.none"
	// KindNoBrokerRenew: an OAuth connection's access must be renewed and
	// no sign-in service is set up.
	KindNoBrokerRenew Kind = "signin.none.renew"
	// KindNoBrokerRevoke: disconnecting needs the sign-in service. FactName.
	KindNoBrokerRevoke Kind = "signin.none.revoke"
	// KindRevokeUnconfirmed: the sign-in service could not revoke because
	// Stripe no longer renews the connection's refresh token, so whether
	// the grant is gone at Stripe is unknown.
	KindRevokeUnconfirmed Kind = "signin.revoke_unconfirmed"
	// KindBrokerRefused: the sign-in service refused. FactCode,
	// FactDescription, FactHTTPStatus.
	KindBrokerRefused Kind = "signin.refused"
	// KindBrokerUnusable: its answer could not be used. FactHTTPStatus,
	// FactDescription.
	KindBrokerUnusable Kind = "signin.unusable_answer"
	// KindSignInExpired: the authorization code expired or was used.
	KindSignInExpired Kind = "signin.expired"
	// KindClientRejected: the sign-in service doesn't accept this copy of
	// Ledgerline. FactCode.
	KindClientRejected Kind = "signin.client_rejected"
	// KindBrokerUnreachable: the network failed on the way to the sign-in
	// service. FactHost.
	KindBrokerUnreachable Kind = "signin.unreachable"
	// KindBrokerTrouble: Stripe or the sign-in service had a temporary problem.
	KindBrokerTrouble Kind = "signin.trouble"
	// KindRenewTimedOut: renewing the access took too long.
	KindRenewTimedOut Kind = "signin.renew_timed_out"
	// KindCredentialsChanged: the credentials changed while being read.
	KindCredentialsChanged Kind = "signin.credentials_changed"
	KindSignInBusy         Kind = "signin.busy"
	KindSignInDenied       Kind = "signin.denied"
	// KindSignInTimedOut: nobody finished the sign-in in time. FactWait.
	KindSignInTimedOut Kind = "signin.timed_out"
	KindBrowserFailed  Kind = "signin.browser_failed"
	KindSignInCanceled Kind = "signin.canceled"
	// KindLocalListener: the local port for the sign-in could not be opened
	// or did not answer.
	KindLocalListener Kind = "signin.local_listener"

	// KindKeychainMissing: the keychain has no item for this connection.
	KindKeychainMissing Kind = "keychain.missing"
	// KindKeychainUnavailable: no keychain can be reached, or it refused.
	// FactReason: one of KeychainNoSessionBus, KeychainNoService, ….
	KindKeychainUnavailable Kind = "keychain.unavailable"
	KindKeychainLocked      Kind = "keychain.locked"
	// KindKeychainTimedOut: FactWait (a Go duration; absent when unknown).
	KindKeychainTimedOut Kind = "keychain.timed_out"
	KindKeychainTooLarge Kind = "keychain.too_large"
	// KindKeychainCorrupt: FactReason "newer_version" when a newer
	// Ledgerline wrote the item.
	KindKeychainCorrupt Kind = "keychain.corrupt"
	// KindKeychainRefused: Stripe rotated the tokens and the keychain would
	// not store them; the old refresh token is already dead.
	KindKeychainRefused Kind = "keychain.refused_store"

	// KindBadKey: the pasted text is not a usable Stripe API key.
	KindBadKey           Kind = "api_key"
	KindKeyEmpty         Kind = "api_key.empty"
	KindKeyTooLong       Kind = "api_key.too_long" // FactLength
	KindKeyPublishable   Kind = "api_key.publishable"
	KindKeyWebhookSecret Kind = "api_key.webhook_secret"
	KindKeyMalformed     Kind = "api_key.malformed"
	// KindKeyUnknown: Stripe doesn't recognise the key.
	KindKeyUnknown Kind = "api_key.unknown"
	// KindKeyOtherAccount: the key belongs to another account or mode than
	// the connection. Facts as KindSignedInToOther.
	KindKeyOtherAccount Kind = "api_key.other_account"

	// KindDisconnected: the reason of a disconnected connection's status.
	KindDisconnected Kind = "disconnected"
	// KindDisconnectedKey: disconnected; the key still works until it is
	// deleted in Stripe.
	KindDisconnectedKey Kind = "disconnected.api_key"
	// KindDisconnectedUnconfirmed: disconnected and the tokens forgotten,
	// but Stripe no longer renewed the sign-in, so its removal at Stripe
	// could not be confirmed; the owner should check the dashboard.
	KindDisconnectedUnconfirmed Kind = "disconnected.unconfirmed"

	KindSyncRunning     Kind = "sync.already_running"
	KindNotSyncable     Kind = "sync.disconnected"
	KindMalformedPage   Kind = "sync.malformed_page"  // FactWhat, FactDetail, FactAttempts
	KindMalformedEvent  Kind = "sync.malformed_event" // FactEventID, FactWhat, FactDetail
	KindDatabase        Kind = "database"
	KindDBNotSQLite     Kind = "database.not_sqlite"     // FactPath
	KindDBNotLedgerline Kind = "database.not_ledgerline" // FactPath
	KindDBDamaged       Kind = "database.damaged"        // FactPath, FactDetail, FactFileName
	KindDBTooNew        Kind = "database.too_new"        // FactPath, FactVersion, FactLatest
	KindDBUnwritable    Kind = "database.unwritable"     // FactPath, FactDetail
	// KindDBInUse: a restore needs every Ledgerline that has the database
	// open closed first. FactPath (the database).
	KindDBInUse Kind = "database.in_use"

	// KindBackup: a backup or restore failed. KindBackupUnwritable: the
	// backup file can't be written (FactPath, FactDetail). KindBackupUnusable:
	// the file to restore is not a sound Ledgerline database (FactPath,
	// FactDetail); nothing was replaced.
	// KindDiskFull: a write failed for lack of space on the disk holding
	// the database. FactPath (the data folder), FactFreeBytes (free there
	// now), FactNeededBytes (an estimate of what the work in hand needs,
	// when known). Nothing half-written: the transaction rolled back.
	KindDiskFull Kind = "database.disk_full"

	KindBackup           Kind = "backup"
	KindBackupUnwritable Kind = "backup.unwritable"
	KindBackupUnusable   Kind = "backup.unusable"

	// KindInvalidQuery: a data tab's or export's query is not valid.
	// FactDetail says how (technical English).
	KindInvalidQuery Kind = "browse.invalid_query"
	// KindTooManyToSort: a sort without an index would hold too many rows.
	// FactLimit, FactColumn (the column's key).
	KindTooManyToSort Kind = "browse.too_many_to_sort"

	// KindBadDate: a report's date is not a calendar day written
	// YYYY-MM-DD (2026-02-30). FactValue, FactSetting (the flag, --from).
	KindBadDate Kind = "report.bad_date"
	// KindBadRange: a report's range ends on or before it starts. FactFrom,
	// FactTo (YYYY-MM-DD).
	KindBadRange Kind = "report.bad_range"
	// KindUnknownPeriod: no period of that name. FactPeriod.
	KindUnknownPeriod Kind = "report.unknown_period"

	// KindNoConfigDir: no user configuration folder to keep data in.
	KindNoConfigDir Kind = "config.no_config_dir"
	// KindBadURL: a configured address is unusable. FactSetting (the flag),
	// FactProblem (URLNotAddress, URLUserInfo, URLNotHTTPS), FactHost.
	KindBadURL Kind = "config.bad_url"
	// KindBadMode: a Stripe mode other than test or live. FactMode.
	KindBadMode Kind = "config.bad_mode"

	// KindDestination: a destination database (a team's PostgreSQL)
	// failed; its children say how. Facts of all of them: FactHost,
	// FactUser, FactDatabase, FactSchema; FactDetail (the server's words).
	KindDestination Kind = "destination"
	// KindDestUnreachable: the server can't be reached or dropped the
	// connection.
	KindDestUnreachable Kind = "destination.unreachable"
	// KindDestWrongPassword: the server refused the user or password.
	KindDestWrongPassword Kind = "destination.wrong_password"
	// KindDestNoDatabase: the server has no such database.
	KindDestNoDatabase Kind = "destination.no_database"
	// KindDestPermission: the role may not create or write the schema.
	KindDestPermission Kind = "destination.permission"
	// KindDestDiskFull: the server's disk is full.
	KindDestDiskFull Kind = "destination.disk_full"
	// KindDestBusy: another Ledgerline writes to the schema. FactHolder
	// (its host and process id), FactSchema.
	KindDestBusy Kind = "destination.busy"
	// KindDestNotFound: no destination with that id. FactValue.
	KindDestNotFound Kind = "destination.not_found"
	// KindDestBadURL: not a postgres:// connection string. FactDetail.
	KindDestBadURL Kind = "destination.bad_url"
)

// Facts' names. Templates in the catalogs use them as {{.name}}.
const (
	FactConnectionID      = "connection_id"
	FactName              = "name"
	FactAccountID         = "account_id"
	FactAccountName       = "account_name"
	FactExpectedAccountID = "expected_account_id"
	FactGrantedAccountID  = "granted_account_id"
	FactMode              = "mode"
	FactExpectedMode      = "expected_mode"
	FactAuthMethod        = "auth_method"
	FactPermission        = "permission"
	FactResource          = "resource"
	FactAccess            = "access"
	FactRestricted        = "restricted"
	FactHTTPStatus        = "http_status"
	FactCheckedAt         = "checked_at" // RFC 3339
	FactStripeMessage     = "stripe_message"
	FactCode              = "code"
	FactDescription       = "description"
	FactHost              = "host"
	FactWait              = "wait" // a Go duration, "5m0s"
	FactReason            = "reason"
	FactLength            = "length"
	FactWhat              = "what"
	FactDetail            = "detail" // technical, for logs and support
	FactAttempts          = "attempts"
	FactEventID           = "event_id"
	FactPath              = "path"
	FactFreeBytes         = "free_bytes"   // a byte count
	FactNeededBytes       = "needed_bytes" // a byte count
	FactFileName          = "file_name"
	FactVersion           = "version"
	FactLatest            = "latest"
	FactSetting           = "setting"
	FactProblem           = "problem"
	FactLimit             = "limit"
	FactColumn            = "column"
	FactValue             = "value"
	FactFrom              = "from" // a day, YYYY-MM-DD
	FactTo                = "to"   // a day, YYYY-MM-DD
	FactPeriod            = "period"
	FactUser              = "user"
	FactDatabase          = "database"
	FactSchema            = "schema"
	FactHolder            = "holder"
)

// Values of FactReason for KindKeychainUnavailable.
const (
	KeychainNoSessionBus  = "no_session_bus"
	KeychainNoService     = "no_service"
	KeychainNoCollection  = "no_collection"
	KeychainSecretService = "secret_service"
	KeychainMacOS         = "macos"
	KeychainWindows       = "windows"
	KeychainUnsupported   = "unsupported"
)

// Values of FactProblem for KindBadURL.
const (
	URLNotAddress = "not_address"
	URLUserInfo   = "user_info"
	URLNotHTTPS   = "not_https"
)

type kindInfo struct {
	parent Kind
	text   string
}

// kinds: each kind's parent and technical text.
var kinds = map[Kind]kindInfo{
	KindUnknown:          {"", "unclassified failure"},
	KindNotFound:         {"", "not found"},
	KindCanceled:         {"", "canceled"},
	KindAlreadyConnected: {"", "account already connected"},

	KindNeedsReauth:        {"", "needs re-authentication"},
	KindRevokedOAuth:       {KindNeedsReauth, "needs re-authentication: Stripe refuses the OAuth access"},
	KindRevokedKey:         {KindNeedsReauth, "needs re-authentication: Stripe refuses the API key"},
	KindRefreshRefused:     {KindNeedsReauth, "needs re-authentication: token refresh refused (invalid_grant)"},
	KindNoRefreshToken:     {KindNeedsReauth, "needs re-authentication: access expired, no refresh token"},
	KindCredentialsMissing: {KindNeedsReauth, "needs re-authentication: keychain item missing"},

	KindPermission:         {"", "permission missing"},
	KindKeyCantReadAccount: {KindPermission, "API key may not read the account"},
	KindRateLimited:        {"", "rate limited by Stripe"},
	KindStripeDown:         {"", "Stripe unavailable"},
	KindOffline:            {"", "can't reach Stripe"},
	KindUnreadableAnswer:   {KindOffline, "unreadable answer instead of Stripe's"},
	KindRequestRefused:     {"", "Stripe refused the request"},
	KindWrongAccount:       {"", "credential opens another Stripe account"},
	KindSignedInToOther:    {KindWrongAccount, "signed in to another account or mode"},
	KindGrantMismatch:      {KindWrongAccount, "granted account differs from the answering one"},

	KindNoBroker:           {"", "no sign-in service configured"},
	KindNoBrokerRenew:      {KindNoBroker, "no sign-in service configured to renew access"},
	KindNoBrokerRevoke:     {KindNoBroker, "no sign-in service configured to revoke access"},
	KindRevokeUnconfirmed:  {KindBrokerRefused, "revocation unconfirmed: Stripe no longer renews the refresh token"},
	KindBrokerRefused:      {"", "sign-in service refused"},
	KindBrokerUnusable:     {KindBrokerRefused, "sign-in service answer unusable"},
	KindSignInExpired:      {KindBrokerRefused, "sign-in code expired or used"},
	KindClientRejected:     {KindBrokerRefused, "sign-in service rejects this client"},
	KindBrokerUnreachable:  {KindOffline, "sign-in service unreachable"},
	KindBrokerTrouble:      {KindStripeDown, "sign-in service or Stripe trouble"},
	KindRenewTimedOut:      {KindOffline, "renewing access timed out"},
	KindCredentialsChanged: {KindCanceled, "credentials changed while read"},
	KindSignInBusy:         {"", "a sign-in is already in progress"},
	KindSignInDenied:       {"", "access denied in Stripe"},
	KindSignInTimedOut:     {"", "sign-in timed out"},
	KindBrowserFailed:      {"", "could not open the browser"},
	KindSignInCanceled:     {KindCanceled, "sign-in canceled"},
	KindLocalListener:      {"", "local sign-in listener failed"},

	KindKeychainMissing:     {KindNotFound, "keychain item not found"},
	KindKeychainUnavailable: {"", "system keychain unavailable"},
	KindKeychainLocked:      {"", "system keychain locked"},
	KindKeychainTimedOut:    {"", "system keychain did not answer in time"},
	KindKeychainTooLarge:    {"", "value too large for the system keychain"},
	KindKeychainCorrupt:     {"", "keychain item is not valid Ledgerline credentials"},
	KindKeychainRefused:     {"", "keychain refused to store renewed tokens"},

	KindBadKey:           {"", "not a usable Stripe API key"},
	KindKeyEmpty:         {KindBadKey, "no API key given"},
	KindKeyTooLong:       {KindBadKey, "API key too long"},
	KindKeyPublishable:   {KindBadKey, "publishable key given"},
	KindKeyWebhookSecret: {KindBadKey, "webhook signing secret given"},
	KindKeyMalformed:     {KindBadKey, "not shaped like a restricted or secret key"},
	KindKeyUnknown:       {KindBadKey, "Stripe does not recognise the API key"},
	KindKeyOtherAccount:  {KindBadKey, "API key of another account or mode"},

	KindDisconnected:            {"", "disconnected"},
	KindDisconnectedKey:         {KindDisconnected, "disconnected; API key still valid in Stripe"},
	KindDisconnectedUnconfirmed: {KindDisconnected, "disconnected; removal at Stripe unconfirmed"},

	KindSyncRunning:     {"", "sync already running"},
	KindNotSyncable:     {"", "connection disconnected; not syncable"},
	KindMalformedPage:   {"", "unreadable page from Stripe"},
	KindMalformedEvent:  {KindMalformedPage, "unreadable event from Stripe"},
	KindDatabase:        {"", "database unreadable"},
	KindDBNotSQLite:     {KindDatabase, "not an SQLite file"},
	KindDBNotLedgerline: {KindDatabase, "SQLite database of another program"},
	KindDBDamaged:       {KindDatabase, "database damaged"},
	KindDBTooNew:        {KindDatabase, "database written by a newer Ledgerline"},
	KindDBUnwritable:    {KindDatabase, "cannot write to the data directory"},
	KindDBInUse:         {KindDatabase, "database open in another Ledgerline"},
	KindDiskFull:        {KindDatabase, "disk full"},

	KindBackup:           {"", "backup failed"},
	KindBackupUnwritable: {KindBackup, "cannot write the backup file"},
	KindBackupUnusable:   {KindBackup, "not a sound Ledgerline backup"},

	KindInvalidQuery:  {"", "invalid query"},
	KindTooManyToSort: {"", "too many rows to sort"},

	KindBadDate:       {"", "not a date (YYYY-MM-DD)"},
	KindBadRange:      {"", "report range ends before it starts"},
	KindUnknownPeriod: {"", "no such report period"},

	KindNoConfigDir: {"", "no user configuration folder"},
	KindBadURL:      {"", "unusable address setting"},
	KindBadMode:     {"", "Stripe mode must be test or live"},

	KindDestination:       {"", "destination database failed"},
	KindDestUnreachable:   {KindDestination, "destination database unreachable"},
	KindDestWrongPassword: {KindDestination, "destination database refused the user or password"},
	KindDestNoDatabase:    {KindDestination, "destination database does not exist"},
	KindDestPermission:    {KindDestination, "permission denied on the destination schema"},
	KindDestDiskFull:      {KindDestination, "destination database's disk is full"},
	KindDestBusy:          {"", "another Ledgerline writes to the destination"},
	KindDestNotFound:      {KindNotFound, "no such destination"},
	KindDestBadURL:        {"", "not a PostgreSQL connection string"},
}

// Kinds lists every kind, so tests can check that each has words.
func Kinds() []Kind {
	out := make([]Kind, 0, len(kinds))
	for k := range kinds {
		out = append(out, k)
	}
	sortKinds(out)
	return out
}

// factNames lists every fact name, so a presenter can give each a value
// (empty when absent) before filling a template.
var factNames = []string{
	FactConnectionID, FactName, FactAccountID, FactAccountName, FactExpectedAccountID, FactGrantedAccountID,
	FactMode, FactExpectedMode, FactAuthMethod, FactPermission, FactResource, FactAccess, FactRestricted,
	FactHTTPStatus, FactCheckedAt, FactStripeMessage, FactCode, FactDescription, FactHost, FactWait, FactReason,
	FactLength, FactWhat, FactDetail, FactAttempts, FactEventID, FactPath, FactFreeBytes, FactNeededBytes, FactFileName, FactVersion, FactLatest,
	FactSetting, FactProblem, FactLimit, FactColumn, FactValue, FactFrom, FactTo, FactPeriod,
	FactUser, FactDatabase, FactSchema, FactHolder,
}

// FactNames lists every fact name.
func FactNames() []string { return slices.Clone(factNames) }

// MessageKey names the message for kind k with facts f: the kind's code, or
// a variant of it when the facts call for other words (an API key rather
// than a sign-in, which part of the keychain is missing, whether Stripe
// named the permission). The window's catalog has "error."+key for every
// key in MessageKeys, and the command line a message for each.
func MessageKey(k Kind, f Facts) string {
	key := string(k)
	switch k {
	case KindPermission:
		switch {
		case f[FactPermission] == "" && f[FactAuthMethod] == string(AuthAPIKey):
			return key + ".unnamed_key"
		case f[FactPermission] == "":
			return key + ".unnamed"
		case f[FactRestricted] == "true" && f[FactResource] != "":
			return key + ".restricted"
		case f[FactRestricted] == "true" || f[FactAuthMethod] == string(AuthAPIKey):
			return key + ".restricted_unknown"
		}
	case KindCredentialsMissing, KindWrongAccount:
		if f[FactAuthMethod] == string(AuthAPIKey) {
			return key + ".api_key"
		}
	case KindKeychainUnavailable:
		if slices.Contains(keychainReasons, f[FactReason]) {
			return key + "." + f[FactReason]
		}
	case KindKeychainCorrupt:
		if f[FactReason] == "newer_version" {
			return key + ".newer_version"
		}
	}
	return key
}

var keychainReasons = []string{KeychainNoSessionBus, KeychainNoService, KeychainNoCollection,
	KeychainSecretService, KeychainMacOS, KeychainWindows, KeychainUnsupported}

// MessageKeys lists every key MessageKey can return, sorted.
func MessageKeys() []string {
	var out []string
	for k := range kinds {
		out = append(out, string(k))
	}
	p := string(KindPermission)
	out = append(out, p+".unnamed_key", p+".unnamed", p+".restricted", p+".restricted_unknown",
		string(KindCredentialsMissing)+".api_key", string(KindWrongAccount)+".api_key",
		string(KindKeychainCorrupt)+".newer_version")
	for _, r := range keychainReasons {
		out = append(out, string(KindKeychainUnavailable)+"."+r)
	}
	slices.Sort(out)
	return out
}
