package facts

import (
	ps "github.com/nbprod/nbprod/analyze/pysyntax"
)

// fscope is a scope inside deferred code, with what CPython's symtable
// records: names bound locally, declared global or nonlocal, and referenced.
type fscope struct {
	kind      byte // 'f' function or lambda, 'c' class, 'p' comprehension, 'e' enclosing eager comprehension
	locals    map[string]bool
	globals   map[string]bool
	nonlocals map[string]bool
	refs      []string
	refPos    map[string]Pos
	// dead are refs only in unreachable code (after return, raise,
	// continue or break in the same block): symtable counts them, but they
	// never run.
	dead     map[string]bool
	calls    []string
	children []*fscope
	parent   *fscope
}

func newFscope(kind byte, parent *fscope) *fscope {
	s := &fscope{kind: kind, locals: map[string]bool{}, globals: map[string]bool{}, nonlocals: map[string]bool{},
		refPos: map[string]Pos{}, parent: parent}
	if parent != nil {
		parent.children = append(parent.children, s)
	}
	return s
}

type collector struct {
	t    *ps.Tree
	pos  func(ps.NodeID) Pos
	dead bool // inside unreachable statements, or in annotations PEP 563 leaves unevaluated
	// future is set under `from __future__ import annotations`.
	future bool
}

// annotation collects an annotation expression; under PEP 563 its names
// are never evaluated, which is recorded like unreachable code.
func (c *collector) annotation(s *fscope, n ps.NodeID) {
	was := c.dead
	if c.future {
		c.dead = true
	}
	c.expr(s, n)
	c.dead = was
}

func (c *collector) ref(s *fscope, name string, n ps.NodeID) {
	name = pyName(name)
	if _, ok := s.refPos[name]; !ok {
		s.refPos[name] = c.pos(n)
		s.refs = append(s.refs, name)
		if c.dead {
			if s.dead == nil {
				s.dead = map[string]bool{}
			}
			s.dead[name] = true
		}
	} else if !c.dead && s.dead[name] {
		delete(s.dead, name)
	}
}

func (c *collector) named(n ps.NodeID) []ps.NodeID { return c.t.NamedChildren(n, nil) }

// function collects a def or lambda: its parameters are locals of a new
// scope and its body is walked there. Defaults, annotations and decorators
// belong to the enclosing scope and are collected by the caller.
func (c *collector) function(parent *fscope, n ps.NodeID) *fscope {
	t := c.t
	s := newFscope('f', parent)
	if params := t.ChildByField(n, ps.FParameters); params != ps.NoNode {
		for _, p := range c.named(params) {
			c.param(s, p)
		}
	}
	body := t.ChildByField(n, ps.FBody)
	if t.Kind(n) == ps.Lambda {
		c.expr(s, body)
	} else {
		c.stmts(s, body)
	}
	return s
}

func (c *collector) param(s *fscope, p ps.NodeID) {
	t := c.t
	switch t.Kind(p) {
	case ps.Identifier:
		s.locals[pyName(t.Text(p))] = true
	case ps.DefaultParameter, ps.TypedDefaultParameter:
		if name := t.ChildByField(p, ps.FName); name != ps.NoNode {
			c.param(s, name)
		}
	case ps.TypedParameter, ps.ListSplatPattern, ps.DictionarySplatPattern, ps.TuplePattern:
		for _, k := range c.named(p) {
			if t.Kind(k) != ps.Type {
				c.param(s, k)
			}
		}
	}
}

// enclosingRefs collects what a def evaluates in its enclosing scope.
func (c *collector) enclosingRefs(s *fscope, def ps.NodeID, decos []ps.NodeID) {
	t := c.t
	for _, d := range decos {
		c.exprChildren(s, d)
	}
	if t.Kind(def) == ps.ClassDefinition {
		if sc := t.ChildByField(def, ps.FSuperclasses); sc != ps.NoNode {
			c.exprChildren(s, sc)
		}
		return
	}
	if params := t.ChildByField(def, ps.FParameters); params != ps.NoNode {
		for _, p := range c.named(params) {
			switch t.Kind(p) {
			case ps.DefaultParameter, ps.TypedDefaultParameter:
				c.expr(s, t.ChildByField(p, ps.FValue))
			}
			switch t.Kind(p) {
			case ps.TypedParameter, ps.TypedDefaultParameter:
				c.annotation(s, t.ChildByField(p, ps.FType))
			}
		}
	}
	c.annotation(s, t.ChildByField(def, ps.FReturnType))
}

