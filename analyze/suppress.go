package analyze

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/nbprod/nbprod/notebook"
)

// SuppressionKind says where a suppression was written.
type SuppressionKind uint8

const (
	SuppressLine     SuppressionKind = iota + 1 // `# nbprod: ignore[...]` after code on a line
	SuppressCell                                // the same comment on its own line at the top of a cell
	SuppressTag                                 // cell tag nbprod:ignore=NB101,NB303
	SuppressNotebook                            // notebook metadata {"nbprod": {"ignore": {"NB107": "reason"}}}
)

// Suppression is one parsed suppression. Rules holds the resolved rule IDs;
// Unknown the selectors that name no rule.
type Suppression struct {
	Kind    SuppressionKind
	Cell    int // -1 for notebook metadata
	Line    int // cell line of the comment (0 for tags and metadata)
	Column  int
	Rules   []string
	Unknown []string
	Reason  string
	used    map[string]bool
}

var suppressRe = regexp.MustCompile(`#\s*nbprod:\s*ignore\[([^\]]*)\]([^\n]*)`)

// ParseSuppressions finds every suppression in a notebook. Rule names are
// resolved to IDs against the registry.
func ParseSuppressions(nb *notebook.Notebook, all []*Rule) []*Suppression {
	var out []*Suppression
	resolve := func(s *Suppression, list string) {
		for _, sel := range strings.Split(list, ",") {
			sel = strings.TrimSpace(sel)
			if sel == "" {
				continue
			}
			id := ""
			for _, r := range all {
				if r.ID == strings.ToUpper(sel) || r.Name == sel {
					id = r.ID
					break
				}
			}
			if id == "" {
				s.Unknown = append(s.Unknown, sel)
			} else {
				s.Rules = append(s.Rules, id)
			}
		}
	}
	for ci := range nb.Cells {
		c := &nb.Cells[ci]
		for _, t := range c.Tags {
			if rest, ok := strings.CutPrefix(t, "nbprod:ignore="); ok {
				s := &Suppression{Kind: SuppressTag, Cell: ci, Reason: "cell tag " + t}
				resolve(s, rest)
				out = append(out, s)
			}
		}
		if c.Kind != notebook.Code || !strings.Contains(c.Source, "nbprod:") {
			continue
		}
		beforeCode := true
		for li, line := range strings.Split(c.Source, "\n") {
			trimmed := strings.TrimSpace(line)
			m := suppressRe.FindStringSubmatchIndex(line)
			if m != nil {
				ownLine := strings.HasPrefix(trimmed, "#")
				kind := SuppressLine
				if ownLine && beforeCode {
					kind = SuppressCell
				}
				s := &Suppression{Kind: kind, Cell: ci, Line: li + 1, Column: runeCol(line, m[0])}
				resolve(s, line[m[2]:m[3]])
				rest := strings.TrimSpace(line[m[4]:m[5]])
				if r, ok := strings.CutPrefix(rest, "--"); ok {
					s.Reason = strings.TrimSpace(r)
				}
				out = append(out, s)
			}
			if trimmed != "" && !strings.HasPrefix(trimmed, "#") {
				beforeCode = false
			}
		}
	}
	if ign := nb.Metadata.Get("nbprod", "ignore"); ign != nil {
		switch ign.Kind {
		case notebook.Object:
			for i, k := range ign.Keys {
				s := &Suppression{Kind: SuppressNotebook, Cell: -1}
				resolve(s, k)
				s.Reason, _ = ign.Vals[i].String()
				s.Reason = strings.TrimSpace(s.Reason)
				out = append(out, s)
			}
		case notebook.Array:
			for _, it := range ign.Items {
				if k, ok := it.String(); ok {
					s := &Suppression{Kind: SuppressNotebook, Cell: -1}
					resolve(s, k)
					out = append(out, s)
				}
			}
		case notebook.String:
			s := &Suppression{Kind: SuppressNotebook, Cell: -1}
			resolve(s, ign.Str)
			out = append(out, s)
		}
	}
	return out
}

func runeCol(line string, byteOff int) int {
	return len([]rune(line[:byteOff])) + 1
}

// covers reports whether s suppresses f.
func (s *Suppression) covers(f *Finding) bool {
	found := false
	for _, id := range s.Rules {
		if id == f.Rule {
			found = true
			break
		}
	}
	if !found {
		return false
	}
	switch s.Kind {
	case SuppressNotebook:
		return true
	case SuppressCell, SuppressTag:
		return f.Cell == s.Cell
	case SuppressLine:
		return f.Cell == s.Cell && f.Output == nil && f.Line == s.Line
	}
	return false
}

// applySuppressions marks suppressed findings and returns the NB003
// (unused) and NB004 (no reason) findings the suppressions themselves
// raise. enabled holds the IDs of the rules that ran.
func applySuppressions(sups []*Suppression, fs []Finding, enabled map[string]bool) (extra []Finding) {
	for _, s := range sups {
		s.used = map[string]bool{}
	}
	for i := range fs {
		f := &fs[i]
		if f.Rule == "NB003" || f.Rule == "NB004" {
			continue
		}
		for _, s := range sups {
			if s.covers(f) {
				f.Suppressed = true
				f.SuppressionReason = s.Reason
				s.used[f.Rule] = true
				break
			}
		}
	}
	for _, s := range sups {
		where := s.describe()
		var unused []string
		for _, id := range s.Rules {
			if enabled[id] && !s.used[id] {
				unused = append(unused, id)
			}
		}
		unused = append(unused, s.Unknown...)
		sort.Strings(unused)
		if len(unused) > 0 {
			msg := fmt.Sprintf("%s for %s suppresses nothing", where, strings.Join(unused, ", "))
			if len(s.Unknown) > 0 {
				msg += fmt.Sprintf(" (unknown rule %s)", strings.Join(s.Unknown, ", "))
			}
			extra = append(extra, Finding{Rule: "NB003", Cell: s.Cell, Line: s.Line, Column: s.Column,
				Message: msg, Fix: "remove it, or correct the rule ID", Key: "unused:" + strings.Join(unused, ",")})
		}
		if s.Reason == "" && s.Kind != SuppressTag && len(s.Rules) > 0 {
			extra = append(extra, Finding{Rule: "NB004", Cell: s.Cell, Line: s.Line, Column: s.Column,
				Message: fmt.Sprintf("%s for %s gives no reason", where, strings.Join(s.Rules, ", ")),
				Fix:     reasonFix(s), Key: "noreason:" + strings.Join(s.Rules, ",")})
		}
	}
	return extra
}

func (s *Suppression) describe() string {
	switch s.Kind {
	case SuppressLine:
		return "suppression comment"
	case SuppressCell:
		return "cell suppression comment"
	case SuppressTag:
		return "suppression tag"
	}
	return "notebook metadata suppression"
}

func reasonFix(s *Suppression) string {
	if s.Kind == SuppressNotebook {
		return `give the reason as the value: {"nbprod": {"ignore": {"NB107": "why"}}}`
	}
	return "add the reason after two dashes: # nbprod: ignore[" + strings.Join(s.Rules, ",") + "] -- why"
}
