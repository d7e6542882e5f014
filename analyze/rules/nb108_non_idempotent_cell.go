package rules

import (
	"fmt"

	"github.com/nbprod/nbprod/analyze"
)

// NonIdempotentCell reports cells that read a value from another cell and
// replace or change it, so running them twice changes the state; and cells
// that saw a value changed by a cell below them (RULES.md §3.8, CONTRACT.md
// §6).
var NonIdempotentCell = &analyze.Rule{
	ID:       "NB108",
	Name:     "non-idempotent-cell",
	Category: analyze.CatHiddenState,
	Severity: analyze.Warning,
	Doc:      doc("NB108"),
	Run:      runNonIdempotentCell,
}

var rmwDescription = map[string]string{
	"augassign": "updates `%s` in place (augmented assignment) with the value it got from another cell",
	"selfop":    "recomputes `%s` from its own value from another cell",
	"subscript": "rewrites part of `%s` from that same part's current value",
	"append":    "appends to `%s`, which another cell created",
	"inplace":   "changes `%s` with inplace=True, which another cell created",
	"rebind":    "rebinds `%s` from its own value from another cell (x = f(x))",
}

func runNonIdempotentCell(p *analyze.Pass) {
	fx := p.Facts
	for _, c := range fx.Code() {
		if !c.ParseOK {
			continue
		}
		seen := map[string]bool{}
		for _, r := range c.RMW {
			if seen[r.Name] {
				continue
			}
			seen[r.Name] = true
			f := analyze.Finding{Cell: c.Index, Line: r.Pos.Line, Column: r.Pos.Col,
				Message: "non-idempotent: " + fmt.Sprintf(rmwDescription[r.Kind], r.Name) + "; running the cell twice gives a different result",
				Fix:     fmt.Sprintf("assign the result to a new name (`%s_clean = …`) so the cell can be re-run", r.Name),
				Key:     "rmw:" + r.Name,
				Data:    map[string]any{"name": r.Name, "kind": r.Kind}}
			if r.Kind == "rebind" {
				f.Severity = analyze.Info
			}
			if r.Kind == "inplace" {
				f.Fix = fmt.Sprintf("drop inplace=True and assign the result: `%s = %s.method(...)`", r.Name, r.Name)
			}
			p.Report(f)
		}
	}
	if !hasExecCounts(p.Notebook) || ranByPapermill(p.Notebook) {
		return
	}
	// (b) A cell that read a value changed by a cell below it which ran
	// before it: top to bottom it will see the value from above instead.
	g := fx.Graph()
	for _, e := range g.ExecEdges {
		if e.From <= e.To {
			continue
		}
		c := fx.Cell(e.To)
		if c == nil || !c.ParseOK {
			continue
		}
		names := e.Names
		from := fx.Cell(e.From)
		line, col := 1, 1
		if pos, ok := c.UsePos[names[0]]; ok {
			line, col = pos.Line, pos.Col
		}
		after := "top to bottom this cell gets the value from above"
		if fx.Provider(e.To, names[0]) < 0 {
			after = "top to bottom nothing above defines it yet"
		}
		p.Report(analyze.Finding{Cell: e.To, Line: line, Column: col,
			Message: fmt.Sprintf("saw %s as changed by cell %d below it (%s ran before %s); %s, so its saved outputs will not reproduce",
				quoteNames(names), e.From+1, ecText(from.NB.ExecCount), ecText(c.NB.ExecCount), after),
			Fix:  "restart the kernel and run all cells; move the changing cell above this one if the results depend on it",
			Key:  fmt.Sprint("order:", names),
			Data: map[string]any{"names": names, "changed_in": e.From}})
	}
}
