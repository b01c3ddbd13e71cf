package app

import (
	"golang.org/x/oauth2"

	"github.com/ledgerline/ledgerline/internal/secrets"
)

func oauthToken(c secrets.Credentials) *oauth2.Token {
	return &oauth2.Token{AccessToken: c.AccessToken, RefreshToken: c.RefreshToken, TokenType: c.TokenType, Expiry: c.Expiry}
}
