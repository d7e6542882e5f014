package rules

import (
	"fmt"

	"github.com/nbprod/nbprod/analyze"
)

// FunctionReadsNotebookGlobal reports notebook functions whose bodies read
// notebook globals, with the signature that makes them pure. Warning when
// a global is a computed value (data), info when all are literal constants.
var FunctionReadsNotebookGlobal = &analyze.Rule{
	ID:       "NB806",
	Name:     "function-reads-notebook-global",
	Category: analyze.CatCodeStructure,
	Severity: analyze.Warning,
	Doc:      doc("NB806"),
	Run:      runFunctionReadsNotebookGlobal,
}

func runFunctionReadsNotebookGlobal(p *analyze.Pass) {
	for _, r := range p.Facts.GlobalReaders() {
		f := analyze.Finding{Cell: r.Cell, Line: r.Line, Column: r.Col, EndLine: r.EndLine, EndColumn: r.EndCol,
			Key: "def " + r.Name,
			Fix: fmt.Sprintf("pass them as parameters: `%s` (and update the calls)", r.NewSignature),
			Data: map[string]any{"function": r.Name, "globals": r.Globals, "data": r.Data, "writes": r.Writes,
				"signature": r.Signature, "new_signature": r.NewSignature}}
		if len(r.Data) == 0 {
			f.Severity = analyze.Info
			f.Message = fmt.Sprintf("`%s()` reads the notebook constant%s %s: make %s (or config) so the function can be reused",
				r.Name, pluralS(len(r.Globals)), quoteNames(r.Globals), plural(len(r.Globals), "it a parameter", "them parameters"))
		} else {
			f.Message = fmt.Sprintf("`%s()` reads notebook global%s %s: its result depends on whatever %s when it is called",
				r.Name, pluralS(len(r.Globals)), quoteNames(r.Globals), plural(len(r.Globals), "it holds", "they hold"))
		}
		if len(r.Writes) > 0 {
			f.Message += fmt.Sprintf("; it also assigns the global%s %s (return the new value instead)", pluralS(len(r.Writes)), quoteNames(r.Writes))
		}
		p.Report(f)
	}
}

func pluralS(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
