package rules

import (
	"fmt"
	"strings"

	"github.com/nbprod/nbprod/analyze"
)

// ModelLoadInLoop reports model and artefact loads that run once per loop
// iteration or per row (RULES.md NB702).
var ModelLoadInLoop = &analyze.Rule{
	ID:       "NB702",
	Name:     "model-load-in-loop",
	Category: analyze.CatCost,
	Severity: analyze.Warning,
	Doc:      doc("NB702"),
	Run:      runModelLoadInLoop,
}

func runModelLoadInLoop(p *analyze.Pass) {
	for _, ml := range p.Facts.ModelLoads() {
		if !ml.Row.PerRow {
			continue
		}
		cs := ml.Call
		what := cs.Callee
		if what == "" {
			what = "." + cs.Method
		}
		if ml.Target != "" {
			what += fmt.Sprintf("(%q)", ml.Target)
		} else {
			what += "(…)"
		}
		where := map[string]string{"for": "a for loop", "while": "a while loop", "comprehension": "a comprehension",
			"apply": "a function applied to each element"}[ml.Row.Kind]
		if ml.Row.Cell != cs.Cell.Index {
			where += fmt.Sprintf(" in cell %d", ml.Row.Cell+1)
		}
		if len(ml.Row.Via) > 0 {
			where += " via " + strings.Join(ml.Row.Via, "() → ") + "()"
		}
		f := analyze.Finding{Cell: cs.Cell.Index, Line: cs.Pos.Line, Column: cs.Pos.Col, EndLine: cs.End.Line, EndColumn: cs.End.Col,
			Message: fmt.Sprintf("%s runs once per iteration of %s: the model is read and deserialised again for every row", what, where),
			Fix:     "load the model once, before the loop, and reuse it; the emitter hoists the load into a cached module-level load_model() (the serving init)",
			Key:     "model-load:" + ml.Loader,
			Data:    map[string]any{"loader": ml.Loader, "target": ml.Target, "context": ml.Row.Kind, "via": ml.Row.Via}}
		if ml.Row.Fixed {
			f.Severity = analyze.Info
			f.Message = fmt.Sprintf("%s runs once per item of a fixed list in %s (an ensemble or a model per segment?): fine if each model is loaded once, but keep loads out of per-row code", what, where)
		}
		p.Report(f)
	}
}
