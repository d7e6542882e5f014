package report

import (
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/nbprod/nbprod/analyze"
)

// Options control formatting.
type Options struct {
	// Color turns on lipgloss colours and styles in text output. False gives
	// plain text (piped output, NO_COLOR, tests).
	Color bool
	// ShowInfo lists info-level findings in text output; otherwise they are
	// counted and hidden.
	ShowInfo bool
	// ToolVersion is the nbprod version written to JSON and SARIF.
	ToolVersion string
	// Statistics prints a per-rule count table (ruff's --statistics)
	// instead of the findings in text output.
	Statistics bool
}

// Formats lists the accepted --format values.
var Formats = []string{"text", "json", "sarif", "markdown", "github"}

// Write renders res in the named format. It feeds the collected Result
// through the format's Stream, so the bytes are the same as a streamed run
// gives; nothing is written when it fails.
func Write(w io.Writer, format string, res *analyze.Result, opts Options) error {
	return writeResult(w, format, res, opts)
}

const (
	toolName = "nbprod"
	toolURI  = "https://github.com/nbprod/nbprod"
)

// RuleDocURL is the documentation page of a rule (SARIF helpUri, Markdown
// links); the ID is percent-encoded, so any ID gives a usable link.
func RuleDocURL(id string) string {
	return toolURI + "/blob/main/analyze/rules/docs/" + encodeURIPath(id, true) + ".md"
}

// view is the sorted, read-only material every formatter works from. It
// never aliases the caller's slices.
type view struct {
	res       *analyze.Result
	findings  []analyze.Finding
	notebooks []analyze.NotebookResult
	errors    []analyze.InternalError
	sum       analyze.Summary
}

func newView(res *analyze.Result) *view {
	if res == nil {
		res = &analyze.Result{}
	}
	v := &view{res: res}
	v.findings = sortedFindings(res.Findings)
	v.notebooks = append([]analyze.NotebookResult(nil), res.Notebooks...)
	sort.SliceStable(v.notebooks, func(i, j int) bool { return v.notebooks[i].Path < v.notebooks[j].Path })
	v.errors = append([]analyze.InternalError(nil), res.Errors...)
	sort.SliceStable(v.errors, func(i, j int) bool {
		a, b := v.errors[i], v.errors[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Msg < b.Msg
	})
	sumRes := analyze.Result{Notebooks: v.notebooks, Findings: v.findings}
	v.sum = sumRes.Summarize()
	return v
}

// sortedFindings returns a sorted copy: analyze.SortFindings order, with
// findings that tie there ordered by fingerprint, severity and end position
// so that the input order never shows in the output.
func sortedFindings(in []analyze.Finding) []analyze.Finding {
	fs := append([]analyze.Finding(nil), in...)
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := &fs[i], &fs[j]
		if a.Fingerprint != b.Fingerprint {
			return a.Fingerprint < b.Fingerprint
		}
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		if a.EndLine != b.EndLine {
			return a.EndLine < b.EndLine
		}
		if a.EndColumn != b.EndColumn {
			return a.EndColumn < b.EndColumn
		}
		if a.Suppressed != b.Suppressed {
			return !a.Suppressed
		}
		return !a.Baselined && b.Baselined
	})
	analyze.SortFindings(fs)
	return fs
}

// notebookGroup is the findings of one notebook path, in order.
type notebookGroup struct {
	path     string
	nb       *analyze.NotebookResult // nil when no notebook result has this path
	findings []*analyze.Finding
}

// severities lists the severities from the highest down.
var severities = []analyze.Severity{analyze.Blocker, analyze.Warning, analyze.Info}

// ruleSeverity is a rule's effective default severity.
func ruleSeverity(sev map[string]analyze.Severity, r *analyze.Rule) analyze.Severity {
	if s, ok := sev[r.ID]; ok && s >= analyze.Info && s <= analyze.Blocker {
		return s
	}
	return r.Severity
}

// hasCell reports whether f is located in a cell (not notebook level).
func hasCell(f *analyze.Finding) bool { return f.Cell >= 0 }

