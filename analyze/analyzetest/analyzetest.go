// Package analyzetest builds notebooks from short text fixtures and runs
// rules on them, for rule tests and for the examples in rule docs.
//
// A fixture is a percent-format script whose cell markers may carry an
// execution count: "# %% In[3]" (count 3) or "# %% In[ ]" (never run).
// Markers without a count leave the count empty; a fixture with no In[...]
// marker at all is read as a percent script (no counts). Cell tags go after the
// count: "# %% In[2] tags=[\"skip-execution\"]".
package analyzetest

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/notebook"
)

var countRe = regexp.MustCompile(`^In\[\s*(\d*)\s*\]`)

// Notebook builds an nbformat-4 notebook from a fixture.
func Notebook(src string) (*notebook.Notebook, error) {
	nb, err := notebook.ReadPercent("fixture.ipynb", []byte(src))
	if err != nil {
		return nil, err
	}
	// A fixture whose markers carry no In[...] at all stays a percent
	// script (no execution counts, CONTRACT.md §7).
	hasCounts := false
	for i := range nb.Cells {
		if countRe.MatchString(nb.Cells[i].Title) {
			hasCounts = true
		}
	}
	if hasCounts {
		nb.Format = notebook.FormatIPYNB
	}
	for i := range nb.Cells {
		c := &nb.Cells[i]
		if m := countRe.FindStringSubmatch(c.Title); m != nil {
			c.Title = strings.TrimSpace(c.Title[len(m[0]):])
			if m[1] != "" {
				n, _ := strconv.Atoi(m[1])
				c.ExecCount = &n
			}
		}
	}
	return nb, nil
}

// DocNotebook builds the notebook of a rule doc's code block: JSON blocks
// are nbformat documents, python blocks are fixtures.
func DocNotebook(lang, code string) (*notebook.Notebook, error) {
	if lang == "json" {
		return notebook.ReadIPYNB("example.ipynb", bytes.NewReader([]byte(code)))
	}
	return Notebook(code)
}

// Settings enables the given rules (all rules when ids is empty).
func Settings(t testing.TB, all []*analyze.Rule, ids ...string) *analyze.Settings {
	t.Helper()
	cfg := &analyze.Config{}
	var sel []string
	if len(ids) > 0 {
		sel = ids
	}
	s, err := cfg.Resolve(all, analyze.Overrides{Select: sel})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Run checks a fixture with the given rules enabled and returns the
// findings of those rules only.
func Run(t testing.TB, all []*analyze.Rule, src string, ids ...string) []analyze.Finding {
	t.Helper()
	nb, err := Notebook(src)
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return RunNotebook(t, all, nb, ids...)
}

// RunAll checks a notebook with every rule enabled and returns the findings
// of the given rules.
func RunAll(t testing.TB, all []*analyze.Rule, nb *notebook.Notebook, ids ...string) []analyze.Finding {
	t.Helper()
	var out []analyze.Finding
	for _, f := range analyze.CheckNotebook(nb, Settings(t, all)) {
		if len(ids) == 0 || matches(f.Rule, ids) {
			out = append(out, f)
		}
	}
	return out
}

// RunNotebook checks a notebook with the given rules enabled.
func RunNotebook(t testing.TB, all []*analyze.Rule, nb *notebook.Notebook, ids ...string) []analyze.Finding {
	t.Helper()
	fs := analyze.CheckNotebook(nb, Settings(t, all, ids...))
	var out []analyze.Finding
	for _, f := range fs {
		if len(ids) == 0 || matches(f.Rule, ids) {
			out = append(out, f)
		}
	}
	return out
}

func matches(rule string, ids []string) bool {
	for _, id := range ids {
		if strings.HasPrefix(rule, id) {
			return true
		}
	}
	return false
}

// Want is an expected finding: rule, 1-based cell number (0 for a
// notebook-level finding), line (0: any), severity ("" = any) and a
// message substring.
type Want struct {
	Rule     string
	Cell     int
	Line     int
	Severity string
	Msg      string
}

// Expect checks that the findings are exactly the wanted ones (each want
// matches one finding; no finding is left over).
func Expect(t testing.TB, got []analyze.Finding, want ...Want) {
	t.Helper()
	used := make([]bool, len(got))
	for _, w := range want {
		found := false
		for i, f := range got {
			if used[i] || f.Rule != w.Rule || f.Cell != w.Cell-1 {
				continue
			}
			if w.Line != 0 && f.Line != w.Line {
				continue
			}
			if w.Severity != "" && f.Severity.String() != w.Severity {
				continue
			}
			if !strings.Contains(f.Message, w.Msg) {
				continue
			}
			used[i] = true
			found = true
			break
		}
		if !found {
			t.Errorf("missing finding %s cell %d line %d %s %q\n got:\n%s", w.Rule, w.Cell, w.Line, w.Severity, w.Msg, Describe(got))
		}
	}
	for i, f := range got {
		if !used[i] {
			t.Errorf("unexpected finding: %s", describe(f))
		}
	}
}

// Describe renders findings one per line for test failure messages.
func Describe(fs []analyze.Finding) string {
	lines := make([]string, len(fs))
	for i, f := range fs {
		lines[i] = "  " + describe(f)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func describe(f analyze.Finding) string {
	return fmt.Sprintf("%s cell %d line %d [%s] %s", f.Rule, f.Cell+1, f.Line, f.Severity, f.Message)
}
