package domain

import "errors"

// Errors every layer may return; callers test them with errors.Is. Their
// text is written for a person and never contains a secret.
var (
	// ErrNotFound: the record or keychain item does not exist.
	ErrNotFound = errors.New("not found")
	// ErrAlreadyConnected: the Stripe account is already linked.
	ErrAlreadyConnected = errors.New("this Stripe account is already connected")
	// ErrCanceled: the person stopped the operation.
	ErrCanceled = errors.New("canceled")
)
