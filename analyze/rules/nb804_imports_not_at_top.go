package rules

import (
	"fmt"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
	ps "github.com/nbprod/nbprod/analyze/pysyntax"
)

// ImportsNotAtTop reports module-level imports that come after the
// notebook's first real code (the notebook-level version of ruff's E402,
// which checks each cell separately). One info finding per notebook.
var ImportsNotAtTop = &analyze.Rule{
	ID:       "NB804",
	Name:     "imports-not-at-top",
	Category: analyze.CatCodeStructure,
	Severity: analyze.Info,
	Doc:      doc("NB804"),
	Run:      runImportsNotAtTop,
}

// setupCalls may precede imports without ending the import block (ruff
// E402's exemptions plus notebook display settings).
var setupCalls = []string{"sys.path.", "site.addsitedir", "warnings.", "os.environ", "matplotlib.use", "matplotlib.rc",
	"pandas.set_option", "pandas.options.", "numpy.set_printoptions", "numpy.random.seed", "random.seed",
	"matplotlib.pyplot.style.use", "matplotlib.pyplot.rc", "seaborn.set", "logging.", "pytest.importorskip",
	"plotly.offline.init_notebook_mode", "init_notebook_mode", "os.chdir", "print"}

func runImportsNotAtTop(p *analyze.Pass) {
	fx := p.Facts
	// The end of the import block: the first statement that is not an
	// import, a docstring, a magic or a setup call.
	endCell, endLine := -1, 0
	for _, c := range envPythonCells(fx) {
		for _, st := range envTopStatements(c.Tree) {
			if importBlockStatement(fx, c, st) {
				continue
			}
			endCell, endLine = c.Index, c.NodePos(st).Line
			break
		}
		if endCell >= 0 {
			break
		}
	}
	if endCell < 0 {
		return
	}
	var late []facts.ImportFact
	var cells []int
	for _, im := range fx.ImportFacts() {
		if im.Function != "" || im.Kind == facts.ImportFuture {
			continue
		}
		if im.Cell < endCell || im.Cell == endCell && im.Line < endLine {
			continue
		}
		if c := fx.Cell(im.Cell); c != nil && c.Tree != nil && inClassOrDef(c, im.Node) {
			continue
		}
		late = append(late, im)
		cells = append(cells, im.Cell)
	}
	if len(late) == 0 {
		return
	}
	var mods []string
	var places []envPlace
	for _, im := range late {
		mods = append(mods, im.Module)
		places = append(places, envPlace{im.Cell, im.Line, im.Col, im.Module})
	}
	first := late[0]
	p.Report(analyze.Finding{Cell: first.Cell, Line: first.Line, Column: first.Col, EndLine: first.EndLine, EndColumn: first.EndCol,
		Key: "late-imports",
		Message: fmt.Sprintf("%d %s after the notebook's first code (%s): %s", len(late),
			plural(len(late), "import comes", "imports come"), envCellList(cells), envCounted(mods, 6)),
		Fix:  "move the imports to the first code cell, so the notebook's dependencies are visible in one place",
		Data: map[string]any{"imports": envPlaces(places), "first_code_cell": endCell}})
}

// importBlockStatement reports statements allowed in the import block.
func importBlockStatement(fx *facts.Notebook, c *facts.Cell, st ps.NodeID) bool {
	t := c.Tree
	if envMagicLine(c, st) {
		return true
	}
	switch t.Kind(st) {
	case ps.ImportStatement, ps.ImportFromStatement, ps.FutureImportStatement, ps.PassStatement:
		return true
	case ps.ExpressionStatement:
		e := t.FirstNamed(st)
		switch t.Kind(e) {
		case ps.String, ps.ConcatenatedString:
			return true
		case ps.Call:
			return isSetupCall(fx, c, e)
		case ps.Assignment:
			left := facts.DottedName(t, t.ChildByField(e, ps.FLeft))
			if left == "" {
				left = normSpace(t.Text(t.ChildByField(e, ps.FLeft)))
			}
			q := fx.Qualify(c.Index, left)
			for _, s := range setupCalls {
				if strings.HasPrefix(q, s) || strings.HasPrefix(left, s) {
					return true
				}
			}
			return strings.Contains(left, "rcParams") || strings.HasPrefix(left, "os.environ")
		}
		return false
	case ps.IfStatement, ps.TryStatement, ps.WithStatement:
		ok := true
		t.Descendants(st, func(n ps.NodeID) bool {
			if !ok {
				return false
			}
			if t.Kind(n) == ps.Block {
				for ch := t.FirstChild(n); ch != ps.NoNode; ch = t.NextSibling(n, ch) {
					if t.IsNamed(ch) && t.Kind(ch) != ps.Comment && !importBlockStatement(fx, c, ch) &&
						t.Kind(ch) != ps.ExceptClause {
						ok = false
					}
				}
			}
			return true
		})
		return ok
	}
	return false
}

func isSetupCall(fx *facts.Notebook, c *facts.Cell, call ps.NodeID) bool {
	t := c.Tree
	name := facts.DottedName(t, t.ChildByField(call, ps.FFunction))
	if name == "" {
		return false
	}
	q := fx.Qualify(c.Index, name)
	for _, s := range setupCalls {
		if q == s || strings.HasPrefix(q, s) || name == s {
			return true
		}
	}
	return false
}

// inClassOrDef reports an import inside a class body.
func inClassOrDef(c *facts.Cell, n ps.NodeID) bool {
	par := c.Parents()
	for p := par[n]; p != ps.NoNode; p = par[p] {
		switch c.Tree.Kind(p) {
		case ps.ClassDefinition, ps.FunctionDefinition:
			return true
		}
	}
	return false
}
