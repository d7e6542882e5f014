package rules

import (
	"fmt"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
	ps "github.com/nbprod/nbprod/analyze/pysyntax"
)

// SwallowedException reports except clauses that catch everything (bare
// except, Exception, BaseException) and do nothing but pass, continue,
// `...` or print (bandit B110/B112). Narrow exceptions swallowed the same
// way are info.
var SwallowedException = &analyze.Rule{
	ID:       "NB807",
	Name:     "swallowed-exception",
	Category: analyze.CatCodeStructure,
	Severity: analyze.Warning,
	Doc:      doc("NB807"),
	Run:      runSwallowedException,
}

func runSwallowedException(p *analyze.Pass) {
	for _, c := range envPythonCells(p.Facts) {
		t := c.Tree
		for i := 0; i < t.Len(); i++ {
			n := ps.NodeID(i)
			if t.Kind(n) != ps.ExceptClause {
				continue
			}
			caught, body := exceptParts(t, n)
			if body == ps.NoNode {
				continue
			}
			action, ok := swallowAction(t, body)
			if !ok {
				continue
			}
			pos := c.NodePos(n)
			what := "except:"
			broad := true
			if caught != ps.NoNode {
				what = "except " + normSpace(t.Text(caught)) + ":"
				broad = broadException(t, caught)
			}
			f := analyze.Finding{Cell: c.Index, Line: pos.Line, Column: pos.Col, EndLine: pos.Line,
				EndColumn: pos.Col + len([]rune(strings.SplitN(t.Text(n), "\n", 2)[0])), Key: what + " " + action,
				Data: map[string]any{"caught": what, "action": action, "broad": broad}}
			if broad {
				f.Message = fmt.Sprintf("`%s` followed only by %s hides every error, including bugs and interrupted runs: the job carries on with missing results", what, action)
				f.Fix = "catch the specific exceptions you expect, and log and re-raise (or fail) on anything else"
			} else {
				f.Severity = analyze.Info
				f.Message = fmt.Sprintf("`%s` followed only by %s: the error disappears without a trace", what, action)
				f.Fix = "log the exception (logger.warning(..., exc_info=True)) so a production run leaves a trace"
			}
			p.Report(f)
		}
	}
}

// exceptParts returns the caught expression (NoNode for a bare except)
// and the handler's block.
func exceptParts(t *ps.Tree, n ps.NodeID) (caught, body ps.NodeID) {
	caught, body = ps.NoNode, ps.NoNode
	for _, k := range t.NamedChildren(n, nil) {
		switch t.Kind(k) {
		case ps.Block:
			body = k
		case ps.Comment:
		default:
			if caught == ps.NoNode {
				caught = k
			}
		}
	}
	if caught != ps.NoNode && t.Kind(caught) == ps.AsPattern {
		caught = t.FirstNamed(caught)
	}
	return caught, body
}

func broadException(t *ps.Tree, caught ps.NodeID) bool {
	switch t.Kind(caught) {
	case ps.Tuple, ps.ParenthesizedExpression:
		for _, k := range t.NamedChildren(caught, nil) {
			if broadException(t, k) {
				return true
			}
		}
		return false
	}
	name := facts.DottedName(t, caught)
	return name == "Exception" || name == "BaseException" || name == "builtins.Exception"
}

// swallowAction reports whether a handler body only passes, continues,
// holds `...` or prints, and describes it.
func swallowAction(t *ps.Tree, body ps.NodeID) (string, bool) {
	var acts []string
	for ch := t.FirstChild(body); ch != ps.NoNode; ch = t.NextSibling(body, ch) {
		if !t.IsNamed(ch) || t.Kind(ch) == ps.Comment {
			continue
		}
		switch t.Kind(ch) {
		case ps.PassStatement:
			acts = append(acts, "pass")
		case ps.ContinueStatement:
			acts = append(acts, "continue")
		case ps.ExpressionStatement:
			e := t.FirstNamed(ch)
			switch {
			case t.Kind(e) == ps.Ellipsis:
				acts = append(acts, "...")
			case t.Kind(e) == ps.Call && facts.DottedName(t, t.ChildByField(e, ps.FFunction)) == "print":
				acts = append(acts, "print(...)")
			default:
				return "", false
			}
		case ps.PrintStatement:
			acts = append(acts, "print")
		default:
			return "", false
		}
	}
	if len(acts) == 0 {
		return "", false
	}
	return strings.Join(dedupeStrings(acts), " and "), true
}

func dedupeStrings(xs []string) []string {
	var out []string
	for _, x := range xs {
		if !contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}
