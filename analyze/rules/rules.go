// Package rules holds nbprod's production-blocker rules: one file per rule,
// each an *analyze.Rule value with its documentation embedded from
// docs/<ID>.md, and the explicit, sorted registry All.
package rules

import (
	"embed"
	"fmt"

	"github.com/nbprod/nbprod/analyze"
)

//go:embed docs/*.md
var docsFS embed.FS

// doc loads a rule's embedded documentation. A missing file is a
// programming error that TestRegistry catches.
func doc(id string) analyze.Doc {
	b, err := docsFS.ReadFile("docs/" + id + ".md")
	if err != nil {
		panic(fmt.Sprintf("rules: no docs/%s.md", id))
	}
	return analyze.ParseDoc(string(b))
}

// All returns every rule, sorted by ID. Adding a rule means adding its file,
// its docs and one line here; TestRegistry fails when a rule file's value is
// missing from this list.
func All() []*analyze.Rule {
	return []*analyze.Rule{
		UnreadableNotebook,
		NonPythonNotebook,
		UnusedSuppression,
		SuppressionWithoutReason,
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

// engineReported is the Run of rules whose findings the engine itself
// produces (reading errors, languages, suppressions).
func engineReported(*analyze.Pass) {}
