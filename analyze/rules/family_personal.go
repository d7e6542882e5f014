package rules

import "github.com/nbprod/nbprod/analyze"

// personalDataRules are the NB5xx personal-data rules.
func personalDataRules() []*analyze.Rule {
	return []*analyze.Rule{}
}
