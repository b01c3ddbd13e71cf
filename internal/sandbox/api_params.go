package sandbox

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Default and largest page sizes, as Stripe's.
const (
	defaultLimit = 10
	maxLimit     = 100
)

// paramError is a 400 (or 404) in Stripe's shape.
type paramError struct {
	status int
	err    apiError
}

func badParam(param, msg string) *paramError {
	return &paramError{http.StatusBadRequest, apiError{Message: msg, Param: param, Type: typeInvalidRequest}}
}

// splitParam reads Stripe's form keys: "created[gte]" is ("created",
// "gte"); "types[0]" and "types[]" are ("types", "0") and ("types", "").
func splitParam(k string) (name, sub string, nested bool) {
	i := strings.IndexByte(k, '[')
	if i < 0 || !strings.HasSuffix(k, "]") {
		return k, "", false
	}
	return k[:i], k[i+1 : len(k)-1], true
}

// filterValues lists the values each enumerated filter accepts.
var filterValues = map[view]map[string][]string{
	vInvoices:            {"status": {"draft", "open", "paid", "uncollectible", "void"}},
	vSubscriptions:       {"status": subscriptionStatuses},
	vPayouts:             {"status": {"canceled", "failed", "in_transit", "paid", "pending"}},
	vBalanceTransactions: {"type": balanceTransactionTypes},
	vPrices:              {"type": {"one_time", "recurring"}, "active": {"false", "true"}},
	vPlans:               {"active": {"false", "true"}},
	vInvoiceItems:        {"pending": {"false", "true"}},
	vProducts:            {"active": {"false", "true"}},
}

// parseListQuery checks a list request's parameters the way Stripe does and
// returns the query. Keys are visited in sorted order so that a request with
// several bad parameters always reports the same one.
func parseListQuery(v view, vals url.Values) (listQuery, *paramError) {
	spec := &views[v]
	q := listQuery{page: pageReq{limit: defaultLimit}, filter: map[string]string{}}
	q.page.gte, q.page.lte = anyCreated()
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var after, before string
	for _, k := range keys {
		val := vals.Get(k)
		name, sub, nested := splitParam(k)
		switch {
		case k == "limit":
			n, err := strconv.Atoi(val)
			if err != nil {
				return q, badParam("limit", "Invalid integer: "+val)
			}
			if n < 1 || n > maxLimit {
				return q, badParam("limit", "Invalid limit: must be between 1 and 100")
			}
			q.page.limit = n
		case k == "starting_after":
			after = val
		case k == "ending_before":
			before = val
		case name == "created" && !spec.noCreated:
			if err := q.page.addCreated(k, sub, nested, val); err != nil {
				return q, err
			}
		case name == "expand":
			for _, x := range vals[k] {
				if x == "" {
					continue
				}
				field, isData := strings.CutPrefix(x, "data.")
				e, ok := expansions[v][field]
				if !isData || !ok {
					return q, badParam(k, "The sandbox expands only "+expansionNames(v, "data.")+
						" on this list: leave out "+k+"="+x+".")
				}
				q.expand |= e
			}
		case v == vEvents && (name == "types" || k == "type"):
			q.types = append(q.types, vals[k]...)
			if name == "types" && len(q.types) > 20 {
				return q, badParam("types", "You may pass at most 20 event types.")
			}
		case !nested && slices.Contains(spec.filters, k):
			if allowed, ok := filterValues[v][k]; ok && !slices.Contains(allowed, val) {
				return q, badParam(k, "Invalid "+k+": must be one of "+strings.Join(allowed, ", "))
			}
			q.filter[k] = val
		case slices.Contains(spec.stripeOnly, name):
			return q, badParam(name, "The sandbox does not support the "+name+" parameter on this list.")
		default:
			return q, badParam(k, "Received unknown parameter: "+k)
		}
	}
	if vals.Has("type") && hasPrefixKey(vals, "types") && v == vEvents {
		return q, badParam("type", "You may only specify one of these parameters: type, types.")
	}
	if after != "" && before != "" {
		return q, badParam("ending_before", "You may only specify one of these parameters: ending_before, starting_after.")
	}
	if vals.Has("starting_after") && after == "" {
		return q, badParam("starting_after", "You passed an empty string for 'starting_after'. We assume empty values are an attempt to unset a parameter; however 'starting_after' cannot be unset. You should remove 'starting_after' from your request or supply a non-empty value.")
	}
	if vals.Has("ending_before") && before == "" {
		return q, badParam("ending_before", "You passed an empty string for 'ending_before'. We assume empty values are an attempt to unset a parameter; however 'ending_before' cannot be unset. You should remove 'ending_before' from your request or supply a non-empty value.")
	}
	q.afterID, q.beforeID = after, before
	return q, nil
}

// expandSet is the fields a request expands.
type expandSet uint8

const (
	xTxn           expandSet = 1 << iota // balance_transaction on charges, refunds and payouts
	xDest                                // destination on payouts
	xRefunds                             // refunds on charges
	xSources                             // sources on customers
	xSubscriptions                       // subscriptions on customers
	xTaxIDs                              // tax_ids on customers
	xTiers                               // tiers on plans
)

// expansions are the fields the sandbox expands, per view, as Stripe's
// spec names them (x-expandableFields); lists take them as data.<field>.
var expansions = map[view]map[string]expandSet{
	vCharges:   {"balance_transaction": xTxn, "refunds": xRefunds},
	vCustomers: {"sources": xSources, "subscriptions": xSubscriptions, "tax_ids": xTaxIDs},
	vPlans:     {"tiers": xTiers},
	vRefunds:   {"balance_transaction": xTxn},
	vPayouts:   {"balance_transaction": xTxn, "destination": xDest},
}

// expansionNames lists v's expandable fields for an error message.
func expansionNames(v view, prefix string) string {
	var names []string
	for name := range expansions[v] {
		names = append(names, prefix+name)
	}
	if len(names) == 0 {
		return "nothing"
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

func hasPrefixKey(vals url.Values, name string) bool {
	for k := range vals {
		if n, _, nested := splitParam(k); nested && n == name {
			return true
		}
	}
	return false
}

// addCreated narrows the created range: created=T, created[gt|gte|lt|lte]=T.
func (p *pageReq) addCreated(k, sub string, nested bool, val string) *paramError {
	t, err := strconv.ParseInt(val, 10, 64)
	if err != nil {
		return badParam(k, "Invalid integer: "+val)
	}
	switch {
	case !nested:
		p.gte, p.lte = max(p.gte, t), min(p.lte, t)
	case sub == "gt":
		p.gte = max(p.gte, t+1)
	case sub == "gte":
		p.gte = max(p.gte, t)
	case sub == "lt":
		p.lte = min(p.lte, t-1)
	case sub == "lte":
		p.lte = min(p.lte, t)
	default:
		return badParam(k, "Received unknown parameter: "+k)
	}
	return nil
}
