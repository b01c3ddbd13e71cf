package destination

import (
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite pgmigrations/0002_warehouse.sql and docs/postgres-schema.md from the registry")

// TestPGMigration: the embedded migration creating the warehouse's tables
// in PostgreSQL is the one the registry gives, so a column added to the
// registry cannot be forgotten here.
func TestPGMigration(t *testing.T) {
	const file = "pgmigrations/0002_warehouse.sql"
	want := warehouseDDL()
	if *update {
		if err := os.WriteFile(file, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("%s is not what the registry gives; run go test ./internal/destination -run TestPGMigration -update", file)
	}
	const doc = "../../docs/postgres-schema.md"
	if *update {
		if err := os.WriteFile(doc, []byte(SchemaDoc()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if b, err := os.ReadFile(doc); err != nil || string(b) != SchemaDoc() {
		t.Fatalf("%s is stale or missing (%v); run go test ./internal/destination -run TestPGMigration -update", doc, err)
	}
	ms, err := pgMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[1].body != want {
		t.Fatalf("embedded migrations: %d, want 2 ending with the warehouse's", len(ms))
	}
}
