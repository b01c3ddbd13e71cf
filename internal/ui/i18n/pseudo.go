package i18n

import (
	"strings"
	"unicode/utf8"
)

// Pseudo-locale marks: every message of the pseudo-locale starts with
// PseudoOpen and ends with PseudoClose, and its ASCII letters are written
// with a dot above (Ledgerline → Ŀėḋġėṙŀıṅė), so a test that renders the
// window in it finds any text that bypassed the catalog, even a fragment
// of a message that was split (Markdown, a bold name).
const (
	PseudoOpen  = "⟦"
	PseudoClose = "⟧"
)

// pseudoLetters are a–z and A–Z as the pseudo-locale writes them.
const (
	pseudoLower = "ȧḃċḋėḟġḣıȷǩŀṁṅȯṗɋṙṡṫůṿẇẋẏż"
	pseudoUpper = "ȦḂĊḊĖḞĠḢİĴǨĿṀṄȮṖɊṘṠṪŮṾẆẊẎŻ"
)

var lowerRunes, upperRunes = []rune(pseudoLower), []rune(pseudoUpper)

// IsPseudo reports whether s holds text of the pseudo-locale: a mark or a
// pseudo letter.
func IsPseudo(s string) bool {
	if strings.Contains(s, PseudoOpen) || strings.Contains(s, PseudoClose) {
		return true
	}
	for _, r := range s {
		if strings.ContainsRune(pseudoLower, r) || strings.ContainsRune(pseudoUpper, r) {
			return true
		}
	}
	return false
}

// pseudo writes s in the pseudo-locale: marked, letters dotted, except
// inside {{…}} (the template's fields must keep their names).
func pseudo(s string) string {
	var b strings.Builder
	b.WriteString(PseudoOpen)
	for len(s) > 0 {
		if strings.HasPrefix(s, "{{") {
			end := strings.Index(s, "}}")
			if end < 0 {
				end = len(s) - 2
			}
			b.WriteString(s[:end+2])
			s = s[end+2:]
			continue
		}
		r, n := utf8.DecodeRuneInString(s)
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(lowerRunes[r-'a'])
		case r >= 'A' && r <= 'Z':
			b.WriteRune(upperRunes[r-'A'])
		default:
			b.WriteRune(r)
		}
		s = s[n:]
	}
	b.WriteString(PseudoClose)
	return b.String()
}

// PseudoMessages are the English messages, every text and plural form
// written in the pseudo-locale. Templates stay intact inside.
func PseudoMessages() (map[string]any, error) {
	en, err := Messages(English)
	if err != nil {
		return nil, err
	}
	out := make(map[string]any, len(en))
	for k, v := range en {
		switch m := v.(type) {
		case string:
			out[k] = pseudo(m)
		case map[string]any:
			forms := map[string]any{}
			for f, text := range m {
				if s, ok := text.(string); ok {
					forms[f] = pseudo(s)
				} else {
					forms[f] = text
				}
			}
			out[k] = forms
		default:
			out[k] = v
		}
	}
	return out, nil
}
