package facts

import (
	"path"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	ps "github.com/nbprod/nbprod/analyze/pysyntax"
)

// Arg is one argument of a call: positional (Name "") or keyword.
type Arg struct {
	Name  string // keyword name; "" for positional
	Node  ps.NodeID
	Splat bool // *args or **kwargs
}

// CallSite is one call expression anywhere in a code cell (module level,
// function bodies, lambdas, comprehensions).
type CallSite struct {
	Cell *Cell
	Node ps.NodeID
	// Callee is the called expression as written when it is a dotted name
	// ("pd.read_csv", "df.to_csv", "open"); "" otherwise.
	Callee string
	// Qual is Callee with its first name resolved through the notebook's
	// imports ("pandas.read_csv", "sklearn.model_selection.train_test_split");
	// for names that are not imports it equals Callee.
	Qual string
	// Method is the last attribute of an attribute call ("to_csv"), or the
	// function name of a plain call.
	Method string
	// Receiver is the root name of an attribute call's object ("df" in
	// df.loc[x].to_csv(...)); "" when the object is not rooted in a name.
	Receiver string
	// ReceiverNode is the object of an attribute call (NoNode otherwise).
	ReceiverNode ps.NodeID
	Args         []Arg
	Pos, End     Pos
	// Loops counts the for/while loops and comprehensions around the call,
	// within the cell (including those in enclosing function bodies).
	Loops int
	// Function is the innermost def enclosing the call ("" at module level
	// or in a class body); Lambda is set inside a lambda.
	Function string
	Lambda   bool
	// Statement is set when the call is a whole expression statement.
	Statement bool
}

// Positional returns the i-th positional argument, or NoNode.
func (c *CallSite) Positional(i int) ps.NodeID {
	k := 0
	for _, a := range c.Args {
		if a.Name == "" && !a.Splat {
			if k == i {
				return a.Node
			}
			k++
		}
	}
	return ps.NoNode
}

// Keyword returns the value of a keyword argument, or NoNode.
func (c *CallSite) Keyword(name string) ps.NodeID {
	for _, a := range c.Args {
		if a.Name == name {
			return a.Node
		}
	}
	return ps.NoNode
}

// Arg returns the keyword argument name, else the positional argument at
// index i (the usual way parameters are passed).
func (c *CallSite) Arg(i int, name string) ps.NodeID {
	if n := c.Keyword(name); n != ps.NoNode {
		return n
	}
	if i < 0 {
		return ps.NoNode
	}
	return c.Positional(i)
}

// Is reports whether the call's qualified name is one of names, or ends
// with "."+name for names starting with "." (method suffix match:
// ".to_csv" matches any receiver).
func (c *CallSite) Is(names ...string) bool {
	for _, n := range names {
		if strings.HasPrefix(n, ".") {
			if c.ReceiverNode != ps.NoNode && c.Method == n[1:] {
				return true
			}
			continue
		}
		if c.Qual == n || c.Callee == n {
			return true
		}
	}
	return false
}

var callsKey = lazyKey{"calls"}

// Calls returns every call site of the notebook, in cell and source order.
func (n *Notebook) Calls() []CallSite {
	return lazy(n, &callsKey, func() []CallSite {
		// Count first: a CallSite is large, and growing the slice by
		// appending cell after cell copied every call site several times.
		total := 0
		for _, c := range n.Code() {
			if t := c.Tree; t != nil {
				for i := 0; i < t.Len(); i++ {
					if t.Kind(ps.NodeID(i)) == ps.Call {
						total++
					}
				}
			}
		}
		out := make([]CallSite, 0, total)
		for _, c := range n.Code() {
			out = n.cellCalls(out, c)
		}
		return out
	})
}

var callsByCellKey = lazyKey{"calls-by-cell"}

// CallsIn returns the call sites of one cell (a slice of Calls(); do not
// modify it).
func (n *Notebook) CallsIn(cell int) []CallSite {
	idx := lazy(n, &callsByCellKey, func() map[int][2]int {
		all := n.Calls()
		m := map[int][2]int{}
		for i := 0; i < len(all); {
			j := i
			for j < len(all) && all[j].Cell == all[i].Cell {
				j++
			}
			m[all[i].Cell.Index] = [2]int{i, j}
			i = j
		}
		return m
	})
	r, ok := idx[cell]
	if !ok {
		return nil
	}
	return n.Calls()[r[0]:r[1]:r[1]]
}

