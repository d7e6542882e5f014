// Package diff renders an nbdiff.Result: text (a unified diff per cell,
// coloured with lipgloss on a terminal), a versioned JSON document, and
// Markdown for a pull-request comment. Renderers are pure functions of the
// result and the options, writing to an io.Writer; the output is
// deterministic.
package diff

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/nbdiff"
	"github.com/nbprod/nbprod/emit/report"
	"github.com/nbprod/nbprod/notebook"
)

// Options control rendering.
type Options struct {
	// Color turns on lipgloss colours in text output.
	Color bool
	// ShowInfo lists info-level findings in text output (otherwise they
	// are counted).
	ShowInfo bool
	// ToolVersion is written to the JSON document.
	ToolVersion string
}

// Formats lists the accepted --format values of nbprod diff.
var Formats = []string{"text", "json", "markdown"}

// Write renders r in the named format.
func Write(w io.Writer, format string, r *nbdiff.Result, opts Options) error {
	if r == nil {
		r = &nbdiff.Result{}
	}
	switch format {
	case "text":
		return Text(w, r, opts)
	case "json":
		return JSON(w, r, opts)
	case "markdown":
		return Markdown(w, r, opts)
	}
	return fmt.Errorf("unknown diff format %q (want %s)", format, strings.Join(Formats, ", "))
}

// severities lists the severities from the highest down.
var severities = []analyze.Severity{analyze.Blocker, analyze.Warning, analyze.Info}

func kindName(k notebook.CellKind) string {
	if k == 0 {
		return "cell"
	}
	return k.String()
}

// cellTitle is "cell 5", or "old cell 4" for a deleted cell (1-based).
func cellTitle(c *nbdiff.CellChange) string {
	if c.New < 0 {
		return "old cell " + strconv.Itoa(c.Old+1)
	}
	return "cell " + strconv.Itoa(c.New+1)
}

// cellWhat describes what happened after the title: "modified (was cell
// 3)", "moved from cell 3 to cell 5, modified", "added", "deleted", with
// the kind change when there is one.
func cellWhat(c *nbdiff.CellChange) string {
	var s string
	switch c.Status {
	case nbdiff.Moved:
		s = "moved from cell " + strconv.Itoa(c.Old+1) + " to cell " + strconv.Itoa(c.New+1)
		if c.Old == c.New {
			// its neighbours moved around it
			s = "moved (still cell " + strconv.Itoa(c.New+1) + ")"
		}
		if c.Modified {
			s += ", modified"
		}
	case nbdiff.Modified:
		s = "modified"
		if c.Old != c.New {
			s += " (was cell " + strconv.Itoa(c.Old+1) + ")"
		}
	default:
		s = string(c.Status)
	}
	if c.Old >= 0 && c.New >= 0 && c.OldKind != c.Kind && c.OldKind != 0 {
		s += "; " + kindName(c.OldKind) + " → " + kindName(c.Kind)
	}
	return s
}

// hunkHeader is "@@ -1,3 +1,4 @@".
func hunkHeader(h nbdiff.Hunk) string {
	return "@@ -" + strconv.Itoa(h.OldStart) + "," + strconv.Itoa(h.OldLines) +
		" +" + strconv.Itoa(h.NewStart) + "," + strconv.Itoa(h.NewLines) + " @@"
}

func opMark(op nbdiff.Op) string {
	switch op {
	case nbdiff.Delete:
		return "-"
	case nbdiff.Insert:
		return "+"
	}
	return " "
}

func countText(n *int) string {
	if n == nil {
		return "none"
	}
	return strconv.Itoa(*n)
}

// plural formats "1 cell", "2 cells".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func joinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// cellSummary is "2 cells modified, 1 moved, 1 added and 1 deleted" or
// "no cell changed".
func cellSummary(r *nbdiff.Result) string {
	counts := r.Counts()
	var parts []string
	for _, st := range []nbdiff.Status{nbdiff.Modified, nbdiff.Moved, nbdiff.Added, nbdiff.Deleted} {
		if n := counts[st]; n > 0 {
			if len(parts) == 0 {
				parts = append(parts, plural(n, "cell", "cells")+" "+string(st))
			} else {
				parts = append(parts, strconv.Itoa(n)+" "+string(st))
			}
		}
	}
	if len(parts) == 0 {
		s := "no cell changed"
		if len(r.NotebookMetadata) > 0 {
			s += " (notebook metadata changed)"
		}
		return s
	}
	return joinAnd(parts)
}

// severityCounts is "1 blocker, 2 warnings" for findings ("" for none).
func severityCounts(fs []analyze.Finding) string {
	m := map[analyze.Severity]int{}
	for i := range fs {
		m[fs[i].Severity]++
	}
	var parts []string
	for _, s := range severities {
		if n := m[s]; n > 0 {
			switch s {
			case analyze.Blocker:
				parts = append(parts, plural(n, "blocker", "blockers"))
			case analyze.Warning:
				parts = append(parts, plural(n, "warning", "warnings"))
			default:
				parts = append(parts, strconv.Itoa(n)+" info")
			}
		}
	}
	return strings.Join(parts, ", ")
}

// findingSummary is "1 finding introduced (1 blocker), 2 fixed (2
// warnings), 3 unchanged", or "" when findings were not compared.
func findingSummary(r *nbdiff.Result) string {
	if !r.Checked {
		return ""
	}
	intro := plural(len(r.Introduced), "finding", "findings") + " introduced"
	if len(r.Introduced) == 0 {
		intro = "no finding introduced"
	}
	if s := severityCounts(r.Introduced); s != "" {
		intro += " (" + s + ")"
	}
	fixed := strconv.Itoa(len(r.Fixed)) + " fixed"
	if s := severityCounts(r.Fixed); s != "" {
		fixed += " (" + s + ")"
	}
	return intro + ", " + fixed + ", " + strconv.Itoa(r.Unchanged) + " unchanged"
}

// summarySentence closes the text and Markdown reports.
func summarySentence(r *nbdiff.Result) string {
	s := cellSummary(r)
	s = strings.ToUpper(s[:1]) + s[1:]
	if f := findingSummary(r); f != "" {
		s += "; " + f
	}
	return s + "."
}

// location is "cell 5:2:20" (new notebook) or "old cell 5:2:20" for a
// fixed finding, "notebook" at notebook level.
func location(f *analyze.Finding, old bool) string {
	if f.Cell < 0 {
		return "notebook"
	}
	return oldPrefix(old) + report.CellLocation(f)
}

func oldPrefix(old bool) string {
	if old {
		return "old "
	}
	return ""
}

// sorted returns a sorted copy of findings (analyze.SortFindings order,
// ties by fingerprint), so the input order never shows.
func sorted(fs []analyze.Finding) []analyze.Finding {
	out := append([]analyze.Finding(nil), fs...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Fingerprint < out[j].Fingerprint })
	analyze.SortFindings(out)
	return out
}

// shown reports whether a cell appears in the text and Markdown reports.
func shown(c *nbdiff.CellChange) bool { return c.Status != nbdiff.Unchanged }
