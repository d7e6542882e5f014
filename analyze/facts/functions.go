package facts

import (
	"strings"
	"unicode"

	ps "github.com/nbprod/nbprod/analyze/pysyntax"
)

// GlobalReader is a notebook function (a top-level def) whose body reads
// notebook globals: names bound by cells that are not imports, functions,
// classes or UPPER_CASE constants. Passing them as parameters makes the
// function pure; the emitter applies NewSignature and updates the calls.
type GlobalReader struct {
	Cell int
	Name string
	// Line/Col and EndLine/EndCol delimit the def's header (from `def` to
	// the closing parenthesis of its parameters).
	Line, Col, EndLine, EndCol int
	// Globals are the free names to turn into parameters, in order of
	// first use in the body: data names (computed values) and lower-case
	// names bound to literal constants.
	Globals []string
	// Data are the Globals bound to computed values (df, model); the
	// others are bound to literal constants (threshold = 0.5, a config
	// dict).
	Data []string
	// Writes are globals the function declares `global` (it assigns them:
	// returning the new value is the pure form).
	Writes []string
	// Params are the current parameter texts in order ("df", "k=3").
	Params []string
	// Signature is the current header ("def score(df):"), NewSignature
	// the header with the globals added ("def score(df, model, threshold):").
	// New parameters go before the first parameter with a default, *args,
	// a bare * or **kwargs, so the header stays valid Python.
	Signature, NewSignature string
	Node                    ps.NodeID
}

var globalReadersKey = lazyKey{"global-readers"}

// GlobalReaders returns the notebook functions that read notebook globals,
// in cell order (computed once).
func (n *Notebook) GlobalReaders() []GlobalReader {
	return lazy(n, &globalReadersKey, func() []GlobalReader {
		var out []GlobalReader
		g := n.Graph()
		for _, c := range n.Code() {
			if c.Tree == nil {
				continue
			}
			for _, sc := range c.Functions {
				if sc.Name == "<lambda>" || sc.Name == "__ipy_timeit__" || sc.Node == ps.NoNode || c.Tree.Kind(sc.Node) != ps.FunctionDefinition {
					continue
				}
				if r, ok := n.globalReader(c, sc, g); ok {
					out = append(out, r)
				}
			}
		}
		return out
	})
}

func (n *Notebook) globalReader(c *Cell, sc Scope, g *Graph) (GlobalReader, bool) {
	t := c.Tree
	cand := map[string]bool{}
	data := map[string]bool{}
	written := n.globalWrites()
	for _, u := range sc.Free {
		if u == sc.Name || contains(sc.Params, u) || len(g.Definers[u]) == 0 {
			continue
		}
		kind := n.globalKind(c, u, 0)
		if kind == globalData && n.boundMethod(c, u) && onlyCalled(t, sc.Node, u) {
			kind = globalSkip // tokenize = re.compile(…).findall, called like a function
		}
		if written[u] && kind != globalSkip {
			kind = globalData // state some function updates through `global`
		}
		switch kind {
		case globalSkip:
			continue
		case globalConstant:
			if isUpperName(u) {
				continue
			}
			cand[u] = true
		default:
			cand[u] = true
			data[u] = true
		}
	}
	if len(cand) == 0 {
		return GlobalReader{}, false
	}
	fn := sc.Node
	body := t.ChildByField(fn, ps.FBody)
	var order, writes []string
	t.Descendants(body, func(id ps.NodeID) bool {
		switch t.Kind(id) {
		case ps.Identifier:
			name := pyName(t.Text(id))
			if cand[name] && !contains(order, name) {
				order = append(order, name)
			}
		case ps.GlobalStatement:
			for _, k := range t.NamedChildren(id, nil) {
				if t.Kind(k) == ps.Identifier {
					writes = appendNew(writes, pyName(t.Text(k)))
				}
			}
		}
		return true
	})
	for _, u := range sortedCopy(keysOf(cand)) { // names only in decorators/defaults fall back to sorted order
		if !contains(order, u) {
			order = append(order, u)
		}
	}
	r := GlobalReader{Cell: c.Index, Name: sc.Name, Globals: order, Writes: writes, Node: fn}
	for _, u := range order {
		if data[u] {
			r.Data = append(r.Data, u)
		}
	}
	r.Params, r.Signature, r.NewSignature = signatures(t, fn, order)
	start := c.NodePos(fn)
	end := start
	if p := t.ChildByField(fn, ps.FParameters); p != ps.NoNode {
		end = c.NodeEnd(p)
	}
	r.Line, r.Col, r.EndLine, r.EndCol = start.Line, start.Col, end.Line, end.Col
	return r, true
}

