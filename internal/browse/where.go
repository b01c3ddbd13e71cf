package browse

import (
	"strings"
)

// where is a list of SQL conditions joined by AND, with their arguments.
// Column names come from the view specs, never from input.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w where) and(o where) where {
	return where{conds: append(append([]string{}, w.conds...), o.conds...), args: append(append([]any{}, w.args...), o.args...)}
}

func (w where) String() string { return strings.Join(w.conds, " AND ") }

// indexWhere are the conditions an index answers alone: the connection,
// the date range and, where an index holds it, the status. They select
// deleted rows too.
func (p plan) indexWhere() where {
	var w where
	w.add("connection_id = ?", p.q.ConnID)
	if p.snapshot == nil {
		// Keyset paging walks created; live rows always have one (only
		// tombstones of objects never seen lack it).
		w.add("created IS NOT NULL")
	}
	if !p.q.From.IsZero() {
		w.add("created >= ?", p.q.From.Unix())
	}
	if !p.q.To.IsZero() {
		w.add("created < ?", p.q.To.Unix())
	}
	if p.q.Status != "" && p.s.statusIndexed {
		w.add("status = ?", p.q.Status)
	}
	return w
}

// tableWhere are the conditions that need the table's rows: a status no
// index holds and the search.
func (p plan) tableWhere() where {
	var w where
	if p.q.Status != "" && !p.s.statusIndexed {
		w.add("status = ?", p.q.Status)
	}
	if p.q.Search != "" {
		cond, args := p.s.searchCond(p.q.Search)
		w.add(cond, args...)
	}
	return w
}

// liveWhere selects exactly the view's rows: deleted ones left out.
func (p plan) liveWhere() where {
	w := p.indexWhere().and(p.tableWhere())
	w.add("is_deleted = 0")
	return w
}

// searchCond turns a search term into a condition. A term starting like
// one of the view's own ids ("ch_3N…") matches ids starting with it
// through the primary key; one starting like another object's id
// ("cus_…") matches the column holding such ids exactly; anything else is
// a case-insensitive substring of the view's text columns.
func (s spec) searchCond(term string) (string, []any) {
	lower := strings.ToLower(term)
	for _, prefix := range s.ownIDs {
		if strings.HasPrefix(lower, prefix) {
			lo := prefix + term[len(prefix):]
			return "id >= ? AND id < ?", []any{lo, lo + "\U0010FFFF"}
		}
	}
	for prefix, col := range s.refIDs {
		if strings.HasPrefix(lower, prefix) {
			return col + " = ?", []any{prefix + term[len(prefix):]}
		}
	}
	pattern := "%" + escapeLike(term) + "%"
	ors := make([]string, len(s.search))
	args := make([]any, len(s.search))
	for i, col := range s.search {
		ors[i] = col + ` LIKE ? ESCAPE '\'`
		args[i] = pattern
	}
	return "(" + strings.Join(ors, " OR ") + ")", args
}

// escapeLike makes %, _ and \ in s match themselves in a LIKE pattern.
func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}
