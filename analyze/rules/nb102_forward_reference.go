package rules

import (
	"fmt"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
)

// ForwardReference reports names a cell reads that only a later cell
// defines (RULES.md §3.2).
var ForwardReference = &analyze.Rule{
	ID:       "NB102",
	Name:     "forward-reference",
	Category: analyze.CatHiddenState,
	Severity: analyze.Blocker,
	Doc:      doc("NB102"),
	Run:      runForwardReference,
}

func runForwardReference(p *analyze.Pass) {
	fx := p.Facts
	g := fx.Graph()
	for _, c := range fx.Code() {
		if !c.ParseOK || c.Language != "python" {
			continue
		}
		for _, u := range runUses(fx, c) {
			if fx.Definer(c.Index, u.Name) >= 0 || facts.IsBuiltin(u.Name) {
				continue
			}
			later := -1
			for _, d := range g.Definers[u.Name] {
				if d > c.Index {
					later = d
					break
				}
			}
			if later < 0 {
				continue // NB103's business
			}
			what := fmt.Sprintf("`%s`", u.Name)
			if u.Via != "" {
				what = fmt.Sprintf("`%s` (read by %s(), called here)", u.Name, u.Via)
			}
			msg := fmt.Sprintf("%s is defined only in cell %d, below this one: a top-to-bottom run raises NameError here", what, later+1)
			lc := fx.Cell(later)
			if lc.NB.ExecCount != nil && c.NB.ExecCount != nil && *lc.NB.ExecCount < *c.NB.ExecCount {
				msg += fmt.Sprintf(" (cell %d ran first in the session, In[%d] before In[%d], which is why it worked interactively)",
					later+1, *lc.NB.ExecCount, *c.NB.ExecCount)
			}
			f := analyze.Finding{Cell: c.Index, Line: u.Pos.Line, Column: u.Pos.Col, Message: msg,
				Fix:  fmt.Sprintf("move the definition of `%s` (cell %d) above this cell", u.Name, later+1),
				Key:  u.Name,
				Data: map[string]any{"name": u.Name, "defined_in": later}}
			if dc := firstDynamicBefore(fx, c.Index, true); dc != nil {
				f.Severity = analyze.Info
				f.Message = fmt.Sprintf("cannot resolve `%s` here: it may come from %s; otherwise it is defined only in cell %d, below", u.Name, dynamicWhat(dc), later+1)
			}
			p.Report(f)
		}
	}
}
