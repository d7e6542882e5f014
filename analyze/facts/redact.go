package facts

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Span is a sensitive value (a secret or a personal value) found in a code
// cell's source. nbprod never prints the value: every output shows the
// redacted form instead (CONTRACT.md §5).
type Span struct {
	Cell       int // cell index
	Line       int // 1-based line in the cell source
	Start, End int // byte offsets of the value within that line
	Kind       string
	// Prefix is how many leading bytes may be shown: the fixed prefix of a
	// provider-format token ("AKIA", "ghp_", "sk-"), 0 for everything else.
	Prefix int
}

var sensitiveKey = lazyKey{"sensitive"}

// Sensitive returns every sensitive span in the notebook's code cells,
// sorted by cell, line and offset. Secret detection (secrets.go) and
// personal-data detection (pii.go) contribute.
func (n *Notebook) Sensitive() []Span {
	return lazy(n, &sensitiveKey, func() []Span {
		spans := append(secretSpans(n), piiSpans(n)...)
		sort.Slice(spans, func(i, j int) bool {
			a, b := spans[i], spans[j]
			if a.Cell != b.Cell {
				return a.Cell < b.Cell
			}
			if a.Line != b.Line {
				return a.Line < b.Line
			}
			return a.Start < b.Start
		})
		return spans
	})
}

// RedactLine replaces the sensitive values on one source line with their
// redacted forms. text is the line as it appears in the cell.
func (n *Notebook) RedactLine(cell, line int, text string) string {
	var spans []Span
	for _, s := range n.Sensitive() {
		if s.Cell == cell && s.Line == line {
			spans = append(spans, s)
		}
	}
	return RedactSpans(text, spans)
}

// RedactSpans replaces spans (byte offsets into text) with redacted forms.
func RedactSpans(text string, spans []Span) string {
	if len(spans) == 0 {
		return text
	}
	var b strings.Builder
	pos := 0
	for _, s := range spans {
		if s.Start < pos || s.End > len(text) || s.Start >= s.End {
			continue
		}
		b.WriteString(text[pos:s.Start])
		b.WriteString(Redact(s.Kind, text[s.Start:s.End], s.Prefix))
		pos = s.End
	}
	b.WriteString(text[pos:])
	return b.String()
}

// Redact renders a sensitive value for output: at most its fixed provider
// prefix, the kind and the length, e.g. "AKIA…<redacted aws-access-token,
// 20 chars>" or "<redacted password, 11 chars>".
func Redact(kind, value string, prefix int) string {
	n := utf8.RuneCountInString(value)
	if prefix > 4 {
		prefix = 4
	}
	if prefix > 0 && prefix < len(value) {
		return fmt.Sprintf("%s…<redacted %s, %d chars>", value[:prefix], kind, n)
	}
	return fmt.Sprintf("<redacted %s, %d chars>", kind, n)
}

// RedactText is the engine's safety net for every text of every finding
// (messages, fixes, data values): the secret values the notebook holds and
// the personal values the recognizers find are replaced by their redacted
// forms. Rules that quote source text redact it themselves (RedactLine,
// RedactSecrets), so this pass only has to catch values a rule let through.
func (n *Notebook) RedactText(text string) string {
	if text == "" {
		return text
	}
	return RedactPersonal(n.RedactKnownSecrets(text))
}

// RedactPersonal replaces the personal values the NB503 recognizers find in
// text (emails, phones, cards, IBANs, national ids, public IPs) with their
// redacted forms.
func RedactPersonal(text string) string {
	vals := FindPersonalValues(text, false)
	if len(vals) == 0 {
		return text
	}
	spans := make([]Span, 0, len(vals))
	for _, v := range vals {
		spans = append(spans, Span{Start: v.start, End: v.end, Kind: v.Kind})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].Start < spans[j].Start })
	return RedactSpans(text, spans)
}
