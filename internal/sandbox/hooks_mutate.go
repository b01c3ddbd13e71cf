package sandbox

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
)

// MaxMutationCount bounds count in one mutate call.
const MaxMutationCount = 10000

// mutateResponse is the answer of POST /_sandbox/mutate.
type mutateResponse struct {
	Changes []Change `json:"changes"`
}

// handleMutate serves POST /_sandbox/mutate with form fields account,
// type (a plural such as "customers"), action (create, update or delete),
// count (default 1) and, for update and delete, an optional id. Each change
// makes its event, listed by /v1/events right away.
func (s *Server) handleMutate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeAPIError(w, http.StatusBadRequest, apiError{Message: "The request body could not be read as a form.", Type: typeInvalidRequest})
		return
	}
	f := r.PostForm
	count := 1
	if raw := f.Get("count"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > MaxMutationCount {
			writeAPIError(w, http.StatusBadRequest, apiError{
				Message: "count must be a whole number from 1 to " + strconv.Itoa(MaxMutationCount) + ".",
				Param:   "count", Type: typeInvalidRequest})
			return
		}
		count = n
	}
	if f.Get("id") != "" && count != 1 {
		writeAPIError(w, http.StatusBadRequest, apiError{Message: "With id, count must be 1.", Param: "count", Type: typeInvalidRequest})
		return
	}
	param := "type"
	if v, ok := viewByName(f.Get("type")); ok && checkMutation(v, f.Get("action")) != nil && f.Get("action") != ActionDelete {
		param = "action"
	}
	changes, err := s.Mutate(f.Get("account"), f.Get("type"), f.Get("action"), count, f.Get("id"))
	switch {
	case errors.Is(err, errUnknownAccount):
		s.hookAccount(w, "")
		return
	case errors.Is(err, errNoTarget):
		writeAPIError(w, http.StatusNotFound, apiError{Message: "No such object to change: " + f.Get("id"), Param: "id", Type: typeInvalidRequest})
		return
	case err != nil:
		writeAPIError(w, http.StatusBadRequest, apiError{Message: err.Error(), Param: param, Type: typeInvalidRequest})
		return
	}
	s.log.Info("sandbox data changed", slog.String("account", f.Get("account")), slog.String("type", f.Get("type")),
		slog.String("action", f.Get("action")), slog.Int("changes", len(changes)))
	writeJSON(w, http.StatusOK, mutateResponse{Changes: changes})
}

var errUnknownAccount = errors.New("no such account")

// Mutate changes an account's data as POST /_sandbox/mutate does, for
// callers in the same process: count objects of type (a plural key such as
// "customers") created, updated or deleted, each with its event. id, for
// update and delete, names the object. Errors say what cannot be done.
func (s *Server) Mutate(accountID, typ, action string, count int, id string) ([]Change, error) {
	d, ok := s.data[accountID]
	if !ok {
		return nil, errUnknownAccount
	}
	v, ok := viewByName(typ)
	if !ok {
		return nil, errors.New("unknown type " + strconv.Quote(typ) + ": use a plural such as customers, charges or invoices")
	}
	if count < 1 {
		count = 1
	}
	return d.mutate(v, action, count, id, s.now().Unix())
}
