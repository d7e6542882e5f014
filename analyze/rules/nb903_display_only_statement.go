package rules

import (
	"fmt"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
	ps "github.com/nbprod/nbprod/analyze/pysyntax"
)

// DisplayOnlyStatement reports top-level statements that only display
// something (bare expressions, df.head(), display(), plots, print of a
// frame, display options). One info finding per notebook.
var DisplayOnlyStatement = &analyze.Rule{
	ID:       "NB903",
	Name:     "display-only-statement",
	Category: analyze.CatHygiene,
	Severity: analyze.Info,
	Doc:      doc("NB903"),
	Run:      runDisplayOnlyStatement,
}

// displayMethods show a summary of their receiver.
var displayMethods = map[string]bool{"head": true, "tail": true, "sample": true, "describe": true, "info": true,
	"value_counts": true, "nunique": true, "show": true, "display": true, "summary": true, "isnull": true,
	"isna": true, "memory_usage": true, "unique": true, "to_string": true, "printSchema": true}

// plotMethods draw on a figure.
var plotMethods = map[string]bool{"plot": true, "hist": true, "boxplot": true, "scatter": true, "bar": true,
	"barh": true, "imshow": true, "heatmap": true, "pairplot": true, "legend": true, "xlabel": true, "ylabel": true,
	"title": true, "set_title": true, "set_xlabel": true, "set_ylabel": true, "xlim": true, "ylim": true,
	"grid": true, "tight_layout": true, "subplot": true, "suptitle": true, "xticks": true, "yticks": true,
	"axis": true, "colorbar": true, "figure": true, "annotate": true, "text": true, "fill_between": true,
	"axhline": true, "axvline": true, "errorbar": true, "pie": true, "contour": true, "contourf": true,
	"semilogy": true, "semilogx": true, "loglog": true, "set_xlim": true, "set_ylim": true, "matshow": true}

func runDisplayOnlyStatement(p *analyze.Pass) {
	fx := p.Facts
	var places []envPlace
	var cells []int
	var kinds []string
	for _, c := range envPythonCells(fx) {
		if c.NB.HasTag("nbprod-output") {
			continue
		}
		for _, st := range envTopStatements(c.Tree) {
			if c.Tree.Kind(st) != ps.ExpressionStatement || envMagicLine(c, st) {
				continue
			}
			kind := displayKind(fx, c, st)
			if kind == "" {
				continue
			}
			pos := c.NodePos(st)
			text := envRedact(fx, c.Index, pos.Line, c.NodeEnd(st).Line, normSpace(c.Tree.Text(st)))
			places = append(places, envPlace{c.Index, pos.Line, pos.Col, shorten(text, 40)})
			cells = append(cells, c.Index)
			kinds = append(kinds, kind)
		}
	}
	if len(places) == 0 {
		return
	}
	first := places[0]
	p.Report(analyze.Finding{Cell: first.Cell, Line: first.Line, Column: first.Col, Key: "display-only",
		Message: fmt.Sprintf("%d %s no effect in a pipeline (%s): %s",
			len(places), plural(len(places), "statement only displays something and has", "statements only display something and have"),
			envCellList(cells), envCounted(kinds, 5)),
		Fix:  "nothing to fix in the notebook: the emitter drops them (tag a cell nbprod-output to keep its result, nbprod-report to save its plots)",
		Data: map[string]any{"statements": envPlaces(places)}})
}

// displayKind classifies a top-level expression statement, "" when it
// does something.
func displayKind(fx *facts.Notebook, c *facts.Cell, st ps.NodeID) string {
	t := c.Tree
	e := t.FirstNamed(st)
	if e == ps.NoNode || t.NextSibling(st, e) != ps.NoNode && t.Kind(t.NextSibling(st, e)) != ps.Comment && t.IsNamed(t.NextSibling(st, e)) {
		return ""
	}
	switch t.Kind(e) {
	case ps.Identifier, ps.Attribute, ps.Subscript:
		return "bare expression"
	case ps.Call:
	default:
		return ""
	}
	fn := t.ChildByField(e, ps.FFunction)
	name := facts.DottedName(t, fn)
	q := fx.Qualify(c.Index, name)
	method := ""
	if t.Kind(fn) == ps.Attribute {
		method = t.Text(t.ChildByField(fn, ps.FAttribute))
	}
	switch {
	case name == "display" || q == "IPython.display.display":
		return "display()"
	case name == "print":
		args := t.ChildByField(e, ps.FArguments)
		kids := t.NamedChildren(args, nil)
		if len(kids) != 1 {
			return ""
		}
		switch t.Kind(kids[0]) {
		case ps.Identifier, ps.Attribute, ps.Subscript:
			return "print(<value>)"
		case ps.Call:
			if f := t.ChildByField(kids[0], ps.FFunction); t.Kind(f) == ps.Attribute && displayMethods[t.Text(t.ChildByField(f, ps.FAttribute))] {
				return "print(<summary>)"
			}
		}
		return ""
	case strings.HasPrefix(q, "pandas.set_option") || strings.HasPrefix(q, "pandas.options.display"):
		return "display option"
	case strings.HasPrefix(q, "matplotlib.pyplot.") && q != "matplotlib.pyplot.savefig" && q != "matplotlib.pyplot.close":
		return "plot"
	case strings.HasPrefix(q, "seaborn.") && !strings.HasPrefix(q, "seaborn.load_dataset"):
		return "plot"
	case method != "" && displayMethods[method] && t.Kind(fn) == ps.Attribute:
		if method == "show" || method == "display" {
			return "." + method + "()"
		}
		return "." + method + "()"
	case method != "" && plotMethods[method]:
		return "plot"
	}
	return ""
}
