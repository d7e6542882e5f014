package facts

import (
	"strings"

	ps "github.com/nbprod/nbprod/analyze/pysyntax"
)

// The def-use walk follows ../shared/oracle/oracle.py (rules D–G): module
// level code, class bodies at module level and comprehensions evaluated at
// module level are walked in evaluation order ("eager"); bodies of def and
// lambda are collected afterwards with symtable's scoping rules
// ("deferred").

type eagerScope struct {
	kind   byte // 'c' class body, 'p' comprehension
	locals map[string]bool
}

type deferredFn struct {
	node      ps.NodeID
	lambda    bool
	name      string // def name, or the target a lambda is assigned to ("" if anonymous)
	enclosing []*eagerScope
	class     string // name of the module-level class whose body defines it
	topLevel  bool   // defined directly at module level (not in a class or comprehension)
}

type walker struct {
	t   *ps.Tree
	pos func(ps.NodeID) Pos

	defines, uses, mutates, deletes, callMutates, calls orderedSet

	defined    map[string]bool
	scopes     []*eagerScope
	starImps   []string
	imports    []Import
	defKinds   map[string]DefKind
	usePos     map[string]Pos
	defPos     map[string]Pos
	deferred   []deferredFn
	dynamic    []Dynamic
	classStack []string
	kind       DefKind // binding kind of the statement being walked
	lambdaName string  // target name when a statement is `name = lambda ...`
	buf        []ps.NodeID
	rmw        []RMW
	stored     map[string]bool // attribute/subscript locations assigned so far (whitespace-free text)

	// future is set under `from __future__ import annotations` (PEP 563):
	// annotations are then never evaluated. annot counts the annotations
	// being walked; names read only there are not run-time uses.
	future    bool
	annot     int
	annotOnly map[string]bool
	history   []NameUse
	watch     string // name whose loads are watched (x = f(x))
	watchHit  bool
}

func (w *walker) addRMW(name string, n ps.NodeID, kind string) {
	w.rmw = append(w.rmw, RMW{Name: name, Pos: w.pos(n), Kind: kind, Text: shortText(w.t.Text(n))})
}

// exposed reports whether a module-level name has not been bound earlier in
// the cell, so its value comes from another cell.
func (w *walker) exposed(name string) bool {
	return len(w.scopes) == 0 && !w.defined[name] && !ignorable(name)
}

func newWalker(t *ps.Tree, pos func(ps.NodeID) Pos) *walker {
	return &walker{t: t, pos: pos, defined: map[string]bool{}, defKinds: map[string]DefKind{},
		usePos: map[string]Pos{}, defPos: map[string]Pos{}}
}

func (w *walker) text(n ps.NodeID) string { return pyName(w.t.Text(n)) }

func (w *walker) children(n ps.NodeID) []ps.NodeID {
	return w.t.NamedChildren(n, nil)
}

// ---- name events ---------------------------------------------------------

func (w *walker) load(name string, n ps.NodeID) {
	if name == w.watch {
		w.watchHit = true
	}
	for i := len(w.scopes) - 1; i >= 0; i-- {
		s := w.scopes[i]
		if s.kind == 'c' && i != len(w.scopes)-1 {
			continue // a class scope is visible only directly in its body
		}
		if s.locals[name] {
			return
		}
	}
	if w.defined[name] {
		return
	}
	if ignorable(name) {
		if isHistoryName(name) || name == "Out" || name == "In" || name == "_oh" || name == "_ih" {
			w.history = append(w.history, NameUse{Text: name, Pos: w.pos(n)})
		}
		return
	}
	if w.uses.add(name) {
		w.usePos[name] = w.pos(n)
		if w.annot > 0 && w.future {
			if w.annotOnly == nil {
				w.annotOnly = map[string]bool{}
			}
			w.annotOnly[name] = true
		}
	} else if w.annot == 0 || !w.future {
		delete(w.annotOnly, name)
	}
}

// annotation walks an annotation expression.
func (w *walker) annotation(n ps.NodeID) {
	w.annot++
	w.expr(n)
	w.annot--
}

func (w *walker) bind(name string, n ps.NodeID) {
	if len(w.scopes) > 0 {
		w.scopes[len(w.scopes)-1].locals[name] = true
		return
	}
	w.bindModule(name, n)
}

func (w *walker) bindModule(name string, n ps.NodeID) {
	w.defined[name] = true
	if w.defines.add(name) {
		w.defPos[name] = w.pos(n)
	}
	w.defKinds[name] = w.kind
}

// ---- statements ------------------------------------------------------------

func (w *walker) stmts(n ps.NodeID) {
	for c := w.t.FirstChild(n); c != ps.NoNode; c = w.t.NextSibling(n, c) {
		if w.t.IsNamed(c) && !w.t.IsExtra(c) {
			w.stmt(c)
		}
	}
}

