package sandbox

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
)

// validateRedirectURI accepts an absolute http or https URL with a host and
// without user info or a fragment (RFC 6749 §3.1.2).
func validateRedirectURI(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("the redirect_uri %q is not a valid URL", raw)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("the redirect_uri %q must start with http:// or https://", raw)
	case u.Host == "":
		return fmt.Errorf("the redirect_uri %q has no host", raw)
	case u.User != nil:
		return fmt.Errorf("the redirect_uri %q must not contain a user name or password", raw)
	case u.Fragment != "" || u.RawFragment != "":
		return fmt.Errorf("the redirect_uri %q must not contain a fragment (#…)", raw)
	}
	return nil
}

// resolveRedirect picks the redirect URI of an authorize request. With
// registered URIs (Options.RedirectURIs) it must be one of them, exactly,
// and defaults to the first, as at Stripe. Without any, the sandbox accepts
// any well-formed http(s) URL — Stripe would insist on pre-registration.
func (s *Server) resolveRedirect(raw string) (string, error) {
	allowed := s.opts.RedirectURIs
	if raw == "" {
		if len(allowed) > 0 {
			return allowed[0], nil
		}
		return "", errors.New("the link has no redirect_uri, and no redirect URI is registered to fall back to")
	}
	if err := validateRedirectURI(raw); err != nil {
		return "", err
	}
	if len(allowed) > 0 && !slices.Contains(allowed, raw) {
		return "", fmt.Errorf("the redirect_uri %q is not one of the application's registered redirect URIs", raw)
	}
	return raw, nil
}
