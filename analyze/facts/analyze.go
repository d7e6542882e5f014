package facts

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	ps "github.com/nbprod/nbprod/analyze/pysyntax"
	"github.com/nbprod/nbprod/notebook"
)

// pythonBodyMagics are the cell magics whose body stays Python.
var pythonBodyMagics = map[string]bool{"time": true, "prun": true, "capture": true, "timeit": true}

// CellContext is what the analysis of a cell needs from the cells above it.
type CellContext struct {
	// Defined reports names bound by earlier code cells (the automagic
	// shadowing rule); may be nil.
	Defined func(string) bool
	// FutureAnnotations is set when an earlier cell ran
	// `from __future__ import annotations` (IPython keeps compiler flags
	// between cells).
	FutureAnnotations bool
}

// AnalyzeCell masks, parses and walks one code cell.
func (w *Worker) AnalyzeCell(index int, c *notebook.Cell, ctx CellContext) *Cell {
	defined := ctx.Defined
	out := &Cell{Index: index, NB: c, Language: "python", DefKinds: map[string]DefKind{},
		UsePos: map[string]Pos{}, DefPos: map[string]Pos{}}
	if c.TooLarge {
		out.Syntax = append(out.Syntax, SyntaxProblem{Pos: Pos{1, 1},
			Msg: fmt.Sprintf("cell source of %d bytes is too large to analyse", c.SourceSize)})
		return out
	}
	src := c.Source
	out.Masked = ps.Mask(src, defined, w.isPython)
	if out.Masked.CellMagic != "" && !pythonBodyMagics[out.Masked.CellMagic] {
		out.Language = out.Masked.CellMagic
	}
	for _, m := range out.Masked.Magics {
		out.MagicUses = appendNew(out.MagicUses, m.Uses...)
	}
	out.MagicUses = filterIgnorable(out.MagicUses)
	tree := w.parser().Parse([]byte(out.Masked.Source))
	out.Tree = tree
	lines := splitLines(src)
	pos := func(n ps.NodeID) Pos {
		p := tree.StartPoint(n)
		return w.origPos(out.Masked.Shift, lines, p)
	}
	if tree.TooDeep {
		out.TooDeep = true
		out.Syntax = append(out.Syntax, SyntaxProblem{Pos: Pos{1, 1},
			Msg: fmt.Sprintf("nesting deeper than %d levels: the cell is not analysed", ps.MaxDepth)})
		out.Tree = nil
		return out
	}
	out.ParseOK = true
	for _, e := range tree.Errors() {
		out.ParseOK = false
		start := pos(e)
		end := w.origPos(out.Masked.Shift, lines, tree.EndPoint(e))
		out.Syntax = append(out.Syntax, SyntaxProblem{Pos: start, End: end, Msg: syntaxMessage(tree, e)})
	}
	for _, p := range python2Constructs(tree, pos) {
		out.ParseOK = false
		out.Syntax = append(out.Syntax, p)
	}

	wk := newWalker(tree, pos)
	wk.future = ctx.FutureAnnotations
	if root := tree.Root(); root != ps.NoNode {
		wk.stmts(root)
	}
	for _, d := range wk.defines.items {
		if d != "__ipy_timeit__" { // the masker's wrapper for %timeit statements
			out.Defines = append(out.Defines, d)
		}
	}
	out.Mutates = wk.mutates.items
	out.Deletes = wk.deletes.items
	out.CallMutates = wk.callMutates.items
	out.Imports = wk.imports
	out.StarImports = wk.starImps
	out.Dynamic = wk.dynamic
	out.DefKinds = wk.defKinds
	out.UsePos = wk.usePos
	out.DefPos = wk.defPos
	var eager []string
	for _, u := range wk.uses.items {
		if !wk.annotOnly[u] {
			eager = append(eager, u)
		}
	}
	out.FutureAnnotations = wk.future
	out.RMW = wk.rmw
	out.History = wk.history
	lastStatement(out, tree)

	// Deferred scopes (def and lambda bodies) with symtable's rules.
	col := &collector{t: tree, pos: pos, future: wk.future}
	var deferredRefs []string
	refPos := map[string]Pos{}
	var gdecl []string
	classFree := map[string][]string{}
	classCalls := map[string][]string{}
	eagerCalls := append([]string(nil), wk.calls.items...)
	for _, d := range wk.deferred {
		// The enclosing chain: eager comprehension scopes are function-like
		// (their targets are locals); class bodies are skipped.
		var parent *fscope
		for _, es := range d.enclosing {
			kind := byte('e')
			if es.kind == 'c' {
				kind = 'c'
			}
			s := newFscope(kind, parent)
			for name := range es.locals {
				s.locals[name] = true
			}
			parent = s
		}
		fs := col.function(parent, d.node)
		refs, rp, gd, calls, live := resolveGlobals(fs)
		gdecl = append(gdecl, gd...)
		// Free names that only unreachable code reads never run.
		var free []string
		for _, r := range filterIgnorable(refs) {
			if live[r] {
				free = append(free, r)
			}
		}
		for _, r := range refs {
			if _, ok := refPos[r]; !ok {
				refPos[r] = rp[r]
			}
		}
		deferredRefs = append(deferredRefs, refs...)
		p := pos(d.node)
		switch {
		case d.class != "":
			classFree[d.class] = appendNew(classFree[d.class], free...)
			classCalls[d.class] = appendNew(classCalls[d.class], calls...)
		case d.name != "" && d.topLevel:
			sc := Scope{Name: d.name, Line: p.Line, Col: p.Col, Free: sortedCopy(dedupe(free)),
				Calls: sortedCopy(dedupe(calls)), Params: paramNames(tree, d.node), Node: d.node}
			out.Functions = append(out.Functions, sc)
		default:
			// Anonymous lambdas and functions inside comprehensions run
			// while the cell runs, as far as a static reading can tell.
			eager = appendNew(eager, filterDefined(free, wk.defined)...)
			eagerCalls = appendNew(eagerCalls, calls...)
			if d.lambda {
				out.Functions = append(out.Functions, Scope{Name: "<lambda>", Line: p.Line, Col: p.Col,
					Free: sortedCopy(dedupe(free)), Calls: sortedCopy(dedupe(calls)), Params: paramNames(tree, d.node), Node: d.node})
			}
		}
	}
	for _, name := range wk.defines.items {
		if wk.defKinds[name] == DefClass {
			out.Classes = append(out.Classes, Scope{Name: name, Line: wk.defPos[name].Line, Col: wk.defPos[name].Col,
				Free: sortedCopy(dedupe(classFree[name])), Calls: sortedCopy(dedupe(classCalls[name]))})
		}
	}
	defines := append([]string(nil), out.Defines...)
	for _, g := range gdecl {
		if !contains(defines, g) {
			defines = append(defines, g)
			out.DefKinds[g] = DefOther
		}
	}
	out.Defines = defines
	out.Globals = dedupe(gdecl)
	allDef := map[string]bool{}
	for _, d := range defines {
		allDef[d] = true
	}
	for d := range wk.defined {
		allDef[d] = true
	}
	uses := append([]string(nil), wk.uses.items...)
	for _, r := range deferredRefs {
		if !allDef[r] && !ignorable(r) && !contains(uses, r) {
			uses = append(uses, r)
			if _, ok := out.UsePos[r]; !ok {
				out.UsePos[r] = refPos[r]
			}
		}
	}
	out.Uses = uses
	out.EagerUses = eager
	out.Calls = eagerCalls
	if out.Masked.PrivateScope {
		out.Defines, out.Deletes = nil, nil
	}
	// Names bound by magics (x = !ls, %%capture x).
	for _, m := range out.Masked.Magics {
		if m.Target == "" {
			continue
		}
		for _, name := range strings.Split(m.Target, ",") {
			name = strings.TrimSpace(strings.Trim(strings.TrimSpace(name), "()[]*"))
			if _, ok := out.DefKinds[name]; ok {
				out.DefKinds[name] = DefMagic
			}
		}
	}
	for _, m := range out.Masked.Magics {
		switch {
		case (m.Kind == ps.LineMagic || m.Kind == ps.Automagic) && m.Name == "run":
			out.Dynamic = append(out.Dynamic, Dynamic{Kind: "run", Pos: Pos{m.Line, m.Col}, Text: "%run " + m.Args})
		case (m.Kind == ps.LineMagic || m.Kind == ps.Automagic) && m.Name == "store" && strings.Contains(" "+m.Args+" ", " -r"):
			out.Dynamic = append(out.Dynamic, Dynamic{Kind: "store", Pos: Pos{m.Line, m.Col}, Text: "%store " + m.Args})
		case (m.Kind == ps.LineMagic || m.Kind == ps.Automagic) && m.Name == "pylab":
			// %pylab does `from pylab import *` (numpy and matplotlib names).
			out.Dynamic = append(out.Dynamic, Dynamic{Kind: "star-import", Pos: Pos{m.Line, m.Col}, Text: "%pylab " + m.Args})
		case (m.Kind == ps.LineMagic || m.Kind == ps.Automagic) && (m.Name == "load" || m.Name == "loadpy"):
			out.Dynamic = append(out.Dynamic, Dynamic{Kind: "load", Pos: Pos{m.Line, m.Col}, Text: "%" + m.Name + " " + m.Args})
		}
	}
	return out
}