func (w *walker) stmt(n ps.NodeID) {
	t := w.t
	w.kind = DefOther
	switch t.Kind(n) {
	case ps.ExpressionStatement:
		for _, c := range w.children(n) {
			switch t.Kind(c) {
			case ps.Assignment:
				w.assignment(c)
			case ps.AugmentedAssignment:
				w.augAssignment(c)
			default:
				w.expr(c)
			}
		}
	case ps.Assignment:
		w.assignment(n)
	case ps.AugmentedAssignment:
		w.augAssignment(n)
	case ps.FunctionDefinition:
		w.functionDef(n, nil)
	case ps.ClassDefinition:
		w.classDef(n, nil)
	case ps.DecoratedDefinition:
		var decos []ps.NodeID
		def := ps.NoNode
		for _, c := range w.children(n) {
			if t.Kind(c) == ps.Decorator {
				decos = append(decos, c)
			} else if t.FieldOf(c) == ps.FDefinition {
				def = c
			}
		}
		if def == ps.NoNode {
			for _, d := range decos {
				w.exprChildren(d)
			}
			return
		}
		if t.Kind(def) == ps.ClassDefinition {
			w.classDef(def, decos)
		} else {
			w.functionDef(def, decos)
		}
	case ps.ForStatement:
		w.expr(t.ChildByField(n, ps.FRight))
		w.kind = DefOther
		w.store(t.ChildByField(n, ps.FLeft))
		w.blockOf(t.ChildByField(n, ps.FBody))
		w.elseOf(n)
	case ps.WhileStatement:
		w.expr(t.ChildByField(n, ps.FCondition))
		w.blockOf(t.ChildByField(n, ps.FBody))
		w.elseOf(n)
	case ps.IfStatement:
		w.expr(t.ChildByField(n, ps.FCondition))
		w.blockOf(t.ChildByField(n, ps.FConsequence))
		for _, c := range w.children(n) {
			switch t.Kind(c) {
			case ps.ElifClause:
				w.expr(t.ChildByField(c, ps.FCondition))
				w.blockOf(t.ChildByField(c, ps.FConsequence))
			case ps.ElseClause:
				w.blockOf(t.ChildByField(c, ps.FBody))
			}
		}
	case ps.TryStatement:
		w.blockOf(t.ChildByField(n, ps.FBody))
		for _, c := range w.children(n) {
			switch t.Kind(c) {
			case ps.ExceptClause, ps.ExceptGroupClause:
				w.exceptClause(c)
			case ps.ElseClause:
				w.blockOf(t.ChildByField(c, ps.FBody))
			case ps.FinallyClause:
				for _, b := range w.children(c) {
					if t.Kind(b) == ps.Block {
						w.stmts(b)
					}
				}
			}
		}
	case ps.WithStatement:
		for _, c := range w.children(n) {
			if t.Kind(c) == ps.WithClause {
				for _, it := range w.children(c) {
					w.withItem(it)
				}
			}
		}
		w.blockOf(t.ChildByField(n, ps.FBody))
	case ps.ImportStatement:
		w.kind = DefImport
		for _, c := range w.children(n) {
			w.importName(c, "")
		}
	case ps.ImportFromStatement, ps.FutureImportStatement:
		w.kind = DefImport
		if t.Kind(n) == ps.FutureImportStatement && strings.Contains(w.text(n), "annotations") {
			w.future = true
		}
		mod := "__future__"
		if m := t.ChildByField(n, ps.FModuleName); m != ps.NoNode {
			mod = strings.Join(strings.Fields(w.text(m)), "")
		}
		for _, c := range w.children(n) {
			if t.FieldOf(c) == ps.FModuleName {
				continue
			}
			switch t.Kind(c) {
			case ps.WildcardImport:
				w.starImps = append(w.starImps, mod)
				p := w.pos(n)
				w.imports = append(w.imports, Import{Module: mod, Name: "*", Line: p.Line, Col: p.Col})
				w.dynamic = append(w.dynamic, Dynamic{Kind: "star-import", Pos: p, Text: "from " + mod + " import *"})
			default:
				w.importName(c, mod)
			}
		}
	case ps.DeleteStatement:
		for _, c := range w.children(n) {
			w.delTarget(c)
		}
	case ps.MatchStatement:
		for _, c := range w.children(n) {
			if t.FieldOf(c) == ps.FBody {
				for _, cc := range w.children(c) {
					if t.Kind(cc) == ps.CaseClause {
						w.caseClause(cc)
					}
				}
				continue
			}
			w.expr(c) // the subject
		}
	case ps.TypeAliasStatement:
		kids := w.children(n)
		for _, c := range kids[min(1, len(kids)):] {
			w.expr(c)
		}
		if len(kids) > 0 {
			if name := firstIdentifier(t, kids[0]); name != ps.NoNode {
				w.bind(w.text(name), name)
			}
		}
	case ps.GlobalStatement, ps.NonlocalStatement, ps.PassStatement, ps.BreakStatement,
		ps.ContinueStatement, ps.Comment:
	case ps.Block:
		w.stmts(n)
	case ps.Error:
		// Best effort inside a cell that does not parse.
		for _, c := range w.children(n) {
			w.stmt(c)
		}
	default:
		// return, raise, assert, print (Python 2), exec, expressions.
		w.expr(n)
	}
}

