package rules

import "github.com/nbprod/nbprod/analyze"

// UnreadableNotebook is reported by the engine when a file cannot be read as
// a notebook, and (as a warning) for problems that did not stop reading.
var UnreadableNotebook = &analyze.Rule{
	ID:       "NB001",
	Name:     "unreadable-notebook",
	Category: analyze.CatNbprod,
	Severity: analyze.Blocker,
	Doc:      doc("NB001"),
	Run:      engineReported,
}