func (c *collector) stmts(s *fscope, n ps.NodeID) {
	if n == ps.NoNode {
		return
	}
	wasDead := c.dead
	for ch := c.t.FirstChild(n); ch != ps.NoNode; ch = c.t.NextSibling(n, ch) {
		if c.t.IsNamed(ch) && !c.t.IsExtra(ch) {
			c.stmt(s, ch)
			switch c.t.Kind(ch) {
			case ps.ReturnStatement, ps.RaiseStatement, ps.ContinueStatement, ps.BreakStatement:
				c.dead = true // the rest of this block never runs
			}
		}
	}
	c.dead = wasDead
}

func (c *collector) stmt(s *fscope, n ps.NodeID) {
	t := c.t
	switch t.Kind(n) {
	case ps.ExpressionStatement, ps.Block:
		for _, k := range c.named(n) {
			c.stmt(s, k)
		}
	case ps.Assignment:
		cur := n
		for cur != ps.NoNode && t.Kind(cur) == ps.Assignment {
			c.target(s, t.ChildByField(cur, ps.FLeft))
			c.annotation(s, t.ChildByField(cur, ps.FType))
			r := t.ChildByField(cur, ps.FRight)
			if r != ps.NoNode && t.Kind(r) == ps.Assignment {
				cur = r
				continue
			}
			c.expr(s, r)
			break
		}
	case ps.AugmentedAssignment:
		tg := t.ChildByField(n, ps.FLeft)
		if tg != ps.NoNode && t.Kind(tg) == ps.Identifier {
			c.ref(s, t.Text(tg), tg)
		}
		c.target(s, tg)
		c.expr(s, t.ChildByField(n, ps.FRight))
	case ps.FunctionDefinition, ps.ClassDefinition:
		c.definition(s, n, nil)
	case ps.DecoratedDefinition:
		var decos []ps.NodeID
		def := ps.NoNode
		for _, k := range c.named(n) {
			if t.Kind(k) == ps.Decorator {
				decos = append(decos, k)
			} else if t.FieldOf(k) == ps.FDefinition {
				def = k
			}
		}
		if def != ps.NoNode {
			c.definition(s, def, decos)
		}
	case ps.ForStatement:
		c.target(s, t.ChildByField(n, ps.FLeft))
		c.expr(s, t.ChildByField(n, ps.FRight))
		c.stmts(s, t.ChildByField(n, ps.FBody))
		c.elseClauses(s, n)
	case ps.WhileStatement:
		c.expr(s, t.ChildByField(n, ps.FCondition))
		c.stmts(s, t.ChildByField(n, ps.FBody))
		c.elseClauses(s, n)
	case ps.IfStatement:
		c.expr(s, t.ChildByField(n, ps.FCondition))
		c.stmts(s, t.ChildByField(n, ps.FConsequence))
		for _, k := range c.named(n) {
			switch t.Kind(k) {
			case ps.ElifClause:
				c.expr(s, t.ChildByField(k, ps.FCondition))
				c.stmts(s, t.ChildByField(k, ps.FConsequence))
			case ps.ElseClause:
				c.stmts(s, t.ChildByField(k, ps.FBody))
			}
		}
	case ps.TryStatement:
		c.stmts(s, t.ChildByField(n, ps.FBody))
		for _, k := range c.named(n) {
			switch t.Kind(k) {
			case ps.ExceptClause, ps.ExceptGroupClause:
				for _, e := range c.named(k) {
					switch {
					case t.Kind(e) == ps.Block:
						c.stmts(s, e)
					case t.Kind(e) == ps.AsPattern:
						for _, a := range c.named(e) {
							if t.Kind(a) == ps.AsPatternTarget {
								for _, tg := range c.named(a) {
									c.target(s, tg)
								}
							} else {
								c.expr(s, a)
							}
						}
					case t.FieldOf(e) == ps.FAlias:
						c.target(s, e)
					default:
						c.expr(s, e)
					}
				}
			case ps.ElseClause:
				c.stmts(s, t.ChildByField(k, ps.FBody))
			case ps.FinallyClause:
				for _, b := range c.named(k) {
					c.stmts(s, b)
				}
			}
		}
	case ps.WithStatement:
		for _, k := range c.named(n) {
			if t.Kind(k) != ps.WithClause {
				continue
			}
			for _, it := range c.named(k) {
				v := t.ChildByField(it, ps.FValue)
				if v == ps.NoNode {
					v = t.FirstNamed(it)
				}
				if v == ps.NoNode {
					continue
				}
				if t.Kind(v) != ps.AsPattern {
					c.expr(s, v)
					continue
				}
				for _, a := range c.named(v) {
					if t.Kind(a) == ps.AsPatternTarget {
						for _, tg := range c.named(a) {
							c.target(s, tg)
						}
					} else {
						c.expr(s, a)
					}
				}
			}
		}
		c.stmts(s, t.ChildByField(n, ps.FBody))
	case ps.ImportStatement:
		for _, k := range c.named(n) {
			c.importBind(s, k, false)
		}
	case ps.ImportFromStatement, ps.FutureImportStatement:
		for _, k := range c.named(n) {
			if t.FieldOf(k) == ps.FModuleName || t.Kind(k) == ps.WildcardImport {
				continue
			}
			c.importBind(s, k, true)
		}
	case ps.DeleteStatement:
		for _, k := range c.named(n) {
			c.target(s, k)
		}
	case ps.GlobalStatement:
		for _, k := range c.named(n) {
			if t.Kind(k) == ps.Identifier {
				s.globals[pyName(t.Text(k))] = true
			}
		}
	case ps.NonlocalStatement:
		for _, k := range c.named(n) {
			if t.Kind(k) == ps.Identifier {
				s.nonlocals[pyName(t.Text(k))] = true
			}
		}
	case ps.MatchStatement:
		for _, k := range c.named(n) {
			if t.FieldOf(k) != ps.FBody {
				c.expr(s, k)
				continue
			}
			for _, cc := range c.named(k) {
				if t.Kind(cc) != ps.CaseClause {
					continue
				}
				for _, e := range c.named(cc) {
					switch t.Kind(e) {
					case ps.CasePattern:
						c.pattern(s, e)
					case ps.IfClause:
						c.exprChildren(s, e)
					case ps.Block:
						c.stmts(s, e)
					}
				}
			}
		}
	case ps.PassStatement, ps.BreakStatement, ps.ContinueStatement, ps.Comment:
	case ps.Error:
		for _, k := range c.named(n) {
			c.stmt(s, k)
		}
	default:
		c.expr(s, n)
	}
}

