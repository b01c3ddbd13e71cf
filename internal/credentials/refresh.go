package credentials

import (
	"context"
	"errors"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/secrets"
)

// resolve works out connID's credentials for one flight: it saves renewed
// tokens the keychain refused earlier, or else reads the keychain item
// (another Ledgerline, such as the command line beside the window, may have
// renewed it), and renews an OAuth token that is expired or inside the
// leeway. A nil state leaves the cached one as it is.
func (s *Source) resolve(ctx context.Context, e *entry, connID string, gen uint64) (*state, string, error) {
	now := s.p.Now()
	cur := e.cur.Load()
	if cur != nil && cur.unsaved {
		if now.Before(cur.retryAt) {
			return nil, "", cur.saveErr
		}
		if err := s.save(ctx, e, connID, gen, cur.creds); err != nil {
			return s.unsaved(connID, cur.creds, cur.leeway, err)
		}
		s.p.Logger.Info("renewed Stripe access saved to the keychain after all", "connection", connID)
		return s.settle(ctx, e, connID, gen, cur.creds, cur.leeway, true)
	}
	creds, err := s.p.Keychain.LoadCredentials(ctx, connID)
	if err != nil {
		return nil, "", loadError(err)
	}
	leeway := s.p.Leeway
	if cur != nil && cur.creds.AccessToken == creds.AccessToken {
		leeway = cur.leeway // the token this Source renewed: its lifetime is known
	}
	return s.settle(ctx, e, connID, gen, creds, leeway, true)
}

// settle returns creds' secret when it can be used as it is, and renews it
// otherwise. mayRetry allows one more go with newer keychain contents when
// the broker refuses a refresh token that another Ledgerline replaced.
func (s *Source) settle(ctx context.Context, e *entry, connID string, gen uint64, creds secrets.Credentials, leeway time.Duration, mayRetry bool) (*state, string, error) {
	switch creds.Method {
	case domain.AuthAPIKey:
		if creds.APIKey != "" {
			return &state{creds: creds}, creds.APIKey, nil
		}
	case domain.AuthOAuth:
		if creds.AccessToken != "" {
			break
		}
		fallthrough
	default:
		return nil, "", errUnusableItem
	}
	if fresh(creds, leeway, s.p.Now()) {
		return stateFor(creds, leeway), creds.AccessToken, nil
	}
	st, key, newer, err := s.renew(ctx, e, connID, gen, creds)
	if newer != nil && mayRetry {
		return s.settle(ctx, e, connID, gen, *newer, s.p.Leeway, false)
	}
	return st, key, err
}

// fresh reports whether creds' access token may be used at now.
func fresh(c secrets.Credentials, leeway time.Duration, now time.Time) bool {
	return c.Expiry.IsZero() || now.Before(c.Expiry.Add(-leeway))
}

func stateFor(c secrets.Credentials, leeway time.Duration) *state {
	st := &state{creds: c, leeway: leeway}
	if !c.Expiry.IsZero() {
		st.useUntil = c.Expiry.Add(-leeway)
	}
	return st
}

// renew trades creds' refresh token at the broker for new tokens and saves
// them. When the broker calls the refresh token invalid but the keychain
// now holds another one (renewed elsewhere), it returns that as newer so
// the caller can try it instead.
func (s *Source) renew(ctx context.Context, e *entry, connID string, gen uint64, creds secrets.Credentials) (st *state, key string, newer *secrets.Credentials, err error) {
	rt := creds.RefreshToken
	switch {
	case rt == "":
		return s.stillValid(connID, creds, errNoRefreshToken)
	case e.isDead(rt):
		return nil, "", nil, errRefreshRefused
	case s.p.OAuth == nil:
		return s.stillValid(connID, creds, errNoBroker)
	}
	rctx, cancel := context.WithTimeout(ctx, refreshTimeout)
	tok, err := s.p.OAuth.TokenSource(rctx, &oauth2.Token{RefreshToken: rt}).Token()
	cancel()
	if err != nil {
		cerr := refreshError(err)
		if !errors.Is(cerr, errRefreshRefused) {
			return s.stillValid(connID, creds, cerr)
		}
		e.markDead(rt)
		if again, lerr := s.p.Keychain.LoadCredentials(ctx, connID); lerr == nil && !sameSecrets(again, creds) {
			return nil, "", &again, cerr
		}
		s.p.Logger.Warn("Stripe access could not be renewed", "connection", connID, "error", cerr.Error())
		return nil, "", nil, cerr
	}
	next, leeway, err := s.renewed(creds, tok)
	if err != nil {
		return s.stillValid(connID, creds, err)
	}
	// From here the old refresh token is dead at Stripe: next is the only
	// way back in, so it goes to the keychain before anyone uses it.
	if err := s.save(ctx, e, connID, gen, next); err != nil {
		st, key, err := s.unsaved(connID, next, leeway, err)
		return st, key, nil, err
	}
	s.p.Logger.Info("Stripe access renewed", "connection", connID, "expiry", next.Expiry.UTC().Format(time.RFC3339))
	return stateFor(next, leeway), next.AccessToken, nil, nil
}

