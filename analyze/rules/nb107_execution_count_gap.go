package rules

import (
	"fmt"
	"sort"

	"github.com/nbprod/nbprod/analyze"
)

// ExecutionCountGap reports missing execution counts (RULES.md §3.7).
var ExecutionCountGap = &analyze.Rule{
	ID:       "NB107",
	Name:     "execution-count-gap",
	Category: analyze.CatHiddenState,
	Severity: analyze.Info,
	Doc:      doc("NB107"),
	Run:      runExecutionCountGap,
}

// countGap is a run of missing execution counts: from..to inclusive, seen
// before the cell holding count to+1.
type countGap struct {
	from, to int
	cell     int
}

// executionGaps lists the gaps in the sorted distinct counts; a first count
// above 1 is a gap from 1.
func executionGaps(cells []execCell) []countGap {
	holder := map[int]int{}
	var counts []int
	for _, c := range cells {
		if c.ec == nil {
			continue
		}
		if _, ok := holder[*c.ec]; !ok {
			holder[*c.ec] = c.idx
			counts = append(counts, *c.ec)
		}
	}
	sort.Ints(counts)
	var gaps []countGap
	prev := 0
	for _, v := range counts {
		if v > prev+1 && v >= 1 {
			gaps = append(gaps, countGap{from: prev + 1, to: v - 1, cell: holder[v]})
		}
		prev = v
	}
	return gaps
}

func runExecutionCountGap(p *analyze.Pass) {
	nb := p.Notebook
	if !hasExecCounts(nb) {
		return
	}
	undefinedAfter := undefinedCounts(p)
	for _, g := range executionGaps(codeCells(nb)) {
		n := g.to - g.from + 1
		span := fmt.Sprintf("In[%d]", g.from)
		if n > 1 {
			span = fmt.Sprintf("In[%d]–In[%d]", g.from, g.to)
		}
		msg := fmt.Sprintf("%d %s not in the notebook (%s missing): deleted cells, re-runs or cleared cells changed the kernel state before this cell", n, plural(n, "execution", "executions"), span)
		f := analyze.Finding{Cell: g.cell, Line: 1, Column: 1, Message: msg,
			Fix:  "restart the kernel and run all cells, then commit",
			Data: map[string]any{"missing_from": g.from, "missing_to": g.to}}
		for _, ec := range undefinedAfter {
			if ec > g.to {
				// A name defined in no cell was used after this gap: the
				// trace of a deleted cell (RULES.md NB107).
				f.Severity = analyze.Warning
				f.Message += "; a later cell uses a name no cell defines, so a deleted cell is likely"
				break
			}
		}
		p.Report(f)
	}
}

// undefinedCounts returns the execution counts of cells that read a name no
// cell defines (NB103's findings), for escalating gaps before them.
func undefinedCounts(p *analyze.Pass) []int {
	var out []int
	g := p.Facts.Graph()
	for _, c := range p.Facts.Code() {
		if c.NB.ExecCount == nil || !c.ParseOK || firstDynamicBefore(p.Facts, c.Index, true) != nil {
			continue
		}
		for _, u := range runUses(p.Facts, c) {
			if len(g.Definers[u.Name]) == 0 && !platformGlobals[u.Name] {
				out = append(out, *c.NB.ExecCount)
				break
			}
		}
	}
	return out
}