func (w *walker) blockOf(n ps.NodeID) {
	if n != ps.NoNode {
		w.stmts(n)
	}
}

func (w *walker) elseOf(n ps.NodeID) {
	for _, c := range w.children(n) {
		if w.t.Kind(c) == ps.ElseClause {
			w.blockOf(w.t.ChildByField(c, ps.FBody))
		}
	}
}

func (w *walker) importName(c ps.NodeID, from string) {
	t := w.t
	p := w.pos(c)
	switch t.Kind(c) {
	case ps.DottedName, ps.Identifier:
		name := strings.Join(strings.Fields(w.text(c)), "")
		if from == "" {
			bound := strings.SplitN(name, ".", 2)[0]
			w.bind(bound, c)
			w.imports = append(w.imports, Import{Module: name, Bound: bound, Line: p.Line, Col: p.Col})
		} else {
			w.bind(name, c)
			w.imports = append(w.imports, Import{Module: from, Name: name, Bound: name, Line: p.Line, Col: p.Col})
		}
	case ps.AliasedImport:
		name := strings.Join(strings.Fields(w.text(t.ChildByField(c, ps.FName))), "")
		alias := t.ChildByField(c, ps.FAlias)
		if alias == ps.NoNode {
			return
		}
		if from == "" {
			w.imports = append(w.imports, Import{Module: name, Bound: w.text(alias), Line: p.Line, Col: p.Col})
		} else {
			w.imports = append(w.imports, Import{Module: from, Name: name, Bound: w.text(alias), Line: p.Line, Col: p.Col})
		}
		w.bind(w.text(alias), alias)
	}
}

func (w *walker) assignment(n ps.NodeID) {
	t := w.t
	// Flatten `a = b = value` into targets [a, b] and the value.
	var targets []ps.NodeID
	cur := n
	var annotation, value ps.NodeID = ps.NoNode, ps.NoNode
	for {
		targets = append(targets, t.ChildByField(cur, ps.FLeft))
		if a := t.ChildByField(cur, ps.FType); a != ps.NoNode {
			annotation = a
		}
		r := t.ChildByField(cur, ps.FRight)
		if r != ps.NoNode && t.Kind(r) == ps.Assignment {
			cur = r
			continue
		}
		value = r
		break
	}
	if annotation != ps.NoNode {
		w.annotation(annotation)
	}
	kind := DefOther
	if value != ps.NoNode {
		switch {
		case isConstant(t, value):
			kind = DefConstant
		case t.Kind(value) == ps.Lambda && len(targets) == 1 && t.Kind(targets[0]) == ps.Identifier:
			w.lambdaName = w.text(targets[0])
		}
		single := len(targets) == 1 && targets[0] != ps.NoNode
		var watched string
		if single && t.Kind(targets[0]) == ps.Identifier && w.exposed(w.text(targets[0])) {
			watched = w.text(targets[0])
			w.watch, w.watchHit = watched, false
		}
		w.expr(value)
		w.lambdaName = ""
		if watched != "" {
			if w.watchHit {
				kind := "rebind"
				if t.Kind(value) == ps.BinaryOperator && operandIs(t, value, watched) {
					kind = "selfop"
				}
				w.addRMW(watched, n, kind)
			}
			w.watch, w.watchHit = "", false
		}
		if single && (t.Kind(targets[0]) == ps.Subscript || t.Kind(targets[0]) == ps.Attribute) {
			loc := strings.Join(strings.Fields(t.Text(targets[0])), "")
			if r := rootName(t, targets[0]); r != "" && w.exposed(r) && !w.stored[loc] && readsSame(t, value, targets[0]) {
				kind := "subscript"
				if idempotentCall(t, value) {
					kind = "rebind" // df[c] = df[c].astype(int): the same result every time
				}
				w.addRMW(r, n, kind)
			}
			if w.stored == nil {
				w.stored = map[string]bool{}
			}
			w.stored[loc] = true
		}
	} else if annotation != ps.NoNode {
		// `a.b: int` evaluates a (and the subscript) but stores nothing.
		tg := targets[0]
		if tg != ps.NoNode && t.Kind(tg) != ps.Identifier {
			w.targetBase(tg)
		}
		return
	}
	w.kind = kind
	for _, tg := range targets {
		w.store(tg)
	}
	w.kind = DefOther
}