// Parents returns the parent index of every node of a cell's tree (NoNode
// for the root), computed once.
func (c *Cell) Parents() []ps.NodeID {
	if c.parents != nil || c.Tree == nil {
		return c.parents
	}
	t := c.Tree
	par := make([]ps.NodeID, t.Len())
	var stack []ps.NodeID
	for i := 0; i < t.Len(); i++ {
		n := ps.NodeID(i)
		for len(stack) > 0 && !t.Contains(stack[len(stack)-1], n) {
			stack = stack[:len(stack)-1]
		}
		if len(stack) == 0 {
			par[i] = ps.NoNode
		} else {
			par[i] = stack[len(stack)-1]
		}
		stack = append(stack, n)
	}
	c.parents = par
	return par
}

// NodePos converts a node's start to a cell position (original source
// coordinates).
func (c *Cell) NodePos(n ps.NodeID) Pos {
	return c.pointPos(c.Tree.StartPoint(n))
}

// NodeEnd converts a node's end to a cell position.
func (c *Cell) NodeEnd(n ps.NodeID) Pos {
	return c.pointPos(c.Tree.EndPoint(n))
}

func (c *Cell) pointPos(p ps.Point) Pos {
	lines := c.lines()
	line := p.Row + 1
	bcol := p.Col
	if s := c.Masked.Shift; s != nil && p.Row < len(s) {
		bcol += s[p.Row]
	}
	if p.Row >= len(lines) {
		return Pos{line, bcol + 1}
	}
	l := lines[p.Row]
	if bcol < 0 {
		bcol = 0
	}
	if bcol > len(l) {
		return Pos{line, utf8.RuneCountInString(l) + 1}
	}
	return Pos{line, utf8.RuneCountInString(l[:bcol]) + 1}
}

func (c *Cell) lines() []string {
	if c.srcLines == nil {
		c.srcLines = strings.Split(c.NB.Source, "\n")
	}
	return c.srcLines
}

func (n *Notebook) cellCalls(out []CallSite, c *Cell) []CallSite {
	t := c.Tree
	if t == nil {
		return out
	}
	par := c.Parents()
	for i := 0; i < t.Len(); i++ {
		node := ps.NodeID(i)
		if t.Kind(node) != ps.Call {
			continue
		}
		cs := CallSite{Cell: c, Node: node, ReceiverNode: ps.NoNode, Pos: c.NodePos(node), End: c.NodeEnd(node)}
		fn := t.ChildByField(node, ps.FFunction)
		if fn != ps.NoNode {
			cs.Callee = dottedName(t, fn)
			switch t.Kind(fn) {
			case ps.Identifier:
				cs.Method = pyName(t.Text(fn))
			case ps.Attribute:
				if a := t.ChildByField(fn, ps.FAttribute); a != ps.NoNode {
					cs.Method = t.Text(a)
				}
				cs.ReceiverNode = t.ChildByField(fn, ps.FObject)
				cs.Receiver = rootName(t, cs.ReceiverNode)
			}
		}
		if cs.Callee != "" {
			cs.Qual = n.Qualify(c.Index, cs.Callee)
		}
		if args := t.ChildByField(node, ps.FArguments); args != ps.NoNode {
			if t.Kind(args) == ps.GeneratorExpression {
				cs.Args = append(cs.Args, Arg{Node: args})
			} else {
				for _, a := range t.NamedChildren(args, nil) {
					switch t.Kind(a) {
					case ps.KeywordArgument:
						name := t.ChildByField(a, ps.FName)
						cs.Args = append(cs.Args, Arg{Name: t.Text(name), Node: t.ChildByField(a, ps.FValue)})
					case ps.ListSplat, ps.DictionarySplat:
						cs.Args = append(cs.Args, Arg{Node: t.FirstNamed(a), Splat: true})
					case ps.Comment:
					default:
						cs.Args = append(cs.Args, Arg{Node: a})
					}
				}
			}
		}
		if p := par[node]; p != ps.NoNode && t.Kind(p) == ps.ExpressionStatement {
			cs.Statement = true
		}
		for p := par[node]; p != ps.NoNode; p = par[p] {
			switch t.Kind(p) {
			case ps.ForStatement, ps.WhileStatement, ps.ListComprehension, ps.SetComprehension,
				ps.DictionaryComprehension, ps.GeneratorExpression:
				if !inIterable(t, p, node) {
					cs.Loops++
				}
			case ps.FunctionDefinition:
				if cs.Function == "" && !cs.Lambda {
					if name := t.ChildByField(p, ps.FName); name != ps.NoNode {
						cs.Function = t.Text(name)
					}
				}
			case ps.Lambda:
				if cs.Function == "" {
					cs.Lambda = true
				}
			}
		}
		out = append(out, cs)
	}
	return out
}

