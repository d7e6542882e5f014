package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/nbprod/nbprod/analyze"
)

// streamResult feeds res to s through the public API the way a streamed
// run does: one call per path in order (nil for a path without a
// notebook), the findings of a notebook in any order, errors in any order.
func streamResult(t *testing.T, s Stream, res *analyze.Result, meta Meta, seed int64) error {
	t.Helper()
	r := rand.New(rand.NewSource(seed))
	byPath := map[string][]analyze.Finding{}
	nbs := map[string]*analyze.NotebookResult{}
	var paths []string
	for _, f := range res.Findings {
		if _, ok := byPath[f.Path]; !ok {
			paths = append(paths, f.Path)
		}
		byPath[f.Path] = append(byPath[f.Path], f)
	}
	for i := range res.Notebooks {
		nb := &res.Notebooks[i]
		if _, ok := byPath[nb.Path]; !ok {
			paths = append(paths, nb.Path)
			byPath[nb.Path] = nil
		}
		nbs[nb.Path] = nb
	}
	sort.Strings(paths)
	if err := s.Begin(meta); err != nil {
		return err
	}
	for _, p := range paths {
		fs := append([]analyze.Finding(nil), byPath[p]...)
		r.Shuffle(len(fs), func(i, j int) { fs[i], fs[j] = fs[j], fs[i] })
		if err := s.Notebook(nbs[p], fs); err != nil {
			return err
		}
	}
	errs := append([]analyze.InternalError(nil), res.Errors...)
	r.Shuffle(len(errs), func(i, j int) { errs[i], errs[j] = errs[j], errs[i] })
	return s.End(errs)
}

// metaFor is the Meta a run would give: the fixture has findings of a rule
// that is not among its rules, which only a hand-built Result can have,
// so the Meta lists it as Write does (see TestStreamUnknownRule).
func metaFor(res *analyze.Result) Meta { return metaOf(newView(res)) }

// A stream fed one notebook at a time writes the bytes Write writes for
// the collected result, in every format, whatever the order of findings
// within a notebook and of the errors.
func TestStreamMatchesWrite(t *testing.T) {
	res := fixtureResult()
	for _, c := range goldenCases {
		want := render(t, c.format, res, c.opts)
		for seed := int64(0); seed < 5; seed++ {
			var buf bytes.Buffer
			s, err := NewStream(&buf, c.format, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			if err := streamResult(t, s, res, metaFor(res), seed); err != nil {
				t.Fatalf("%s: %v", c.file, err)
			}
			s.Close()
			if !bytes.Equal(buf.Bytes(), want) {
				t.Fatalf("%s, seed %d: streamed output differs from Write:\n%s", c.file, seed, lineDiff(string(want), buf.String()))
			}
		}
	}
}

// Multi writes every format in one pass, each as Write would.
func TestMultiMatchesWrite(t *testing.T) {
	res := fixtureResult()
	var streams []Stream
	bufs := make([]*bytes.Buffer, len(goldenCases))
	for i, c := range goldenCases {
		bufs[i] = &bytes.Buffer{}
		s, err := NewStream(bufs[i], c.format, c.opts)
		if err != nil {
			t.Fatal(err)
		}
		streams = append(streams, s)
	}
	m := Multi(streams...)
	if err := streamResult(t, m, res, metaFor(res), 1); err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	for i, c := range goldenCases {
		if want := render(t, c.format, res, c.opts); !bytes.Equal(bufs[i].Bytes(), want) {
			t.Errorf("%s: Multi output differs from Write:\n%s", c.file, lineDiff(string(want), bufs[i].String()))
		}
	}
}

// Spools that move to a temporary file give the same bytes, and leave no
// file behind.
func TestStreamSpoolFile(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	defer func(n int) { spoolMemLimit = n }(spoolMemLimit)
	res := benchResult(20)
	want := map[string][]byte{}
	for _, c := range goldenCases {
		want[c.file] = render(t, c.format, res, c.opts)
	}
	spoolMemLimit = 100
	for _, c := range goldenCases {
		var buf bytes.Buffer
		s, err := NewStream(&buf, c.format, c.opts)
		if err != nil {
			t.Fatal(err)
		}
		if err := streamResult(t, s, res, metaFor(res), 2); err != nil {
			t.Fatal(err)
		}
		s.Close()
		if !bytes.Equal(buf.Bytes(), want[c.file]) {
			t.Errorf("%s: output through spool files differs:\n%s", c.file, lineDiff(string(want[c.file]), buf.String()))
		}
		if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
			t.Errorf("%s: %d temporary files left after Close", c.file, len(ents))
		}
	}
}

