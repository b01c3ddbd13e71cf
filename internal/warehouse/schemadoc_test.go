package warehouse

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/schema.md from the registry")

// schemaDocPath is docs/schema.md, from this package's directory.
var schemaDocPath = filepath.Join("..", "..", "docs", "schema.md")

// TestSchemaDoc fails when docs/schema.md is not what the registry and the
// migrated database describe; run it with -update to rewrite the file.
func TestSchemaDoc(t *testing.T) {
	e := newEnv(t)
	indexes := map[string][]string{}
	tables := []string{PayoutLinksTable}
	for _, ty := range Types() {
		tables = append(tables, ty.Table)
	}
	for _, table := range tables {
		rows, err := e.db.Reader().Query(`SELECT sql FROM sqlite_master
			WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name`, table)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var sql string
			rows.Scan(&sql)
			_, def, _ := strings.Cut(sql, " ON "+table+" ")
			indexes[table] = append(indexes[table], strings.Join(strings.Fields(def), " "))
		}
		rows.Close()
	}
	want := schemaMarkdown(indexes)
	if *update {
		if err := os.WriteFile(schemaDocPath, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(schemaDocPath)
	if err != nil {
		t.Fatalf("%v (generate it: go test ./internal/warehouse -run TestSchemaDoc -update)", err)
	}
	if string(got) != want {
		t.Errorf("%s is stale: regenerate it with go test ./internal/warehouse -run TestSchemaDoc -update", schemaDocPath)
	}
}
