package sandbox

import "strconv"

// rev is the revision of an object a generator renders: v counts updates
// (0 = as generated) and at is when revision v was made (0 for v = 0).
type rev struct {
	v  int
	at int64
}

// current is the latest revision of object i of kind k. Callers hold d.mu.
func (d *dataset) current(k kind, i int) rev {
	v := d.version(k, i)
	if v == 0 {
		return rev{}
	}
	return rev{v: v, at: d.ov[k].updated[int32(i)]}
}

// kid writes "key": "<id>".
func (w *jw) kid(key string, d *dataset, f family, lead byte, i int) {
	w.key(key)
	w.b = append(w.b, '"')
	w.b = d.appendID(w.b, f, lead, i)
	w.b = append(w.b, '"')
}

// kidOr writes the id, or null when i < 0.
func (w *jw) kidOr(key string, d *dataset, f family, lead byte, i int) {
	if i < 0 {
		w.knull(key)
		return
	}
	w.kid(key, d, f, lead, i)
}

// kaux writes "key": "<prefix><n characters drawn from (what, i)>".
func (w *jw) kaux(key string, d *dataset, prefix string, what uint64, i, n int) {
	w.key(key)
	w.b = append(w.b, '"')
	w.b = d.auxID(w.b, prefix, what, i, n)
	w.b = append(w.b, '"')
}

// metadata writes the object's metadata: {} as generated, and the revision
// number after updates, so a test can see an update arrive.
func (w *jw) metadata(r rev) {
	if r.v == 0 {
		w.kempty("metadata")
		return
	}
	w.kobj("metadata")
	w.key("revision")
	w.b = append(w.b, '"')
	w.b = strconv.AppendInt(w.b, int64(r.v), 10)
	w.b = append(w.b, '"')
	w.end('}')
}

// person is a made-up customer identity.
type person struct{ first, last string }

func (d *dataset) person(what uint64, i int) person {
	h := d.hash(what, i, sName)
	return person{firstNames[h%uint64(len(firstNames))], lastNames[(h>>16)%uint64(len(lastNames))]}
}

// appendLowerLetters appends s in lower case, letters only.
func appendLowerLetters(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
		case c >= 'a' && c <= 'z':
			b = append(b, c)
		}
	}
	return b
}

// kemail writes "first.last<n>@example.com", with "+r<v>" after updates.
func (w *jw) kemail(key string, p person, n int, v int) {
	w.key(key)
	w.b = append(w.b, '"')
	w.b = appendEmail(w.b, p, n, v)
	w.b = append(w.b, '"')
}

func appendEmail(b []byte, p person, n int, v int) []byte {
	b = appendLowerLetters(b, p.first)
	b = append(b, '.')
	b = appendLowerLetters(b, p.last)
	b = strconv.AppendInt(b, int64(n%1000), 10)
	if v > 0 {
		b = append(b, "+r"...)
		b = strconv.AppendInt(b, int64(v), 10)
	}
	return append(b, "@example.com"...)
}

// kname writes "First Last".
func (w *jw) kname(key string, p person) {
	w.key(key)
	w.b = append(w.b, '"')
	w.b = append(w.b, p.first...)
	w.b = append(w.b, ' ')
	w.b = append(w.b, p.last...)
	w.b = append(w.b, '"')
}

// place picks an address in the account's country most of the time.
func (d *dataset) place(what uint64, i int) place {
	h := d.hash(what, i, sAddr)
	if h%5 != 0 {
		var local [len(places)]int
		n := 0
		for k := range places {
			if places[k].country == d.acct.Country {
				local[n] = k
				n++
			}
		}
		if n > 0 {
			return places[local[(h>>8)%uint64(n)]]
		}
	}
	return places[(h>>8)%uint64(len(places))]
}

// address writes a Stripe address object for (what, i).
func (w *jw) address(key string, d *dataset, what uint64, i int) {
	p := d.place(what, i)
	h := d.hash(what, i, sAddr+100)
	w.kobj(key)
	w.kstr("city", p.city)
	w.kstr("country", p.country)
	w.key("line1")
	w.b = append(w.b, '"')
	w.b = strconv.AppendInt(w.b, int64(1+h%240), 10)
	w.b = append(w.b, ' ')
	w.b = append(w.b, streets[(h>>12)%uint64(len(streets))]...)
	w.b = append(w.b, '"')
	w.knull("line2")
	w.kstr("postal_code", p.postal)
	w.kstrOr("state", p.state)
	w.end('}')
}

// kamountDecimal writes an integer amount as Stripe's decimal string field.
func (w *jw) kamountDecimal(key string, v int64) {
	w.key(key)
	w.b = append(w.b, '"')
	w.b = strconv.AppendInt(w.b, v, 10)
	w.b = append(w.b, '"')
}

// convert turns amount in currency from into currency to at a rough rate.
func convert(amount int64, from, to string) (int64, string) {
	v, rate := convertAmount(amount, from, to)
	if rate == 0 {
		return v, ""
	}
	return v, strconv.FormatFloat(rate, 'f', 6, 64)
}

// convertAmount is convert without the rate's text (0 when none).
func convertAmount(amount int64, from, to string) (int64, float64) {
	if from == to {
		return amount, 0
	}
	f, t := toUSDPermille[from], toUSDPermille[to]
	if f == 0 || t == 0 {
		return amount, 0
	}
	rate := float64(f) / float64(t)
	return int64(float64(amount)*rate + 0.5), rate
}

// Days and months, for periods.
const day = 24 * 3600