func (w *walker) augAssignment(n ps.NodeID) {
	t := w.t
	tg := t.ChildByField(n, ps.FLeft)
	val := t.ChildByField(n, ps.FRight)
	if tg != ps.NoNode && t.Kind(tg) == ps.Identifier {
		if w.exposed(w.text(tg)) {
			w.addRMW(w.text(tg), n, "augassign")
		}
		w.load(w.text(tg), tg)
		w.expr(val)
		w.kind = DefOther
		w.bind(w.text(tg), tg)
		return
	}
	if r := rootName(t, tg); r != "" && w.exposed(r) {
		w.addRMW(r, n, "augassign")
	}
	w.expr(val)
	w.store(tg)
}

// operandIs reports whether a binary operation has name as a direct operand
// (x = x + 1, x = 2 * x).
func operandIs(t *ps.Tree, bin ps.NodeID, name string) bool {
	for _, f := range []ps.Field{ps.FLeft, ps.FRight} {
		c := t.ChildByField(bin, f)
		if c == ps.NoNode {
			continue
		}
		if t.Kind(c) == ps.Identifier && pyName(t.Text(c)) == name {
			return true
		}
		if t.Kind(c) == ps.BinaryOperator && operandIs(t, c, name) {
			return true
		}
	}
	return false
}

// idempotentMethods give the same result when applied again to their own
// output (conversions and normalisations).
var idempotentMethods = setOf(`astype fillna dropna strip lstrip rstrip lower upper title round abs clip
to_datetime to_numeric to_timedelta infer_objects drop_duplicates sort_values sort_index unique normalize`)

// idempotentCall reports a value that is an idempotent method or function
// call: x.astype(int), pd.to_datetime(x), x.str.lower().
func idempotentCall(t *ps.Tree, v ps.NodeID) bool {
	if v == ps.NoNode || t.Kind(v) != ps.Call {
		return false
	}
	fn := t.ChildByField(v, ps.FFunction)
	if fn == ps.NoNode {
		return false
	}
	switch t.Kind(fn) {
	case ps.Attribute:
		return idempotentMethods[t.Text(t.ChildByField(fn, ps.FAttribute))]
	case ps.Identifier:
		return idempotentMethods[t.Text(fn)]
	}
	return false
}

// readsSame reports whether expression v reads exactly the location of an
// attribute or subscript target (df[c] = df[c] * 2).
func readsSame(t *ps.Tree, v, target ps.NodeID) bool {
	if v == ps.NoNode {
		return false
	}
	want := strings.Join(strings.Fields(t.Text(target)), "")
	kind := t.Kind(target)
	found := false
	t.Descendants(v, func(d ps.NodeID) bool {
		if found {
			return false
		}
		if t.Kind(d) == kind && strings.Join(strings.Fields(t.Text(d)), "") == want {
			found = true
			return false
		}
		return true
	})
	return found
}

// store binds an assignment target (names), or evaluates the object of an
// attribute/subscript target and records its root as mutated.
func (w *walker) store(n ps.NodeID) {
	if n == ps.NoNode {
		return
	}
	t := w.t
	switch t.Kind(n) {
	case ps.Identifier:
		w.bind(w.text(n), n)
	case ps.PatternList, ps.TuplePattern, ps.ListPattern, ps.Tuple, ps.List, ps.ExpressionList,
		ps.ParenthesizedExpression, ps.ListSplatPattern, ps.ListSplat:
		for _, c := range w.children(n) {
			w.store(c)
		}
	case ps.Attribute, ps.Subscript:
		w.targetBase(n)
		if r := rootName(t, n); r != "" && len(w.scopes) == 0 {
			w.mutates.add(r)
		}
		if t.Kind(n) == ps.Subscript && isGlobalsCall(t, t.ChildByField(n, ps.FValue)) {
			w.dynamic = append(w.dynamic, Dynamic{Kind: "globals", Pos: w.pos(n), Text: shortText(w.text(n))})
		}
	default:
		w.expr(n)
	}
}

// targetBase evaluates the object (and subscript) of an attribute or
// subscript target.
func (w *walker) targetBase(n ps.NodeID) {
	t := w.t
	switch t.Kind(n) {
	case ps.Attribute:
		w.expr(t.ChildByField(n, ps.FObject))
	case ps.Subscript:
		w.expr(t.ChildByField(n, ps.FValue))
		for c := t.FirstChild(n); c != ps.NoNode; c = t.NextSibling(n, c) {
			if t.FieldOf(c) == ps.FSubscript {
				w.expr(c)
			}
		}
	default:
		w.expr(n)
	}
}

func (w *walker) delTarget(n ps.NodeID) {
	t := w.t
	switch t.Kind(n) {
	case ps.Identifier:
		if len(w.scopes) == 0 {
			w.deletes.add(w.text(n))
		}
	case ps.Tuple, ps.List, ps.ExpressionList, ps.ParenthesizedExpression, ps.PatternList:
		for _, c := range w.children(n) {
			w.delTarget(c)
		}
	case ps.Attribute, ps.Subscript:
		w.targetBase(n)
		if r := rootName(t, n); r != "" && len(w.scopes) == 0 {
			w.mutates.add(r)
		}
	default:
		w.expr(n)
	}
}

