package rules

import (
	"fmt"

	"github.com/nbprod/nbprod/analyze"
)

// StaleDependency reports cells whose provider ran after them, or never ran
// in the session (RULES.md §3.4).
var StaleDependency = &analyze.Rule{
	ID:       "NB104",
	Name:     "stale-dependency",
	Category: analyze.CatHiddenState,
	Severity: analyze.Warning,
	Doc:      doc("NB104"),
	Run:      runStaleDependency,
}

func runStaleDependency(p *analyze.Pass) {
	if !hasExecCounts(p.Notebook) || ranByPapermill(p.Notebook) {
		return
	}
	fx := p.Facts
	for _, c := range fx.Code() {
		if !c.ParseOK {
			continue
		}
		for _, sp := range staleProviders(fx, c) {
			var msg, fix string
			if sp.ec == nil {
				msg = fmt.Sprintf("uses %s from cell %d, which never ran in this session: the value came from a deleted cell, an older version of cell %d, or another session",
					quoteNames(sp.names), sp.cell+1, sp.cell+1)
				fix = fmt.Sprintf("run cell %d, then re-run from there down", sp.cell+1)
			} else {
				msg = fmt.Sprintf("uses %s from cell %d, which ran after this cell (%s > %s): the saved outputs may not match the current code",
					quoteNames(sp.names), sp.cell+1, ecText(sp.ec), ecText(c.NB.ExecCount))
				fix = fmt.Sprintf("re-run the notebook from cell %d down", sp.cell+1)
			}
			line, col := 1, 1
			if pos, ok := c.UsePos[sp.names[0]]; ok {
				line, col = pos.Line, pos.Col
			}
			p.Report(analyze.Finding{Cell: c.Index, Line: line, Column: col, Message: msg, Fix: fix,
				Key:  fmt.Sprint(sp.names),
				Data: map[string]any{"names": sp.names, "provider": sp.cell}})
		}
	}
}
