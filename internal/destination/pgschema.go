package destination

import (
	"fmt"
	"strings"

	"github.com/ledgerline/ledgerline/internal/warehouse"
)

// The PostgreSQL tables: the warehouse's, with native types. Times (unix
// seconds in SQLite) are timestamptz, 0/1 are boolean, amounts and counts
// bigint, data jsonb; the primary key is (connection_id, id). The DDL is
// generated from the warehouse's registry into pgmigrations (a test keeps
// the file and the registry in step; `go test -run TestPGMigration -update`
// rewrites it).

// pgKind is how a column's SQLite value becomes a PostgreSQL value.
type pgKind int

const (
	pgText pgKind = iota
	pgBigint
	pgDouble
	pgBool
	pgUnixTime // INTEGER unix seconds -> timestamptz
	pgRFC3339  // TEXT RFC 3339 -> timestamptz
	pgJSON     // TEXT JSON -> jsonb
)

func (k pgKind) sqlType() string {
	switch k {
	case pgBigint:
		return "bigint"
	case pgDouble:
		return "double precision"
	case pgBool:
		return "boolean"
	case pgUnixTime, pgRFC3339:
		return "timestamptz"
	case pgJSON:
		return "jsonb"
	}
	return "text"
}

// column is one column of a replicated table.
type column struct {
	name    string
	kind    pgKind
	notNull bool
	// sqliteType is the SQLite side as docs/schema.md names it.
	sqliteType string
}

// table is one replicated table: its columns in order, the same in SQLite
// and PostgreSQL.
type table struct {
	name    string
	columns []column
	indexes [][]string // besides the primary key
}

func fromWarehouseKind(k warehouse.Kind) pgKind {
	switch k {
	case warehouse.Integer:
		return pgBigint
	case warehouse.Real:
		return pgDouble
	case warehouse.Bool:
		return pgBool
	case warehouse.Time:
		return pgUnixTime
	}
	return pgText
}

// tables returns every replicated table, in the registry's order.
func tables() []table {
	var out []table
	for _, t := range warehouse.Types() {
		tb := table{name: t.Table}
		tb.columns = append(tb.columns,
			column{"connection_id", pgText, true, "TEXT"},
			column{"id", pgText, true, "TEXT"},
			column{"created", pgUnixTime, false, "INTEGER unix s"},
			column{"livemode", pgBool, true, "INTEGER 0/1"},
			column{"is_deleted", pgBool, true, "INTEGER 0/1"},
			column{"synced_at", pgRFC3339, true, "TEXT RFC 3339"},
			column{"version", pgBigint, true, "INTEGER unix ms"},
		)
		for _, c := range t.Columns {
			tb.columns = append(tb.columns, column{c.Name, fromWarehouseKind(c.Kind), false, c.Kind.String()})
		}
		tb.columns = append(tb.columns, column{"data", pgJSON, true, "TEXT JSON"})
		if t.HasCreated {
			tb.indexes = append(tb.indexes, []string{"connection_id", "created DESC"})
		}
		if t.ParentColumn != "" {
			tb.indexes = append(tb.indexes, []string{"connection_id", t.ParentColumn})
		}
		for _, c := range t.Columns {
			if c.Name == "customer" && (t.Name == "invoices" || t.Name == "subscriptions") {
				tb.indexes = append(tb.indexes, []string{"connection_id", "customer"})
			}
		}
		out = append(out, tb)
	}
	return out
}

func tableByName(name string) (table, bool) {
	for _, t := range tables() {
		if t.name == name {
			return t, true
		}
	}
	return table{}, false
}

func (t table) columnNames() []string {
	out := make([]string, len(t.columns))
	for i, c := range t.columns {
		out[i] = c.name
	}
	return out
}

// warehouseDDL is the PostgreSQL migration creating the tables.
func warehouseDDL() string {
	var b strings.Builder
	b.WriteString("-- Generated from internal/warehouse's registry by internal/destination\n")
	b.WriteString("-- (go test ./internal/destination -run TestPGMigration -update). Do not edit.\n")
	for _, t := range tables() {
		fmt.Fprintf(&b, "\nCREATE TABLE %s (\n", t.name)
		for _, c := range t.columns {
			fmt.Fprintf(&b, "    %-22s %s", c.name, c.kind.sqlType())
			if c.notNull {
				b.WriteString(" NOT NULL")
			}
			if c.name == "is_deleted" {
				b.WriteString(" DEFAULT false")
			}
			b.WriteString(",\n")
		}
		b.WriteString("    PRIMARY KEY (connection_id, id)\n);\n")
		for _, ix := range t.indexes {
			name := t.name + "_by_" + strings.Fields(ix[len(ix)-1])[0]
			fmt.Fprintf(&b, "CREATE INDEX %s ON %s (%s);\n", name, t.name, strings.Join(ix, ", "))
		}
		fmt.Fprintf(&b, "CREATE INDEX %s_deleted ON %s (connection_id) WHERE is_deleted;\n", t.name, t.name)
	}
	return b.String()
}