// SARIF results wait for the end: a baselined finding in the last notebook
// still gives every earlier result baselineState "new", and a run with a
// baseline that matches nothing writes no baselineState at all.
func TestStreamSARIFBaselineState(t *testing.T) {
	res := benchResult(3)
	for i := range res.Findings {
		res.Findings[i].Baselined = false
	}
	decode := func(t *testing.T, res *analyze.Result) []map[string]any {
		t.Helper()
		var buf bytes.Buffer
		s, _ := NewStream(&buf, "sarif", Options{})
		defer s.Close()
		if err := streamResult(t, s, res, Meta{Rules: res.Rules, Severity: res.Severity, Baseline: true}, 0); err != nil {
			t.Fatal(err)
		}
		var log struct {
			Runs []struct{ Results []map[string]any }
		}
		if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
			t.Fatal(err)
		}
		return log.Runs[0].Results
	}
	for _, r := range decode(t, res) {
		if _, ok := r["baselineState"]; ok {
			t.Fatal("baselineState written although no finding is baselined")
		}
	}
	last := len(res.Findings) - 1
	res.Findings[last].Baselined = true
	results := decode(t, res)
	if len(results) != len(res.Findings) {
		t.Fatalf("%d results, want %d", len(results), len(res.Findings))
	}
	for i, r := range results {
		want := "new"
		if i == last {
			want = "unchanged"
		}
		if r["baselineState"] != want {
			t.Fatalf("result %d: baselineState %v, want %s", i, r["baselineState"], want)
		}
	}
	// Without Meta.Baseline, a baselined finding is a caller's bug.
	s, _ := NewStream(&bytes.Buffer{}, "sarif", Options{})
	defer s.Close()
	if err := streamResult(t, s, res, Meta{Rules: res.Rules}, 0); err == nil || !strings.Contains(err.Error(), "no baseline is in use") {
		t.Errorf("baselined finding without Meta.Baseline: err = %v", err)
	}
}

// failWriter fails every write after the first n bytes.
type failWriter struct{ n int }

var errDiskFull = errors.New("disk full")

func (w *failWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		n := w.n
		w.n = 0
		return n, errDiskFull
	}
	w.n -= len(p)
	return len(p), nil
}

// A write error stops the stream with that error.
func TestStreamWriteError(t *testing.T) {
	res := benchResult(5)
	for _, format := range Formats {
		s, err := NewStream(&failWriter{n: 100}, format, Options{})
		if err != nil {
			t.Fatal(err)
		}
		err = streamResult(t, s, res, metaFor(res), 0)
		s.Close()
		if !errors.Is(err, errDiskFull) {
			t.Errorf("%s: error %v, want the writer's", format, err)
		}
	}
}

// A finding of a rule the Meta does not list gets a descriptor at the end
// of the rules, and its result points at it.
func TestStreamUnknownRule(t *testing.T) {
	res := fixtureResult()
	var buf bytes.Buffer
	s, _ := NewStream(&buf, "sarif", Options{})
	defer s.Close()
	if err := streamResult(t, s, res, Meta{Rules: res.Rules, Severity: res.Severity, Baseline: true}, 0); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct{ Rules []struct{ ID string } }
			}
			Results []struct {
				RuleID    string
				RuleIndex int
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	rules := log.Runs[0].Tool.Driver.Rules
	if len(rules) != len(res.Rules)+1 {
		t.Fatalf("%d rules, want the %d enabled ones and one more", len(rules), len(res.Rules))
	}
	for _, r := range log.Runs[0].Results {
		if rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("result of %s points at rule %s", r.RuleID, rules[r.RuleIndex].ID)
		}
	}
}

func TestStreamMisuse(t *testing.T) {
	s, _ := NewStream(&bytes.Buffer{}, "json", Options{})
	defer s.Close()
	if err := s.Notebook(nil, nil); err == nil {
		t.Error("Notebook before Begin accepted")
	}
	if err := s.Begin(Meta{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Begin(Meta{}); err == nil {
		t.Error("second Begin accepted")
	}
	if err := s.End(nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Notebook(nil, nil); err == nil {
		t.Error("Notebook after End accepted")
	}
	if _, err := NewStream(&bytes.Buffer{}, "xml", Options{}); err == nil || !strings.Contains(err.Error(), `"xml"`) {
		t.Errorf("NewStream(xml) error = %v", err)
	}
}

// An atomic file appears only on Commit; Abort leaves neither the file
// nor a temporary one.
func TestAtomicFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.json")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := CreateAtomic(path)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("partial"))
	f.Abort()
	f.Abort()
	if data, _ := os.ReadFile(path); string(data) != "old" {
		t.Errorf("after Abort the file holds %q, want the old content", data)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("%d files in the directory after Abort, want 1", len(ents))
	}

	f, err = CreateAtomic(path)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("new"))
	if data, _ := os.ReadFile(path); string(data) != "old" {
		t.Errorf("before Commit the file holds %q", data)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	f.Abort() // after Commit: nothing
	if data, _ := os.ReadFile(path); string(data) != "new" {
		t.Errorf("after Commit the file holds %q", data)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", st.Mode().Perm())
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("%d files in the directory after Commit, want 1", len(ents))
	}

	_, err = CreateAtomic(filepath.Join(dir, "missing", "r.json"))
	var fe *FileError
	if !errors.As(err, &fe) || !strings.HasPrefix(err.Error(), "cannot write "+filepath.Join(dir, "missing", "r.json")+": ") {
		t.Errorf("CreateAtomic in a missing directory: %v", err)
	}
}

// A stream into an atomic file that fails midway leaves no file: the
// caller aborts it.
func TestStreamAtomicFileError(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.sarif")
	f, err := CreateAtomic(path)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := NewStream(f, "json", Options{})
	res := benchResult(5)
	calls := 0
	failing := &failingStream{Stream: s, after: 3, calls: &calls}
	err = streamResult(t, failing, res, metaFor(res), 0)
	s.Close()
	f.Abort()
	if err == nil {
		t.Fatal("no error")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("%d files left after a failed stream", len(ents))
	}
}

// failingStream fails its Notebook call number after+1.
type failingStream struct {
	Stream
	after int
	calls *int
}

func (f *failingStream) Notebook(nb *analyze.NotebookResult, fs []analyze.Finding) error {
	*f.calls++
	if *f.calls > f.after {
		return errDiskFull
	}
	return f.Stream.Notebook(nb, fs)
}