// inIterable reports whether node sits in the iterable of a for statement
// (evaluated once, not per iteration) rather than in its body.
func inIterable(t *ps.Tree, loop, node ps.NodeID) bool {
	switch t.Kind(loop) {
	case ps.ForStatement:
		r := t.ChildByField(loop, ps.FRight)
		return r != ps.NoNode && t.Contains(r, node)
	case ps.WhileStatement:
		return false
	default:
		// The first iterable of a comprehension is evaluated once.
		for c := t.FirstChild(loop); c != ps.NoNode; c = t.NextSibling(loop, c) {
			if t.Kind(c) == ps.ForInClause {
				r := t.ChildByField(c, ps.FRight)
				return r != ps.NoNode && t.Contains(r, node)
			}
		}
	}
	return false
}

// dottedName renders an identifier or attribute chain of identifiers
// ("np.random.seed"); "" for anything else.
func dottedName(t *ps.Tree, n ps.NodeID) string {
	switch t.Kind(n) {
	case ps.Identifier:
		return pyName(t.Text(n))
	case ps.Attribute:
		obj := t.ChildByField(n, ps.FObject)
		attr := t.ChildByField(n, ps.FAttribute)
		if obj == ps.NoNode || attr == ps.NoNode {
			return ""
		}
		left := dottedName(t, obj)
		if left == "" {
			return ""
		}
		return left + "." + t.Text(attr)
	}
	return ""
}

// DottedName is dottedName for rules.
func DottedName(t *ps.Tree, n ps.NodeID) string { return dottedName(t, n) }

// ImportOf returns the import that binds name as seen from cell index at:
// the nearest import of that name in the cell itself or above it, else in
// any cell (notebooks often import late). ok is false when no import binds it.
func (n *Notebook) ImportOf(at int, name string) (Import, bool) {
	ims := n.importIndex()[name]
	if len(ims) == 0 {
		return Import{}, false
	}
	// The last import in cell at or above it; else the first one below.
	k := sort.Search(len(ims), func(k int) bool { return ims[k].cell > at })
	if k == 0 {
		return ims[0].im, true
	}
	return ims[k-1].im, true
}

// Qualify resolves the first name of a dotted expression through the
// notebook's imports: pd.read_csv → pandas.read_csv.
func (n *Notebook) Qualify(at int, dotted string) string {
	head, rest, _ := strings.Cut(dotted, ".")
	im, ok := n.ImportOf(at, head)
	if !ok {
		return dotted
	}
	q := im.Module
	if im.Name == "" && im.Bound == strings.SplitN(im.Module, ".", 2)[0] {
		// `import urllib.request` binds `urllib`, the top-level package.
		q = im.Bound
	}
	if im.Name != "" {
		q = strings.TrimSuffix(im.Module, ".") + "." + im.Name
		if strings.HasSuffix(im.Module, ".") {
			q = im.Module + im.Name
		}
	}
	if rest != "" {
		q += "." + rest
	}
	return q
}

// StringValue decodes a Python string literal node (prefixes, escapes,
// implicit concatenation). ok is false for f-strings with interpolations
// and for non-string nodes; use Fold for those.
func StringValue(t *ps.Tree, n ps.NodeID) (string, bool) {
	switch t.Kind(n) {
	case ps.ConcatenatedString:
		var b strings.Builder
		for _, c := range t.NamedChildren(n, nil) {
			s, ok := StringValue(t, c)
			if !ok {
				return "", false
			}
			b.WriteString(s)
		}
		return b.String(), true
	case ps.String:
		var b strings.Builder
		raw := false
		bytesLit := false
		for c := t.FirstChild(n); c != ps.NoNode; c = t.NextSibling(n, c) {
			switch t.Kind(c) {
			case ps.StringStart:
				p := strings.ToLower(strings.TrimRight(t.Text(c), `'"`))
				raw = strings.Contains(p, "r")
				bytesLit = strings.Contains(p, "b")
			case ps.StringContent:
				b.WriteString(decodeContent(t, c, raw))
			case ps.Interpolation:
				return "", false
			}
		}
		_ = bytesLit
		return b.String(), true
	}
	return "", false
}