func sameSecrets(a, b secrets.Credentials) bool {
	return a.Method == b.Method && a.AccessToken == b.AccessToken && a.RefreshToken == b.RefreshToken && a.APIKey == b.APIKey
}

// stillValid answers a renewal that could not happen: creds' access token
// while it has not expired yet (tried again shortly), cause otherwise.
func (s *Source) stillValid(connID string, creds secrets.Credentials, cause error) (*state, string, *secrets.Credentials, error) {
	now := s.p.Now()
	s.p.Logger.Warn("Stripe access could not be renewed", "connection", connID, "error", cause.Error(),
		"still_valid", now.Before(creds.Expiry))
	if !now.Before(creds.Expiry) {
		return nil, "", nil, cause
	}
	until := now.Add(retryAfterFailure)
	if creds.Expiry.Before(until) {
		until = creds.Expiry
	}
	return &state{creds: creds, useUntil: until, leeway: s.p.Leeway}, creds.AccessToken, nil, nil
}

// renewed checks the broker's answer and merges it into creds. Expiry is
// dated by Source's clock; the leeway is at most half the new lifetime.
func (s *Source) renewed(creds secrets.Credentials, tok *oauth2.Token) (secrets.Credentials, time.Duration, error) {
	// RFC 6749 §7.1: a client must not use a token type it doesn't know.
	if tok.AccessToken == "" || (tok.TokenType != "" && !strings.EqualFold(tok.TokenType, "bearer")) {
		return creds, 0, errUnusableAnswer
	}
	next := creds
	next.AccessToken = tok.AccessToken
	if tok.RefreshToken != "" {
		next.RefreshToken = tok.RefreshToken
	}
	if tok.TokenType != "" {
		next.TokenType = tok.TokenType
	}
	if scope, _ := tok.Extra("scope").(string); scope != "" {
		next.Scope = scope
	}
	issued := s.p.Now()
	switch {
	case tok.ExpiresIn > 0:
		next.Expiry = issued.Add(time.Duration(tok.ExpiresIn) * time.Second)
	case !creds.Expiry.IsZero():
		next.Expiry = issued.Add(assumedAppsLifetime) // it expired before, so it will again
	default:
		next.Expiry = time.Time{}
	}
	leeway := s.p.Leeway
	if life := next.Expiry.Sub(issued); !next.Expiry.IsZero() && leeway > life/2 {
		leeway = life / 2
	}
	return next, leeway, nil
}

// save writes c as connID's keychain item unless Forget ran since the
// flight began (then errForgotten, and nothing is written).
func (s *Source) save(ctx context.Context, e *entry, connID string, gen uint64, c secrets.Credentials) error {
	e.saveMu.Lock()
	defer e.saveMu.Unlock()
	e.mu.Lock()
	forgotten := e.gen != gen
	e.mu.Unlock()
	if forgotten {
		return errForgotten
	}
	return s.p.Keychain.SaveCredentials(ctx, connID, c)
}

// unsaved keeps renewed tokens the keychain refused in memory, so a later
// Key can still save them; it answers with the refusal.
func (s *Source) unsaved(connID string, c secrets.Credentials, leeway time.Duration, err error) (*state, string, error) {
	if errors.Is(err, errForgotten) {
		return nil, "", err
	}
	kerr := keychainRefusedError(err)
	s.p.Logger.Error("the keychain refused renewed Stripe access", "connection", connID, "error", err.Error())
	return &state{creds: c, leeway: leeway, unsaved: true, saveErr: kerr, retryAt: s.p.Now().Add(saveRetryAfter)}, "", kerr
}

func (e *entry) isDead(rt string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.deadRefresh == rt
}

func (e *entry) markDead(rt string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.deadRefresh = rt
}
