package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/ledgerline/ledgerline/internal/app"
	"github.com/ledgerline/ledgerline/internal/connect"
	"github.com/ledgerline/ledgerline/internal/domain"
)

const connectUsage = `Usage: ledgerline connect stripe [--mode test|live] [--no-browser]
       ledgerline connect stripe --api-key-stdin < key.txt

Connect a Stripe account: your browser opens Stripe's sign-in page, you allow
read-only access, and Ledgerline saves the connection. With --no-browser the
sign-in address is printed on its own line for you to open anywhere on this
computer; the command waits until you finish or press Ctrl-C.

With --api-key-stdin, Ledgerline reads a restricted API key (rk_live_… or
rk_test_…) from standard input instead, checks it with Stripe and keeps it in
the system keychain. Create one in Stripe's dashboard under Developers › API
keys › Create restricted key.

`

func runConnect(ctx context.Context, args []string, c common, env Env) error {
	fs := newFlagSet("ledgerline connect", env, connectUsage)
	c.register(fs)
	mode := fs.String("mode", "", "ask for test or live mode access (default: the sign-in service's)")
	noBrowser := fs.Bool("no-browser", false, "print the sign-in address instead of opening a browser")
	keyStdin := fs.Bool("api-key-stdin", false, "read a restricted API key from standard input instead of signing in")
	if err := parseInterspersed(fs, args); err != nil {
		return usageErr(err)
	}
	if fs.NArg() != 1 || fs.Arg(0) != "stripe" {
		return fmt.Errorf("%w: say what to connect: ledgerline connect stripe", errUsage)
	}
	if *mode != "" && *mode != "test" && *mode != "live" {
		return fmt.Errorf("%w: --mode must be test or live, not %q", errUsage, *mode)
	}
	if *keyStdin && (*mode != "" || *noBrowser) {
		return fmt.Errorf("%w: --api-key-stdin takes neither --mode (the key decides) nor --no-browser", errUsage)
	}
	a, err := openApp(ctx, c, env, *mode, *noBrowser)
	if err != nil {
		return err
	}
	defer a.Close()
	var conn domain.Connection
	if *keyStdin {
		conn, err = withKeyFromStdin(ctx, env, a.Connect.ConnectWithAPIKey)
	} else {
		conn, err = a.Connect.ConnectStripe(ctx)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Connection successful! %s (%s, %s mode) is connected as %s.\n", conn.Name, conn.AccountID, modeWord(conn), conn.ID)
	return nil
}

func runReauth(ctx context.Context, args []string, c common, env Env) error {
	fs := newFlagSet("ledgerline reauth", env, "Usage: ledgerline reauth ID [--no-browser | --api-key-stdin]\n\nSign in to Stripe again for connection ID (see ledgerline connections),\nor give an API-key connection a new key on standard input.\n\n")
	c.register(fs)
	noBrowser := fs.Bool("no-browser", false, "print the sign-in address instead of opening a browser")
	keyStdin := fs.Bool("api-key-stdin", false, "read the connection's new API key from standard input")
	if err := parseInterspersed(fs, args); err != nil {
		return usageErr(err)
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: say which connection: ledgerline reauth ID", errUsage)
	}
	a, err := openApp(ctx, c, env, "", *noBrowser)
	if err != nil {
		return err
	}
	defer a.Close()
	id := fs.Arg(0)
	var conn domain.Connection
	if *keyStdin {
		conn, err = withKeyFromStdin(ctx, env, func(ctx context.Context, key string) (domain.Connection, string, error) {
			return a.Connect.ReauthenticateWithAPIKey(ctx, id, key)
		})
	} else {
		conn, err = a.Connect.Reauthenticate(ctx, id)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Connection successful! %s (%s) is connected again.\n", conn.Name, conn.AccountID)
	return nil
}

func runDisconnect(ctx context.Context, args []string, c common, env Env) error {
	fs := newFlagSet("ledgerline disconnect", env, "Usage: ledgerline disconnect ID [--delete-data]\n\nRevoke Ledgerline's access to connection ID and forget its secrets.\nThe data already copied is kept unless you pass --delete-data.\n\n")
	c.register(fs)
	deleteData := fs.Bool("delete-data", false, "also delete the connection's data on this computer")
	if err := parseInterspersed(fs, args); err != nil {
		return usageErr(err)
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: say which connection: ledgerline disconnect ID", errUsage)
	}
	a, err := openApp(ctx, c, env, "", true)
	if err != nil {
		return err
	}
	defer a.Close()
	conn, err := a.Store.GetConnection(ctx, fs.Arg(0))
	if err != nil {
		return fmt.Errorf("no connection %q (see ledgerline connections): %w", fs.Arg(0), err)
	}
	reason, err := a.Connect.Disconnect(ctx, conn.ID, *deleteData)
	if err != nil {
		// Nothing was forgotten: the access is still there to revoke.
		return &labeled{label: conn.Name + " is still connected, and nothing was removed; try again with ledgerline disconnect " + conn.ID, err: err}
	}
	fmt.Fprintf(env.Stdout, "%s (%s) is disconnected.\n", conn.Name, conn.AccountID)
	if reason == domain.KindDisconnectedUnconfirmed || reason == domain.KindDisconnectedKey {
		fmt.Fprintln(env.Stdout, sentence(reason, nil))
	}
	return nil
}

// openApp builds the app for a command that may sign in. The browser seam
// prints the address on its own line, and opens it unless noBrowser.
func openApp(ctx context.Context, c common, env Env, mode string, noBrowser bool) (*app.App, error) {
	cfg, err := c.resolve(env)
	if err != nil {
		return nil, err
	}
	open := func(url string) error {
		if noBrowser || env.OpenBrowser == nil {
			fmt.Fprintln(env.Stderr, "Open this address in your browser to sign in to Stripe:")
			fmt.Fprintln(env.Stdout, url)
			return nil
		}
		fmt.Fprintln(env.Stderr, "Opening your browser to sign in to Stripe. If it doesn't open, visit:\n"+url)
		return env.OpenBrowser(url)
	}
	return app.Open(ctx, cfg, app.Options{OpenURL: open, Now: env.Now, Mode: mode, KeychainBackend: env.Keychain})
}

func modeWord(c domain.Connection) string {
	if c.Livemode {
		return "live"
	}
	return "test"
}

// withKeyFromStdin reads a pasted key from standard input (at most 64 KiB:
// the key parser says what is wrong with anything that is not a key), hands
// it to use, and prints use's warning, if any, on standard error.
func withKeyFromStdin(ctx context.Context, env Env, use func(ctx context.Context, key string) (domain.Connection, string, error)) (domain.Connection, error) {
	b, err := io.ReadAll(io.LimitReader(env.Stdin, 64<<10))
	if err != nil {
		return domain.Connection{}, fmt.Errorf("reading the API key from standard input: %w", err)
	}
	conn, warning, err := use(ctx, string(b))
	if err == nil && warning != "" {
		fmt.Fprintln(env.Stderr, "Warning:", warningText(warning))
	}
	return conn, err
}

// warningText words a connect warning code for the terminal.
func warningText(code string) string {
	switch code {
	case connect.WarningSecretKey:
		return "This is a secret key, which can change anything in your Stripe account. Ledgerline only reads, " +
			"so a read-only restricted key is safer: in Stripe's dashboard, open Developers › API keys › Create restricted key, " +
			"give it Read access to the data you want in Ledgerline, and reconnect with `ledgerline reauth ID --api-key-stdin`."
	}
	return code
}
