package rules

import (
	"fmt"
	"strings"

	"github.com/nbprod/nbprod/analyze"
)

// RowWiseDataFrameIteration reports row-by-row DataFrame loops (RULES.md
// NB704): one info finding per notebook, at the first, listing the others.
var RowWiseDataFrameIteration = &analyze.Rule{
	ID:       "NB704",
	Name:     "row-wise-dataframe-iteration",
	Category: analyze.CatCost,
	Severity: analyze.Info,
	Doc:      doc("NB704"),
	Run:      runRowWiseDataFrameIteration,
}

var rowIterText = map[string]string{
	"iterrows":     "a loop over %s.iterrows()",
	"itertuples":   "a loop over %s.itertuples()",
	"apply-axis-1": "%s.apply(…, axis=1)",
	"range-len":    "a loop over range(len(%s)) indexing rows one by one",
}

func runRowWiseDataFrameIteration(p *analyze.Pass) {
	its := p.Facts.RowIterations()
	if len(its) == 0 {
		return
	}
	first := its[0]
	frame := first.Frame
	if frame == "" {
		frame = "df"
	}
	var cells []string
	var related []analyze.Related
	seen := map[int]bool{first.Cell: true}
	for _, it := range its[1:] {
		if !seen[it.Cell] {
			seen[it.Cell] = true
			cells = append(cells, fmt.Sprint(it.Cell+1))
		}
		related = append(related, analyze.Related{Cell: it.Cell, Line: it.Pos.Line, Column: it.Pos.Col,
			Message: fmt.Sprintf(rowIterText[it.Kind], it.Frame)})
	}
	msg := fmt.Sprintf(rowIterText[first.Kind], frame) + " runs Python code once per row, which is slow on production-size data"
	if len(its) > 1 {
		msg += fmt.Sprintf(" (%d row-wise iterations in this notebook", len(its))
		switch len(cells) {
		case 0:
		case 1:
			msg += "; also in cell " + cells[0]
		default:
			msg += "; also in cells " + strings.Join(cells, ", ")
		}
		msg += ")"
	}
	kinds := []string{}
	for _, it := range its {
		if !reproContains(kinds, it.Kind) {
			kinds = append(kinds, it.Kind)
		}
	}
	p.Report(analyze.Finding{Cell: first.Cell, Line: first.Pos.Line, Column: first.Pos.Col, EndLine: first.End.Line, EndColumn: first.End.Col,
		Message: msg,
		Fix:     "vectorise: use column expressions, np.where, merge/groupby, or .map on a Series instead of per-row Python",
		Key:     "row-wise:" + strings.Join(kinds, ","), Related: related,
		Data: map[string]any{"count": len(its), "kinds": kinds}})
}
