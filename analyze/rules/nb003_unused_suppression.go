package rules

import "github.com/nbprod/nbprod/analyze"

// UnusedSuppression is reported by the engine for a suppression that
// suppresses nothing (ruff's RUF100).
var UnusedSuppression = &analyze.Rule{
	ID:       "NB003",
	Name:     "unused-suppression",
	Category: analyze.CatNbprod,
	Severity: analyze.Warning,
	Doc:      doc("NB003"),
	Run:      engineReported,
}
