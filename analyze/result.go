package analyze

import "sort"

// Result is the outcome of checking a set of notebooks. Formatters in
// emit/report turn it into text, JSON, SARIF, Markdown or GitHub
// annotations.
type Result struct {
	Notebooks []NotebookResult // sorted by path
	Findings  []Finding        // sorted (SortFindings), suppressed and baselined included
	Rules     []*Rule          // the enabled rules, sorted by ID
	// Severity is the effective severity of each enabled rule (config
	// overrides applied), keyed by rule ID.
	Severity map[string]Severity
	// Errors are internal errors (recovered panics), each naming its file.
	Errors []InternalError
}

// NotebookResult summarises one checked notebook.
type NotebookResult struct {
	Path       string
	Cells      int
	CodeCells  int
	Language   string
	Unreadable bool
	// Score is the production-readiness score (0–100, see Score).
	Score int
	// Counts of active findings by severity; ByCategory[cat][severity].
	Counts     map[Severity]int
	ByCategory map[Category]map[Severity]int
}

// InternalError is a bug in nbprod caught while checking one file.
type InternalError struct {
	Path string
	Msg  string
}

// Summary aggregates the active findings of a result.
type Summary struct {
	Notebooks  int
	Findings   int // active
	Suppressed int
	Baselined  int
	BySeverity map[Severity]int
	ByRule     map[string]int
}

// Summarize counts active, suppressed and baselined findings.
func (r *Result) Summarize() Summary {
	s := Summary{Notebooks: len(r.Notebooks), BySeverity: map[Severity]int{}, ByRule: map[string]int{}}
	for i := range r.Findings {
		f := &r.Findings[i]
		switch {
		case f.Suppressed:
			s.Suppressed++
		case f.Baselined:
			s.Baselined++
		default:
			s.Findings++
			s.BySeverity[f.Severity]++
			s.ByRule[f.Rule]++
		}
	}
	return s
}

// RuleByID returns the enabled rule with that ID, or nil.
func (r *Result) RuleByID(id string) *Rule {
	i := sort.Search(len(r.Rules), func(i int) bool { return r.Rules[i].ID >= id })
	if i < len(r.Rules) && r.Rules[i].ID == id {
		return r.Rules[i]
	}
	return nil
}

// Failing reports whether any active finding is at or above failOn. A zero
// failOn ("never") never fails.
func (r *Result) Failing(failOn Severity) bool {
	if failOn == 0 {
		return false
	}
	for i := range r.Findings {
		if r.Findings[i].Active() && r.Findings[i].Severity >= failOn {
			return true
		}
	}
	return false
}
