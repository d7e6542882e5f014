package rules

import "github.com/nbprod/nbprod/analyze"

// NonPythonNotebook is reported by the engine for notebooks whose kernel
// language is not Python; they are not analysed.
var NonPythonNotebook = &analyze.Rule{
	ID:       "NB002",
	Name:     "non-python-notebook",
	Category: analyze.CatNbprod,
	Severity: analyze.Info,
	Doc:      doc("NB002"),
	Run:      engineReported,
}
