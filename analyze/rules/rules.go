// Package rules holds nbprod's production-blocker rules: one file per rule,
// each an *analyze.Rule value with its documentation embedded from
// docs/<ID>.md, and the explicit, sorted registry All.
package rules

import (
	"embed"
	"fmt"
	"sort"

	"github.com/nbprod/nbprod/analyze"
)

//go:embed docs/*.md
var docsFS embed.FS

// doc loads a rule's embedded documentation. A missing file is a
// programming error that TestRegistry catches.
func doc(id string) analyze.Doc {
	b, err := docsFS.ReadFile("docs/" + id + ".md")
	if err != nil {
		panic(fmt.Sprintf("rules: no docs/%s.md", id))
	}
	return analyze.ParseDoc(string(b))
}

// All returns every rule, sorted by ID. Each rule family lists its rules
// explicitly in its family file (family_*.go); adding a rule means adding
// its file, its docs and one line to its family. TestRegistry fails when a
// rule file's value is missing, an ID repeats, or a doc is incomplete.
func All() []*analyze.Rule {
	var all []*analyze.Rule
	for _, family := range [][]*analyze.Rule{
		coreRules(),
		hiddenStateRules(),
		reproducibilityAndCostRules(),
		dataAccessAndSecurityRules(),
		personalDataRules(),
		environmentStructureAndHygieneRules(),
	} {
		all = append(all, family...)
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return all
}

// engineReported is the Run of rules whose findings the engine itself
// produces (reading errors, languages, suppressions).
func engineReported(*analyze.Pass) {}
