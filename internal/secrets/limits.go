package secrets

import (
	"encoding/base64"

	"github.com/zalando/go-keyring"
)

// The keychains' size limits, as go-keyring v0.2.8 enforces them:
// Windows' Credential Manager stores at most 2,560 bytes of secret
// (CRED_MAX_CREDENTIAL_BLOB_SIZE); on macOS the item is written by one
// `security -i` command of at most 4,096 bytes, the secret base64-encoded
// in it. Ledgerline checks both on every system, so a credential too
// large for one of them fails here, in the tests on Linux, and never only
// on a customer's Windows or Mac.
const (
	windowsMaxSecret = 2560
	macMaxCommand    = 4096
)

// fitsEveryKeychain reports keyring.ErrSetDataTooBig when service,
// account and secret would not fit one of the keychains.
func fitsEveryKeychain(service, account, secret string) error {
	if len(secret) > windowsMaxSecret {
		return keyring.ErrSetDataTooBig
	}
	// "add-generic-password -U -s 'service' -a 'account' -w 'go-keyring-base64:…'\n",
	// each value single-quoted by shellescape (our values need no escaping).
	command := len("add-generic-password -U -s '' -a '' -w ''\n") + len(service) + len(account) +
		len("go-keyring-base64:") + base64.StdEncoding.EncodedLen(len(secret))
	if command > macMaxCommand {
		return keyring.ErrSetDataTooBig
	}
	return nil
}
