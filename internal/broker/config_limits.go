package broker

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// limitsFromEnv reads the rate limits' variables; unset ones keep their
// defaults (Limits.withDefaults):
//
//	BROKER_RATE_PER_CLIENT        requests/s per client address (2)
//	BROKER_RATE_PER_CLIENT_BURST  burst per client address (20)
//	BROKER_RATE_OVERALL           requests/s of all clients (500)
//	BROKER_RATE_OVERALL_BURST     burst of all clients (1000)
//	BROKER_RATE_UPSTREAM          calls/s to Stripe's OAuth endpoints (20)
//	BROKER_RATE_UPSTREAM_BURST    burst of calls to Stripe (20)
//	BROKER_TRUSTED_PROXIES        load balancers' addresses or CIDRs, comma-separated
func limitsFromEnv(getenv func(string) string) (Limits, error) {
	var (
		l    Limits
		errs []error
	)
	num := func(name string, dst *float64) {
		if raw := strings.TrimSpace(getenv(name)); raw != "" {
			v, err := strconv.ParseFloat(raw, 64)
			if err != nil || v <= 0 || v > 1e6 {
				errs = append(errs, fmt.Errorf("%s must be a positive number of requests per second, not %q", name, clip(raw)))
				return
			}
			*dst = v
		}
	}
	whole := func(name string, dst *int) {
		if raw := strings.TrimSpace(getenv(name)); raw != "" {
			v, err := strconv.Atoi(raw)
			if err != nil || v <= 0 || v > 1e6 {
				errs = append(errs, fmt.Errorf("%s must be a positive whole number, not %q", name, clip(raw)))
				return
			}
			*dst = v
		}
	}
	num("BROKER_RATE_PER_CLIENT", &l.PerClient)
	whole("BROKER_RATE_PER_CLIENT_BURST", &l.PerClientBurst)
	num("BROKER_RATE_OVERALL", &l.Overall)
	whole("BROKER_RATE_OVERALL_BURST", &l.OverallBurst)
	num("BROKER_RATE_UPSTREAM", &l.Upstream)
	whole("BROKER_RATE_UPSTREAM_BURST", &l.UpstreamBurst)
	for _, raw := range strings.Split(getenv("BROKER_TRUSTED_PROXIES"), ",") {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		p, err := netip.ParsePrefix(raw)
		if err != nil {
			a, aerr := netip.ParseAddr(raw)
			if aerr != nil {
				errs = append(errs, fmt.Errorf("BROKER_TRUSTED_PROXIES holds %q, which is neither an address nor a CIDR such as 10.0.0.0/8", clip(raw)))
				continue
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		l.TrustedProxies = append(l.TrustedProxies, p.Masked())
	}
	return l, errors.Join(errs...)
}