// boundMethod reports a name bound to a method of a computed object
// (tokenize = re.compile(r"…").findall).
func (n *Notebook) boundMethod(at *Cell, name string) bool {
	dc, _ := n.bindingOf(at, name)
	if dc == nil || dc.Tree == nil {
		return false
	}
	v, ok := dc.constBefore(name, ps.NoNode)
	if !ok || v == ps.NoNode || dc.Tree.Kind(v) != ps.Attribute {
		return false
	}
	obj := dc.Tree.ChildByField(v, ps.FObject)
	return obj != ps.NoNode && dc.Tree.Kind(obj) == ps.Call
}

// onlyCalled reports whether every read of name in a def's body is the
// callee of a call.
func onlyCalled(t *ps.Tree, fn ps.NodeID, name string) bool {
	body := t.ChildByField(fn, ps.FBody)
	ok, seen := true, false
	t.Descendants(body, func(id ps.NodeID) bool {
		if !ok {
			return false
		}
		if t.Kind(id) == ps.Identifier && pyName(t.Text(id)) == name {
			seen = true
			if t.FieldOf(id) != ps.FFunction {
				ok = false
			}
		}
		return true
	})
	return ok && seen
}

// globalWrites are the names functions assign through `global`.
func (n *Notebook) globalWrites() map[string]bool {
	return lazy(n, &globalWritesKey, func() map[string]bool {
		out := map[string]bool{}
		for _, c := range n.Code() {
			for _, g := range c.Globals {
				out[g] = true
			}
		}
		return out
	})
}

var globalWritesKey lazyKey

// bindingOf returns the cell binding name as seen from cell c (the last
// definer at or above it, else the first below) and how it binds it.
func (n *Notebook) bindingOf(c *Cell, name string) (*Cell, DefKind) {
	if c.DefinesName(name) {
		return c, c.DefKinds[name]
	}
	d := n.Definer(c.Index, name)
	if d < 0 {
		if ds := n.Graph().Definers[name]; len(ds) > 0 {
			d = ds[0]
		}
	}
	dc := n.Cell(d)
	if dc == nil {
		return nil, DefOther
	}
	return dc, dc.DefKinds[name]
}

const (
	globalData = iota
	globalConstant
	globalSkip // a module, function, class, type alias or function alias
)

// globalKind classifies a notebook global as seen from cell at: bound to
// a computed value (data), to a constant expression, or to something that
// is code rather than data (an import, def, class, lambda, alias of a
// builtin or module attribute, typing alias, namedtuple …).
func (n *Notebook) globalKind(at *Cell, name string, depth int) int {
	if depth > 4 {
		return globalData
	}
	dc, kind := n.bindingOf(at, name)
	switch kind {
	case DefImport, DefFunction, DefClass:
		return globalSkip
	case DefConstant:
		return globalConstant
	}
	if dc == nil || dc.Tree == nil {
		return globalData
	}
	v, ok := dc.constBefore(name, ps.NoNode)
	if !ok || v == ps.NoNode {
		return globalData
	}
	return n.valueKind(dc, v, depth)
}

// typeFactories create types or callables, not data.
var typeFactories = setOf(`collections.namedtuple namedtuple typing.NamedTuple NamedTuple typing.TypeVar TypeVar
	typing.NewType NewType enum.Enum Enum enum.IntEnum IntEnum functools.partial partial dataclasses.make_dataclass
	make_dataclass typing.Literal operator.itemgetter itemgetter operator.attrgetter attrgetter
	functools.lru_cache functools.cache`)

// constantFactories build immutable values from their arguments.
var constantFactories = setOf(`frozenset set tuple dict list range str int float bool complex fractions.Fraction
	Fraction decimal.Decimal Decimal re.compile pathlib.Path Path numpy.array numpy.asarray numpy.float32
	numpy.float64 numpy.int32 numpy.int64 datetime.date datetime.datetime datetime.timedelta`)

