package analyze_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

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
