package rules

import "github.com/nbprod/nbprod/analyze"

// hiddenStateRules are the NB1xx rules (RULES.md §1.1, §3) and NB805, the
// syntax blocker issue 3 brings in early.
func hiddenStateRules() []*analyze.Rule {
	return []*analyze.Rule{
		NonLinearExecution,
		ForwardReference,
		UndefinedName,
		StaleDependency,
		UnexecutedCells,
		DuplicateExecutionCount,
		ExecutionCountGap,
		NonIdempotentCell,
		StaleOutputEvidence,
		InvalidPythonSyntax,
	}
}
