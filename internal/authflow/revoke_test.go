package authflow

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ledgerline/ledgerline/internal/domain"
)

func TestRevoke(t *testing.T) {
	const token = "at_secret_revoke_me_0123456789"

	t.Run("posts the access token to the broker's revoke endpoint", func(t *testing.T) {
		broker := newFakeBroker(t)
		forms := make(chan url.Values, 1)
		broker.handle("/oauth/revoke", func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodPost || r.ParseForm() != nil {
				t.Errorf("revoke: %s, form error", r.Method)
			}
			forms <- r.PostForm
			writeJSON(w, http.StatusOK, map[string]any{"revoked": true})
		})
		flow, logs := newTestFlow(t, broker.URL(), newFakeBrowser(t, nil), nil)

		if err := flow.Revoke(context.Background(), token); err != nil {
			t.Fatalf("Revoke: %v", err)
		}
		form := <-forms
		if form.Get("token") != token || form.Get("client_id") != DefaultClientID {
			t.Errorf("form = %v", form)
		}
		assertNoSecrets(t, "the log", logs.String(), map[string]string{"access token": token})
	})

	t.Run("reports a refusal as a BrokerError without the token", func(t *testing.T) {
		broker := newFakeBroker(t)
		broker.handle("/oauth/revoke", func(w http.ResponseWriter, r *http.Request) {
			_ = r.ParseForm()
			writeJSON(w, http.StatusBadRequest, map[string]any{"error": "invalid_request", "error_description": "bad token " + r.PostForm.Get("token")})
		})
		flow, logs := newTestFlow(t, broker.URL(), newFakeBrowser(t, nil), nil)

		err := flow.Revoke(context.Background(), token)
		var be *BrokerError
		if !errors.As(err, &be) || be.Code != "invalid_request" || be.StatusCode != http.StatusBadRequest {
			t.Fatalf("err = %#v", err)
		}
		assertNoSecrets(t, "the error", err.Error(), map[string]string{"access token": token})
		assertNoSecrets(t, "the log", logs.String(), map[string]string{"access token": token})
	})

	t.Run("reports a broker that is down as ErrBrokerUnreachable", func(t *testing.T) {
		down := httptest.NewServer(http.NotFoundHandler())
		down.Close()
		flow, _ := newTestFlow(t, down.URL, newFakeBrowser(t, nil), nil)
		err := flow.Revoke(context.Background(), token)
		if !errors.Is(err, ErrBrokerUnreachable) || strings.Contains(err.Error(), token) {
			t.Fatalf("err = %v", err)
		}
	})

	t.Run("follows no redirect", func(t *testing.T) {
		var elsewhere atomic.Int32
		other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere.Add(1) }))
		defer other.Close()
		broker := newFakeBroker(t)
		broker.handle("/oauth/revoke", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+"/oauth/revoke", http.StatusTemporaryRedirect)
		})
		flow, _ := newTestFlow(t, broker.URL(), newFakeBrowser(t, nil), nil)
		err := flow.Revoke(context.Background(), token)
		var be *BrokerError
		if !errors.As(err, &be) || be.StatusCode != http.StatusTemporaryRedirect {
			t.Errorf("err = %#v", err)
		}
		if elsewhere.Load() != 0 {
			t.Error("the token went to the redirect target")
		}
	})

	t.Run("stops with domain.ErrCanceled when ctx is canceled", func(t *testing.T) {
		broker := newFakeBroker(t)
		flow, _ := newTestFlow(t, broker.URL(), newFakeBrowser(t, nil), nil)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := flow.Revoke(ctx, token); !errors.Is(err, domain.ErrCanceled) {
			t.Errorf("err = %v", err)
		}
	})

	t.Run("refuses an empty token without calling the broker", func(t *testing.T) {
		flow, _ := newTestFlow(t, newFakeBroker(t).URL(), newFakeBrowser(t, nil), nil)
		if err := flow.Revoke(context.Background(), ""); err == nil {
			t.Error("Revoke of nothing succeeded")
		}
	})
}
