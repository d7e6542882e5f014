package rules

import (
	"fmt"
	"strings"

	"github.com/nbprod/nbprod/analyze"
)

// SQLStringConstruction reports SQL built by string formatting that reaches
// a query call (bandit B608).
var SQLStringConstruction = &analyze.Rule{
	ID:       "NB407",
	Name:     "sql-string-construction",
	Category: analyze.CatSecurity,
	Severity: analyze.Warning,
	Doc:      doc("NB407"),
	Run:      runSQLStringConstruction,
}

func runSQLStringConstruction(p *analyze.Pass) {
	fx := p.Facts
	seen := map[[3]int]bool{}
	for _, q := range fx.SQLQueries() {
		if !q.Formatted || q.Params {
			continue
		}
		k := [3]int{q.Cell, q.Pos.Line, q.Pos.Col}
		if seen[k] {
			continue
		}
		seen[k] = true
		var interps []string
		for _, x := range q.Interpolated {
			interps = append(interps, fx.RedactSecrets(x))
		}
		vals := strings.Join(interps, ", ")
		if len(vals) > 60 {
			vals = vals[:57] + "..."
		}
		where := q.Sink
		if q.SinkCell != q.Cell {
			where = fmt.Sprintf("%s in cell %d", q.Sink, q.SinkCell+1)
		}
		f := analyze.Finding{Cell: q.Cell, Line: q.Pos.Line, Column: q.Pos.Col, EndLine: q.End.Line, EndColumn: q.End.Col,
			Message: fmt.Sprintf("SQL built by string formatting (interpolating %s) reaches %s: values with quotes break the query or inject SQL", vals, where),
			Fix:     "pass values as bound parameters (cursor.execute(sql, params), pd.read_sql(sql, con, params=...), spark.sql(sql, args=...)); keep the SQL in a .sql file",
			Data:    map[string]any{"sink": q.Sink, "interpolated": interps}}
		if q.Binding != "" {
			f.Data["binding"] = q.Binding
		}
		if q.SinkCell != q.Cell || q.SinkPos.Line != q.Pos.Line {
			f.Related = []analyze.Related{{Cell: q.SinkCell, Line: q.SinkPos.Line, Column: q.SinkPos.Col, Message: "executed by " + q.Sink + " here"}}
		}
		if q.Trusted {
			f.Severity = analyze.Info
			f.Message = fmt.Sprintf("SQL built by string formatting from constants or config names (%s) reaches %s", vals, where)
		}
		p.Report(f)
	}
}
