package sandbox

import "net/http"

// routeAPI registers the REST endpoints. Anything else under /v1/ answers
// Stripe's "Unrecognized request URL" 404.
func (s *Server) routeAPI(mux *http.ServeMux) {
	mux.HandleFunc("GET /v1/account", s.handleAccount)
	mux.HandleFunc("GET /v1/accounts/{id}", s.handleAccountByID)
	mux.HandleFunc("/v1/", notFound)
}

// handleAccount serves GET /v1/account: the account the credential acts for
// (an OAuth access token's or restricted key's account, or the platform for
// the secret key), as Stripe's account object.
func (s *Server) handleAccount(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, p.account.object())
}

// handleAccountByID serves GET /v1/accounts/{id}. A key or token reads its
// own account this way too, as at Stripe; the platform's secret key also
// reads its connected accounts (as Connect platforms do). Any other id is
// Stripe's 404 (resource_missing), so a key learns nothing about accounts it
// cannot act for.
func (s *Server) handleAccountByID(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	id := r.PathValue("id")
	a, known := s.byID[id]
	switch {
	case known && a == p.account:
	case known && p.account.Platform && p.kind == kindSecretKey && !a.Platform:
	default:
		perr := noSuch("account", id, "account")
		writeAPIError(w, perr.status, perr.err)
		return
	}
	writeJSON(w, http.StatusOK, a.object())
}

// accountObject is Stripe's account object (API version 2023-10-16), with
// the fields a Standard account shows to its own key or to an OAuth app.
type accountObject struct {
	ID               string            `json:"id"`
	Object           string            `json:"object"`
	BusinessProfile  businessProfile   `json:"business_profile"`
	BusinessType     string            `json:"business_type"`
	Capabilities     map[string]string `json:"capabilities"`
	ChargesEnabled   bool              `json:"charges_enabled"`
	Controller       map[string]any    `json:"controller"`
	Country          string            `json:"country"`
	Created          int64             `json:"created"`
	DefaultCurrency  string            `json:"default_currency"`
	DetailsSubmitted bool              `json:"details_submitted"`
	Email            string            `json:"email"`
	ExternalAccounts listObject        `json:"external_accounts"`
	Metadata         map[string]string `json:"metadata"`
	PayoutsEnabled   bool              `json:"payouts_enabled"`
	Requirements     requirements      `json:"requirements"`
	Settings         accountSettings   `json:"settings"`
	TOSAcceptance    map[string]any    `json:"tos_acceptance"`
	Type             string            `json:"type"`
}

type businessProfile struct {
	AnnualRevenue        *struct{} `json:"annual_revenue"`
	EstimatedWorkerCount *int      `json:"estimated_worker_count"`
	MCC                  string    `json:"mcc"`
	Name                 string    `json:"name"`
	ProductDescription   *string   `json:"product_description"`
	SupportAddress       *struct{} `json:"support_address"`
	SupportEmail         string    `json:"support_email"`
	SupportPhone         *string   `json:"support_phone"`
	SupportURL           string    `json:"support_url"`
	URL                  string    `json:"url"`
}

// listObject is Stripe's list envelope.
type listObject struct {
	Object     string `json:"object"`
	Data       []any  `json:"data"`
	HasMore    bool   `json:"has_more"`
	TotalCount int    `json:"total_count"`
	URL        string `json:"url"`
}

type requirements struct {
	Alternatives        []any    `json:"alternatives"`
	CurrentDeadline     *int64   `json:"current_deadline"`
	CurrentlyDue        []string `json:"currently_due"`
	DisabledReason      *string  `json:"disabled_reason"`
	Errors              []any    `json:"errors"`
	EventuallyDue       []string `json:"eventually_due"`
	PastDue             []string `json:"past_due"`
	PendingVerification []string `json:"pending_verification"`
}

type accountSettings struct {
	Branding     map[string]any `json:"branding"`
	CardPayments map[string]any `json:"card_payments"`
	Dashboard    struct {
		DisplayName string `json:"display_name"`
		Timezone    string `json:"timezone"`
	} `json:"dashboard"`
	Payments map[string]any `json:"payments"`
	Payouts  map[string]any `json:"payouts"`
}

// object renders the account as Stripe's account object.
func (a *account) object() accountObject {
	site := "https://" + a.Domain
	o := accountObject{
		ID:     a.ID,
		Object: "account",
		BusinessProfile: businessProfile{
			MCC: a.MCC, Name: a.Name,
			SupportEmail: "support@" + a.Domain, SupportURL: site + "/help", URL: site,
		},
		BusinessType:     "company",
		Capabilities:     map[string]string{"card_payments": "active", "transfers": "active"},
		ChargesEnabled:   true,
		Controller:       map[string]any{"type": "account"},
		Country:          a.Country,
		Created:          a.Created.Unix(),
		DefaultCurrency:  a.Currency,
		DetailsSubmitted: true,
		Email:            "owner@" + a.Domain,
		ExternalAccounts: listObject{Object: "list", Data: []any{}, URL: "/v1/accounts/" + a.ID + "/external_accounts"},
		Metadata:         map[string]string{},
		PayoutsEnabled:   true,
		Requirements: requirements{
			Alternatives: []any{}, CurrentlyDue: []string{}, Errors: []any{},
			EventuallyDue: []string{}, PastDue: []string{}, PendingVerification: []string{},
		},
		Settings: accountSettings{
			Branding: map[string]any{"icon": nil, "logo": nil, "primary_color": a.PrimaryColor, "secondary_color": nil},
			CardPayments: map[string]any{"decline_on": map[string]any{"avs_failure": false, "cvc_failure": true},
				"statement_descriptor_prefix": nil, "statement_descriptor_prefix_kana": nil, "statement_descriptor_prefix_kanji": nil},
			Payments: map[string]any{"statement_descriptor": a.statementDescriptor(), "statement_descriptor_kana": nil, "statement_descriptor_kanji": nil},
			Payouts: map[string]any{
				"debit_negative_balances": true,
				"schedule":                map[string]any{"delay_days": 2, "interval": "daily"},
				"statement_descriptor":    nil,
			},
		},
		TOSAcceptance: map[string]any{"date": a.Created.Unix()},
		Type:          "standard",
	}
	o.Settings.Dashboard.DisplayName = a.Name
	o.Settings.Dashboard.Timezone = a.Timezone
	return o
}
