package warehouse

import "strings"

// tableSQL holds the statements Apply and Counts run on one table, built
// once from the registry. Table and column names come only from the
// registry, never from input.
type tableSQL struct {
	t Type
	// upsert writes a whole row unless the stored one has a greater
	// version. Arguments: the common columns, the typed columns, data.
	upsert string
	// tombstone marks a row deleted, inserting it when it was never seen,
	// and keeps whatever else it holds. Arguments: connection_id, id,
	// livemode, synced_at, version, data.
	tombstone string
	// orphans (children only) marks deleted the live children of a parent
	// older than a version: those absent from the parent's complete list.
	// Arguments: synced_at, version, connection_id, parent id, version.
	orphans string
	// parentGone (children only) is orphans for a deleted parent: every
	// child up to its version.
	parentGone   string
	countAll     string
	countDeleted string
	parentIdx    int // index in Values of the ParentColumn, or -1
}

// leading are the columns before the typed ones, in the order upsert's
// arguments give them.
var leading = []string{"connection_id", "id", "created", "livemode", "is_deleted", "synced_at", "version"}

func buildSQL(t Type) *tableSQL {
	cols := append([]string{}, leading...)
	for _, c := range t.Columns {
		cols = append(cols, c.Name)
	}
	cols = append(cols, "data")

	var b strings.Builder
	b.WriteString("INSERT INTO " + t.Table + " (" + strings.Join(cols, ", ") + ") VALUES (")
	b.WriteString(strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", "))
	b.WriteString(") ON CONFLICT (connection_id, id) DO UPDATE SET ")
	for i, c := range cols[2:] {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c + " = excluded." + c)
	}
	b.WriteString(" WHERE excluded.version >= " + t.Table + ".version")

	s := &tableSQL{
		t:      t,
		upsert: b.String(),
		tombstone: "INSERT INTO " + t.Table + " (connection_id, id, livemode, is_deleted, synced_at, version, data)" +
			" VALUES (?, ?, ?, 1, ?, ?, ?) ON CONFLICT (connection_id, id) DO UPDATE SET" +
			" is_deleted = 1, synced_at = excluded.synced_at, version = excluded.version" +
			" WHERE excluded.version >= " + t.Table + ".version",
		countAll:     "SELECT count(*) FROM " + t.Table + " WHERE connection_id = ?",
		countDeleted: "SELECT count(*) FROM " + t.Table + " WHERE connection_id = ? AND is_deleted = 1",
		parentIdx:    -1,
	}
	if t.ParentColumn != "" {
		s.parentIdx = t.columnIndex(t.ParentColumn)
		mark := "UPDATE " + t.Table + " SET is_deleted = 1, synced_at = ?, version = ?" +
			" WHERE connection_id = ? AND " + t.ParentColumn + " = ? AND is_deleted = 0 AND version "
		s.orphans = mark + "< ?"
		s.parentGone = mark + "<= ?"
	}
	return s
}
