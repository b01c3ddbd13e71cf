package destination

import (
	"context"
	"errors"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// SplitURL parses a postgres:// connection string and returns it without
// its password, and the password ("" when it has none). Errors are
// domain.KindDestBadURL.
func SplitURL(raw string) (clean, password string, err error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" && u.Query().Get("host") == "" {
		return "", "", domain.E(domain.KindDestBadURL, err)
	}
	if pw, ok := u.User.Password(); ok {
		password = pw
		u.User = url.User(u.User.Username())
	}
	if _, err := pgx.ParseConfig(u.String()); err != nil {
		return "", "", domain.E(domain.KindDestBadURL, errors.New(scrubbed(err.Error(), password)))
	}
	return u.String(), password, nil
}

// connect opens a connection to the destination, with schema first in its
// search_path and an application_name saying which Ledgerline it is.
func connect(ctx context.Context, cleanURL, password, schema string) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(cleanURL)
	if err != nil {
		return nil, domain.E(domain.KindDestBadURL, err)
	}
	if password != "" {
		cfg.Password = password
	}
	host, _ := os.Hostname()
	cfg.RuntimeParams["application_name"] = "ledgerline " + host + " pid " + strconv.Itoa(os.Getpid())
	cfg.RuntimeParams["search_path"] = pgx.Identifier{schema}.Sanitize()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, classify(err, cfg, schema, password)
	}
	return conn, nil
}

// classify turns a PostgreSQL or network failure into a domain kind with
// the facts its words need; the password never appears in it.
func classify(err error, cfg *pgx.ConnConfig, schema, password string) error {
	if err == nil {
		return nil
	}
	if k, _ := domain.KindOf(err); k != domain.KindUnknown {
		return err
	}
	if errors.Is(err, context.Canceled) {
		return domain.E(domain.KindCanceled, err)
	}
	facts := []string{domain.FactHost, cfg.Host, domain.FactUser, cfg.User, domain.FactDatabase, cfg.Database, domain.FactSchema, schema}
	cause := errors.New(scrubbed(err.Error(), password))
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case pgErr.Code == "28P01" || pgErr.Code == "28000":
			return domain.E(domain.KindDestWrongPassword, cause, facts...)
		case pgErr.Code == "3D000":
			return domain.E(domain.KindDestNoDatabase, cause, facts...)
		case pgErr.Code == "42501":
			return domain.E(domain.KindDestPermission, cause, facts...)
		case pgErr.Code == "53100":
			return domain.E(domain.KindDestDiskFull, cause, facts...)
		case strings.HasPrefix(pgErr.Code, "08") || strings.HasPrefix(pgErr.Code, "57P"):
			return domain.E(domain.KindDestUnreachable, cause, facts...)
		}
		return domain.E(domain.KindDestination, cause, append(facts, domain.FactDetail, pgErr.Message)...)
	}
	var netErr net.Error
	var connErr *pgconn.ConnectError
	if errors.As(err, &netErr) || errors.As(err, &connErr) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || pgconn.SafeToRetry(err) || isClosed(err) {
		return domain.E(domain.KindDestUnreachable, cause, facts...)
	}
	return domain.E(domain.KindDestination, cause, append(facts, domain.FactDetail, cause.Error())...)
}

func isClosed(err error) bool {
	s := err.Error()
	return strings.Contains(s, "conn closed") || strings.Contains(s, "unexpected EOF") || strings.Contains(s, "broken pipe")
}

// scrubbed is text without password in it.
func scrubbed(text, password string) string {
	if password == "" {
		return text
	}
	return strings.ReplaceAll(text, password, "***")
}

// Check connects to the destination and creates or migrates its schema:
// what `destination add` does before saving. Errors as classify gives.
func Check(ctx context.Context, cleanURL, password, schema string) error {
	conn, err := connect(ctx, cleanURL, password, schema)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if err := migrate(ctx, conn, schema); err != nil {
		return classify(err, conn.Config(), schema, password)
	}
	return nil
}
