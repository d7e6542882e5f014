package rules

import (
	"fmt"

	"github.com/nbprod/nbprod/analyze"
)

// NonLinearExecution reports cells whose execution count is lower than that
// of a cell above them (RULES.md §3.1).
var NonLinearExecution = &analyze.Rule{
	ID:       "NB101",
	Name:     "non-linear-execution",
	Category: analyze.CatHiddenState,
	Severity: analyze.Warning,
	Doc:      doc("NB101"),
	Run:      runNonLinearExecution,
}

func runNonLinearExecution(p *analyze.Pass) {
	nb := p.Notebook
	if !hasExecCounts(nb) || ranByPapermill(nb) {
		return
	}
	maxEC, maxCell := 0, -1
	descents := 0
	cells := codeCells(nb)
	for _, c := range cells {
		if c.ec == nil {
			continue
		}
		ec := *c.ec
		if maxCell >= 0 && ec < maxEC {
			descents++
			f := analyze.Finding{
				Cell: c.idx, Line: 1, Column: 1,
				Message: fmt.Sprintf("executed out of order: In[%d] ran before In[%d] of cell %d above it", ec, maxEC, maxCell+1),
				Fix:     "restart the kernel and run all cells from the top, then commit",
				Data:    map[string]any{"execution_count": ec, "above_cell": maxCell, "above_execution_count": maxEC},
			}
			if independentJump(p, cells, c) {
				f.Severity = analyze.Info
				f.Message += "; it shares no names with the cells it jumped over, so the order did not change a result"
			}
			p.Report(f)
			continue
		}
		if ec > maxEC || maxCell < 0 {
			maxEC, maxCell = ec, c.idx
		}
	}
	if descents > 0 {
		p.Report(analyze.Finding{
			Cell: -1, Severity: analyze.Info,
			Message: fmt.Sprintf("execution counts are not in file order (%d %s ran out of order): the saved state comes from a non-linear run", descents, plural(descents, "cell", "cells")),
			Fix:     "restart the kernel and run all cells from the top, then commit",
			Data:    map[string]any{"out_of_order": descents},
		})
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// independentJump reports whether an out-of-order cell shares no name with
// the cells above it that ran after it (their counts lie between its count
// and the maximum above it).
func independentJump(p *analyze.Pass, cells []execCell, c execCell) bool {
	fc := p.Facts.Cell(c.idx)
	if fc == nil || !fc.ParseOK || len(fc.Dynamic) > 0 {
		return false
	}
	mine := codeNames(fc)
	for _, o := range cells {
		if o.idx >= c.idx || o.ec == nil || *o.ec <= *c.ec {
			continue
		}
		oc := p.Facts.Cell(o.idx)
		if oc == nil || !oc.ParseOK || len(oc.Dynamic) > 0 {
			return false
		}
		for n := range codeNames(oc) {
			if mine[n] {
				return false
			}
		}
	}
	return true
}
