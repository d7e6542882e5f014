package analyze_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/rules"
)

// TestRunParallelDeterministic checks many notebooks with 1 and with 8
// workers: the results must be identical (CI runs this under -race).
func TestRunParallelDeterministic(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for i := 0; i < 40; i++ {
		src := fmt.Sprintf(`{"cells": [
 {"cell_type": "code", "id": "a", "execution_count": %d, "metadata": {}, "outputs": [], "source": ["print(v%d)"]},
 {"cell_type": "code", "id": "b", "execution_count": %d, "metadata": {}, "outputs": [], "source": ["v%d = %d\n", "import os\n", "os.chdir('/tmp')"]}
], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}`, i%3+2, i, i%2+1, i, i)
		p := filepath.Join(dir, fmt.Sprintf("nb%02d.ipynb", i))
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	s, err := (&analyze.Config{}).Resolve(rules.All(), analyze.Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	inputs, err := analyze.Discover([]string{dir}, false, s)
	if err != nil {
		t.Fatal(err)
	}
	one := analyze.Run(inputs, analyze.RunOptions{Settings: s, Jobs: 1})
	many := analyze.Run(inputs, analyze.RunOptions{Settings: s, Jobs: 8})
	if len(one.Findings) == 0 {
		t.Fatal("no findings: the fixture should have forward references")
	}
	a, _ := json.Marshal(one.Findings)
	b, _ := json.Marshal(many.Findings)
	if string(a) != string(b) || !reflect.DeepEqual(one.Notebooks, many.Notebooks) {
		t.Fatal("results differ between 1 and 8 workers")
	}
}

// TestLongLineSnippet checks that a finding on a megabyte-long line keeps
// a short snippet, cut at a character boundary, and that its
// fingerprint still depends on the whole line.
func TestLongLineSnippet(t *testing.T) {
	dir := t.TempDir()
	write := func(name, tail string) string {
		line := `df = pd.read_csv("/Users/ana/Downloads/data.csv"); pad = "` + tail + `"`
		src, _ := json.Marshal(map[string]any{
			"nbformat": 4, "nbformat_minor": 5, "metadata": map[string]any{},
			"cells": []any{map[string]any{"cell_type": "code", "id": "a", "metadata": map[string]any{},
				"outputs": []any{}, "execution_count": nil, "source": "import pandas as pd\n" + line}},
		})
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, src, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	long := write("a.ipynb", strings.Repeat("é", 600_000)+"A")
	other := write("b.ipynb", strings.Repeat("é", 600_000)+"B")
	s, err := (&analyze.Config{}).Resolve(rules.All(), analyze.Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	res := analyze.Run([]analyze.Input{{Path: long, File: long}, {Path: other, File: other}}, analyze.RunOptions{Settings: s, Jobs: 1})
	prints := map[string]string{}
	for _, f := range res.Findings {
		if f.Rule != "NB302" {
			continue
		}
		if len(f.Snippet) > 410 || !strings.HasSuffix(f.Snippet, " …") || !utf8.ValidString(f.Snippet) {
			t.Errorf("snippet of %d bytes, want at most ~400 ending in an ellipsis: %.60q", len(f.Snippet), f.Snippet)
		}
		if !strings.HasPrefix(f.Snippet, "df = pd.read_csv(") {
			t.Errorf("snippet does not start with the line: %.60q", f.Snippet)
		}
		prints[f.Path] = f.Fingerprint
	}
	if len(prints) != 2 {
		t.Fatalf("want an NB302 finding in each notebook, got %v", prints)
	}
	if prints[long] == prints[other] {
		t.Error("lines differing only past the snippet cut share a fingerprint")
	}
}
