package rules

import (
	"fmt"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
)

// WildcardImport reports `from m import *` (ruff F403, pylint W0401).
var WildcardImport = &analyze.Rule{
	ID:       "NB803",
	Name:     "wildcard-import",
	Category: analyze.CatCodeStructure,
	Severity: analyze.Warning,
	Doc:      doc("NB803"),
	Run:      runWildcardImport,
}

func runWildcardImport(p *analyze.Pass) {
	for _, im := range p.Facts.ImportFacts() {
		if !contains(im.Names, "*") || im.Kind == facts.ImportFuture {
			continue
		}
		p.Report(analyze.Finding{Cell: im.Cell, Line: im.Line, Column: im.Col, EndLine: im.EndLine, EndColumn: im.EndCol,
			Key:     "from " + im.Module + " import *",
			Message: fmt.Sprintf("`from %s import *` binds names nobody can see: readers, linters and nbprod cannot tell where a name comes from", im.Module),
			Fix:     fmt.Sprintf("import the names you use: from %s import a, b (or import %s and qualify them)", im.Module, im.Module),
			Data:    map[string]any{"module": im.Module}})
	}
}
