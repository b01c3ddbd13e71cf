package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/ledgerline/ledgerline/internal/app"
	"github.com/ledgerline/ledgerline/internal/config"
	"github.com/ledgerline/ledgerline/internal/destination"
	"github.com/ledgerline/ledgerline/internal/domain"
	"github.com/ledgerline/ledgerline/internal/secrets"
	"github.com/ledgerline/ledgerline/internal/store"
)

const destinationUsage = `Usage: ledgerline destination add postgres URL [--schema NAME] [--connection ID]
       ledgerline destination list [--json]
       ledgerline destination status [--json]
       ledgerline destination run [ID] [--follow]
       ledgerline destination remove ID

Keep a copy of the synced data in a PostgreSQL database your team can query.

  add     checks that Ledgerline can reach URL and create its tables in the
          schema (default ledgerline), then saves the destination: the URL
          without its password in the local database, the password in the
          system keychain. URL is postgres://USER:PASSWORD@HOST:PORT/DB with
          sslmode as libpq names it (verify-full recommended).
          --connection ID copies one connection only (default: all).
  list    the destinations, with their addresses (no passwords).
  status  how far behind each destination is (changes and seconds) and its
          last error.
  run     copies what each destination (or ID) lacks, then stops; with
          --follow it keeps them fresh until interrupted (run it beside
          ledgerline sync --follow). Also the way to retry after an error.
  remove  forgets the destination and its password; the copy in PostgreSQL
          stays.

`

// destinationAccount is the keychain account holding a destination's
// password.
func destinationAccount(id string) string { return "destination:" + id }

func runDestination(ctx context.Context, args []string, c common, env Env) error {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, destinationUsage)
		return fmt.Errorf("%w: say what to do: ledgerline destination add|list|status|run|remove", errUsage)
	}
	switch args[0] {
	case "add":
		return runDestinationAdd(ctx, args[1:], c, env)
	case "list":
		return runDestinationList(ctx, args[1:], c, env)
	case "status":
		return runDestinationStatus(ctx, args[1:], c, env)
	case "run", "retry":
		return runDestinationRun(ctx, args[1:], c, env)
	case "remove":
		return runDestinationRemove(ctx, args[1:], c, env)
	case "-h", "--help", "help":
		fmt.Fprint(env.Stdout, destinationUsage)
		return nil
	}
	return fmt.Errorf("%w: unknown destination command %q (add, list, status, run, remove)", errUsage, args[0])
}

// destinationWorld is what the destination commands use: the database,
// its destinations and the keychain.
type destinationWorld struct {
	db       *store.DB
	local    *destination.Local
	keychain *secrets.Store
}

func openDestinations(ctx context.Context, cfg config.Config, env Env) (*destinationWorld, error) {
	db, err := app.OpenStore(ctx, cfg, env.Now)
	if err != nil {
		return nil, err
	}
	service := app.KeychainService
	if cfg.Sandbox {
		service = app.SandboxKeychainService
	}
	return &destinationWorld{db: db, local: destination.NewLocal(db, db.Reader(), env.Now),
		keychain: secrets.New(secrets.Options{Service: service, Backend: env.Keychain})}, nil
}

func runDestinationAdd(ctx context.Context, args []string, c common, env Env) error {
	fs := newFlagSet("ledgerline destination add", env, destinationUsage)
	c.register(fs)
	schema := fs.String("schema", destination.DefaultSchema, "PostgreSQL schema for the tables")
	connID := fs.String("connection", "", "copy only this connection (default: all)")
	if err := parseInterspersed(fs, args); err != nil {
		return usageErr(err)
	}
	if fs.NArg() != 2 || fs.Arg(0) != destination.KindPostgres {
		return fmt.Errorf("%w: write ledgerline destination add postgres URL", errUsage)
	}
	clean, password, err := destination.SplitURL(fs.Arg(1))
	if err != nil {
		return err
	}
	cfg, err := c.resolve(env)
	if err != nil {
		return err
	}
	w, err := openDestinations(ctx, cfg, env)
	if err != nil {
		return err
	}
	defer w.db.Close()
	if *connID != "" {
		if _, err := w.db.GetConnection(ctx, *connID); err != nil {
			return err
		}
	}
	if err := destination.Check(ctx, clean, password, *schema); err != nil {
		return err
	}
	d := destination.Destination{ID: destination.NewID(), Kind: destination.KindPostgres, URL: clean, Schema: *schema, ConnectionID: *connID}
	err = w.local.Add(ctx, d, func(ctx context.Context) error {
		if password == "" {
			return nil
		}
		return w.keychain.Set(ctx, destinationAccount(d.ID), password)
	})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(env.Stdout, "Added destination %s: %s, schema %s.\nRun ledgerline destination run --follow (beside ledgerline sync --follow) to copy the data and keep it fresh.\n",
		d.ID, clean, *schema)
	return err
}

func runDestinationRemove(ctx context.Context, args []string, c common, env Env) error {
	fs := newFlagSet("ledgerline destination remove", env, destinationUsage)
	c.register(fs)
	if err := parseInterspersed(fs, args); err != nil {
		return usageErr(err)
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: write ledgerline destination remove ID (see ledgerline destination list)", errUsage)
	}
	cfg, err := c.resolve(env)
	if err != nil {
		return err
	}
	w, err := openDestinations(ctx, cfg, env)
	if err != nil {
		return err
	}
	defer w.db.Close()
	id := fs.Arg(0)
	err = w.local.Remove(ctx, id, func(ctx context.Context) error {
		err := w.keychain.Delete(ctx, destinationAccount(id))
		if errors.Is(err, domain.ErrNotFound) {
			return nil // a destination without a password
		}
		return err
	})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(env.Stdout, "Removed destination %s and its password. The copy in PostgreSQL was left as it is.\n", id)
	return err
}

// password reads d's password from the keychain ("" when it has none).
func (w *destinationWorld) password(ctx context.Context, d destination.Destination) (string, error) {
	pw, err := w.keychain.Get(ctx, destinationAccount(d.ID))
	if errors.Is(err, domain.ErrNotFound) {
		return "", nil
	}
	return pw, err
}