// rootName returns the name at the root of an attribute/subscript chain.
func rootName(t *ps.Tree, n ps.NodeID) string {
	for n != ps.NoNode {
		switch t.Kind(n) {
		case ps.Attribute:
			n = t.ChildByField(n, ps.FObject)
		case ps.Subscript:
			n = t.ChildByField(n, ps.FValue)
		case ps.ListSplat, ps.ParenthesizedExpression:
			n = t.FirstNamed(n)
		case ps.Identifier:
			return t.Text(n)
		default:
			return ""
		}
	}
	return ""
}

func (w *walker) exceptClause(n ps.NodeID) {
	t := w.t
	name := ""
	var nameNode ps.NodeID = ps.NoNode
	for _, c := range w.children(n) {
		switch {
		case t.Kind(c) == ps.Block:
			continue
		case t.Kind(c) == ps.AsPattern:
			kids := w.children(c)
			for _, k := range kids {
				if t.Kind(k) == ps.AsPatternTarget {
					if id := firstIdentifier(t, k); id != ps.NoNode {
						name, nameNode = w.text(id), id
					}
				} else {
					w.expr(k)
				}
			}
		case t.FieldOf(c) == ps.FAlias:
			name, nameNode = w.text(c), c // Python 2 `except E, e`
		default:
			w.expr(c)
		}
	}
	added := false
	if name != "" {
		if len(w.scopes) > 0 {
			w.scopes[len(w.scopes)-1].locals[name] = true
		} else if !w.defined[name] {
			w.defined[name] = true
			added = true
		}
	}
	_ = nameNode
	for _, c := range w.children(n) {
		if t.Kind(c) == ps.Block {
			w.stmts(c)
		}
	}
	if added {
		delete(w.defined, name)
	}
}

func (w *walker) withItem(n ps.NodeID) {
	t := w.t
	v := t.ChildByField(n, ps.FValue)
	if v == ps.NoNode {
		v = t.FirstNamed(n)
	}
	if v == ps.NoNode {
		return
	}
	if t.Kind(v) != ps.AsPattern {
		w.expr(v)
		return
	}
	for _, k := range w.children(v) {
		if t.Kind(k) == ps.AsPatternTarget {
			for _, tg := range w.children(k) {
				w.store(tg)
			}
		} else {
			w.expr(k)
		}
	}
}

func (w *walker) caseClause(n ps.NodeID) {
	t := w.t
	for _, c := range w.children(n) {
		switch t.Kind(c) {
		case ps.CasePattern:
			w.pattern(c)
		case ps.IfClause:
			w.exprChildren(c)
		case ps.Block:
			w.stmts(c)
		}
	}
}

// pattern walks a match-statement pattern: captures bind, value patterns
// and class names are loads.
func (w *walker) pattern(n ps.NodeID) {
	t := w.t
	switch t.Kind(n) {
	case ps.CasePattern, ps.UnionPattern, ps.ListPattern, ps.TuplePattern:
		for _, c := range w.children(n) {
			w.pattern(c)
		}
	case ps.DottedName:
		ids := w.children(n)
		if len(ids) == 1 {
			if name := w.text(ids[0]); name != "_" {
				w.bind(name, ids[0])
			}
		} else if len(ids) > 1 {
			w.load(w.text(ids[0]), ids[0])
		}
	case ps.ClassPattern:
		for i, c := range w.children(n) {
			if i == 0 && t.Kind(c) == ps.DottedName {
				if ids := w.children(c); len(ids) > 0 {
					w.load(w.text(ids[0]), ids[0])
				}
				continue
			}
			w.pattern(c)
		}
	case ps.KeywordPattern:
		for i, c := range w.children(n) {
			if i == 0 && t.Kind(c) == ps.Identifier {
				continue // the attribute name
			}
			w.pattern(c)
		}
	case ps.SplatPattern:
		for _, c := range w.children(n) {
			if t.Kind(c) == ps.Identifier && w.text(c) != "_" {
				w.bind(w.text(c), c)
			}
		}
	case ps.DictPattern:
		// Children alternate key, value; a key is a literal or a dotted
		// value (a load); values are patterns.
		isKey := true
		for c := t.FirstChild(n); c != ps.NoNode; c = t.NextSibling(n, c) {
			if !t.IsNamed(c) {
				switch t.Text(c) {
				case ":":
					isKey = false
				case ",":
					isKey = true
				}
				continue
			}
			switch {
			case t.Kind(c) == ps.SplatPattern:
				w.pattern(c)
			case isKey:
				if t.Kind(c) == ps.DottedName {
					if ids := w.children(c); len(ids) > 0 {
						w.load(w.text(ids[0]), ids[0])
					}
				}
			default:
				w.pattern(c)
			}
		}
	case ps.AsPattern:
		kids := w.children(n)
		for i, c := range kids {
			if i == len(kids)-1 && t.Kind(c) == ps.Identifier {
				w.bind(w.text(c), c)
				continue
			}
			w.pattern(c)
		}
	case ps.Identifier:
		if name := w.text(n); name != "_" {
			w.bind(name, n)
		}
	default:
		// literals, complex patterns: no names
	}
}