// origPos converts a point of the masked source to a position in the
// original cell source.
func (w *Worker) origPos(shift []int, lines []string, p ps.Point) Pos {
	line := p.Row + 1
	bcol := p.Col
	if shift != nil && p.Row < len(shift) {
		bcol += shift[p.Row]
	}
	if p.Row >= len(lines) {
		return Pos{line, bcol + 1}
	}
	l := lines[p.Row]
	if bcol < 0 {
		bcol = 0
	}
	if bcol > len(l) {
		return Pos{line, utf8.RuneCountInString(l) + 1 + (bcol - len(l))}
	}
	return Pos{line, utf8.RuneCountInString(l[:bcol]) + 1}
}

func splitLines(s string) []string { return strings.Split(s, "\n") }

func appendNew(dst []string, xs ...string) []string {
	for _, x := range xs {
		if !contains(dst, x) {
			dst = append(dst, x)
		}
	}
	return dst
}

func dedupe(xs []string) []string { return appendNew(nil, xs...) }

func filterIgnorable(xs []string) []string {
	out := xs[:0:0]
	for _, x := range xs {
		if !ignorable(x) {
			out = append(out, x)
		}
	}
	return out
}

func filterDefined(xs []string, defined map[string]bool) []string {
	var out []string
	for _, x := range xs {
		if !defined[x] {
			out = append(out, x)
		}
	}
	return out
}

