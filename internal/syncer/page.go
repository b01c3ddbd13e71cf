package syncer

import (
	"bytes"
	"errors"
)

// A list page is read without encoding/json: stripe-go's CallRaw would
// unmarshal every page (checkValid plus a decode into json.RawMessage each
// object), which profiling showed took about 45% of a backfill's CPU. The
// page's body comes through CallStreaming instead, and splitPage finds the
// objects in it with one pass over the bytes: their spans, handed to
// warehouse.Prepare, which parses (and so checks) each object fully.

// page is one list page: its objects as spans of the body, newest first.
type page struct {
	Object  string
	Data    [][]byte
	HasMore bool
}

var errBadPage = errors.New("the answer was not a JSON list page")

// splitPage reads a list page's top level ({"object":"list","data":[…],
// "has_more":…}) and the spans of the objects in data. It checks the
// structure (balanced brackets, closed strings) but not the objects'
// insides; Prepare does that.
func splitPage(body []byte) (page, error) {
	var p page
	s := scanner{b: body}
	if !s.byte('{') {
		return p, errBadPage
	}
	if s.peek() == '}' {
		s.i++
		return p, s.end()
	}
	for {
		key, ok := s.str()
		if !ok || !s.byte(':') {
			return p, errBadPage
		}
		switch string(key) {
		case "object":
			v, ok := s.str()
			if !ok {
				return p, errBadPage
			}
			p.Object = string(v)
		case "has_more":
			s.space()
			switch {
			case bytes.HasPrefix(s.b[s.i:], []byte("true")):
				p.HasMore, s.i = true, s.i+4
			case bytes.HasPrefix(s.b[s.i:], []byte("false")):
				s.i += 5
			default:
				return p, errBadPage
			}
		case "data":
			items, ok := s.array()
			if !ok {
				return p, errBadPage
			}
			p.Data = items
		default:
			if !s.skip() {
				return p, errBadPage
			}
		}
		s.space()
		if s.i >= len(s.b) {
			return p, errBadPage
		}
		c := s.b[s.i]
		s.i++
		if c == '}' {
			return p, s.end()
		}
		if c != ',' {
			return p, errBadPage
		}
	}
}

// scanner walks JSON bytes.
type scanner struct {
	b []byte
	i int
}

func (s *scanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *scanner) peek() byte {
	s.space()
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

// byte consumes c after any space.
func (s *scanner) byte(c byte) bool {
	if s.peek() != c {
		return false
	}
	s.i++
	return true
}

// end accepts only trailing space.
func (s *scanner) end() error {
	s.space()
	if s.i != len(s.b) {
		return errBadPage
	}
	return nil
}

// str reads a string and returns its raw contents (escapes left as they are).
func (s *scanner) str() ([]byte, bool) {
	if !s.byte('"') {
		return nil, false
	}
	start := s.i
	if !s.skipString() {
		return nil, false
	}
	return s.b[start : s.i-1], true
}

// skipString moves past the closing quote of a string whose opening quote
// was consumed.
func (s *scanner) skipString() bool {
	for s.i < len(s.b) {
		j := bytes.IndexAny(s.b[s.i:], "\"\\")
		if j < 0 {
			return false
		}
		s.i += j
		if s.b[s.i] == '\\' {
			s.i += 2
			continue
		}
		s.i++
		return true
	}
	return false
}

// skip moves past one value.
func (s *scanner) skip() bool {
	switch s.peek() {
	case '"':
		s.i++
		return s.skipString()
	case '{', '[':
		depth := 0
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case '"':
				s.i++
				if !s.skipString() {
					return false
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					s.i++
					return true
				}
			}
			s.i++
		}
		return false
	case 0, ',', '}', ']', ':':
		return false
	default: // a number or a literal
		start := s.i
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return s.i > start
			}
			s.i++
		}
		return s.i > start
	}
}

// array reads an array of values and returns each one's span.
func (s *scanner) array() ([][]byte, bool) {
	if !s.byte('[') {
		return nil, false
	}
	items := [][]byte{}
	if s.peek() == ']' {
		s.i++
		return items, true
	}
	for {
		s.space()
		start := s.i
		if !s.skip() {
			return nil, false
		}
		items = append(items, s.b[start:s.i])
		switch s.peek() {
		case ',':
			s.i++
		case ']':
			s.i++
			return items, true
		default:
			return nil, false
		}
	}
}