func (c *collector) elseClauses(s *fscope, n ps.NodeID) {
	for _, k := range c.named(n) {
		if c.t.Kind(k) == ps.ElseClause {
			c.stmts(s, c.t.ChildByField(k, ps.FBody))
		}
	}
}

func (c *collector) importBind(s *fscope, k ps.NodeID, from bool) {
	t := c.t
	switch t.Kind(k) {
	case ps.DottedName:
		if from {
			s.locals[pyName(t.Text(k))] = true
		} else if ids := c.named(k); len(ids) > 0 {
			s.locals[pyName(t.Text(ids[0]))] = true
		}
	case ps.AliasedImport:
		if a := t.ChildByField(k, ps.FAlias); a != ps.NoNode {
			s.locals[pyName(t.Text(a))] = true
		}
	}
}

func (c *collector) definition(s *fscope, def ps.NodeID, decos []ps.NodeID) {
	t := c.t
	c.enclosingRefs(s, def, decos)
	if name := t.ChildByField(def, ps.FName); name != ps.NoNode {
		s.locals[pyName(t.Text(name))] = true
	}
	if t.Kind(def) == ps.ClassDefinition {
		cs := newFscope('c', s)
		c.stmts(cs, t.ChildByField(def, ps.FBody))
		return
	}
	c.function(s, def)
}

