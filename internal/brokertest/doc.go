// Package brokertest holds the token broker's tests that need more than a
// unit test: three real broker processes behind a real HAProxy completing
// sign-ins against the sandbox while one replica is stopped and started
// again, and a load test (vegeta, as a library) that reports requests per
// second and latency percentiles. They run with LEDGERLINE_BROKER_TESTS=1,
// as `make test-broker` (and so .ci/run) does; `make test` skips them.
package brokertest
