package facts

import (
	"regexp"
	"strings"

	ps "github.com/nbprod/nbprod/analyze/pysyntax"
)

// This file finds SQL text handed to query sinks (cursor.execute,
// pd.read_sql*, spark.sql, sqlalchemy.text, duckdb.sql …), shared by NB407
// (SQL built by string formatting) and NB705 (unbounded loads), and by the
// emitter (SQL moved into sql/*.sql files).

// SQLQuery is one query expression reaching a SQL sink.
type SQLQuery struct {
	// Cell, Node, Pos and End locate the query expression: the argument
	// itself, or the value of the name it was bound to (def-use across cells).
	Cell     int
	Node     ps.NodeID
	Pos, End Pos
	// Binding is the name the query was bound to ("" when inline).
	Binding string
	// Text is the query with its constant parts and "?" for every
	// interpolated value.
	Text string
	// Formatted is set when the text is built with an f-string, %, .format
	// or + around values that are not constants.
	Formatted bool
	// Interpolated are the source texts of the interpolated expressions.
	Interpolated []string
	// Trusted is set when every interpolated value is a constant or a
	// config-like name (UPPER_CASE, cfg.x, config["x"], settings.x).
	Trusted bool
	// Params is set when bound parameters are passed (params=, a second
	// argument to execute).
	Params bool
	// Sink is the call ("pandas.read_sql", ".execute"), at SinkCell/SinkPos.
	Sink     string
	SinkCell int
	SinkPos  Pos
	// Pandas is set for pd.read_sql*; Spark for spark.sql.
	Pandas, Spark bool
}

var (
	reSQL = regexp.MustCompile(`(?is)\bselect\b.+\bfrom\b|\binsert\s+into\b|\bupdate\b\s+\S+.*\bset\b|\bdelete\s+from\b|\bmerge\s+into\b|\bcreate\s+(?:or\s+replace\s+)?(?:temp(?:orary)?\s+)?(?:table|view)\b|\bdrop\s+table\b`)
	// reSelectStar matches SELECT * FROM <table> and captures the table.
	reSelectStar = regexp.MustCompile(`(?is)\bselect\s+\*\s+from\s+([\w.\x60"\[\]]+|\?)`)
	reSQLBound   = regexp.MustCompile(`(?i)\b(?:where|limit|top|sample|tablesample|fetch\s+first|qualify|having|group\s+by)\b`)
	reConfigName = regexp.MustCompile(`^(?:[A-Z][A-Z0-9_]*|(?:cfg|config|conf|settings|params|CONFIG|CFG|SETTINGS)\b.*)$`)
)

// IsSQL reports whether a text looks like a SQL statement.
func IsSQL(text string) bool { return reSQL.MatchString(text) }

// SelectStarTable returns the table of an unbounded `SELECT * FROM t` (no
// WHERE, LIMIT, TOP, SAMPLE or aggregation), and whether the query is one.
func SelectStarTable(text string) (string, bool) {
	m := reSelectStar.FindStringSubmatchIndex(text)
	if m == nil {
		return "", false
	}
	if reSQLBound.MatchString(text[m[1]:]) || reSQLBound.MatchString(text[:m[0]]) {
		return "", false
	}
	return strings.Trim(text[m[2]:m[3]], "`\"[]"), true
}

var sqlKey = lazyKey{"sql"}

// SQLQueries returns the SQL texts handed to query sinks, in sink order.
func (n *Notebook) SQLQueries() []SQLQuery {
	return lazy(n, &sqlKey, n.collectSQL)
}

var sqlSinkFuncs = map[string]string{"pandas.read_sql": "sql", "pandas.read_sql_query": "sql", "pandas.io.sql.execute": "sql",
	"sqlalchemy.text": "text", "sqlalchemy.sql.text": "text", "duckdb.sql": "query", "duckdb.query": "query",
	"polars.read_database": "query", "pandasql.sqldf": "query", "pandas_gbq.read_gbq": "query", "pandas.read_gbq": "query"}