// decodeContent decodes escapes in a string_content node.
func decodeContent(t *ps.Tree, c ps.NodeID, raw bool) string {
	text := t.Text(c)
	if raw || !strings.Contains(text, `\`) {
		return text
	}
	return unescapePython(text)
}

// unescapePython decodes Python backslash escapes; unknown escapes stay.
func unescapePython(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch e := s[i]; e {
		case '\n':
		case '\\', '\'', '"':
			b.WriteByte(e)
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'v':
			b.WriteByte('\v')
		case 'x', 'u', 'U':
			n := 2
			if e == 'u' {
				n = 4
			} else if e == 'U' {
				n = 8
			}
			if i+1+n <= len(s) {
				if v, err := strconv.ParseUint(s[i+1:i+1+n], 16, 32); err == nil {
					b.WriteRune(rune(v))
					i += n
					continue
				}
			}
			b.WriteByte('\\')
			b.WriteByte(e)
		case '0', '1', '2', '3', '4', '5', '6', '7':
			j := i
			for j < len(s) && j < i+3 && s[j] >= '0' && s[j] <= '7' {
				j++
			}
			v, _ := strconv.ParseUint(s[i:j], 8, 32)
			b.WriteRune(rune(v))
			i = j - 1
		default:
			b.WriteByte('\\')
			b.WriteByte(e)
		}
	}
	return b.String()
}

// Folded is the result of constant-folding a string expression.
type Folded struct {
	Value string
	// Complete is set when the whole value is known; otherwise Value is a
	// known prefix (f"{DATA}/x.csv" with DATA unknown folds to "").
	Complete bool
	// Env is set when the value is the fallback of os.environ.get / getenv
	// (already parameterised).
	Env bool
	// Sources are the cells whose constant bindings were used.
	Sources []int
}

// Fold constant-folds a string expression (RULES.md §0.2): implicit
// concatenation, +, %-formatting and .format with constant parts,
// f-strings, os.path.join, Path(...) / "...", expanduser("~"),
// Path.home(), and names bound to constants in the cell or in earlier
// cells.
func (n *Notebook) Fold(c *Cell, node ps.NodeID) Folded {
	f := folder{n: n, c: c, depth: 0}
	return f.fold(node)
}

type folder struct {
	n     *Notebook
	c     *Cell
	depth int
	srcs  []int
}

func (f *folder) fold(node ps.NodeID) Folded {
	r := f.fold1(node)
	if len(f.srcs) > 0 {
		r.Sources = dedupeInts(f.srcs)
	}
	return r
}

func (f *folder) fold1(node ps.NodeID) Folded {
	if node == ps.NoNode || f.depth > 20 {
		return Folded{}
	}
	f.depth++
	defer func() { f.depth-- }()
	t := f.c.Tree
	switch t.Kind(node) {
	case ps.String, ps.ConcatenatedString:
		if s, ok := StringValue(t, node); ok {
			return Folded{Value: s, Complete: true}
		}
		return f.fstring(node)
	case ps.ParenthesizedExpression:
		return f.fold1(t.FirstNamed(node))
	case ps.BinaryOperator:
		op := t.ChildByField(node, ps.FOperator)
		l, r := t.ChildByField(node, ps.FLeft), t.ChildByField(node, ps.FRight)
		switch t.Text(op) {
		case "+":
			a := f.fold1(l)
			if !a.Complete {
				return a
			}
			b := f.fold1(r)
			return Folded{Value: a.Value + b.Value, Complete: b.Complete, Env: a.Env || b.Env}
		case "/":
			// pathlib: Path(...) / "x"
			a := f.fold1(l)
			if !a.Complete || !f.isPathExpr(l) {
				return Folded{}
			}
			b := f.fold1(r)
			return Folded{Value: joinPath(a.Value, b.Value), Complete: b.Complete, Env: a.Env}
		case "%":
			a := f.fold1(l)
			if !a.Complete {
				return Folded{}
			}
			return f.percentFormat(a.Value, r)
		}
	case ps.Identifier:
		return f.name(pyName(t.Text(node)), node)
	case ps.Call:
		return f.call(node)
	case ps.Subscript:
		// CONFIG["data_dir"] where CONFIG is a dict of constants.
		return Folded{}
	}
	return Folded{}
}

func (f *folder) fstring(node ps.NodeID) Folded {
	t := f.c.Tree
	if t.Kind(node) == ps.ConcatenatedString {
		var b strings.Builder
		for _, c := range t.NamedChildren(node, nil) {
			r := f.fold1(c)
			b.WriteString(r.Value)
			if !r.Complete {
				return Folded{Value: b.String()}
			}
		}
		return Folded{Value: b.String(), Complete: true}
	}
	var b strings.Builder
	raw := false
	for c := t.FirstChild(node); c != ps.NoNode; c = t.NextSibling(node, c) {
		switch t.Kind(c) {
		case ps.StringStart:
			raw = strings.Contains(strings.ToLower(t.Text(c)), "r")
		case ps.StringContent:
			b.WriteString(decodeContent(t, c, raw))
		case ps.Interpolation:
			expr := t.FirstNamed(c)
			hasSpec := false
			for k := t.FirstChild(c); k != ps.NoNode; k = t.NextSibling(c, k) {
				if t.Kind(k) == ps.FormatSpecifier || t.Kind(k) == ps.TypeConversion {
					hasSpec = true
				}
			}
			r := f.fold1(expr)
			if !r.Complete || hasSpec {
				return Folded{Value: b.String()}
			}
			b.WriteString(r.Value)
		}
	}
	return Folded{Value: b.String(), Complete: true}
}

// name folds a name bound to a constant string earlier in the cell or in
// an earlier cell.
func (f *folder) name(name string, at ps.NodeID) Folded {
	if f.c.Shadowed(at, name) {
		return Folded{} // a parameter or local of the enclosing function
	}
	if v, ok := f.c.constBefore(name, at); ok {
		return f.subFold(f.c, v)
	}
	if d := f.n.Definer(f.c.Index, name); d >= 0 {
		dc := f.n.Cell(d)
		if v, ok := dc.constBefore(name, ps.NoNode); ok {
			f.srcs = append(f.srcs, d)
			return f.subFold(dc, v)
		}
	}
	return Folded{}
}

func (f *folder) subFold(c *Cell, v ps.NodeID) Folded {
	if c == f.c {
		return f.fold1(v)
	}
	sub := folder{n: f.n, c: c, depth: f.depth + 1}
	r := sub.fold1(v)
	f.srcs = append(f.srcs, sub.srcs...)
	return r
}

// constBefore returns the value node of the last module-level assignment
// `name = <expr>` in the cell before node at (anywhere when at is NoNode).
func (c *Cell) constBefore(name string, at ps.NodeID) (ps.NodeID, bool) {
	best := ps.NoNode
	for _, a := range c.Assigns() {
		if a.Name != name || a.Function != "" || a.InClass {
			continue
		}
		if at != ps.NoNode && a.Node >= at {
			break
		}
		best = a.Value
	}
	return best, best != ps.NoNode
}

var pathCtors = map[string]bool{"pathlib.Path": true, "pathlib.PurePath": true, "pathlib.PosixPath": true,
	"pathlib.WindowsPath": true, "Path": true, "PurePath": true, "PosixPath": true, "WindowsPath": true}

// isPathExpr reports whether an expression is (probably) a pathlib path.
func (f *folder) isPathExpr(node ps.NodeID) bool {
	t := f.c.Tree
	switch t.Kind(node) {
	case ps.Call:
		fn := t.ChildByField(node, ps.FFunction)
		q := f.n.Qualify(f.c.Index, dottedName(t, fn))
		return pathCtors[q] || q == "pathlib.Path.home" || q == "Path.home" || strings.HasSuffix(q, "Path.cwd")
	case ps.BinaryOperator:
		return t.Text(t.ChildByField(node, ps.FOperator)) == "/" && f.isPathExpr(t.ChildByField(node, ps.FLeft))
	case ps.Identifier:
		name := pyName(t.Text(node))
		if v, ok := f.c.constBefore(name, node); ok {
			return f.isPathExpr(v)
		}
		if d := f.n.Definer(f.c.Index, name); d >= 0 {
			dc := f.n.Cell(d)
			if v, ok := dc.constBefore(name, ps.NoNode); ok {
				sub := folder{n: f.n, c: dc, depth: f.depth + 1}
				return sub.isPathExpr(v)
			}
		}
	case ps.ParenthesizedExpression:
		return f.isPathExpr(t.FirstNamed(node))
	}
	return false
}

func (f *folder) call(node ps.NodeID) Folded {
	t := f.c.Tree
	fn := t.ChildByField(node, ps.FFunction)
	dn := dottedName(t, fn)
	q := f.n.Qualify(f.c.Index, dn)
	attrName := ""
	if t.Kind(fn) == ps.Attribute {
		attrName = t.Text(t.ChildByField(fn, ps.FAttribute))
	}
	args := callArgs(t, node)
	pos := func(i int) ps.NodeID {
		k := 0
		for _, a := range args {
			if a.Name == "" && !a.Splat {
				if k == i {
					return a.Node
				}
				k++
			}
		}
		return ps.NoNode
	}
	switch {
	case pathCtors[q] || q == "str" || q == "os.fspath" || q == "os.path.abspath" || q == "os.path.normpath":
		if len(args) == 0 {
			return Folded{Value: ".", Complete: true}
		}
		parts := Folded{Complete: true}
		for i := 0; ; i++ {
			a := pos(i)
			if a == ps.NoNode {
				break
			}
			r := f.fold1(a)
			if i == 0 {
				parts = r
			} else {
				parts.Value = joinPath(parts.Value, r.Value)
				parts.Complete = parts.Complete && r.Complete
			}
			if !r.Complete {
				parts.Complete = false
				break
			}
		}
		return parts
	case q == "os.path.join" || q == "posixpath.join" || q == "ntpath.join":
		var out Folded
		for i := 0; ; i++ {
			a := pos(i)
			if a == ps.NoNode {
				break
			}
			r := f.fold1(a)
			if i == 0 {
				out = r
			} else {
				out.Value = joinPath(out.Value, r.Value)
				out.Complete = out.Complete && r.Complete
			}
			if !r.Complete {
				out.Complete = false
				break
			}
		}
		return out
	case q == "os.path.expanduser" || attrName == "expanduser":
		if t.Kind(fn) == ps.Attribute && q != "os.path.expanduser" {
			return f.fold1(t.ChildByField(fn, ps.FObject)) // Path("~/x").expanduser()
		}
		return f.fold1(pos(0))
	case q == "pathlib.Path.home" || q == "Path.home" || q == "os.path.expanduser":
		return Folded{Value: "~", Complete: true}
	case q == "os.environ.get" || q == "os.getenv":
		d := pos(1)
		for _, a := range args {
			if a.Name == "default" {
				d = a.Node
			}
		}
		if d == ps.NoNode {
			return Folded{}
		}
		r := f.fold1(d)
		r.Env = true
		return r
	case attrName == "format":
		base := f.fold1(t.ChildByField(fn, ps.FObject))
		if !base.Complete {
			return Folded{}
		}
		return f.dotFormat(base.Value, args)
	case attrName == "joinpath" || attrName == "with_suffix" || attrName == "resolve":
		base := f.fold1(t.ChildByField(fn, ps.FObject))
		if !base.Complete {
			return base
		}
		switch {
		case attrName == "resolve":
			return base
		case attrName == "with_suffix":
			r := f.fold1(pos(0))
			if !r.Complete {
				return Folded{}
			}
			ext := path.Ext(base.Value)
			return Folded{Value: strings.TrimSuffix(base.Value, ext) + r.Value, Complete: true}
		}
		out := base
		for i := 0; ; i++ {
			a := pos(i)
			if a == ps.NoNode {
				break
			}
			r := f.fold1(a)
			out.Value = joinPath(out.Value, r.Value)
			if !r.Complete {
				out.Complete = false
				break
			}
		}
		return out
	}
	if t.Kind(fn) == ps.Attribute {
		if a := t.ChildByField(fn, ps.FAttribute); a != ps.NoNode && t.Text(a) == "home" {
			if q2 := f.n.Qualify(f.c.Index, dottedName(t, t.ChildByField(fn, ps.FObject))); pathCtors[q2] {
				return Folded{Value: "~", Complete: true}
			}
		}
	}
	return Folded{}
}

func callArgs(t *ps.Tree, call ps.NodeID) []Arg {
	var out []Arg
	args := t.ChildByField(call, ps.FArguments)
	if args == ps.NoNode || t.Kind(args) != ps.ArgumentList {
		return nil
	}
	for _, a := range t.NamedChildren(args, nil) {
		switch t.Kind(a) {
		case ps.KeywordArgument:
			out = append(out, Arg{Name: t.Text(t.ChildByField(a, ps.FName)), Node: t.ChildByField(a, ps.FValue)})
		case ps.ListSplat, ps.DictionarySplat:
			out = append(out, Arg{Node: t.FirstNamed(a), Splat: true})
		case ps.Comment:
		default:
			out = append(out, Arg{Node: a})
		}
	}
	return out
}

// percentFormat folds "fmt % args" with constant arguments.
func (f *folder) percentFormat(format string, args ps.NodeID) Folded {
	t := f.c.Tree
	var vals []Folded
	if t.Kind(args) == ps.Tuple || t.Kind(args) == ps.ParenthesizedExpression {
		for _, a := range t.NamedChildren(args, nil) {
			vals = append(vals, f.fold1(a))
		}
	} else {
		vals = append(vals, f.fold1(args))
	}
	var b strings.Builder
	k := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 >= len(format) {
			b.WriteByte(c)
			continue
		}
		j := i + 1
		for j < len(format) && strings.IndexByte("#0- +.0123456789", format[j]) >= 0 {
			j++
		}
		if j >= len(format) {
			return Folded{Value: b.String()}
		}
		switch format[j] {
		case '%':
			b.WriteByte('%')
		case 's', 'r', 'd', 'i':
			if k >= len(vals) || !vals[k].Complete || j != i+1 {
				return Folded{Value: b.String()}
			}
			b.WriteString(vals[k].Value)
			k++
		default:
			return Folded{Value: b.String()}
		}
		i = j
	}
	return Folded{Value: b.String(), Complete: true}
}

// dotFormat folds "fmt".format(args) with constant arguments.
func (f *folder) dotFormat(format string, args []Arg) Folded {
	var pos []Folded
	kw := map[string]Folded{}
	for _, a := range args {
		if a.Splat {
			return Folded{}
		}
		r := f.fold1(a.Node)
		if a.Name == "" {
			pos = append(pos, r)
		} else {
			kw[a.Name] = r
		}
	}
	var b strings.Builder
	auto := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c == '{' && i+1 < len(format) && format[i+1] == '{' {
			b.WriteByte('{')
			i++
			continue
		}
		if c == '}' && i+1 < len(format) && format[i+1] == '}' {
			b.WriteByte('}')
			i++
			continue
		}
		if c != '{' {
			b.WriteByte(c)
			continue
		}
		j := strings.IndexByte(format[i:], '}')
		if j < 0 {
			return Folded{Value: b.String()}
		}
		field := format[i+1 : i+j]
		if strings.ContainsAny(field, ":!.[") {
			return Folded{Value: b.String()}
		}
		var v Folded
		var ok bool
		switch {
		case field == "":
			if auto < len(pos) {
				v, ok = pos[auto], true
			}
			auto++
		case field[0] >= '0' && field[0] <= '9':
			n, _ := strconv.Atoi(field)
			if n < len(pos) {
				v, ok = pos[n], true
			}
		default:
			v, ok = kw[field]
		}
		if !ok || !v.Complete {
			return Folded{Value: b.String()}
		}
		b.WriteString(v.Value)
		i += j
	}
	return Folded{Value: b.String(), Complete: true}
}

// joinPath joins path parts like os.path.join: an absolute part resets.
func joinPath(a, b string) string {
	if b == "" {
		return a
	}
	if strings.HasPrefix(b, "/") || (len(b) > 1 && b[1] == ':') || strings.HasPrefix(b, `\\`) {
		return b
	}
	if a == "" {
		return b
	}
	sep := "/"
	if strings.Contains(a, `\`) && !strings.Contains(a, "/") {
		sep = `\`
	}
	if strings.HasSuffix(a, "/") || strings.HasSuffix(a, `\`) {
		return a + b
	}
	return a + sep + b
}

func dedupeInts(xs []int) []int {
	seen := map[int]bool{}
	var out []int
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
