package rules

import "github.com/nbprod/nbprod/analyze"

// environmentStructureAndHygieneRules are the NB203, NB6xx environment, NB706, NB8xx code-structure (but NB805) and NB9xx hygiene rules.
func environmentStructureAndHygieneRules() []*analyze.Rule {
	return []*analyze.Rule{}
}
