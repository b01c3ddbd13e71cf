package browse

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// Field is one leaf of an object: its path ("payment_method_details.card.brand",
// arrays indexed: "lines.data.0.amount") and its value as compact text
// (strings unquoted, numbers and true/false as JSON writes them, "{}" and
// "[]" for empty ones).
type Field struct{ Path, Value string }

// objectOnly are the kinds Object opens besides the views: objects a
// report's rows name that have no data tab of their own (a payout's
// balance transactions), by name, each with its table.
var objectOnly = map[string]string{
	ObjectBalanceTransactions: "stripe_balance_transactions",
}

// ObjectBalanceTransactions names balance transactions for Object.
const ObjectBalanceTransactions = "balance_transactions"

// Object returns the fields of one object of a view (or of an object-only
// kind, ObjectBalanceTransactions), for the row-details dialog: the stored
// JSON flattened in document order. An object deleted in Stripe (it is
// kept, but left out of the views) starts with the field
// {"deleted", "true"}. Errors: ErrInvalidQuery for an unknown view; an
// error wrapping domain.ErrNotFound when the connection has no such object.
func (b *Browser) Object(ctx context.Context, view, connID, id string) ([]Field, error) {
	table, ok := objectOnly[view]
	if s, isView := specByName(view); isView {
		table, ok = s.table, true
	}
	if !ok {
		return nil, invalidQuery("there is no view called %q", view)
	}
	var data string
	var deleted bool
	err := b.db.QueryRowContext(ctx, "SELECT data, is_deleted FROM "+table+" WHERE connection_id = ? AND id = ?",
		connID, id).Scan(&data, &deleted)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%s: no object %s: %w", view, id, domain.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s %s: %w", table, id, err)
	}
	fields, err := flatten([]byte(data))
	if err != nil {
		return nil, fmt.Errorf("reading %s %s: the stored object is not valid JSON: %w", table, id, err)
	}
	if deleted && !hasDeletedTrue(fields) {
		fields = append([]Field{{Path: "deleted", Value: "true"}}, fields...)
	}
	return fields, nil
}

func hasDeletedTrue(fs []Field) bool {
	for _, f := range fs {
		if f.Path == "deleted" && f.Value == "true" {
			return true
		}
	}
	return false
}

// flatten lists the leaves of a JSON document in document order.
func flatten(doc []byte) ([]Field, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var out []Field
	if err := flattenValue(dec, "", &out); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the object")
	}
	return out, nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func flattenValue(dec *json.Decoder, path string, out *[]Field) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case json.Delim:
		empty := "{}"
		if t == '[' {
			empty = "[]"
		}
		n := 0
		for dec.More() {
			child := strconv.Itoa(n)
			if t == '{' {
				k, err := dec.Token()
				if err != nil {
					return err
				}
				child = k.(string)
			}
			if err := flattenValue(dec, join(path, child), out); err != nil {
				return err
			}
			n++
		}
		if _, err := dec.Token(); err != nil { // the closing delimiter
			return err
		}
		if n == 0 && path != "" {
			*out = append(*out, Field{Path: path, Value: empty})
		}
	case string:
		*out = append(*out, Field{Path: path, Value: t})
	case json.Number:
		*out = append(*out, Field{Path: path, Value: t.String()})
	case bool:
		*out = append(*out, Field{Path: path, Value: strconv.FormatBool(t)})
	case nil:
		*out = append(*out, Field{Path: path, Value: "null"})
	}
	return nil
}
