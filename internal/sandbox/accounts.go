package sandbox

import (
	"fmt"
	"strings"
	"time"
)

// account is one Stripe account the sandbox knows: a connected store that a
// person can pick on the authorize page, or the platform itself.
type account struct {
	ID             string
	Name           string
	APIKey         string // rk_test_… restricted key (the platform's is its sk_test_ secret key)
	PublishableKey string // pk_test_…
	Domain         string // under .example (RFC 2606), so no real site is named
	Country        string
	Currency       string
	Timezone       string
	MCC            string
	PrimaryColor   string
	Created        time.Time
	Platform       bool
}

// storeNames are the connected accounts' display names, drawn in a
// seed-dependent order.
var storeNames = [...]string{
	"Acme Outdoor Goods", "Northwind Coffee", "Bluebird Bakery", "Harbor & Pine Books",
	"Copper Kettle Tea Co.", "Tidewater Surf Shop", "Juniper Yoga Studio", "Maple Street Florist",
	"Lantern Light Candles", "Summit Climbing Gear", "Red Barn Creamery", "Little Fox Toys",
	"Willow & Thread Fabrics", "Ironwood Furniture", "Saltwater Seafood Market",
	"Golden Hour Photography", "Pepper & Sage Kitchen", "Brightside Bicycles", "Cedar Hollow Soaps",
	"Orbit Games", "Paper Crane Stationery", "Riverbend Pottery", "Stonefruit Jams",
	"Velvet Moon Records", "Wildflower Honey Co.", "Atlas Travel Goods", "Bramble & Birch Home",
	"Driftwood Coffee Roasters", "Evergreen Pet Supply", "Fjord Knitwear",
}

// locale is a country with its currency and a plausible dashboard timezone.
type locale struct{ country, currency, timezone string }

var locales = [...]locale{
	{"US", "usd", "America/New_York"}, {"US", "usd", "America/Chicago"},
	{"US", "usd", "America/Los_Angeles"}, {"GB", "gbp", "Europe/London"},
	{"CA", "cad", "America/Toronto"}, {"AU", "aud", "Australia/Sydney"},
	{"DE", "eur", "Europe/Berlin"}, {"FR", "eur", "Europe/Paris"},
	{"IE", "eur", "Europe/Dublin"}, {"NZ", "nzd", "Pacific/Auckland"},
}

// merchantCategories are ISO 18245 codes of small retail and food businesses.
var merchantCategories = [...]string{"5411", "5812", "5814", "5942", "5945", "5992", "5999", "5691", "7230", "5712"}

// brandColors are the accounts' branding colours: dark enough for white
// initials on the authorize page.
var brandColors = [...]string{
	"#635bff", "#0a2540", "#0073e6", "#d14343", "#c2410c", "#0e7c66", "#7a3ff2",
	"#b5179e", "#11698e", "#8e44ad", "#2f6f3e", "#9a3412", "#1d4ed8", "#be123c",
}

// createdRange bounds the accounts' creation dates: 2019-01-01 to 2024-01-01 UTC.
const (
	createdFrom = 1546300800
	createdTo   = 1704067200
)

// identities is everything the seed decides: the OAuth client, the platform
// and the connected accounts.
type identities struct {
	clientID string
	platform account
	accounts []account
}

// newIdentities draws the sandbox's fixed identities from seed, always in
// the same order, so equal seeds give equal results.
func newIdentities(seed int64, n int, appName string) identities {
	ids := newSeededIDs(seed)
	out := identities{clientID: ids.id("ca_", clientIDLen)}
	secret := ids.id("sk_test_", keyLen)
	out.platform = ids.account(appName, secret, true)

	order := ids.r.Perm(len(storeNames))
	for i := range n {
		name := storeNames[order[i%len(storeNames)]]
		if round := i / len(storeNames); round > 0 {
			name = fmt.Sprintf("%s %d", name, round+1)
		}
		out.accounts = append(out.accounts, ids.account(name, ids.id("rk_test_", keyLen), false))
	}
	return out
}

// account draws one account's id, keys and profile.
func (s seededIDs) account(name, apiKey string, platform bool) account {
	loc := locales[s.r.IntN(len(locales))]
	return account{
		ID:             s.id("acct_1", accountIDLen-1),
		Name:           name,
		APIKey:         apiKey,
		PublishableKey: s.id("pk_test_", keyLen),
		Domain:         slug(name) + ".example",
		Country:        loc.country,
		Currency:       loc.currency,
		Timezone:       loc.timezone,
		MCC:            merchantCategories[s.r.IntN(len(merchantCategories))],
		PrimaryColor:   brandColors[s.r.IntN(len(brandColors))],
		Created:        time.Unix(createdFrom+s.r.Int64N(createdTo-createdFrom), 0).UTC(),
		Platform:       platform,
	}
}

// slug turns "Harbor & Pine Books" into "harbor-pine-books".
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// statementDescriptor is the name as it appears on card statements:
// upper case, at most 22 characters.
func (a account) statementDescriptor() string {
	d := strings.ToUpper(strings.Map(func(r rune) rune {
		if strings.ContainsRune(`<>\'"*`, r) {
			return -1
		}
		return r
	}, a.Name))
	if len(d) > 22 {
		d = strings.TrimSpace(d[:22])
	}
	return d
}