func (n *Notebook) collectSQL() []SQLQuery {
	var out []SQLQuery
	for _, cs := range n.Calls() {
		cs := cs
		c := cs.Cell
		if c.Tree == nil {
			continue
		}
		q := pathQual(&cs)
		var arg ps.NodeID = ps.NoNode
		params := false
		pandas, spark := false, false
		if kw, ok := sqlSinkFuncs[q]; ok {
			arg = cs.Arg(0, kw)
			pandas = strings.HasPrefix(q, "pandas.read_sql")
			params = cs.Keyword("params") != ps.NoNode
		} else if cs.ReceiverNode != ps.NoNode {
			switch cs.Method {
			case "execute", "executemany", "exec_driver_sql", "executescript":
				arg = cs.Arg(0, "operation")
				if arg == ps.NoNode {
					arg = cs.Arg(0, "statement")
				}
				if arg == ps.NoNode {
					arg = cs.Arg(0, "query")
				}
				params = cs.Positional(1) != ps.NoNode || cs.Keyword("parameters") != ps.NoNode ||
					cs.Keyword("params") != ps.NoNode || cs.Keyword("args") != ps.NoNode
			case "sql":
				arg = cs.Arg(0, "sqlQuery")
				recv := c.Tree.Text(cs.ReceiverNode)
				spark = strings.Contains(strings.ToLower(recv), "spark") || strings.Contains(recv, "sqlContext")
				params = cs.Keyword("args") != ps.NoNode || cs.Positional(1) != ps.NoNode
			case "query", "read_sql", "read_sql_query":
				arg = cs.Arg(0, "query")
				params = cs.Keyword("params") != ps.NoNode || cs.Keyword("job_config") != ps.NoNode
			}
		}
		if arg == ps.NoNode {
			continue
		}
		qc, qn, binding := c, arg, ""
		if c.Tree.Kind(arg) == ps.Identifier {
			name := pyName(c.Tree.Text(arg))
			if v, ok := c.constBefore(name, arg); ok {
				qn, binding = v, name
			} else if d := n.Definer(c.Index, name); d >= 0 {
				if dc := n.Cell(d); dc != nil {
					if v, ok := dc.constBefore(name, ps.NoNode); ok {
						qc, qn, binding = dc, v, name
					}
				}
			}
		}
		// text(f"...") inside execute: the inner call is its own sink.
		if qc.Tree.Kind(qn) == ps.Call {
			if fq := n.pathQualify(qc, dottedName(qc.Tree, qc.Tree.ChildByField(qn, ps.FFunction))); sqlSinkFuncs[fq] != "" {
				continue
			}
		}
		sb := sqlBuilder{n: n}
		text := sb.text(qc, qn, 0)
		if !IsSQL(text) {
			continue
		}
		out = append(out, SQLQuery{Cell: qc.Index, Node: qn, Pos: qc.NodePos(qn), End: qc.NodeEnd(qn), Binding: binding,
			Text: text, Formatted: sb.formatted, Interpolated: sb.interps, Trusted: sb.trusted(), Params: params,
			Sink: pathSinkName(&cs), SinkCell: c.Index, SinkPos: cs.Pos, Pandas: pandas, Spark: spark})
	}
	return out
}

// sqlBuilder renders a query expression's constant parts.
type sqlBuilder struct {
	n         *Notebook
	formatted bool
	interps   []string
	untrusted bool
}

func (b *sqlBuilder) trusted() bool { return !b.untrusted }

// hole records an interpolated value.
func (b *sqlBuilder) hole(c *Cell, node ps.NodeID) string {
	b.formatted = true
	if node == ps.NoNode {
		b.untrusted = true
		b.interps = append(b.interps, "?")
		return "?"
	}
	txt := c.Tree.Text(node)
	b.interps = append(b.interps, txt)
	if f := b.n.Fold(c, node); f.Complete {
		return f.Value
	}
	if !reConfigName.MatchString(txt) {
		b.untrusted = true
	}
	return "?"
}