// CellLocation is the text-report location after the path: "cell 5:2:20",
// "cell 5:2", "cell 5", "cell 5:output 1:3", or "" at notebook level (the
// diff formatters use it too).
func CellLocation(f *analyze.Finding) string {
	if !hasCell(f) {
		return ""
	}
	var b strings.Builder
	b.WriteString("cell ")
	b.WriteString(strconv.Itoa(f.Cell + 1))
	switch {
	case f.Output != nil:
		b.WriteString(":output ")
		b.WriteString(strconv.Itoa(f.Output.Index + 1))
		if f.Output.Line > 0 {
			b.WriteString(":" + strconv.Itoa(f.Output.Line))
		}
	case f.Line > 0:
		b.WriteString(":" + strconv.Itoa(f.Line))
		if f.Column > 0 {
			b.WriteString(":" + strconv.Itoa(f.Column))
		}
	}
	return b.String()
}

// ProseLocation is the location in words, for Markdown: "cell 5, line 2,
// col 20", "cell 5, output 1, line 3", "notebook" (the diff formatters use
// it too).
func ProseLocation(f *analyze.Finding) string {
	if !hasCell(f) {
		return "notebook"
	}
	s := "cell " + strconv.Itoa(f.Cell+1)
	switch {
	case f.Output != nil:
		s += ", output " + strconv.Itoa(f.Output.Index+1)
		if f.Output.Line > 0 {
			s += ", line " + strconv.Itoa(f.Output.Line)
		}
	case f.Line > 0:
		s += ", line " + strconv.Itoa(f.Line)
		if f.Column > 0 {
			s += ", col " + strconv.Itoa(f.Column)
		}
	}
	return s
}

// relatedLocation is "cell 3:4:1", "cell 3" or "notebook".
func relatedLocation(r analyze.Related) string {
	if r.Cell < 0 {
		return "notebook"
	}
	s := "cell " + strconv.Itoa(r.Cell+1)
	if r.Line > 0 {
		s += ":" + strconv.Itoa(r.Line)
		if r.Column > 0 {
			s += ":" + strconv.Itoa(r.Column)
		}
	}
	return s
}

// plural formats "1 blocker", "2 blockers".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func severityCount(s analyze.Severity, n int) string {
	switch s {
	case analyze.Blocker:
		return plural(n, "blocker", "blockers")
	case analyze.Warning:
		return plural(n, "warning", "warnings")
	default:
		return plural(n, "info finding", "info findings")
	}
}

// joinAnd joins "a", "a and b", "a, b and c".
func joinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// summarySentence is the closing line of the text and Markdown reports:
// "Found 1 blocker, 4 warnings and 9 info findings in 2 notebooks (3
// suppressed, 1 baselined)." or "No findings in 5 notebooks.".
func summarySentence(s analyze.Summary) string {
	var parts []string
	for _, sev := range severities {
		if n := s.BySeverity[sev]; n > 0 {
			parts = append(parts, severityCount(sev, n))
		}
	}
	nbs := plural(s.Notebooks, "notebook", "notebooks")
	var line string
	if len(parts) == 0 {
		line = "No findings in " + nbs
	} else {
		line = "Found " + joinAnd(parts) + " in " + nbs
	}
	var extra []string
	if s.Suppressed > 0 {
		extra = append(extra, strconv.Itoa(s.Suppressed)+" suppressed")
	}
	if s.Baselined > 0 {
		extra = append(extra, strconv.Itoa(s.Baselined)+" baselined")
	}
	if len(extra) > 0 {
		line += " (" + strings.Join(extra, ", ") + ")"
	}
	return line + "."
}

// showsSnippet reports whether the text report may print f.Snippet. Secret
// and personal-data findings never show their source line, even though the
// engine redacts it: the line is where the value is.
func showsSnippet(f *analyze.Finding) bool {
	if f.Snippet == "" || !hasCell(f) || f.Output != nil || f.Line <= 0 {
		return false
	}
	return f.Category != analyze.CatSecurity && f.Category != analyze.CatPersonalData
}

// sortedCategories sorts categories in ID order, unknown ones last by name.
func sortedCategories(m map[analyze.Category]map[analyze.Severity]int) []analyze.Category {
	rank := map[analyze.Category]int{}
	for i, c := range analyze.Categories {
		rank[c] = i
	}
	cats := make([]analyze.Category, 0, len(m))
	for c := range m {
		cats = append(cats, c)
	}
	sort.Slice(cats, func(i, j int) bool {
		ri, oki := rank[cats[i]]
		rj, okj := rank[cats[j]]
		switch {
		case oki && okj:
			return ri < rj
		case oki != okj:
			return oki
		}
		return cats[i] < cats[j]
	})
	return cats
}
