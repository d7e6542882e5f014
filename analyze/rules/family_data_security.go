package rules

import "github.com/nbprod/nbprod/analyze"

// dataAccessAndSecurityRules are the NB3xx data-access and path rules, NB4xx secrets and security rules, and NB705.
func dataAccessAndSecurityRules() []*analyze.Rule {
	return []*analyze.Rule{}
}
