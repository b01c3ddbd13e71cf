package sandbox

// Word lists the generators draw names, places and products from. All
// generated people, streets and products are made up; e-mail addresses use
// example.com (RFC 2606).

var firstNames = [...]string{
	"Ava", "Liam", "Olivia", "Noah", "Emma", "Oliver", "Sophia", "Elijah", "Isabella", "James",
	"Mia", "Lucas", "Amelia", "Mateo", "Harper", "Ethan", "Evelyn", "Aiden", "Abigail", "Leo",
	"Chloe", "Hugo", "Nora", "Arjun", "Yuki", "Priya", "Santiago", "Freya", "Omar", "Ingrid",
	"Kenji", "Zara", "Mateus", "Aisha", "Lars", "Camille", "Diego", "Hana", "Felix", "Lucia",
}

var lastNames = [...]string{
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Martin", "Lopez",
	"Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "White", "Harris", "Clark", "Lewis",
	"Nguyen", "Patel", "Kim", "Schmidt", "Rossi", "Dubois", "Silva", "Kowalski", "Novak", "Larsen",
	"Okafor", "Tanaka", "Murphy", "O'Brien", "Fischer", "Moreau", "Haddad", "Costa", "Berg", "Walsh",
}

// place is a made-up address in a real city of an account's country.
type place struct{ city, state, postal, country string }

var places = [...]place{
	{"Portland", "OR", "97205", "US"}, {"Austin", "TX", "78701", "US"}, {"Denver", "CO", "80202", "US"},
	{"Chicago", "IL", "60601", "US"}, {"Brooklyn", "NY", "11201", "US"}, {"Seattle", "WA", "98101", "US"},
	{"London", "", "EC1A 1BB", "GB"}, {"Manchester", "", "M1 1AE", "GB"}, {"Toronto", "ON", "M5H 2N2", "CA"},
	{"Vancouver", "BC", "V6B 1A1", "CA"}, {"Sydney", "NSW", "2000", "AU"}, {"Melbourne", "VIC", "3000", "AU"},
	{"Berlin", "", "10115", "DE"}, {"Munich", "", "80331", "DE"}, {"Paris", "", "75001", "FR"},
	{"Lyon", "", "69001", "FR"}, {"Dublin", "", "D02 X285", "IE"}, {"Auckland", "", "1010", "NZ"},
}

var streets = [...]string{
	"Main Street", "Oak Avenue", "Harbour Road", "Mill Lane", "Station Road", "Cedar Court",
	"King Street", "Elm Drive", "Park Road", "River Walk", "High Street", "Maple Way",
}

var productAdjectives = [...]string{
	"Classic", "Organic", "Handmade", "Deluxe", "Everyday", "Limited", "Signature", "Travel",
	"Vintage", "Premium", "Small-batch", "Seasonal",
}

var productNouns = [...]string{
	"Coffee Beans", "Tea Sampler", "Candle", "Tote Bag", "Notebook", "Water Bottle", "Soap Bar",
	"Gift Box", "Mug", "Blanket", "Print", "Workshop Pass", "Plant Kit", "Sourdough Loaf",
	"Trail Map", "Yoga Mat", "Honey Jar", "Jam Trio", "Puzzle", "Record",
}

var couponNames = [...]string{
	"Welcome 10%", "Spring Sale", "Loyalty Reward", "Holiday 20%", "Free Month", "Friends & Family",
	"Black Friday", "First Order", "Summer Special", "Refer a Friend",
}

// foreignCurrencies are the currencies some customers pay in besides the
// account's own; conversionPermille gives a rough rate into each account
// currency (per mille), enough for plausible balance transactions.
var foreignCurrencies = [...]string{"usd", "eur", "gbp", "cad", "aud"}

var toUSDPermille = map[string]int64{
	"usd": 1000, "eur": 1080, "gbp": 1270, "cad": 735, "aud": 655, "nzd": 600,
}

// cardBrands are Stripe's test cards (their last four digits).
var cardBrands = [...]struct {
	brand, network, funding, last4 string
}{
	{"visa", "visa", "credit", "4242"}, {"visa", "visa", "debit", "5556"}, {"mastercard", "mastercard", "credit", "4444"},
	{"mastercard", "mastercard", "debit", "8210"}, {"amex", "amex", "credit", "8431"}, {"discover", "discover", "credit", "1117"},
}

var disputeReasons = [...]string{
	"fraudulent", "product_not_received", "duplicate", "subscription_canceled", "product_unacceptable",
	"credit_not_processed", "general",
}

var refundReasons = [...]string{"requested_by_customer", "requested_by_customer", "duplicate", "fraudulent", ""}

var creditNoteReasons = [...]string{"order_change", "product_unsatisfactory", "duplicate", ""}

// declineCodes are failure codes and messages Stripe gives for declined cards.
var declines = [...]struct{ code, decline, message string }{
	{"card_declined", "generic_decline", "Your card was declined."},
	{"card_declined", "insufficient_funds", "Your card has insufficient funds."},
	{"expired_card", "expired_card", "Your card has expired."},
	{"incorrect_cvc", "incorrect_cvc", "Your card's security code is incorrect."},
}