func (w *walker) functionDef(n ps.NodeID, decos []ps.NodeID) {
	t := w.t
	for _, d := range decos {
		w.exprChildren(d)
	}
	params := t.ChildByField(n, ps.FParameters)
	w.paramDefaults(params)
	w.paramAnnotations(params)
	w.annotation(t.ChildByField(n, ps.FReturnType))
	name := t.ChildByField(n, ps.FName)
	w.kind = DefFunction
	if name != ps.NoNode {
		w.bind(w.text(name), name)
	}
	w.kind = DefOther
	w.addDeferred(n, false, w.text(name))
}

func (w *walker) addDeferred(n ps.NodeID, lambda bool, name string) {
	d := deferredFn{node: n, lambda: lambda, name: name, enclosing: append([]*eagerScope(nil), w.scopes...)}
	if len(w.classStack) > 0 && len(w.scopes) > 0 && w.scopes[len(w.scopes)-1].kind == 'c' {
		d.class = w.classStack[len(w.classStack)-1]
	}
	d.topLevel = len(w.scopes) == 0
	w.deferred = append(w.deferred, d)
}

func (w *walker) paramDefaults(params ps.NodeID) {
	if params == ps.NoNode {
		return
	}
	t := w.t
	for _, p := range w.children(params) {
		switch t.Kind(p) {
		case ps.DefaultParameter, ps.TypedDefaultParameter:
			w.expr(t.ChildByField(p, ps.FValue))
		}
	}
}

func (w *walker) paramAnnotations(params ps.NodeID) {
	if params == ps.NoNode {
		return
	}
	t := w.t
	for _, p := range w.children(params) {
		switch t.Kind(p) {
		case ps.TypedParameter, ps.TypedDefaultParameter:
			w.annotation(t.ChildByField(p, ps.FType))
		}
	}
}

func (w *walker) classDef(n ps.NodeID, decos []ps.NodeID) {
	t := w.t
	for _, d := range decos {
		w.exprChildren(d)
	}
	if sc := t.ChildByField(n, ps.FSuperclasses); sc != ps.NoNode {
		w.exprChildren(sc)
	}
	name := t.ChildByField(n, ps.FName)
	w.scopes = append(w.scopes, &eagerScope{kind: 'c', locals: map[string]bool{}})
	w.classStack = append(w.classStack, w.text(name))
	w.blockOf(t.ChildByField(n, ps.FBody))
	w.classStack = w.classStack[:len(w.classStack)-1]
	w.scopes = w.scopes[:len(w.scopes)-1]
	w.kind = DefClass
	if name != ps.NoNode {
		w.bind(w.text(name), name)
	}
	w.kind = DefOther
}

// ---- expressions -----------------------------------------------------------

func (w *walker) exprChildren(n ps.NodeID) {
	for c := w.t.FirstChild(n); c != ps.NoNode; c = w.t.NextSibling(n, c) {
		if w.t.IsNamed(c) && !w.t.IsExtra(c) {
			w.expr(c)
		}
	}
}

func (w *walker) expr(n ps.NodeID) {
	if n == ps.NoNode {
		return
	}
	t := w.t
	switch t.Kind(n) {
	case ps.Identifier:
		w.load(w.text(n), n)
	case ps.Attribute:
		w.expr(t.ChildByField(n, ps.FObject))
	case ps.Call:
		fn := t.ChildByField(n, ps.FFunction)
		w.expr(fn)
		if fn != ps.NoNode && t.Kind(fn) == ps.Identifier && len(w.scopes) == 0 {
			w.calls.add(w.text(fn))
			w.callKind(n, w.text(fn))
		}
		if fn != ps.NoNode && t.Kind(fn) == ps.Attribute {
			w.methodCall(n, fn)
		}
		args := t.ChildByField(n, ps.FArguments)
		if args == ps.NoNode {
			return
		}
		if t.Kind(args) == ps.GeneratorExpression {
			w.expr(args)
			return
		}
		for _, a := range w.children(args) {
			if t.Kind(a) == ps.Identifier && len(w.scopes) == 0 {
				w.calls.add(w.text(a)) // functions passed along: df.apply(f)
			}
			if t.Kind(a) == ps.KeywordArgument {
				v := t.ChildByField(a, ps.FValue)
				if v != ps.NoNode && t.Kind(v) == ps.Identifier && len(w.scopes) == 0 {
					w.calls.add(w.text(v))
				}
			}
			w.expr(a)
		}
	case ps.KeywordArgument:
		w.expr(t.ChildByField(n, ps.FValue))
	case ps.ListComprehension, ps.SetComprehension, ps.GeneratorExpression, ps.DictionaryComprehension:
		w.comprehension(n)
	case ps.Lambda:
		if params := t.ChildByField(n, ps.FParameters); params != ps.NoNode {
			w.paramDefaults(params)
		}
		w.addDeferred(n, true, w.lambdaName)
		w.lambdaName = ""
	case ps.NamedExpression:
		w.expr(t.ChildByField(n, ps.FValue))
		name := t.ChildByField(n, ps.FName)
		if name == ps.NoNode {
			return
		}
		tgt := w.text(name)
		for i := len(w.scopes) - 1; i >= 0; i-- {
			if w.scopes[i].kind == 'c' {
				w.scopes[i].locals[tgt] = true
				return
			}
		}
		allComp := true
		for _, s := range w.scopes {
			if s.kind != 'p' {
				allComp = false
			}
		}
		if allComp {
			w.kind = DefOther
			w.bindModule(tgt, name)
		}
	case ps.ConditionalExpression:
		// ast.IfExp evaluates test, body, orelse.
		kids := w.children(n)
		if len(kids) == 3 {
			w.expr(kids[1])
			w.expr(kids[0])
			w.expr(kids[2])
			return
		}
		for _, k := range kids {
			w.expr(k)
		}
	case ps.String:
		w.stringInterpolations(n)
	case ps.Integer, ps.Float, ps.True, ps.False, ps.None, ps.Ellipsis, ps.Comment, ps.Token,
		ps.StringContent, ps.StringStart, ps.StringEnd, ps.EscapeSequence:
	case ps.Dictionary:
		w.exprChildren(n)
	default:
		w.exprChildren(n)
	}
}

