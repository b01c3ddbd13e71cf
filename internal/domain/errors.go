package domain

// Errors every layer may return; callers test them with errors.Is. They are
// kinds (see kinds.go): their text is a short technical phrase for logs;
// the words a person reads live with whoever shows them.
var (
	// ErrNotFound: the record or keychain item does not exist.
	ErrNotFound error = KindNotFound
	// ErrAlreadyConnected: the Stripe account is already linked.
	ErrAlreadyConnected error = KindAlreadyConnected
	// ErrCanceled: the person stopped the operation.
	ErrCanceled error = KindCanceled
)
