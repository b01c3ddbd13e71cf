package testkit

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// PostgresBin is where Debian's PostgreSQL 15 keeps its programs.
const PostgresBin = "/usr/lib/postgresql/15/bin"

// PostgresPassword is the superuser's password in a Postgres cluster.
const PostgresPassword = "pg-test-superuser-pw"

// Postgres is a throwaway PostgreSQL cluster in a temporary folder,
// listening on 127.0.0.1 at a free port (and a Unix socket in its folder),
// with password (scram-sha-256) authentication for every user.
type Postgres struct {
	t    testing.TB
	Dir  string // the cluster's folder (data in Dir/data)
	Port int
	// asPostgres: PostgreSQL refuses to run as root, so as root the
	// cluster belongs to the postgres user and its programs run through
	// runuser.
	asPostgres bool
}

// StartPostgres initialises and starts a cluster for t, stopped
// (immediately) and removed when t ends. It skips t, saying why, when
// PostgreSQL's programs are missing (Debian: apt-get install postgresql)
// or, as root, when there is no postgres user.
func StartPostgres(t testing.TB) *Postgres {
	t.Helper()
	if _, err := os.Stat(filepath.Join(PostgresBin, "initdb")); err != nil {
		t.Skipf("PostgreSQL 15 is not installed (%s/initdb missing; apt-get install postgresql)", PostgresBin)
	}
	p := &Postgres{t: t, asPostgres: os.Geteuid() == 0}
	dir, err := os.MkdirTemp("", "ledgerline-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	p.Dir = dir
	if p.asPostgres {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skipf("running as root and there is no postgres user to run PostgreSQL as: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chmod(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	pw := filepath.Join(dir, "pwfile")
	if err := os.WriteFile(pw, []byte(PostgresPassword+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p.run("initdb", "-D", p.data(), "-U", "postgres", "--auth=scram-sha-256", "--pwfile="+pw, "--no-sync", "-E", "UTF8", "--locale=C.UTF-8")
	p.Port = freePort(t)
	p.Start()
	t.Cleanup(p.Stop)
	return p
}

func (p *Postgres) data() string { return filepath.Join(p.Dir, "data") }

// run runs one of PostgreSQL's programs (as postgres when root) and fails
// the test, with its output, when it fails.
func (p *Postgres) run(prog string, args ...string) {
	p.t.Helper()
	if out, err := p.command(prog, args...).CombinedOutput(); err != nil {
		p.t.Fatalf("%s %s: %v\n%s", prog, strings.Join(args, " "), err, out)
	}
}

func (p *Postgres) command(prog string, args ...string) *exec.Cmd {
	path := filepath.Join(PostgresBin, prog)
	if p.asPostgres {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	}
	return exec.Command(path, args...)
}

// Start starts the cluster (again) and waits until it accepts connections.
func (p *Postgres) Start() {
	p.t.Helper()
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off", p.Port, p.Dir)
	p.run("pg_ctl", "-D", p.data(), "-l", filepath.Join(p.Dir, "log"), "-w", "-o", opts, "start")
}

// Stop stops the cluster at once (-m immediate: like a crash; it
// recovers from its WAL when started again). Stopping a stopped cluster
// does nothing.
func (p *Postgres) Stop() {
	_ = p.command("pg_ctl", "-D", p.data(), "-m", "immediate", "-w", "stop").Run()
}

// URL is a connection string for user with password to database db over
// TCP.
func (p *Postgres) URL(userName, password, db string) string {
	u := url.URL{Scheme: "postgres", User: url.UserPassword(userName, password),
		Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(p.Port)), Path: "/" + db, RawQuery: "sslmode=disable"}
	return u.String()
}

// SuperURL is the superuser's connection string to database db.
func (p *Postgres) SuperURL(db string) string { return p.URL("postgres", PostgresPassword, db) }

// SQL runs statements as the superuser in database db with psql and
// returns its unaligned output.
func (p *Postgres) SQL(db, statements string) string {
	p.t.Helper()
	cmd := exec.Command(filepath.Join(PostgresBin, "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", p.SuperURL(db), "-c", statements)
	out, err := cmd.CombinedOutput()
	if err != nil {
		p.t.Fatalf("psql: %v\n%s", err, out)
	}
	return strings.TrimSpace(string(out))
}

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