func (w *walker) stringInterpolations(n ps.NodeID) {
	t := w.t
	t.Descendants(n, func(d ps.NodeID) bool {
		if d == n {
			return true
		}
		if t.Kind(d) == ps.Interpolation || t.Kind(d) == ps.FormatExpression {
			for c := t.FirstChild(d); c != ps.NoNode; c = t.NextSibling(d, c) {
				switch t.Kind(c) {
				case ps.FormatSpecifier:
					w.stringInterpolations(c)
				case ps.TypeConversion, ps.Token:
				default:
					if t.IsNamed(c) {
						w.expr(c)
					}
				}
			}
			return false
		}
		return true
	})
}

func (w *walker) comprehension(n ps.NodeID) {
	t := w.t
	var clauses []ps.NodeID
	body := ps.NoNode
	for _, c := range w.children(n) {
		switch t.Kind(c) {
		case ps.ForInClause, ps.IfClause:
			clauses = append(clauses, c)
		default:
			if t.FieldOf(c) == ps.FBody || body == ps.NoNode {
				body = c
			}
		}
	}
	firstFor := -1
	for i, c := range clauses {
		if t.Kind(c) == ps.ForInClause {
			firstFor = i
			break
		}
	}
	if firstFor < 0 {
		w.expr(body)
		return
	}
	rights := func(c ps.NodeID) []ps.NodeID {
		var out []ps.NodeID
		for cc := t.FirstChild(c); cc != ps.NoNode; cc = t.NextSibling(c, cc) {
			if t.FieldOf(cc) == ps.FRight {
				out = append(out, cc)
			}
		}
		return out
	}
	// The first iterable is evaluated in the enclosing scope.
	first := rights(clauses[firstFor])
	if len(first) > 0 {
		w.expr(first[0])
	}
	w.scopes = append(w.scopes, &eagerScope{kind: 'p', locals: map[string]bool{}})
	for i, c := range clauses {
		switch t.Kind(c) {
		case ps.ForInClause:
			rs := rights(c)
			if i == firstFor && len(rs) > 0 {
				rs = rs[1:]
			}
			for _, r := range rs {
				w.expr(r)
			}
			w.compTarget(t.ChildByField(c, ps.FLeft))
		case ps.IfClause:
			w.exprChildren(c)
		}
	}
	if body != ps.NoNode && t.Kind(body) == ps.Pair {
		w.expr(t.ChildByField(body, ps.FKey))
		w.expr(t.ChildByField(body, ps.FValue))
	} else {
		w.expr(body)
	}
	w.scopes = w.scopes[:len(w.scopes)-1]
}

func (w *walker) compTarget(n ps.NodeID) {
	if n == ps.NoNode {
		return
	}
	t := w.t
	switch t.Kind(n) {
	case ps.Identifier:
		w.scopes[len(w.scopes)-1].locals[w.text(n)] = true
	case ps.PatternList, ps.TuplePattern, ps.ListPattern, ps.Tuple, ps.List, ps.ParenthesizedExpression,
		ps.ListSplatPattern, ps.ListSplat, ps.ExpressionList:
		for _, c := range w.children(n) {
			w.compTarget(c)
		}
	default:
		w.expr(n)
	}
}

func firstIdentifier(t *ps.Tree, n ps.NodeID) ps.NodeID {
	found := ps.NoNode
	t.Descendants(n, func(d ps.NodeID) bool {
		if found != ps.NoNode {
			return false
		}
		if t.Kind(d) == ps.Identifier {
			found = d
			return false
		}
		return true
	})
	return found
}