func (c *collector) pattern(s *fscope, n ps.NodeID) {
	t := c.t
	switch t.Kind(n) {
	case ps.DottedName:
		ids := c.named(n)
		if len(ids) == 1 {
			if name := pyName(t.Text(ids[0])); name != "_" {
				s.locals[name] = true
			}
		} else if len(ids) > 1 {
			c.ref(s, t.Text(ids[0]), ids[0])
		}
	case ps.ClassPattern:
		for i, k := range c.named(n) {
			if i == 0 && t.Kind(k) == ps.DottedName {
				if ids := c.named(k); len(ids) > 0 {
					c.ref(s, t.Text(ids[0]), ids[0])
				}
				continue
			}
			c.pattern(s, k)
		}
	case ps.KeywordPattern:
		for i, k := range c.named(n) {
			if i == 0 && t.Kind(k) == ps.Identifier {
				continue
			}
			c.pattern(s, k)
		}
	case ps.SplatPattern, ps.AsPattern:
		kids := c.named(n)
		for i, k := range kids {
			if t.Kind(k) == ps.Identifier && (t.Kind(n) == ps.SplatPattern || i == len(kids)-1) {
				if name := pyName(t.Text(k)); name != "_" {
					s.locals[name] = true
				}
				continue
			}
			c.pattern(s, k)
		}
	case ps.DictPattern:
		isKey := true
		for k := t.FirstChild(n); k != ps.NoNode; k = t.NextSibling(n, k) {
			if !t.IsNamed(k) {
				switch t.Text(k) {
				case ":":
					isKey = false
				case ",":
					isKey = true
				}
				continue
			}
			if isKey && t.Kind(k) == ps.DottedName {
				if ids := c.named(k); len(ids) > 0 {
					c.ref(s, t.Text(ids[0]), ids[0])
				}
				continue
			}
			if !isKey || t.Kind(k) == ps.SplatPattern {
				c.pattern(s, k)
			}
		}
	case ps.Identifier:
		if name := pyName(t.Text(n)); name != "_" {
			s.locals[name] = true
		}
	default:
		for _, k := range c.named(n) {
			c.pattern(s, k)
		}
	}
}

// target binds assignment, for, with, except and del targets.
func (c *collector) target(s *fscope, n ps.NodeID) {
	if n == ps.NoNode {
		return
	}
	t := c.t
	switch t.Kind(n) {
	case ps.Identifier:
		s.locals[pyName(t.Text(n))] = true
	case ps.PatternList, ps.TuplePattern, ps.ListPattern, ps.Tuple, ps.List, ps.ExpressionList,
		ps.ParenthesizedExpression, ps.ListSplatPattern, ps.ListSplat:
		for _, k := range c.named(n) {
			c.target(s, k)
		}
	case ps.Attribute:
		c.expr(s, t.ChildByField(n, ps.FObject))
	case ps.Subscript:
		c.expr(s, t.ChildByField(n, ps.FValue))
		for k := t.FirstChild(n); k != ps.NoNode; k = t.NextSibling(n, k) {
			if t.FieldOf(k) == ps.FSubscript {
				c.expr(s, k)
			}
		}
	default:
		c.expr(s, n)
	}
}

func (c *collector) exprChildren(s *fscope, n ps.NodeID) {
	for k := c.t.FirstChild(n); k != ps.NoNode; k = c.t.NextSibling(n, k) {
		if c.t.IsNamed(k) && !c.t.IsExtra(k) {
			c.expr(s, k)
		}
	}
}

