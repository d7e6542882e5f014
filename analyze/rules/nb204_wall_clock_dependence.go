package rules

import (
	"fmt"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
)

// WallClockDependence reports wall-clock values that flow into filters,
// slices, queries, file names, model inputs or data requests (RULES.md
// NB204). Timing code never reaches such a sink.
var WallClockDependence = &analyze.Rule{
	ID:       "NB204",
	Name:     "wall-clock-dependence",
	Category: analyze.CatReproducible,
	Severity: analyze.Warning,
	Doc:      doc("NB204"),
	Run:      runWallClockDependence,
}

var clockSinkText = map[string]string{
	facts.SinkComparison:  "is compared with data here: what passes the test changes with the day the notebook runs",
	facts.SinkSlice:       "bounds a slice here: the rows selected change with the run date",
	facts.SinkIndex:       "is used as a label or key here: what is looked up changes with the run date",
	facts.SinkQuery:       "goes into a query here: the data queried changes with the run date",
	facts.SinkFileRead:    "names a file that is read here: each day reads a different file",
	facts.SinkFileWrite:   "names an output written here: each run writes a new name (fine for versioned outputs, but later steps cannot find it)",
	facts.SinkModelInput:  "is a model input here: predictions change with the run date",
	facts.SinkDataColumn:  "is combined with data into a column here: the features change from day to day",
	facts.SinkDataRequest: "sets the date range of a data request here: the data fetched changes with the run date",
}

func runWallClockDependence(p *analyze.Pass) {
	wc := p.Facts.WallClock()
	type key struct{ cell, src int }
	groups := map[key][]*facts.ClockSink{}
	var order []key
	for i := range wc.Sinks {
		s := &wc.Sinks[i]
		k := key{s.Cell, s.Source}
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], s)
	}
	for _, k := range order {
		sinks := groups[k]
		// Report the most serious sink: anything but a written file name.
		s := sinks[0]
		onlyWrites := true
		for _, x := range sinks {
			if x.Kind != facts.SinkFileWrite {
				if onlyWrites {
					s = x
				}
				onlyWrites = false
			}
		}
		src := &wc.Sources[s.Source]
		what := src.Func + "()"
		if strings.HasSuffix(src.Func, ")") {
			what = src.Func
		}
		if len(s.Via) > 0 {
			what = fmt.Sprintf("`%s` (from %s", s.Via[len(s.Via)-1], what)
			if src.Call.Cell.Index != s.Cell {
				what += fmt.Sprintf(" in cell %d", src.Call.Cell.Index+1)
			}
			what += ")"
		} else if src.Call.Cell.Index != s.Cell {
			what += fmt.Sprintf(" (cell %d)", src.Call.Cell.Index+1)
		}
		kinds := []string{}
		seen := map[string]bool{}
		for _, x := range sinks {
			if !seen[x.Kind] {
				seen[x.Kind] = true
				kinds = append(kinds, x.Kind)
			}
		}
		more := ""
		if len(sinks) > 1 {
			more = fmt.Sprintf(" (%d uses in this cell)", len(sinks))
		}
		f := analyze.Finding{Cell: s.Cell, Line: s.Pos.Line, Column: s.Pos.Col, EndLine: s.End.Line, EndColumn: s.End.Col,
			Message: fmt.Sprintf("the run time %s %s%s", what, clockSinkText[s.Kind], more),
			Fix:     "take the reference date as a parameter (`as_of`) instead of reading the clock; the emitter adds an `as_of` parameter that defaults to the run time and can be fixed for re-runs",
			Key:     "clock:" + src.Func + ":" + strings.Join(kinds, ","),
			Data: map[string]any{"source": src.Func, "source_cell": src.Call.Cell.Index, "name": src.Name,
				"sinks": kinds, "via": s.Via}}
		if onlyWrites {
			f.Severity = analyze.Info
		}
		p.Report(f)
	}
}
