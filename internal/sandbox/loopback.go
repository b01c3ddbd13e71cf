package sandbox

import (
	"fmt"
	"net"
)

// CheckLoopbackAddr returns an error unless addr ("host:port") names a
// loopback interface: 127.0.0.0/8, ::1 or "localhost". The sandbox hands
// out credentials to anyone who asks, so it must not be reachable from
// other machines.
func CheckLoopbackAddr(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("listen address %q is not host:port: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("listen address %q is not a loopback address; the sandbox only listens on 127.0.0.1, [::1] or localhost", addr)
	}
	return nil
}
