package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
)

// SpecialCategoryData reports columns holding GDPR Art. 9(1) special
// categories of personal data (RULES.md §1.5, lexicon §5.2), one finding
// per frame.
var SpecialCategoryData = &analyze.Rule{
	ID:       "NB502",
	Name:     "special-category-data",
	Category: analyze.CatPersonalData,
	Severity: analyze.Blocker,
	Doc:      doc("NB502"),
	Run:      runSpecialCategoryData,
}

func runSpecialCategoryData(p *analyze.Pass) {
	pd := p.Facts.Personal()
	for _, g := range groupColumns(pd, func(c *facts.PersonalColumn) bool { return c.Special() }) {
		var labels, cats []string
		seenCat := map[string]bool{}
		for _, c := range g.first {
			labels = append(labels, columnLabel(c))
			if !seenCat[c.Category] {
				seenCat[c.Category] = true
				cats = append(cats, c.Category)
			}
		}
		sort.Strings(cats)
		where := frameLabel(pd, g.frame)
		f := columnFinding(g.first[0])
		f.Message = fmt.Sprintf("special-category data (GDPR Art. 9) in %s: %s; processing it needs an Art. 9(2) condition and a DPIA",
			where, listShort(labels, 6))
		f.Fix = "drop these columns unless the use is approved; if it is, suppress with a reason that cites the DPIA: # nbprod: ignore[NB502] -- DPIA-2024-07"
		f.Key = "special-columns:" + strings.ToLower(personalFrameKey(pd, g))
		f.Data = map[string]any{"frame": strings.Trim(where, "`"), "categories": cats, "columns": columnData(g)}
		p.Report(f)
	}
}
