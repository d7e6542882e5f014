package rules

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
	ps "github.com/nbprod/nbprod/analyze/pysyntax"
)

// UnboundedDataLoad reports loads that pull whole tables or files into
// memory: SELECT * without a bound, cloud files read without selecting
// columns or rows, Spark collect()/toPandas() without a limit.
var UnboundedDataLoad = &analyze.Rule{
	ID:       "NB705",
	Name:     "unbounded-data-load",
	Category: analyze.CatCost,
	Severity: analyze.Info,
	Doc:      doc("NB705"),
	Options: []analyze.Option{
		{Name: "small-tables", Default: []string{}, Help: "table names (glob patterns) of small dimension tables that may be loaded whole"},
	},
	Run: runUnboundedDataLoad,
}

// boundingKeywords limit what a reader loads.
var boundingKeywords = []string{"usecols", "columns", "nrows", "chunksize", "filters", "n_rows", "skiprows", "iterator", "blocksize", "row_groups", "schema"}

func runUnboundedDataLoad(p *analyze.Pass) {
	fx := p.Facts
	small := p.Strings("small-tables")
	for _, q := range fx.SQLQueries() {
		if !q.Pandas && !q.Spark {
			continue
		}
		table, ok := facts.SelectStarTable(q.Text)
		if !ok || matchAny(small, table) || matchAny(small, strings.ToLower(table)) {
			continue
		}
		p.Report(analyze.Finding{Cell: q.Cell, Line: q.Pos.Line, Column: q.Pos.Col, EndLine: q.End.Line, EndColumn: q.End.Col,
			Message: fmt.Sprintf("SELECT * FROM %s with no WHERE or LIMIT reaches %s: every row and column is loaded", table, q.Sink),
			Fix:     "select the columns the code uses and push filters into the query",
			Data:    map[string]any{"sink": q.Sink, "table": table}})
	}
	for _, u := range fx.Paths() {
		if u.Direction != facts.DirRead || u.Role != facts.RoleFile || (u.Class != facts.ClassCloudURI && u.Class != facts.ClassCloudHTTP) {
			continue
		}
		sink := u.Sink
		if !(strings.HasSuffix(sink, "read_csv") || strings.HasSuffix(sink, "read_parquet") || strings.HasSuffix(sink, "read_json") ||
			strings.HasSuffix(sink, "read_table") || strings.HasSuffix(sink, "scan_parquet") || strings.HasSuffix(sink, "scan_csv")) {
			continue
		}
		cs := callAt(fx, u.SinkCell, u.SinkPos)
		if cs == nil {
			continue
		}
		bounded := false
		for _, k := range boundingKeywords {
			if cs.Keyword(k) != ps.NoNode {
				bounded = true
			}
		}
		if bounded {
			continue
		}
		p.Report(analyze.Finding{Cell: u.SinkCell, Line: cs.Pos.Line, Column: cs.Pos.Col, EndLine: cs.End.Line, EndColumn: cs.End.Col,
			Message: fmt.Sprintf("%s loads all of %s: no columns=, usecols=, nrows=, chunksize= or filters=", sink, quoteValue(u.Value)),
			Fix:     "read only the columns and rows the code uses",
			Data:    map[string]any{"sink": sink, "value": facts.RedactValue(u.Value), "kind": string(u.Class), "config_key": u.ConfigKey}})
	}
	for _, cs := range fx.Calls() {
		cs := cs
		if cs.ReceiverNode == ps.NoNode || (cs.Method != "collect" && cs.Method != "toPandas") || len(cs.Args) > 0 {
			continue
		}
		chain, spark := sparkChain(fx, cs.Cell, cs.ReceiverNode)
		if !spark || reSparkBound.MatchString(chain) {
			continue
		}
		p.Report(analyze.Finding{Cell: cs.Cell.Index, Line: cs.Pos.Line, Column: cs.Pos.Col, EndLine: cs.End.Line, EndColumn: cs.End.Col,
			Message: fmt.Sprintf(".%s() pulls a whole Spark DataFrame to the driver with no limit, filter or aggregation upstream", cs.Method),
			Fix:     "filter, aggregate or limit() before collecting",
			Data:    map[string]any{"sink": "." + cs.Method}})
	}
}

// callAt finds the call site starting at a position.
func callAt(fx *facts.Notebook, cell int, pos facts.Pos) *facts.CallSite {
	for _, cs := range fx.CallsIn(cell) {
		if cs.Pos == pos {
			cs := cs
			return &cs
		}
	}
	return nil
}

var (
	reSparkBound    = regexp.MustCompile(`(?i)\.(?:limit|filter|where|agg|groupBy|groupby|sample|sampleBy|take|head|first|summary|describe|count|rollup|cube|tail)\s*\(|\b(?:where|limit|group\s+by|tablesample)\b|\b(?:count|sum|avg|max|min)\s*\(`)
	reSparkEvidence = regexp.MustCompile(`\bspark\b|\bsqlContext\b|\bSparkSession\b|\.createDataFrame\(|\bspark_df\b|\bsdf\b`)
)

// sparkChain renders the receiver of a collect()/toPandas() call, following
// a root name to its definition (in the cell, or the cell defining it), and
// reports whether it is a Spark DataFrame.
func sparkChain(fx *facts.Notebook, c *facts.Cell, recv ps.NodeID) (string, bool) {
	t := c.Tree
	text := t.Text(recv)
	root := recv
	for t.Kind(root) == ps.Call || t.Kind(root) == ps.Attribute || t.Kind(root) == ps.Subscript {
		switch t.Kind(root) {
		case ps.Call:
			root = t.ChildByField(root, ps.FFunction)
		case ps.Attribute:
			root = t.ChildByField(root, ps.FObject)
		case ps.Subscript:
			root = t.ChildByField(root, ps.FValue)
		}
	}
	if root != ps.NoNode && t.Kind(root) == ps.Identifier {
		name := t.Text(root)
		for depth, cell := 0, c; depth < 3 && cell != nil; depth++ {
			var val ps.NodeID = ps.NoNode
			for _, a := range cell.Assigns() {
				if a.Name == name && a.Function == "" && (cell != c || a.Node < recv) {
					val = a.Value
				}
			}
			if val == ps.NoNode {
				d := fx.Definer(cell.Index, name)
				if d < 0 {
					break
				}
				cell = fx.Cell(d)
				if cell == nil || cell.Tree == nil {
					break
				}
				for _, a := range cell.Assigns() {
					if a.Name == name && a.Function == "" {
						val = a.Value
					}
				}
				if val == ps.NoNode {
					break
				}
			}
			text = cell.Tree.Text(val) + " " + text
			break
		}
	}
	return text, reSparkEvidence.MatchString(text)
}