// isConstant reports a literal: numbers, strings without interpolation,
// True/False/None, and tuples/lists/sets/dicts of literals.
func isConstant(t *ps.Tree, n ps.NodeID) bool {
	switch t.Kind(n) {
	case ps.Integer, ps.Float, ps.True, ps.False, ps.None:
		return true
	case ps.String:
		ok := true
		t.Descendants(n, func(d ps.NodeID) bool {
			if t.Kind(d) == ps.Interpolation {
				ok = false
			}
			return ok
		})
		return ok
	case ps.ConcatenatedString, ps.Tuple, ps.List, ps.Set, ps.Dictionary, ps.Pair, ps.ParenthesizedExpression,
		ps.ExpressionList:
		for c := t.FirstChild(n); c != ps.NoNode; c = t.NextSibling(n, c) {
			if t.IsNamed(c) && !t.IsExtra(c) && !isConstant(t, c) {
				return false
			}
		}
		return true
	case ps.UnaryOperator:
		c := t.FirstNamed(n)
		return c != ps.NoNode && isConstant(t, c)
	}
	return false
}

// inPlaceMethods mutate their receiver (CONTRACT.md §2 call_mutates).
var inPlaceMethods = setOf(`append extend insert pop remove clear update setdefault popitem sort reverse
add discard intersection_update difference_update symmetric_difference_update
fit partial_fit fit_transform set_params resize fill put itemset sort_index
appendleft extendleft rotate`)

// methodCall records in-place method calls on a module-level name and
// dynamic namespace writes such as globals().update(...).
func (w *walker) methodCall(call, fn ps.NodeID) {
	t := w.t
	attr := t.ChildByField(fn, ps.FAttribute)
	obj := t.ChildByField(fn, ps.FObject)
	if attr == ps.NoNode || obj == ps.NoNode {
		return
	}
	method := w.text(attr)
	if isGlobalsCall(t, obj) && (method == "update" || method == "setdefault" || method == "__setitem__") {
		w.dynamic = append(w.dynamic, Dynamic{Kind: "globals", Pos: w.pos(call), Text: shortText(w.text(call))})
	}
	if isIPythonCall(t, obj) {
		switch method {
		case "run_line_magic", "run_cell_magic", "magic":
			w.dynamic = append(w.dynamic, Dynamic{Kind: "magic", Pos: w.pos(call), Text: shortText(w.text(call))})
		case "push", "user_ns":
			w.dynamic = append(w.dynamic, Dynamic{Kind: "push", Pos: w.pos(call), Text: shortText(w.text(call))})
		}
	}
	if len(w.scopes) > 0 {
		return
	}
	root := rootName(t, obj)
	if root == "" {
		return
	}
	inplace := hasInplaceTrue(t, call)
	if inPlaceMethods[method] || inplace {
		w.callMutates.add(root)
	}
	if w.exposed(root) {
		switch {
		case inplace:
			w.addRMW(root, call, "inplace")
		case method == "append" || method == "extend" || method == "insert":
			w.addRMW(root, call, "append")
		}
	}
}

// callKind records dynamic builtins called by name.
func (w *walker) callKind(call ps.NodeID, name string) {
	switch name {
	case "exec", "eval", "execfile":
		w.dynamic = append(w.dynamic, Dynamic{Kind: name, Pos: w.pos(call), Text: shortText(w.text(call))})
	}
}

func hasInplaceTrue(t *ps.Tree, call ps.NodeID) bool {
	args := t.ChildByField(call, ps.FArguments)
	if args == ps.NoNode || t.Kind(args) != ps.ArgumentList {
		return false
	}
	for c := t.FirstChild(args); c != ps.NoNode; c = t.NextSibling(args, c) {
		if t.Kind(c) == ps.KeywordArgument {
			name := t.ChildByField(c, ps.FName)
			val := t.ChildByField(c, ps.FValue)
			if name != ps.NoNode && val != ps.NoNode && t.Text(name) == "inplace" && t.Kind(val) == ps.True {
				return true
			}
		}
	}
	return false
}

func isGlobalsCall(t *ps.Tree, n ps.NodeID) bool {
	if n == ps.NoNode || t.Kind(n) != ps.Call {
		return false
	}
	fn := t.ChildByField(n, ps.FFunction)
	if fn == ps.NoNode || t.Kind(fn) != ps.Identifier {
		return false
	}
	switch t.Text(fn) {
	case "globals", "vars", "locals":
		return true
	}
	return false
}

func isIPythonCall(t *ps.Tree, n ps.NodeID) bool {
	if n == ps.NoNode || t.Kind(n) != ps.Call {
		return false
	}
	fn := t.ChildByField(n, ps.FFunction)
	return fn != ps.NoNode && t.Kind(fn) == ps.Identifier && t.Text(fn) == "get_ipython"
}

func shortText(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}