func (c *collector) expr(s *fscope, n ps.NodeID) {
	if n == ps.NoNode {
		return
	}
	t := c.t
	switch t.Kind(n) {
	case ps.Identifier:
		c.ref(s, t.Text(n), n)
	case ps.Attribute:
		c.expr(s, t.ChildByField(n, ps.FObject))
	case ps.KeywordArgument:
		c.expr(s, t.ChildByField(n, ps.FValue))
	case ps.Call:
		fn := t.ChildByField(n, ps.FFunction)
		if fn != ps.NoNode && t.Kind(fn) == ps.Identifier {
			s.calls = append(s.calls, t.Text(fn))
		}
		c.exprChildren(s, n)
	case ps.Lambda:
		if params := t.ChildByField(n, ps.FParameters); params != ps.NoNode {
			for _, p := range c.named(params) {
				switch t.Kind(p) {
				case ps.DefaultParameter, ps.TypedDefaultParameter:
					c.expr(s, t.ChildByField(p, ps.FValue))
				}
			}
		}
		c.function(s, n)
	case ps.ListComprehension, ps.SetComprehension, ps.GeneratorExpression, ps.DictionaryComprehension:
		c.comprehension(s, n)
	case ps.NamedExpression:
		c.expr(s, t.ChildByField(n, ps.FValue))
		if name := t.ChildByField(n, ps.FName); name != ps.NoNode {
			// A walrus binds in the nearest enclosing non-comprehension scope.
			b := s
			for b.kind == 'p' && b.parent != nil {
				b = b.parent
			}
			b.locals[pyName(t.Text(name))] = true
		}
	case ps.String:
		t.Descendants(n, func(d ps.NodeID) bool {
			if d == n {
				return true
			}
			if t.Kind(d) == ps.Interpolation || t.Kind(d) == ps.FormatExpression {
				for k := t.FirstChild(d); k != ps.NoNode; k = t.NextSibling(d, k) {
					switch t.Kind(k) {
					case ps.FormatSpecifier:
						c.expr(s, k)
					case ps.TypeConversion, ps.Token:
					default:
						if t.IsNamed(k) {
							c.expr(s, k)
						}
					}
				}
				return false
			}
			return true
		})
	case ps.FormatSpecifier:
		for k := t.FirstChild(n); k != ps.NoNode; k = t.NextSibling(n, k) {
			if t.Kind(k) == ps.Interpolation || t.Kind(k) == ps.FormatExpression {
				c.exprChildren(s, k)
			}
		}
	case ps.Integer, ps.Float, ps.True, ps.False, ps.None, ps.Ellipsis, ps.Comment, ps.Token:
	default:
		c.exprChildren(s, n)
	}
}

func (c *collector) comprehension(s *fscope, n ps.NodeID) {
	t := c.t
	var clauses []ps.NodeID
	body := ps.NoNode
	for _, k := range c.named(n) {
		switch t.Kind(k) {
		case ps.ForInClause, ps.IfClause:
			clauses = append(clauses, k)
		default:
			if t.FieldOf(k) == ps.FBody || body == ps.NoNode {
				body = k
			}
		}
	}
	firstDone := false
	cs := newFscope('p', s)
	for _, cl := range clauses {
		switch t.Kind(cl) {
		case ps.ForInClause:
			for k := t.FirstChild(cl); k != ps.NoNode; k = t.NextSibling(cl, k) {
				if t.FieldOf(k) != ps.FRight {
					continue
				}
				if !firstDone {
					c.expr(s, k) // the first iterable belongs to the enclosing scope
					firstDone = true
				} else {
					c.expr(cs, k)
				}
			}
			c.target(cs, t.ChildByField(cl, ps.FLeft))
		case ps.IfClause:
			c.exprChildren(cs, cl)
		}
	}
	c.expr(cs, body)
}

// resolveGlobals returns, for a deferred scope tree, the names symtable
// would classify as global and referenced, in collection order, and the
// names declared global and assigned in function scopes.
//
// live are the refs that occur in reachable code.
func resolveGlobals(root *fscope) (refs []string, refPos map[string]Pos, gdecl []string, calls []string, live map[string]bool) {
	refPos = map[string]Pos{}
	live = map[string]bool{}
	seen := map[string]bool{}
	var walk func(s *fscope)
	walk = func(s *fscope) {
		for _, name := range s.refs {
			if isGlobalIn(s, name) {
				if !s.dead[name] {
					live[name] = true
				}
				if !seen[name] {
					seen[name] = true
					refs = append(refs, name)
					refPos[name] = s.refPos[name]
				}
			}
		}
		if s.kind == 'f' || s.kind == 'p' {
			for name := range s.globals {
				if s.locals[name] {
					gdecl = append(gdecl, name)
				}
			}
		}
		calls = append(calls, s.calls...)
		for _, ch := range s.children {
			walk(ch)
		}
	}
	walk(root)
	sortStrings(gdecl)
	return refs, refPos, gdecl, calls, live
}

// isGlobalIn applies Python's scoping to a name referenced in scope s.
func isGlobalIn(s *fscope, name string) bool {
	if s.globals[name] {
		return true
	}
	if s.nonlocals[name] {
		return false
	}
	if s.locals[name] {
		return false
	}
	for p := s.parent; p != nil; p = p.parent {
		if p.kind == 'c' {
			continue // class scopes are invisible to nested scopes
		}
		if p.globals[name] {
			return true
		}
		if p.locals[name] || p.nonlocals[name] {
			return false
		}
	}
	return true
}
