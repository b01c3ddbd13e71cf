package warehouse

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/valyala/fastjson"
)

// Row is one object ready to be written by Apply: its typed columns pulled
// out and its JSON compacted. Prepare makes Rows; a caller may set ParentID,
// Children and ChildrenComplete itself (after fetching all of a parent's
// children, say).
type Row struct {
	ID string
	// Created is the object's created time in unix seconds; 0 is stored as
	// NULL (types without one, tombstones).
	Created int64
	// Livemode is the object's livemode; when Stripe leaves it out (refunds,
	// balance transactions, subscription items, tombstones) Apply stores
	// the connection's mode.
	Livemode sql.NullBool
	// Deleted marks the object deleted in Stripe: Apply sets is_deleted = 1.
	Deleted bool
	// Version is the unix-ms time of the state the row holds (the event's
	// created time, or when the page was fetched). An existing row with a
	// greater version is never overwritten.
	Version int64
	// Values holds one value per Type.Columns entry: string, int64,
	// float64 or nil (NULL).
	Values []any
	// Data is the object as compact JSON without null fields.
	Data string
	// ParentID is, for a child row, its parent's id; Apply stores it in the
	// type's ParentColumn.
	ParentID string
	// Children are, for a parent row, the children embedded in the object
	// (an invoice's lines, a subscription's items), or all of them when the
	// caller fetched the rest.
	Children []Row
	// Expanded are, for a type with an Expansion whose object came
	// expanded, the inner objects as rows of the Expansion's type (with the
	// outer row's version); Data holds their ids in their place. Apply
	// writes them to their own table.
	Expanded []Row
	// ChildrenComplete is true when Children are all the parent's children
	// (the embedded list had has_more false): Apply then marks the children
	// it holds that are not among them deleted. When false, Apply only
	// upserts Children.
	ChildrenComplete bool
	// stub: the object held nothing but id, object and deleted (Stripe's
	// answer to a deletion), so Apply keeps what the row already holds.
	stub bool
}

// parsers reuses fastjson's parsers, which keep their buffers between
// objects; a pool holds no state anyone can observe.
var parsers fastjson.ParserPool

// ErrBadObject is wrapped by Prepare's errors: the bytes are not a Stripe
// object of the type asked for (not JSON, no id, another type).
var ErrBadObject = errors.New("not a valid Stripe object")

// Prepare turns one Stripe object of type t, as raw JSON, into a Row:
// typed columns read with fastjson, the JSON compacted with null fields
// left out (json_extract finds every field the object had, except nulls).
// version is the row's version (see Row.Version); deleted marks it deleted,
// as does "deleted": true in the object. For a parent type the children
// embedded in the object come back as Children, with the parent's version.
//
// Errors wrap ErrBadObject and name the type and, when known, the id; they
// never quote the object's contents.
func Prepare(t Type, raw []byte, version int64, deleted bool) (Row, error) {
	p := parsers.Get()
	defer parsers.Put(p)
	v, err := p.ParseBytes(raw)
	if err != nil {
		// fastjson quotes the unparsed tail, which may hold a client_secret.
		msg, _, _ := strings.Cut(err.Error(), "; unparsed tail")
		return Row{}, fmt.Errorf("%w: a %s is not valid JSON (%s)", ErrBadObject, t.Object, msg)
	}
	return prepareValue(t, v, version, deleted)
}

// prepareValue is Prepare on a parsed object.
func prepareValue(t Type, v *fastjson.Value, version int64, deleted bool) (Row, error) {
	o, err := v.Object()
	if err != nil {
		return Row{}, fmt.Errorf("%w: a %s is a JSON %s, not an object", ErrBadObject, t.Object, v.Type())
	}
	id := string(v.GetStringBytes("id"))
	if id == "" {
		return Row{}, fmt.Errorf("%w: a %s has no id", ErrBadObject, t.Object)
	}
	if obj := v.GetStringBytes("object"); obj != nil && string(obj) != t.Object {
		return Row{}, fmt.Errorf("%w: %s is a %s, not a %s", ErrBadObject, id, obj, t.Object)
	}
	r := Row{ID: id, Version: version, Deleted: deleted || v.GetBool("deleted"), stub: isStub(o)}
	if lm := v.Get("livemode"); lm != nil && lm.Type() != fastjson.TypeNull {
		b, err := lm.Bool()
		if err != nil {
			return Row{}, fmt.Errorf("%w: %s %s: livemode is not true or false", ErrBadObject, t.Object, id)
		}
		r.Livemode = sql.NullBool{Bool: b, Valid: true}
	}
	if t.HasCreated {
		r.Created = v.GetInt64("created")
	}
	if x := t.Expands; x != nil && x.inner != nil {
		var arena fastjson.Arena
		if err := prepareExpanded(&r, x, o, version, &arena); err != nil {
			return Row{}, fmt.Errorf("%w: %s %s: %v", ErrBadObject, t.Object, id, err)
		}
	}
	r.Values = make([]any, len(t.Columns))
	for i := range t.Columns {
		r.Values[i] = extract(v, &t.Columns[i])
	}
	data, err := appendCompact(make([]byte, 0, 2048), v)
	if err != nil {
		return Row{}, fmt.Errorf("%w: %s %s: %v", ErrBadObject, t.Object, id, err)
	}
	r.Data = string(data)
	if t.ParentColumn != "" {
		if s, ok := r.Values[t.columnIndex(t.ParentColumn)].(string); ok {
			r.ParentID = s
		}
	}
	if t.child != nil {
		if err := prepareChildren(&r, *t.child, v); err != nil {
			return Row{}, fmt.Errorf("%s %s: %w", t.Object, id, err)
		}
	}
	return r, nil
}

// prepareChildren fills parent's Children from the list embedded in the
// parent object under child.EmbeddedField. Without such a list (an old API
// version, a trimmed object) the children are unknown: none, incomplete.
func prepareChildren(parent *Row, child Type, v *fastjson.Value) error {
	list := v.Get(child.EmbeddedField)
	if list == nil || list.Type() != fastjson.TypeObject {
		return nil
	}
	items := list.GetArray("data")
	parent.Children = make([]Row, 0, len(items))
	for i, item := range items {
		c, err := prepareValue(child, item, parent.Version, parent.Deleted)
		if err != nil {
			return fmt.Errorf("%s item %d: %w", child.EmbeddedField, i+1, err)
		}
		c.ParentID = parent.ID
		if !c.Livemode.Valid {
			c.Livemode = parent.Livemode
		}
		parent.Children = append(parent.Children, c)
	}
	parent.ChildrenComplete = list.Get("data") != nil && !list.GetBool("has_more")
	return nil
}

// isStub reports whether o holds only id, object and deleted: the shape of
// Stripe's answer to a deletion, which says nothing else about the object.
func isStub(o *fastjson.Object) bool {
	stub := true
	o.Visit(func(k []byte, _ *fastjson.Value) {
		switch string(k) {
		case "id", "object", "deleted":
		default:
			stub = false
		}
	})
	return stub
}
