package sandbox

// Info is what a script or test needs to talk to the sandbox. It marshals to
// the contract's start line:
//
//	{"base_url":"http://127.0.0.1:PORT","client_id":"ca_…","secret_key":"sk_test_…",
//	 "accounts":[{"id":"acct_…","name":"…","api_key":"rk_test_…"}]}
//
// It holds test-mode credentials: print it where the contract says, never
// into a log.
type Info struct {
	BaseURL   string        `json:"base_url"`   // empty until Start
	ClientID  string        `json:"client_id"`  // the OAuth client (ca_…) of both flavours
	SecretKey string        `json:"secret_key"` // the platform's secret key (sk_test_…)
	Accounts  []AccountInfo `json:"accounts"`   // the connected accounts, in page order
}

// AccountInfo names one connected account and its restricted key.
type AccountInfo struct {
	ID     string `json:"id"`      // acct_…
	Name   string `json:"name"`    // display name, as on the authorize page
	APIKey string `json:"api_key"` // rk_test_… restricted key for the API-key route
}

// PlatformInfo describes the platform account that the secret key belongs to.
type PlatformInfo struct {
	ID   string
	Name string
}

// Info returns the start-line description of the sandbox. BaseURL is set
// once Start has succeeded; a caller serving Handler itself fills it in.
func (s *Server) Info() Info {
	info := Info{
		BaseURL:   s.BaseURL(),
		ClientID:  s.ids.clientID,
		SecretKey: s.ids.platform.APIKey,
		Accounts:  make([]AccountInfo, 0, len(s.ids.accounts)),
	}
	for _, a := range s.ids.accounts {
		info.Accounts = append(info.Accounts, AccountInfo{ID: a.ID, Name: a.Name, APIKey: a.APIKey})
	}
	return info
}

// Platform returns the id and name of the platform account, which is what
// GET /v1/account answers for the secret key.
func (s *Server) Platform() PlatformInfo {
	return PlatformInfo{ID: s.ids.platform.ID, Name: s.ids.platform.Name}
}
