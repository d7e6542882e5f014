package analyze_test

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/rules"
)

// Discover returns each notebook once, in path order, whatever the order
// and overlap of its arguments, and drops excluded and skipped paths.
func TestDiscoverOrderDedupeExclude(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"b/z.ipynb", "b/a.ipynb", "a.ipynb", "c/skip.ipynb", ".ipynb_checkpoints/a-checkpoint.ipynb",
		"b/notes.txt", "b/script.py"} {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s, err := (&analyze.Config{}).Resolve(rules.All(), analyze.Overrides{Exclude: []string{"**/c/**"}})
	if err != nil {
		t.Fatal(err)
	}
	b := filepath.Join(dir, "b")
	args := []string{filepath.Join(b, "z.ipynb"), dir, b, filepath.Join(dir, "a.ipynb")}
	inputs, err := analyze.Discover(args, false, s)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, in := range inputs {
		rel, _ := filepath.Rel(dir, in.File)
		got = append(got, filepath.ToSlash(rel))
	}
	want := []string{"a.ipynb", "b/a.ipynb", "b/z.ipynb"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Discover(%v) = %v, want %v", args, got, want)
	}
	if _, err := analyze.Discover([]string{filepath.Join(dir, "missing")}, false, s); err == nil {
		t.Error("a missing path is not an error")
	}
}
