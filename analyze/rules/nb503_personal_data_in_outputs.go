package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
)

// PersonalDataInOutputs reports saved outputs holding personal values
// (emails, phones, cards, IBANs, SSNs, public IPs, dates of birth, user
// names in paths), and code holding them as a warning (RULES.md §1.5).
var PersonalDataInOutputs = &analyze.Rule{
	ID:       "NB503",
	Name:     "personal-data-in-outputs",
	Category: analyze.CatPersonalData,
	Severity: analyze.Blocker,
	Doc:      doc("NB503"),
	Options: []analyze.Option{
		{Name: "min-matches", Default: 3,
			Help: "distinct personal values in one output (or code cell) that make a finding; one card, IBAN or SSN is always enough"},
	},
	Run: runPersonalDataInOutputs,
}

type valueGroup struct {
	cell   int
	output int // -1 for code
	values []*facts.PersonalValue
	seen   map[string]bool
}

func runPersonalDataInOutputs(p *analyze.Pass) {
	pd := p.Facts.Personal()
	if pd.Synthetic {
		return // Faker/mimesis data
	}
	min := p.Int("min-matches")
	if min < 1 {
		min = 1
	}
	groups := map[[2]int]*valueGroup{}
	var order [][2]int
	for i := range pd.Values {
		v := &pd.Values[i]
		out := -1
		if v.Output != nil {
			out = v.Output.Index
		} else if v.Kind == facts.ValueIPAddress || v.Kind == facts.ValueUserName {
			continue // server addresses in code are infrastructure, not people
		}
		k := [2]int{v.Cell, out}
		g := groups[k]
		if g == nil {
			g = &valueGroup{cell: v.Cell, output: out, seen: map[string]bool{}}
			groups[k] = g
			order = append(order, k)
		}
		if dk := v.DistinctKey(); !g.seen[dk] {
			g.seen[dk] = true
			g.values = append(g.values, v)
		}
	}
	for _, k := range order {
		g := groups[k]
		blocking := -1
		for i, v := range g.values {
			if v.Blocking() {
				blocking = i
				break
			}
		}
		if blocking < 0 && len(g.values) < min {
			continue
		}
		at := g.values[0]
		if blocking >= 0 {
			at = g.values[blocking]
		}
		counts := map[string]int{}
		var keys []string
		var redacted []string
		for _, v := range g.values {
			counts[v.Kind]++
			keys = append(keys, v.DistinctKey())
			if len(redacted) < 3 {
				redacted = append(redacted, v.Redacted)
			}
		}
		sort.Strings(keys)
		summary := valueSummary(counts)
		f := analyze.Finding{Cell: g.cell}
		if g.output >= 0 {
			f.Output = &analyze.OutputRef{Index: at.Output.Index, MIME: at.Output.MIME, Line: at.Output.Line}
			f.Message = fmt.Sprintf("saved output holds personal data: %s (%s); the .ipynb keeps it in the repository, its history and every clone",
				summary, strings.Join(redacted, ", "))
			f.Fix = "clear the outputs before committing (Kernel → Restart & Clear Output, or nbstripout) and rerun on pseudonymised data"
		} else {
			f.Severity = analyze.Warning
			f.Line, f.Column = at.Pos.Line, at.Pos.Col
			f.EndLine, f.EndColumn = at.Pos.Line, at.Pos.Col+at.Len
			f.Message = fmt.Sprintf("code holds personal data: %s (%s)", summary, strings.Join(redacted, ", "))
			f.Fix = "load personal data from a governed source at run time instead of typing it into the notebook; use synthetic values (example.com, 555-01xx) in examples"
		}
		f.Key = analyze.SecretKey("personal-values", strings.Join(keys, "\x01"))
		f.Data = map[string]any{"kinds": counts, "distinct": len(g.values), "redacted": redacted}
		p.Report(f)
	}
}

// valueSummary renders counts per kind: "3 email addresses, 1 IBAN".
func valueSummary(counts map[string]int) string {
	kinds := make([]string, 0, len(counts))
	for k := range counts {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool {
		if counts[kinds[i]] != counts[kinds[j]] {
			return counts[kinds[i]] > counts[kinds[j]]
		}
		return kinds[i] < kinds[j]
	})
	var parts []string
	for _, k := range kinds {
		l := personalValueLabel[k]
		name := l[1]
		if counts[k] == 1 {
			name = l[0]
		}
		parts = append(parts, fmt.Sprintf("%d %s", counts[k], name))
	}
	return strings.Join(parts, ", ")
}
