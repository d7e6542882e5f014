package rules

import (
	"fmt"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
	ps "github.com/nbprod/nbprod/analyze/pysyntax"
)

// OversizedCellOrNotebook reports code cells with too many logical
// statements and notebooks with too many code cells (pynblint
// cell-too-long, notebook-too-long). Statements are counted, not lines, so
// long literal data does not count.
var OversizedCellOrNotebook = &analyze.Rule{
	ID:       "NB802",
	Name:     "oversized-cell-or-notebook",
	Category: analyze.CatCodeStructure,
	Severity: analyze.Info,
	Doc:      doc("NB802"),
	Options: []analyze.Option{
		{Name: "max-statements-in-cell", Default: 40, Help: "logical statements a code cell may hold"},
		{Name: "max-cells-in-notebook", Default: 80, Help: "code cells a notebook may hold"},
	},
	Run: runOversizedCellOrNotebook,
}

// statementKinds are the node kinds counted as logical statements.
var statementKinds = map[ps.Kind]bool{
	ps.ExpressionStatement: true, ps.ReturnStatement: true, ps.PassStatement: true, ps.ImportStatement: true,
	ps.ImportFromStatement: true, ps.FutureImportStatement: true, ps.DeleteStatement: true, ps.RaiseStatement: true,
	ps.AssertStatement: true, ps.GlobalStatement: true, ps.NonlocalStatement: true, ps.BreakStatement: true,
	ps.ContinueStatement: true, ps.PrintStatement: true, ps.ExecStatement: true, ps.TypeAliasStatement: true,
	ps.IfStatement: true, ps.ForStatement: true, ps.WhileStatement: true, ps.TryStatement: true,
	ps.WithStatement: true, ps.FunctionDefinition: true, ps.ClassDefinition: true, ps.MatchStatement: true,
}

// countStatements counts a cell's logical statements (magic placeholders
// left out).
func countStatements(c *facts.Cell) int {
	t := c.Tree
	if t == nil {
		return 0
	}
	n := 0
	for i := 0; i < t.Len(); i++ {
		id := ps.NodeID(i)
		if statementKinds[t.Kind(id)] && !envMagicLine(c, id) {
			n++
		}
	}
	return n
}

func runOversizedCellOrNotebook(p *analyze.Pass) {
	maxStmts := p.Int("max-statements-in-cell")
	maxCells := p.Int("max-cells-in-notebook")
	code := p.Facts.Code()
	for _, c := range code {
		if c.Language != "python" {
			continue
		}
		if n := countStatements(c); maxStmts > 0 && n > maxStmts {
			p.Report(analyze.Finding{Cell: c.Index, Line: 1, Column: 1, Key: "cell-too-long",
				Message: fmt.Sprintf("the cell holds %d statements (more than %d): it does several things at once", n, maxStmts),
				Fix:     "split it into cells (or functions) that each do one step",
				Data:    map[string]any{"statements": n, "max": maxStmts}})
		}
	}
	if maxCells > 0 && len(code) > maxCells {
		p.Report(analyze.Finding{Cell: -1, Key: "notebook-too-long",
			Message: fmt.Sprintf("the notebook has %d code cells (more than %d): it is hard to follow and to convert as one pipeline", len(code), maxCells),
			Fix:     "split it into several notebooks or modules, one per stage (data preparation, training, evaluation)",
			Data:    map[string]any{"code_cells": len(code), "max": maxCells}})
	}
}
