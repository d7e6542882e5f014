package analyzetest

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/notebook"
)

// Expectation comments in fixture notebooks (go/analysis's "// want"
// contract: missing and unexpected findings both fail):
//
//	df = pd.read_csv("/home/a/x.csv")  # want NB301
//	x = 1  # want NB108[info] NB303[blocker]
//	# want-cell NB403        (a finding anywhere in this cell, e.g. in an output)
//	# want-notebook NB905    (a notebook-level finding)
//
// A "# want" comment expects a finding of each listed rule starting on that
// line (optionally with its severity in brackets).
var wantRe = regexp.MustCompile(`#\s*want(-cell|-notebook)?((?:\s+NB\d{3}(?:\[[a-z]+\])?)+)`)
var wantItem = regexp.MustCompile(`(NB\d{3})(?:\[([a-z]+)\])?`)

type expectation struct {
	rule, severity string
	cell, line     int // cell index (-1 notebook), line (0: anywhere in the cell)
	text           string
}

// RunDir checks every fixture in dir (.ipynb notebooks, and percent-format
// .py scripts whose markers may carry counts: "# %% In[3]") with all rules
// enabled, and compares the findings of the rules matching prefixes with
// the fixtures' want comments.
func RunDir(t *testing.T, all []*analyze.Rule, dir string, prefixes ...string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		if !strings.HasSuffix(f, ".ipynb") && !strings.HasSuffix(f, ".py") {
			continue
		}
		n++
		f := f
		t.Run(filepath.Base(f), func(t *testing.T) { RunFile(t, all, f, prefixes...) })
	}
	if n == 0 {
		t.Fatalf("no fixtures in %s", dir)
	}
}

// RunFile checks one fixture (see RunDir).
func RunFile(t *testing.T, all []*analyze.Rule, file string, prefixes ...string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var nb *notebook.Notebook
	if strings.HasSuffix(file, ".py") {
		nb, err = Notebook(string(data))
	} else {
		nb, err = notebook.ReadIPYNB(filepath.Base(file), strings.NewReader(string(data)))
	}
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	nb.Path = filepath.Base(file)
	got := RunAll(t, all, nb, prefixes...)
	wants := expectations(nb)
	used := make([]bool, len(got))
	for _, w := range wants {
		if !matches(w.rule, prefixes) && len(prefixes) > 0 {
			t.Errorf("%s: want %s is outside the rules under test %v", file, w.rule, prefixes)
			continue
		}
		ok := false
		for i, f := range got {
			if used[i] || f.Rule != w.rule || f.Cell != w.cell {
				continue
			}
			if w.line > 0 && (f.Line != w.line || f.Output != nil) {
				continue
			}
			if w.severity != "" && f.Severity.String() != w.severity {
				continue
			}
			used[i], ok = true, true
			break
		}
		if !ok {
			where := "notebook"
			if w.cell >= 0 {
				where = "cell " + strconv.Itoa(w.cell+1)
				if w.line > 0 {
					where += " line " + strconv.Itoa(w.line)
				}
			}
			t.Errorf("%s %s: missing %s%s (from %q)\n got:\n%s", file, where, w.rule, sevSuffix(w.severity), w.text, Describe(got))
		}
	}
	var extra []string
	for i, f := range got {
		if !used[i] {
			extra = append(extra, describe(f))
		}
	}
	sort.Strings(extra)
	for _, e := range extra {
		t.Errorf("%s: unexpected finding %s", file, e)
	}
}

func sevSuffix(s string) string {
	if s == "" {
		return ""
	}
	return "[" + s + "]"
}

func expectations(nb *notebook.Notebook) []expectation {
	var out []expectation
	for ci := range nb.Cells {
		c := &nb.Cells[ci]
		for li, line := range strings.Split(c.Source, "\n") {
			for _, m := range wantRe.FindAllStringSubmatch(line, -1) {
				for _, it := range wantItem.FindAllStringSubmatch(m[2], -1) {
					e := expectation{rule: it[1], severity: it[2], cell: ci, line: li + 1, text: strings.TrimSpace(line)}
					switch m[1] {
					case "-cell":
						e.line = 0
					case "-notebook":
						e.cell, e.line = -1, 0
					}
					out = append(out, e)
				}
			}
		}
	}
	return out
}
