package rules

import "github.com/nbprod/nbprod/analyze"

// SuppressionWithoutReason is reported by the engine for a comment or
// metadata suppression that gives no reason.
var SuppressionWithoutReason = &analyze.Rule{
	ID:       "NB004",
	Name:     "suppression-without-reason",
	Category: analyze.CatNbprod,
	Severity: analyze.Warning,
	Doc:      doc("NB004"),
	Run:      engineReported,
}