func (b *sqlBuilder) text(c *Cell, node ps.NodeID, depth int) string {
	if node == ps.NoNode || depth > 10 {
		return ""
	}
	t := c.Tree
	switch t.Kind(node) {
	case ps.String, ps.ConcatenatedString:
		if s, ok := StringValue(t, node); ok {
			return s
		}
		var sb strings.Builder
		var walk func(n ps.NodeID)
		walk = func(n ps.NodeID) {
			for ch := t.FirstChild(n); ch != ps.NoNode; ch = t.NextSibling(n, ch) {
				switch t.Kind(ch) {
				case ps.StringContent:
					sb.WriteString(decodeContent(t, ch, false))
				case ps.Interpolation:
					sb.WriteString(b.hole(c, t.FirstNamed(ch)))
				case ps.String:
					walk(ch)
				}
			}
		}
		walk(node)
		return sb.String()
	case ps.ParenthesizedExpression:
		return b.text(c, t.FirstNamed(node), depth+1)
	case ps.BinaryOperator:
		op := t.Text(t.ChildByField(node, ps.FOperator))
		l, r := t.ChildByField(node, ps.FLeft), t.ChildByField(node, ps.FRight)
		switch op {
		case "+":
			return b.part(c, l, depth) + b.part(c, r, depth)
		case "%":
			format := b.text(c, l, depth+1)
			var args []ps.NodeID
			if t.Kind(r) == ps.Tuple {
				args = t.NamedChildren(r, nil)
			} else {
				args = []ps.NodeID{r}
			}
			k := 0
			return rePercentSpec.ReplaceAllStringFunc(format, func(spec string) string {
				if spec == "%%" {
					return "%"
				}
				var a ps.NodeID = ps.NoNode
				if k < len(args) {
					a = args[k]
				}
				k++
				return b.hole(c, a)
			})
		}
	case ps.Call:
		fn := t.ChildByField(node, ps.FFunction)
		if t.Kind(fn) == ps.Attribute && t.Text(t.ChildByField(fn, ps.FAttribute)) == "format" {
			format := b.text(c, t.ChildByField(fn, ps.FObject), depth+1)
			args := callArgs(t, node)
			pos := 0
			return reBraceField.ReplaceAllStringFunc(format, func(field string) string {
				name := strings.Trim(field, "{}")
				if i := strings.IndexAny(name, ":!"); i >= 0 {
					name = name[:i]
				}
				var a ps.NodeID = ps.NoNode
				if name == "" {
					k := 0
					for _, x := range args {
						if x.Name == "" && !x.Splat {
							if k == pos {
								a = x.Node
							}
							k++
						}
					}
					pos++
				} else {
					for _, x := range args {
						if x.Name == name {
							a = x.Node
						}
					}
				}
				return b.hole(c, a)
			})
		}
	case ps.Identifier:
		name := pyName(t.Text(node))
		if v, ok := c.constBefore(name, node); ok {
			return b.text(c, v, depth+1)
		}
		if d := b.n.Definer(c.Index, name); d >= 0 {
			if dc := b.n.Cell(d); dc != nil {
				if v, ok := dc.constBefore(name, ps.NoNode); ok {
					return b.text(dc, v, depth+1)
				}
			}
		}
	}
	return ""
}

// part renders one operand of +: strings and names bound to strings as
// text, anything else as an interpolated value.
func (b *sqlBuilder) part(c *Cell, node ps.NodeID, depth int) string {
	t := c.Tree
	switch t.Kind(node) {
	case ps.String, ps.ConcatenatedString, ps.BinaryOperator, ps.ParenthesizedExpression:
		return b.text(c, node, depth+1)
	case ps.Call:
		fn := t.ChildByField(node, ps.FFunction)
		if t.Kind(fn) == ps.Attribute && t.Text(t.ChildByField(fn, ps.FAttribute)) == "format" {
			return b.text(c, node, depth+1)
		}
	case ps.Identifier:
		if vc, v := b.resolve(c, node); v != ps.NoNode && sqlStringish(vc, v) {
			return b.text(c, node, depth+1)
		}
	}
	if f := b.n.Fold(c, node); f.Complete {
		return f.Value
	}
	return b.hole(c, node)
}

// resolve finds the value a name is bound to (in the cell before node, or
// in the cell that defines it).
func (b *sqlBuilder) resolve(c *Cell, node ps.NodeID) (*Cell, ps.NodeID) {
	name := pyName(c.Tree.Text(node))
	if v, ok := c.constBefore(name, node); ok {
		return c, v
	}
	if d := b.n.Definer(c.Index, name); d >= 0 {
		if dc := b.n.Cell(d); dc != nil {
			if v, ok := dc.constBefore(name, ps.NoNode); ok {
				return dc, v
			}
		}
	}
	return nil, ps.NoNode
}

// sqlStringish reports whether an expression builds a string.
func sqlStringish(c *Cell, v ps.NodeID) bool {
	t := c.Tree
	switch t.Kind(v) {
	case ps.String, ps.ConcatenatedString, ps.BinaryOperator:
		return true
	case ps.Call:
		fn := t.ChildByField(v, ps.FFunction)
		return t.Kind(fn) == ps.Attribute && t.Text(t.ChildByField(fn, ps.FAttribute)) == "format"
	}
	return false
}

var (
	rePercentSpec = regexp.MustCompile(`%%|%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr]`)
	reBraceField  = regexp.MustCompile(`\{[^{}]*\}`)
)
