package rules

import (
	"fmt"

	"github.com/nbprod/nbprod/analyze"
)

// DuplicateExecutionCount reports execution counts shared by several cells
// (RULES.md §3.6).
var DuplicateExecutionCount = &analyze.Rule{
	ID:       "NB106",
	Name:     "duplicate-execution-count",
	Category: analyze.CatHiddenState,
	Severity: analyze.Warning,
	Doc:      doc("NB106"),
	Run:      runDuplicateExecutionCount,
}

func runDuplicateExecutionCount(p *analyze.Pass) {
	nb := p.Notebook
	if !hasExecCounts(nb) {
		return
	}
	first := map[int]int{}
	for _, c := range codeCells(nb) {
		if c.ec == nil {
			continue
		}
		if f, dup := first[*c.ec]; dup {
			p.Report(analyze.Finding{Cell: c.idx, Line: 1, Column: 1,
				Message: fmt.Sprintf("execution count In[%d] also appears on cell %d: the outputs come from different kernel sessions", *c.ec, f+1),
				Fix:     "restart the kernel and run all cells, then commit",
				Data:    map[string]any{"execution_count": *c.ec, "first_cell": f}})
			continue
		}
		first[*c.ec] = c.idx
	}
}