func (n *Notebook) valueKind(c *Cell, v ps.NodeID, depth int) int {
	t := c.Tree
	switch t.Kind(v) {
	case ps.Lambda:
		return globalSkip
	case ps.Identifier:
		name := pyName(t.Text(v))
		if IsBuiltin(name) {
			if name == "None" || name == "True" || name == "False" {
				return globalConstant
			}
			return globalSkip // number = len, Color = str
		}
		return n.globalKind(c, name, depth+1)
	case ps.Attribute:
		root := v
		for t.Kind(root) == ps.Attribute {
			root = t.ChildByField(root, ps.FObject)
		}
		switch t.Kind(root) {
		case ps.String, ps.ConcatenatedString:
			return globalSkip // cat = ''.join
		case ps.Identifier:
			if _, ok := n.ImportOf(c.Index, pyName(t.Text(root))); ok {
				return globalSkip // sqrt = math.sqrt
			}
		}
		return globalData
	case ps.Subscript:
		obj := t.ChildByField(v, ps.FValue)
		name := dottedName(t, obj)
		if name == "" {
			return globalData
		}
		head := strings.SplitN(name, ".", 2)[0]
		switch head {
		case "list", "dict", "tuple", "set", "frozenset", "type":
			return globalSkip
		}
		if _, ok := n.ImportOf(c.Index, head); ok && strings.HasPrefix(n.Qualify(c.Index, name), "typing") {
			return globalSkip // Grid = Dict[Square, Color]
		}
		return globalData
	case ps.Call:
		fn := t.ChildByField(v, ps.FFunction)
		q := n.Qualify(c.Index, dottedName(t, fn))
		if typeFactories[q] {
			return globalSkip
		}
		if constantFactories[q] && n.constExpr(c, t.ChildByField(v, ps.FArguments), depth) {
			return globalConstant
		}
		return globalData
	}
	if n.constExpr(c, v, depth) {
		return globalConstant
	}
	return globalData
}

// constExpr reports an expression built only from literals and names
// bound to constants (Correct = 5 * Green).
func (n *Notebook) constExpr(c *Cell, v ps.NodeID, depth int) bool {
	t := c.Tree
	if v == ps.NoNode || depth > 4 {
		return false
	}
	switch t.Kind(v) {
	case ps.Integer, ps.Float, ps.True, ps.False, ps.None, ps.Ellipsis:
		return true
	case ps.String:
		ok := true
		t.Descendants(v, func(d ps.NodeID) bool {
			if t.Kind(d) == ps.Interpolation {
				ok = false
			}
			return ok
		})
		return ok
	case ps.Identifier:
		return n.globalKind(c, pyName(t.Text(v)), depth+1) == globalConstant
	case ps.UnaryOperator, ps.BinaryOperator, ps.BooleanOperator, ps.ComparisonOperator, ps.ParenthesizedExpression,
		ps.Tuple, ps.List, ps.Set, ps.Dictionary, ps.Pair, ps.ConcatenatedString, ps.ExpressionList, ps.ArgumentList:
		for ch := t.FirstChild(v); ch != ps.NoNode; ch = t.NextSibling(v, ch) {
			if t.IsNamed(ch) && !t.IsExtra(ch) && t.Kind(ch) != ps.Comment && !n.constExpr(c, ch, depth) {
				return false
			}
		}
		return true
	case ps.Call:
		q := n.Qualify(c.Index, dottedName(t, t.ChildByField(v, ps.FFunction)))
		return constantFactories[q] && n.constExpr(c, t.ChildByField(v, ps.FArguments), depth)
	}
	return false
}

// isUpperName reports an UPPER_CASE constant name (at least one letter,
// no lower-case letters).
func isUpperName(s string) bool {
	letter := false
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letter = true
		}
	}
	return letter
}

func keysOf(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// signatures renders a def's header before and after adding params.
func signatures(t *ps.Tree, fn ps.NodeID, add []string) (params []string, old, updated string) {
	head := "def "
	if strings.HasPrefix(strings.TrimSpace(t.Text(fn)), "async") {
		head = "async def "
	}
	head += t.Text(t.ChildByField(fn, ps.FName))
	if tp := t.ChildByField(fn, ps.FTypeParameters); tp != ps.NoNode {
		head += oneLine(t.Text(tp))
	}
	tail := ":"
	if rt := t.ChildByField(fn, ps.FReturnType); rt != ps.NoNode {
		tail = " -> " + oneLine(t.Text(rt)) + ":"
	}
	insert := -1
	if pn := t.ChildByField(fn, ps.FParameters); pn != ps.NoNode {
		for _, p := range t.NamedChildren(pn, nil) {
			switch t.Kind(p) {
			case ps.Comment:
				continue
			case ps.DefaultParameter, ps.TypedDefaultParameter, ps.ListSplatPattern, ps.DictionarySplatPattern, ps.KeywordSeparator:
				if insert < 0 {
					insert = len(params)
				}
			}
			params = append(params, oneLine(t.Text(p)))
		}
	}
	if insert < 0 {
		insert = len(params)
	}
	next := append(append(append([]string(nil), params[:insert]...), add...), params[insert:]...)
	old = head + "(" + strings.Join(params, ", ") + ")" + tail
	updated = head + "(" + strings.Join(next, ", ") + ")" + tail
	return params, old, updated
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
