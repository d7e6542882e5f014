package rules

import (
	"fmt"
	"regexp"
	"sort"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
	ps "github.com/nbprod/nbprod/analyze/pysyntax"
)

// UnusedOrRedefinedName reports, notebook-wide, imports never used
// (F401), module-level assignments never read (F841) and functions,
// classes and imports redefined in a later cell before any use (F811).
// Info, at most one finding of each kind per notebook.
var UnusedOrRedefinedName = &analyze.Rule{
	ID:       "NB808",
	Name:     "unused-or-redefined-name",
	Category: analyze.CatCodeStructure,
	Severity: analyze.Info,
	Doc:      doc("NB808"),
	Run:      runUnusedOrRedefinedName,
}

// readAt is a read of a name.
type readAt struct{ cell, line int }

// sideEffectImports are imported for what importing them does.
var sideEffectImports = map[string]bool{"mpl_toolkits.mplot3d": true, "import_ipynb": true, "nbimporter": true,
	"swifter": true, "pandas_profiling": true, "ydata_profiling": true, "hvplot.pandas": true, "readline": true,
	"sklearn.experimental": true, "tensorflow_text": true, "pandarallel": true, "tqdm.pandas": true,
	"cudf.pandas": true, "dask_cudf": true, "pyarrow": true, "openpyxl": true, "xlrd": true, "fastparquet": true}

var queryVarRe = regexp.MustCompile(`@([A-Za-z_][A-Za-z0-9_]*)`)

func runUnusedOrRedefinedName(p *analyze.Pass) {
	fx := p.Facts
	for _, c := range fx.Code() {
		for _, d := range c.Dynamic {
			switch d.Kind {
			case "exec", "eval", "globals", "run", "load":
				return // names may be read where nbprod cannot see it
			}
		}
	}
	for i := range fx.Calls() {
		if cs := &fx.Calls()[i]; (cs.Callee == "globals" || cs.Callee == "vars" || cs.Callee == "locals") && len(cs.Args) == 0 && cs.Function == "" {
			return // the namespace is handed to code that reads names nbprod cannot see (binder.bind(globals()))
		}
	}
	reads := notebookReads(fx)
	optional := map[[2]int]bool{}
	for _, im := range fx.ImportFacts() {
		if im.Optional {
			optional[[2]int{im.Cell, im.Line}] = true
		}
	}
	// F401: imports never used.
	var unusedImports []envPlace
	for _, c := range fx.Code() {
		for _, im := range c.Imports {
			if im.Bound == "" || im.Bound == "_" || im.Module == "__future__" || optional[[2]int{c.Index, im.Line}] || len(reads[im.Bound]) > 0 {
				continue
			}
			mod := im.Module
			if im.Name != "" {
				mod = im.Module + "." + im.Name
			}
			if sideEffectImports[mod] || sideEffectImports[im.Module] {
				continue
			}
			text := im.Bound
			if im.Name == "" && im.Module != im.Bound && !hasPrefixDot(im.Module, im.Bound) {
				text = im.Module + " as " + im.Bound
			} else if im.Name != "" && im.Name != im.Bound {
				text = im.Name + " as " + im.Bound
			} else if im.Name == "" {
				text = im.Module
			}
			unusedImports = append(unusedImports, envPlace{c.Index, im.Line, im.Col, text})
		}
	}
	reportPlaces(p, unusedImports, "unused-imports",
		func(n int) string {
			return fmt.Sprintf("%d %s never used in any cell", n, plural(n, "import is", "imports are"))
		},
		"remove them (the emitted package keeps only the imports its code uses)")

	// F841: module-level assignments never read.
	var unusedVars []envPlace
	seen := map[string]bool{}
	for _, c := range envPythonCells(fx) {
		for _, a := range c.Assigns() {
			if a.Name == "" || a.Function != "" || a.InClass || seen[a.Name] || a.Name[0] == '_' || len(reads[a.Name]) > 0 {
				continue
			}
			seen[a.Name] = true
			pos := c.NodePos(a.Target)
			unusedVars = append(unusedVars, envPlace{c.Index, pos.Line, pos.Col, a.Name})
		}
	}
	reportPlaces(p, unusedVars, "unused-variables",
		func(n int) string {
			return fmt.Sprintf("%d %s assigned and never read by any cell", n, plural(n, "variable is", "variables are"))
		},
		"remove the dead assignments, or display the value deliberately if it is a result")

	// F811: a def, class or import redefined in a later cell before any use.
	var redefs []envPlace
	g := fx.Graph()
	names := make([]string, 0, len(g.Redefined))
	for name := range g.Redefined {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		cells := g.Redefined[name]
		for k := 1; k < len(cells); k++ {
			prev, cur := fx.Cell(cells[k-1]), fx.Cell(cells[k])
			if prev == nil || cur == nil || !bindsCode(prev.DefKinds[name]) || !bindsCode(cur.DefKinds[name]) {
				continue
			}
			from, to := prev.DefPos[name], cur.DefPos[name]
			used := false
			for _, r := range reads[name] {
				after := r.cell > prev.Index || r.cell == prev.Index && r.line > from.Line
				before := r.cell < cur.Index || r.cell == cur.Index && r.line < to.Line
				if after && before {
					used = true
					break
				}
			}
			if !used {
				redefs = append(redefs, envPlace{cur.Index, to.Line, to.Col,
					fmt.Sprintf("%s (cell %d, unused since cell %d)", name, cur.Index+1, prev.Index+1)})
			}
		}
	}
	reportPlaces(p, redefs, "redefinitions",
		func(n int) string {
			return fmt.Sprintf("%d %s redefined before the previous definition was used", n, plural(n, "function, class or import is", "functions, classes or imports are"))
		},
		"keep the definition that is used and delete the stale ones")
}

