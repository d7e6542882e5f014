package rules

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/analyzetest"
)

// TestRegistry validates the registry: unique sorted IDs and names, complete
// docs, every rule value defined in a rule file listed in All, and every doc
// file used.
func TestRegistry(t *testing.T) {
	all := All()
	if err := analyze.Validate(all); err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, r := range all {
		listed[r.ID] = true
	}
	files, _ := filepath.Glob("nb*_*.go")
	idRe := regexp.MustCompile(`ID:\s+"(NB\d{3})"`)
	defined := map[string]string{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range idRe.FindAllStringSubmatch(string(b), -1) {
			defined[m[1]] = f
			if !strings.HasPrefix(f, strings.ToLower(m[1])+"_") {
				t.Errorf("%s defines rule %s: rule files are named nbNNN_<name>.go after their ID", f, m[1])
			}
		}
	}
	for id, f := range defined {
		if !listed[id] {
			t.Errorf("rule %s (%s) is not in All()", id, f)
		}
	}
	for _, r := range all {
		if _, ok := defined[r.ID]; !ok {
			t.Errorf("rule %s is in All() but no nbNNN_*.go file defines it", r.ID)
		}
		want := strings.ToLower(r.ID) + "_" + strings.ReplaceAll(r.Name, "-", "_") + ".go"
		if _, err := os.Stat(want); err != nil {
			t.Errorf("rule %s: expected file %s", r.ID, want)
		}
	}
	docs, _ := filepath.Glob("docs/NB*.md")
	for _, d := range docs {
		id := strings.TrimSuffix(filepath.Base(d), ".md")
		if !listed[id] {
			t.Errorf("%s documents a rule that is not registered", d)
		}
	}
}

// TestDocExamples runs every rule's documented Example (it must trigger the
// rule) and Use instead (it must not).
func TestDocExamples(t *testing.T) {
	all := All()
	for _, r := range all {
		r := r
		t.Run(r.ID, func(t *testing.T) {
			ex, err := analyzetest.DocNotebook(r.Doc.ExampleLang, r.Doc.Example)
			fs := []analyze.Finding{}
			if err == nil {
				fs = analyzetest.RunAll(t, all, ex, r.ID)
			} else if r.ID == "NB001" {
				fs = append(fs, analyze.Finding{Rule: "NB001"}) // the example is unreadable by design
			} else {
				t.Fatalf("Example does not build: %v", err)
			}
			if !hasRule(fs, r.ID) {
				t.Errorf("Example does not trigger %s:\n%s", r.ID, r.Doc.Example)
			}
			use, err := analyzetest.DocNotebook(r.Doc.UseInsteadLang, r.Doc.UseInstead)
			if err != nil {
				t.Fatalf("Use instead does not build: %v", err)
			}
			if fs := analyzetest.RunAll(t, all, use, r.ID); hasRule(fs, r.ID) {
				t.Errorf("Use instead triggers %s:\n%s", r.ID, analyzetest.Describe(fs))
			}
		})
	}
}

func hasRule(fs []analyze.Finding, id string) bool {
	for _, f := range fs {
		if f.Rule == id {
			return true
		}
	}
	return false
}

// TestRuleNamesSorted guards the README table order.
func TestRuleNamesSorted(t *testing.T) {
	var ids []string
	for _, r := range All() {
		ids = append(ids, r.ID)
	}
	if !sort.StringsAreSorted(ids) {
		t.Fatal("All() is not sorted")
	}
}
