package rules

import (
	"fmt"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
)

// PersonalDataColumns reports frames whose columns hold personal data
// (RULES.md §1.5, lexicon §5.1), one finding per frame listing the
// columns.
var PersonalDataColumns = &analyze.Rule{
	ID:       "NB501",
	Name:     "personal-data-columns",
	Category: analyze.CatPersonalData,
	Severity: analyze.Warning,
	Doc:      doc("NB501"),
	Run:      runPersonalDataColumns,
}

func runPersonalDataColumns(p *analyze.Pass) {
	pd := p.Facts.Personal()
	groups := groupColumns(pd, func(c *facts.PersonalColumn) bool { return !c.Special() })
	var idOnly []*columnGroup
	warned := false
	for _, g := range groups {
		personal := false
		for _, c := range g.first {
			if c.Entity != facts.EntityPseudonymousID {
				personal = true
			}
		}
		if !personal {
			idOnly = append(idOnly, g)
			continue
		}
		var labels []string
		dropped := true
		for _, c := range g.first {
			labels = append(labels, columnLabel(c))
			if !g.onlyDropped[c.Norm] {
				dropped = false
			}
		}
		f := columnFinding(g.first[0])
		where := frameLabel(pd, g.frame)
		f.Message = fmt.Sprintf("personal data in %s: %s; record the legal basis, and minimise or pseudonymise these columns before production",
			where, listShort(labels, 6))
		f.Fix = "keep only the columns the job needs (usecols=/drop), pseudonymise identifiers, and list the fields in DATA_PROTECTION.md"
		if !dropped {
			warned = true
		}
		if dropped {
			f.Severity = analyze.Info
			f.Message = fmt.Sprintf("personal data read into %s and dropped: %s; the input still holds it", where, listShort(labels, 6))
		}
		f.Key = "pii-columns:" + strings.ToLower(personalFrameKey(pd, g))
		f.Data = map[string]any{"frame": strings.Trim(where, "`"), "columns": columnData(g)}
		if g.frame >= 0 && g.frame < len(pd.Frames) {
			f.Data["tables"] = pd.Frames[g.frame].Tables
			f.Data["person_context"] = pd.Frames[g.frame].PersonContext
		}
		p.Report(f)
	}
	// Pseudonymous ids alone (user_id, customer_id) are still personal
	// data, but only worth one quiet note per notebook, and none when the
	// notebook already has a personal-data warning.
	if len(idOnly) > 0 && !warned {
		var labels []string
		seen := map[string]bool{}
		var data []map[string]any
		for _, g := range idOnly {
			for _, c := range g.first {
				if !seen[c.Norm] {
					seen[c.Norm] = true
					labels = append(labels, "`"+c.Column+"`")
				}
			}
			data = append(data, columnData(g)...)
		}
		f := columnFinding(idOnly[0].first[0])
		f.Severity = analyze.Info
		f.Message = fmt.Sprintf("pseudonymous identifiers %s link rows to people: they are still personal data (GDPR Art. 4(5))",
			listShort(labels, 5))
		f.Key = "pii-ids"
		f.Data = map[string]any{"columns": data}
		p.Report(f)
	}
}

// personalFrameKey is a stable key for a frame's finding: its first name
// or table, else its first column.
func personalFrameKey(pd *facts.PersonalData, g *columnGroup) string {
	if g.frame >= 0 && g.frame < len(pd.Frames) {
		if n := pd.Frames[g.frame].Name(); n != "" {
			return n
		}
	}
	return g.first[0].Norm
}
