package rules

import (
	"fmt"
	"strings"

	"github.com/nbprod/nbprod/analyze"
)

// InvalidPythonSyntax reports cells that do not parse as Python 3, including
// Python 2 syntax tree-sitter accepts (RULES.md §1.8, CONTRACT.md §3).
var InvalidPythonSyntax = &analyze.Rule{
	ID:       "NB805",
	Name:     "invalid-python-syntax",
	Category: analyze.CatCodeStructure,
	Severity: analyze.Blocker,
	Doc:      doc("NB805"),
	Run:      runInvalidPythonSyntax,
}

func runInvalidPythonSyntax(p *analyze.Pass) {
	nb := p.Notebook
	ver := nb.LanguageVersion
	if strings.HasPrefix(ver, "2.") || nb.KernelName == "python2" || nb.Language == "python2" {
		label := ver
		if label == "" {
			label = nb.KernelName
		}
		p.Report(analyze.Finding{Cell: -1,
			Message: fmt.Sprintf("the notebook was written for Python 2 (%s): production runs Python 3", label),
			Fix:     "port the notebook to Python 3 (2to3 handles most of it) and re-run it"})
	}
	g := p.Facts.Graph()
	for _, c := range p.Facts.Code() {
		if c.Language != "python" || c.NB.TooLarge {
			continue
		}
		if c.ParseOK {
			for _, u := range c.EagerUses {
				if python2Builtins[u] && len(g.Definers[u]) == 0 {
					pos := c.UsePos[u]
					p.Report(analyze.Finding{Cell: c.Index, Line: pos.Line, Column: pos.Col,
						Message: fmt.Sprintf("Python 2 builtin `%s` does not exist in Python 3 (Python 2 code cannot run in production)", u),
						Fix:     py2Replacement(u), Key: "py2:" + u})
				}
			}
		}
		seenPy2 := map[string]bool{}
		parseReported := false
		for _, s := range c.Syntax {
			if s.Python2 {
				kind := s.Msg
				if i := strings.IndexByte(kind, ':'); i >= 0 {
					kind = kind[:i]
				}
				if seenPy2[kind] {
					continue
				}
				seenPy2[kind] = true
				p.Report(analyze.Finding{Cell: c.Index, Line: s.Pos.Line, Column: s.Pos.Col,
					Message: s.Msg + " (Python 2 syntax cannot run in production)",
					Fix:     "port the cell to Python 3", Key: "py2:" + kind})
				continue
			}
			if parseReported {
				continue
			}
			parseReported = true
			p.Report(analyze.Finding{Cell: c.Index, Line: s.Pos.Line, Column: s.Pos.Col,
				EndLine: s.End.Line, EndColumn: s.End.Col,
				Message: "does not parse as Python 3: " + s.Msg,
				Fix:     "fix the syntax error (or, if the cell is another language, start it with the matching cell magic such as %%bash)",
				Key:     "syntax"})
		}
	}
}

func py2Replacement(name string) string {
	switch name {
	case "xrange":
		return "use range()"
	case "raw_input":
		return "use input()"
	case "unicode", "basestring":
		return "use str"
	case "long":
		return "use int"
	case "reduce":
		return "from functools import reduce"
	case "unichr":
		return "use chr()"
	case "file":
		return "use open()"
	case "reload":
		return "from importlib import reload"
	}
	return "port the cell to Python 3"
}
