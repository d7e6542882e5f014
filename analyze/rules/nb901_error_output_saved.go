package rules

import (
	"fmt"
	"strings"

	"github.com/nbprod/nbprod/analyze"
)

// ErrorOutputSaved reports cells saved with an error output (or a Python
// traceback on stderr). Cells tagged raises-exception are skipped; with
// notebook metadata nbsphinx.allow_errors the finding is info.
var ErrorOutputSaved = &analyze.Rule{
	ID:       "NB901",
	Name:     "error-output-saved",
	Category: analyze.CatHygiene,
	Severity: analyze.Warning,
	Doc:      doc("NB901"),
	Run:      runErrorOutputSaved,
}

func runErrorOutputSaved(p *analyze.Pass) {
	nb := p.Notebook
	allow := nb.Metadata.Get("nbsphinx", "allow_errors").Truthy()
	for ci := range nb.Cells {
		c := &nb.Cells[ci]
		if len(c.Outputs) == 0 || c.HasTag("raises-exception") {
			continue
		}
		for oi := range c.Outputs {
			o := &c.Outputs[oi]
			ename, mime, line := "", "", 0
			switch {
			case o.Type == "error":
				ename, mime = o.EName, "error"
				if ename == "" {
					ename = "an exception"
				}
			case o.Type == "stream" && o.StreamName == "stderr":
				text, ok := o.Text("stream")
				if !ok {
					continue
				}
				i := strings.Index(text, "Traceback (most recent call last)")
				if i < 0 {
					continue
				}
				ename, mime = tracebackName(text[i:]), "stream"
				line = strings.Count(text[:i], "\n") + 1
			default:
				continue
			}
			f := analyze.Finding{Cell: ci, Output: &analyze.OutputRef{Index: oi, MIME: mime, Line: line}, Key: "error:" + ename,
				Message: fmt.Sprintf("the cell was saved with an error output (%s): the notebook did not run cleanly, and its later outputs may not come from this code", ename),
				Fix:     "fix the cell and re-run the notebook from the top (or tag the cell raises-exception if the error is the point)",
				Data:    map[string]any{"ename": ename}}
			if allow {
				f.Severity = analyze.Info
				f.Message += " (nbsphinx.allow_errors is set)"
			}
			p.Report(f)
			break
		}
	}
}

// tracebackName finds the exception name on the last line of a traceback
// ("ValueError: …" → "ValueError").
func tracebackName(tb string) string {
	lines := strings.Split(strings.TrimRight(tb, "\n"), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if l == "" || strings.HasPrefix(l, "File ") || strings.HasPrefix(l, "^") {
			continue
		}
		name, _, _ := strings.Cut(l, ":")
		if name != "" && !strings.ContainsAny(name, " ()'\"") {
			return name
		}
		break
	}
	return "a traceback on stderr"
}
