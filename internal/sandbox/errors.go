package sandbox

import (
	"encoding/json"
	"net/http"
)

// apiError is the object inside Stripe's REST error body:
//
//	{"error":{"code":"…","doc_url":"…","message":"…","param":"…","type":"invalid_request_error"}}
//
// Messages may show a masked credential (sk_test_****abcd), never a whole one.
type apiError struct {
	Code    string `json:"code,omitempty"`
	DocURL  string `json:"doc_url,omitempty"`
	Message string `json:"message"`
	Param   string `json:"param,omitempty"`
	Type    string `json:"type"`
}

// Stripe's error types.
const (
	typeInvalidRequest = "invalid_request_error"
	typeAPI            = "api_error"
)

// oauthError is the body of Stripe's OAuth errors (RFC 6749 §5.2):
//
//	{"error":"invalid_grant","error_description":"…"}
type oauthError struct {
	Status      int    `json:"-"`
	Code        string `json:"error"`
	Description string `json:"error_description"`
}

// OAuth error codes (RFC 6749 §5.2) that Stripe uses.
const (
	errInvalidRequest       = "invalid_request"
	errInvalidClient        = "invalid_client"
	errInvalidGrant         = "invalid_grant"
	errInvalidScope         = "invalid_scope"
	errUnsupportedGrantType = "unsupported_grant_type"
)

// writeJSON answers v as Stripe does: application/json, pretty-printed with
// two spaces, ending in a newline. Request-Id is set by the middleware.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		// Only our own plain structs are marshalled, so this means a bug.
		status = http.StatusInternalServerError
		body, _ = json.MarshalIndent(map[string]apiError{"error": {
			Message: "The sandbox failed to encode its response.", Type: typeAPI,
		}}, "", "  ")
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}

// writeAPIError answers a REST error in Stripe's shape. A 401 also carries
// the WWW-Authenticate challenge Stripe sends.
func writeAPIError(w http.ResponseWriter, status int, e apiError) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="Stripe"`)
	}
	writeJSON(w, status, map[string]apiError{"error": e})
}

// writeOAuthError answers an OAuth error in Stripe's shape.
func writeOAuthError(w http.ResponseWriter, e oauthError) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, e.Status, e)
}

// notFound answers an unknown /v1 URL the way Stripe does.
func notFound(w http.ResponseWriter, r *http.Request) {
	writeAPIError(w, http.StatusNotFound, apiError{
		Message: "Unrecognized request URL (" + r.Method + ": " + r.URL.Path + "). " +
			"Please see https://stripe.com/docs or we can help at https://support.stripe.com/.",
		Type: typeInvalidRequest,
	})
}
