package localefmt

import (
	"slices"
	"strings"

	"golang.org/x/text/language"
)

// normalize accepts POSIX-style names ("sv_SE.UTF-8") as well as BCP 47.
func normalize(locale string) string {
	locale, _, _ = strings.Cut(locale, ".")
	locale, _, _ = strings.Cut(locale, "@")
	return strings.ReplaceAll(locale, "_", "-")
}

func sortTags(tags []language.Tag) {
	slices.SortFunc(tags, func(a, b language.Tag) int { return strings.Compare(a.String(), b.String()) })
}