func hasPrefixDot(mod, bound string) bool {
	return len(mod) > len(bound) && mod[:len(bound)+1] == bound+"."
}

func bindsCode(k facts.DefKind) bool {
	return k == facts.DefImport || k == facts.DefFunction || k == facts.DefClass
}

func reportPlaces(p *analyze.Pass, places []envPlace, key string, head func(int) string, fix string) {
	if len(places) == 0 {
		return
	}
	var texts []string
	var cells []int
	for _, pl := range places {
		texts = append(texts, pl.Text)
		cells = append(cells, pl.Cell)
	}
	first := places[0]
	p.Report(analyze.Finding{Cell: first.Cell, Line: first.Line, Column: first.Col, Key: key,
		Message: fmt.Sprintf("%s (%s): %s", head(len(places)), envCellList(cells), envListN(texts, 8)),
		Fix:     fix,
		Data:    map[string]any{"kind": key, "names": envPlaces(places)}})
}

// notebookReads lists every read of every name in the notebook's code
// (module level and bodies), plus $name/{expr} in magics, words of %store
// and similar magic arguments, and @name in pandas query strings.
func notebookReads(fx *facts.Notebook) map[string][]readAt {
	out := map[string][]readAt{}
	for _, c := range fx.Code() {
		for _, u := range c.MagicUses {
			out[u] = append(out[u], readAt{c.Index, 0})
		}
		for _, m := range c.Masked.Magics {
			for _, w := range identWords.FindAllString(m.Args, -1) {
				out[w] = append(out[w], readAt{c.Index, m.Line})
			}
		}
		t := c.Tree
		if t == nil {
			continue
		}
		par := c.Parents()
		for i := 0; i < t.Len(); i++ {
			id := ps.NodeID(i)
			switch t.Kind(id) {
			case ps.Identifier:
				if isLoad(t, par, id) {
					name := t.Text(id)
					out[name] = append(out[name], readAt{c.Index, t.StartPoint(id).Row + 1})
				}
			case ps.StringContent:
				for _, m := range queryVarRe.FindAllStringSubmatch(t.Text(id), -1) {
					out[m[1]] = append(out[m[1]], readAt{c.Index, t.StartPoint(id).Row + 1})
				}
			}
		}
	}
	return out
}

var identWords = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)

// isLoad reports whether an identifier is read (not a binding, attribute
// name, keyword name, parameter or import name).
func isLoad(t *ps.Tree, par []ps.NodeID, id ps.NodeID) bool {
	p := par[id]
	if p == ps.NoNode {
		return true
	}
	f := t.FieldOf(id)
	switch t.Kind(p) {
	case ps.Attribute:
		return f != ps.FAttribute
	case ps.KeywordArgument:
		return f != ps.FName
	case ps.FunctionDefinition, ps.ClassDefinition:
		return f != ps.FName
	case ps.Parameters, ps.LambdaParameters, ps.ListSplatPattern, ps.DictionarySplatPattern:
		return false
	case ps.DefaultParameter, ps.TypedDefaultParameter:
		return f != ps.FName
	case ps.TypedParameter:
		return t.FirstNamed(p) != id
	case ps.DottedName, ps.AliasedImport, ps.ImportStatement, ps.ImportFromStatement, ps.GlobalStatement,
		ps.NonlocalStatement, ps.AsPatternTarget, ps.DeleteStatement:
		return false
	case ps.NamedExpression:
		return f != ps.FName
	case ps.AugmentedAssignment:
		return true
	}
	// Walk up through unpacking containers to the binding construct.
	child := id
	for q := p; q != ps.NoNode; child, q = q, par[q] {
		switch t.Kind(q) {
		case ps.PatternList, ps.TuplePattern, ps.ListPattern, ps.Tuple, ps.List, ps.ParenthesizedExpression,
			ps.ListSplatPattern, ps.ExpressionList:
			continue
		case ps.Assignment:
			return t.ChildByField(q, ps.FLeft) != child
		case ps.ForStatement, ps.ForInClause:
			return t.ChildByField(q, ps.FLeft) != child
		}
		return true
	}
	return true
}
