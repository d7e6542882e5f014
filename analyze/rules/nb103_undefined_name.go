package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
)

// UndefinedName reports names no cell defines (RULES.md §3.3), and uses of
// IPython's output history (_12, Out[3]) that do not exist outside IPython.
var UndefinedName = &analyze.Rule{
	ID:       "NB103",
	Name:     "undefined-name",
	Category: analyze.CatHiddenState,
	Severity: analyze.Blocker,
	Doc:      doc("NB103"),
	Run:      runUndefinedName,
}

func runUndefinedName(p *analyze.Pass) {
	fx := p.Facts
	nb := p.Notebook
	g := fx.Graph()
	gaps := executionGaps(codeCells(nb))
	// Names that a star import or similar above could define are collected
	// and reported once per notebook, at info level.
	var unresolved []string
	var dynCell *facts.Cell
	for _, c := range fx.Code() {
		if !c.ParseOK || c.Language != "python" {
			continue
		}
		for _, u := range runUses(fx, c) {
			if len(g.Definers[u.Name]) > 0 || facts.IsBuiltin(u.Name) || platformGlobals[u.Name] || python2Builtins[u.Name] {
				continue
			}
			if dc := firstDynamicBefore(fx, c.Index, true); dc != nil {
				if dynCell == nil {
					dynCell = dc
				}
				if !contains(unresolved, u.Name) {
					unresolved = append(unresolved, u.Name)
				}
				continue
			}
			what := fmt.Sprintf("`%s`", u.Name)
			if u.Via != "" {
				what = fmt.Sprintf("`%s` (read by %s(), called here)", u.Name, u.Via)
			}
			msg := fmt.Sprintf("%s is not defined in any cell: a top-to-bottom run raises NameError here", what)
			if hint := deletedCellHint(gaps, c); hint != "" {
				msg += "; " + hint
			}
			p.Report(analyze.Finding{Cell: c.Index, Line: u.Pos.Line, Column: u.Pos.Col, Message: msg,
				Fix: fmt.Sprintf("define `%s` in a cell above (or restore the deleted cell that did)", u.Name),
				Key: u.Name, Data: map[string]any{"name": u.Name}})
		}
		for _, h := range historyUses(c) {
			if len(g.Definers[h.Text]) > 0 {
				continue
			}
			p.Report(analyze.Finding{Cell: c.Index, Line: h.Pos.Line, Column: h.Pos.Col,
				Message: fmt.Sprintf("`%s` reads IPython's input/output history, which does not exist outside IPython", h.Text),
				Fix:     "assign the value to a variable in the cell that computes it, and use that variable",
				Key:     "history:" + h.Text, Data: map[string]any{"name": h.Text}})
		}
	}

	if len(unresolved) > 0 {
		sort.Strings(unresolved)
		p.Report(analyze.Finding{Cell: dynCell.Index, Line: dynCell.Dynamic[0].Pos.Line, Column: dynCell.Dynamic[0].Pos.Col,
			Severity: analyze.Info,
			Message: fmt.Sprintf("cannot resolve %d %s no cell defines (%s): they may come from %s",
				len(unresolved), plural(len(unresolved), "name", "names"), quoteNames(unresolved), dynamicWhat(dynCell)),
			Fix:  "import the names explicitly (see NB803) so every name has a visible definition",
			Key:  "unresolved",
			Data: map[string]any{"names": unresolved}})
	}
}

// python2Builtins exist only in Python 2; NB805 reports their use.
var python2Builtins = map[string]bool{"xrange": true, "raw_input": true, "unicode": true, "basestring": true,
	"long": true, "file": true, "reduce": true, "unichr": true, "execfile": true, "cmp": true, "apply": true,
	"buffer": true, "intern": true, "coerce": true, "reload": true}

// deletedCellHint says which executions are missing before the cell ran.
func deletedCellHint(gaps []countGap, c *facts.Cell) string {
	if c.NB.ExecCount == nil {
		return ""
	}
	var parts []string
	for _, g := range gaps {
		if g.to < *c.NB.ExecCount {
			if g.from == g.to {
				parts = append(parts, fmt.Sprintf("In[%d]", g.from))
			} else {
				parts = append(parts, fmt.Sprintf("In[%d]–In[%d]", g.from, g.to))
			}
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "probably defined in a deleted or rewritten cell (" + strings.Join(parts, ", ") + " missing)"
}

type historyUse struct {
	Text string
	Pos  facts.Pos
}

// historyUses finds _N, _iN, Out[...] and In[...] reads the notebook does
// not define itself.
func historyUses(c *facts.Cell) []historyUse {
	var out []historyUse
	seen := map[string]bool{}
	for _, h := range c.History {
		if !seen[h.Text] {
			seen[h.Text] = true
			out = append(out, historyUse{Text: h.Text, Pos: h.Pos})
		}
	}
	return out
}
