package warehouse

import "github.com/valyala/fastjson"

// extract reads column c from the object v: the first of c's paths that is
// present and not null, converted to the column's kind. A value of another
// JSON type than expected is kept rather than refused (SQLite stores what
// it is given), so a field Stripe retypes in a new API version never stops
// a sync; the whole object stays in data either way.
func extract(v *fastjson.Value, c *Column) any {
	keys := c.keys
	if keys == nil {
		keys = splitPaths(c.From)
	}
	for _, path := range keys {
		f := v.Get(path...)
		if f == nil || f.Type() == fastjson.TypeNull {
			continue
		}
		if f.Type() == fastjson.TypeObject {
			// An expanded reference ("customer": {"id": "cus_…", …}):
			// the column holds the id, as when it is not expanded.
			f = f.Get("id")
			if f == nil || f.Type() == fastjson.TypeNull {
				continue
			}
		}
		return convert(f, c.Kind)
	}
	return nil
}

// convert turns a JSON scalar into the Go value stored for kind.
func convert(f *fastjson.Value, kind Kind) any {
	switch f.Type() {
	case fastjson.TypeString:
		return string(f.GetStringBytes())
	case fastjson.TypeTrue:
		if kind == Text {
			return "true"
		}
		return int64(1)
	case fastjson.TypeFalse:
		if kind == Text {
			return "false"
		}
		return int64(0)
	case fastjson.TypeNumber:
		if kind == Real {
			if x, err := f.Float64(); err == nil {
				return x
			}
		}
		if kind != Text {
			if n, err := f.Int64(); err == nil {
				return n
			}
			if x, err := f.Float64(); err == nil {
				return x
			}
		}
		return f.String() // the number as Stripe wrote it
	case fastjson.TypeArray:
		return f.String()
	}
	return nil
}
