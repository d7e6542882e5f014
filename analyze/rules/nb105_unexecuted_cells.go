package rules

import (
	"fmt"

	"github.com/nbprod/nbprod/analyze"
)

// UnexecutedCells reports code cells that never ran although later cells
// did (RULES.md §3.5).
var UnexecutedCells = &analyze.Rule{
	ID:       "NB105",
	Name:     "unexecuted-cells",
	Category: analyze.CatHiddenState,
	Severity: analyze.Warning,
	Doc:      doc("NB105"),
	Run:      runUnexecutedCells,
}

func runUnexecutedCells(p *analyze.Pass) {
	nb := p.Notebook
	if !hasExecCounts(nb) {
		return
	}
	cells := codeCells(nb)
	last := -1
	nonBlank := 0
	for _, c := range cells {
		if c.ec != nil {
			last = c.idx
		}
		if !blank(c.c.Source) {
			nonBlank++
		}
	}
	if last < 0 {
		if nonBlank > 0 {
			p.Report(analyze.Finding{Cell: -1, Severity: analyze.Info,
				Message: "never executed: no code cell has an execution count, so the hidden-state checks are skipped (NB102 and NB103 still apply)",
				Fix:     "run the notebook from top to bottom before committing if its outputs matter"})
		}
		return
	}
	for _, c := range cells {
		if c.ec != nil || blank(c.c.Source) || skipTagged(c.c) {
			continue
		}
		if c.idx < last {
			p.Report(analyze.Finding{Cell: c.idx, Line: 1, Column: 1,
				Message: fmt.Sprintf("never executed, but cell %d below it was: the saved results were computed without this cell", last+1),
				Fix:     "run the notebook from top to bottom, delete the cell if it is dead code, or tag it skip-execution"})
		} else {
			p.Report(analyze.Finding{Cell: c.idx, Line: 1, Column: 1, Severity: analyze.Info,
				Message: "never executed (after the last executed cell)",
				Fix:     "run it, or delete it if it is unfinished"})
		}
	}
}
