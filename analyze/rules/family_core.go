package rules

import "github.com/nbprod/nbprod/analyze"

// coreRules are nbprod's own findings (NB0xx, CONTRACT.md §3).
func coreRules() []*analyze.Rule {
	return []*analyze.Rule{
		UnreadableNotebook,
		NonPythonNotebook,
		UnusedSuppression,
		SuppressionWithoutReason,
	}
}
