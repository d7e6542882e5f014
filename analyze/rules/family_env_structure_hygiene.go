package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
	ps "github.com/nbprod/nbprod/analyze/pysyntax"
)

// environmentStructureAndHygieneRules are the NB203, NB6xx environment, NB706, NB8xx code-structure (but NB805) and NB9xx hygiene rules.
func environmentStructureAndHygieneRules() []*analyze.Rule {
	return []*analyze.Rule{
		NondeterministicGPUConfig,
		IPythonMagic,
		ShellEscape,
		InNotebookInstall,
		UnpinnedOrUndeclaredDependency,
		HardcodedGPUDevice,
		HostedPlatformAPI,
		NotebookCoupling,
		GPURequestedButUnused,
		NoFunctions,
		OversizedCellOrNotebook,
		WildcardImport,
		ImportsNotAtTop,
		FunctionReadsNotebookGlobal,
		SwallowedException,
		UnusedOrRedefinedName,
		ErrorOutputSaved,
		OversizedOutput,
		DisplayOnlyStatement,
		InteractiveInput,
		DefaultNotebookName,
	}
}

// envPlace is a cell position for aggregated findings.
type envPlace struct {
	Cell, Line, Col int
	Text            string
}

// envCellList renders "cells 1, 3 and 7" (human cell numbers).
func envCellList(cells []int) string {
	seen := map[int]bool{}
	var nums []int
	for _, c := range cells {
		if !seen[c] {
			seen[c] = true
			nums = append(nums, c+1)
		}
	}
	sort.Ints(nums)
	parts := make([]string, 0, len(nums))
	for _, n := range nums {
		parts = append(parts, fmt.Sprint(n))
	}
	if len(parts) > 8 {
		parts = append(parts[:8], fmt.Sprintf("… (%d cells)", len(nums)))
	}
	word := "cell"
	if len(nums) > 1 {
		word = "cells"
	}
	return word + " " + strings.Join(parts, ", ")
}

// envCounted renders distinct texts with their counts, most frequent
// first: "%matplotlib inline ×3, %time ×2".
func envCounted(texts []string, max int) string {
	count := map[string]int{}
	var order []string
	for _, t := range texts {
		if count[t] == 0 {
			order = append(order, t)
		}
		count[t]++
	}
	sort.SliceStable(order, func(i, j int) bool { return count[order[i]] > count[order[j]] })
	var parts []string
	for i, t := range order {
		if i == max {
			parts = append(parts, fmt.Sprintf("and %d more", len(order)-max))
			break
		}
		if count[t] > 1 {
			parts = append(parts, fmt.Sprintf("%s ×%d", t, count[t]))
		} else {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, ", ")
}

// envPlaces converts places to JSON-friendly data.
func envPlaces(ps []envPlace) []map[string]any {
	out := make([]map[string]any, 0, len(ps))
	for _, p := range ps {
		out = append(out, map[string]any{"cell": p.Cell, "line": p.Line, "text": p.Text})
	}
	return out
}

// envGuardedBy reports whether node sits under an if/elif/else or a
// conditional expression whose condition matches test, or in the body of
// a try statement (when try is set).
func envGuardedBy(c *facts.Cell, node ps.NodeID, test func(string) bool, try bool) bool {
	t := c.Tree
	par := c.Parents()
	child := node
	for p := par[node]; p != ps.NoNode; child, p = p, par[p] {
		switch t.Kind(p) {
		case ps.ConditionalExpression:
			kids := t.NamedChildren(p, nil)
			if len(kids) >= 2 && kids[1] != child && test(t.Text(kids[1])) {
				return true
			}
		case ps.IfStatement, ps.ElifClause:
			if cond := t.ChildByField(p, ps.FCondition); cond != ps.NoNode && cond != child && test(t.Text(cond)) {
				return true
			}
		case ps.ElseClause:
			if ifs := par[p]; ifs != ps.NoNode && t.Kind(ifs) == ps.IfStatement {
				if cond := t.ChildByField(ifs, ps.FCondition); cond != ps.NoNode && test(t.Text(cond)) {
					return true
				}
			}
		case ps.TryStatement:
			if try && t.ChildByField(p, ps.FBody) == child {
				return true
			}
		}
	}
	return false
}

// envTopStatements returns the module-level statements of a cell's tree.
func envTopStatements(t *ps.Tree) []ps.NodeID {
	root := t.Root()
	if root == ps.NoNode {
		return nil
	}
	var out []ps.NodeID
	for ch := t.FirstChild(root); ch != ps.NoNode; ch = t.NextSibling(root, ch) {
		if t.IsNamed(ch) && !t.IsExtra(ch) && t.Kind(ch) != ps.Comment {
			out = append(out, ch)
		}
	}
	return out
}

// envMagicLine reports whether a statement of the masked tree stands for a
// masked magic line (a placeholder the masker put there).
func envMagicLine(c *facts.Cell, n ps.NodeID) bool {
	if len(c.Masked.Magics) == 0 {
		return false
	}
	row := c.Tree.StartPoint(n).Row + 1
	// The masker reports magics in line order, without overlaps: the one
	// that may hold row is the last that starts at or before it.
	ms := c.Masked.Magics
	k := sort.Search(len(ms), func(k int) bool { return ms[k].Line > row }) - 1
	return k >= 0 && row <= ms[k].EndLine && !ms[k].KeepsPython
}

// envPythonCells are the code cells with a Python tree.
func envPythonCells(fx *facts.Notebook) []*facts.Cell {
	var out []*facts.Cell
	for _, c := range fx.Code() {
		if c.Tree != nil && c.Language == "python" {
			out = append(out, c)
		}
	}
	return out
}

// envMetaBool reads a boolean from notebook metadata (nbprod.kind etc.).
func envExploratory(p *analyze.Pass) bool {
	s, _ := p.Notebook.Metadata.Get("nbprod", "kind").String()
	return strings.EqualFold(s, "exploratory")
}

// envRedact replaces the secrets and personal values found on lines
// line..endLine of a cell with their redacted forms in text, a message
// fragment derived from those lines (a magic line, an install command, a
// path). CONTRACT.md §5: no output may carry such a value.
func envRedact(fx *facts.Notebook, cell, line, endLine int, text string) string {
	if cell < 0 || cell >= len(fx.NB.Cells) || text == "" {
		return text
	}
	if endLine < line {
		endLine = line
	}
	for _, s := range fx.Sensitive() {
		if s.Cell != cell || s.Line < line || s.Line > endLine {
			continue
		}
		src := fx.NB.Cells[cell].Line(s.Line)
		if s.Start < 0 || s.End > len(src) || s.Start >= s.End {
			continue
		}
		v := src[s.Start:s.End]
		text = strings.ReplaceAll(text, v, facts.Redact(s.Kind, v, s.Prefix))
	}
	return text
}

// redactAll applies envRedact to each string.
func redactAll(p *analyze.Pass, cell, line, endLine int, xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = envRedact(p.Facts, cell, line, endLine, x)
	}
	return out
}