func sortStrings(xs []string) { sort.Strings(xs) }

func paramNames(t *ps.Tree, fn ps.NodeID) []string {
	params := t.ChildByField(fn, ps.FParameters)
	if params == ps.NoNode {
		return nil
	}
	s := newFscope('f', nil)
	c := &collector{t: t, pos: func(ps.NodeID) Pos { return Pos{} }}
	for _, p := range t.NamedChildren(params, nil) {
		c.param(s, p)
	}
	var out []string
	for n := range s.locals {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// syntaxMessage describes an ERROR or MISSING node.
func syntaxMessage(t *ps.Tree, n ps.NodeID) string {
	if t.IsMissing(n) {
		return fmt.Sprintf("syntax error: missing %q", t.Text(n))
	}
	text := strings.TrimSpace(t.Text(n))
	if strings.ContainsRune(text, '`') {
		return "Python 2 backtick repr (`x`): not valid Python 3"
	}
	if first := strings.SplitN(text, "\n", 2)[0]; first != "" {
		r := []rune(first)
		if len(r) > 40 {
			first = string(r[:39]) + "…"
		}
		return fmt.Sprintf("syntax error: cannot parse %q", first)
	}
	return "syntax error"
}

var (
	py2Octal = regexp.MustCompile(`^0[0-7]+$`)
	py2Long  = regexp.MustCompile(`^(?:0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[0-9]+)[lL]$`)
)

// python2Constructs finds syntax tree-sitter accepts but Python 3 rejects.
func python2Constructs(t *ps.Tree, pos func(ps.NodeID) Pos) []SyntaxProblem {
	var out []SyntaxProblem
	add := func(n ps.NodeID, msg string) {
		out = append(out, SyntaxProblem{Pos: pos(n), Msg: msg, Python2: true})
	}
	for i := 0; i < t.Len(); i++ {
		n := ps.NodeID(i)
		switch t.Kind(n) {
		case ps.PrintStatement:
			add(n, "Python 2 print statement: use print(...)")
		case ps.ExecStatement:
			add(n, "Python 2 exec statement: use exec(...)")
		case ps.Token:
			if t.Text(n) == "<>" {
				add(n, "Python 2 <> operator: use !=")
			}
		case ps.Integer:
			txt := t.Text(n)
			if txt == "" {
				break // a MISSING node
			}
			last := txt[len(txt)-1]
			if (last == 'l' || last == 'L') && py2Long.MatchString(txt) {
				add(n, fmt.Sprintf("Python 2 long literal %s: drop the L suffix", txt))
			} else if txt[0] == '0' && py2Octal.MatchString(txt) && strings.Trim(txt, "0") != "" {
				add(n, fmt.Sprintf("Python 2 octal literal %s: write 0o%s", txt, txt[1:]))
			}
		case ps.StringStart:
			if strings.HasPrefix(t.Text(n), "`") {
				add(n, "Python 2 backtick repr (`x`): use repr(x)")
				continue
			}
			prefix := strings.ToLower(strings.TrimRight(t.Text(n), `'"`))
			if strings.Contains(prefix, "u") && len(prefix) > 1 {
				add(n, fmt.Sprintf("Python 2 string prefix %s'': not valid in Python 3", t.Text(n)[:len(prefix)]))
			}
		case ps.ExceptClause:
			for c := t.FirstChild(n); c != ps.NoNode; c = t.NextSibling(n, c) {
				if t.Kind(c) == ps.Token && t.Text(c) == "," {
					add(n, "Python 2 `except E, e`: write `except E as e`")
					break
				}
			}
		}
	}
	return out
}

// lastStatement records what IPython would display: whether the last
// top-level statement is an expression, ends with ";", or is a magic line;
// and whether the cell calls anything.
func lastStatement(c *Cell, t *ps.Tree) {
	root := t.Root()
	if root == ps.NoNode {
		return
	}
	last := ps.NoNode
	semi := false
	for ch := t.FirstChild(root); ch != ps.NoNode; ch = t.NextSibling(root, ch) {
		if t.IsExtra(ch) {
			continue
		}
		if !t.IsNamed(ch) {
			if t.Text(ch) == ";" {
				semi = true
			}
			continue
		}
		last, semi = ch, false
	}
	// A trailing ";" may also be the last child of the statement itself.
	if last != ps.NoNode {
		for ch := t.FirstChild(last); ch != ps.NoNode; ch = t.NextSibling(last, ch) {
			if !t.IsNamed(ch) && t.Text(ch) == ";" {
				semi = true
			}
		}
		if t.Kind(last) == ps.ExpressionStatement {
			k := t.FirstNamed(last)
			c.LastExpr = k != ps.NoNode && t.Kind(k) != ps.Assignment && t.Kind(k) != ps.AugmentedAssignment
		}
		row := t.StartPoint(last).Row + 1
		for _, m := range c.Masked.Magics {
			if row >= m.Line && row <= m.EndLine {
				c.LastMagic = true
			}
		}
	}
	c.Semicolon = semi
	for i := 0; i < t.Len(); i++ {
		if t.Kind(ps.NodeID(i)) == ps.Call {
			c.HasCall = true
			break
		}
	}
}
