package domain

// SentenceError is an error whose text is one sentence for a person. Kind
// is its class and Cause what went wrong underneath: errors.Is and errors.As
// see both, but the text never shows the cause, so a lower layer's message
// (which may quote a key, a code or a URL) can't reach a person or a log by
// accident.
type SentenceError struct {
	Msg   string
	Kind  error
	Cause error
}

func (e *SentenceError) Error() string { return e.Msg }

// Unwrap returns Kind and Cause, leaving out whichever is nil.
func (e *SentenceError) Unwrap() []error {
	out := make([]error, 0, 2)
	for _, err := range []error{e.Kind, e.Cause} {
		if err != nil {
			out = append(out, err)
		}
	}
	return out
}
