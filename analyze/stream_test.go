package analyze_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/rules"
	"github.com/nbprod/nbprod/emit/report"
)

// streamFixture writes 40 notebooks of very different sizes (so that
// parallel workers finish out of order) and returns their inputs.
func streamFixture(t testing.TB) []analyze.Input {
	t.Helper()
	dir := t.TempDir()
	for i := 0; i < 40; i++ {
		var cells []string
		cells = append(cells, fmt.Sprintf(`{"cell_type": "code", "id": "a", "execution_count": %d, "metadata": {}, "outputs": [], "source": ["print(v%d)\n", "df = open('/home/ana/data%d.csv')"]}`, i%3+2, i, i))
		for k := 0; k < (i*7)%23*6; k++ {
			cells = append(cells, fmt.Sprintf(`{"cell_type": "code", "id": "c%d", "execution_count": null, "metadata": {}, "outputs": [], "source": ["x%d = x%d + 1  # nbprod: ignore[NB101] -- fine\n", "print(x%d)"]}`, k, k, k+1, k))
		}
		cells = append(cells, fmt.Sprintf(`{"cell_type": "code", "id": "b", "execution_count": %d, "metadata": {}, "outputs": [], "source": ["v%d = %d\n", "import os\n", "os.chdir('/tmp')"]}`, i%2+1, i, i))
		src := `{"cells": [` + strings.Join(cells, ",\n") + `], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}`
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("nb%02d.ipynb", i)), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	inputs, err := analyze.Discover([]string{dir}, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	return inputs
}

func allSettings(t testing.TB, extra ...*analyze.Rule) *analyze.Settings {
	t.Helper()
	s, err := (&analyze.Config{}).Resolve(append(rules.All(), extra...), analyze.Overrides{Select: []string{"ALL"}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var streamFormats = []string{"text", "json", "sarif", "markdown", "github"}

// streamed runs Stream into one report per format (through report.Multi)
// and returns the outputs, the delivered paths and the totals.
func streamed(t *testing.T, inputs []analyze.Input, o analyze.RunOptions) (map[string][]byte, []string, *analyze.Totals) {
	t.Helper()
	bufs := map[string]*bytes.Buffer{}
	var streams []report.Stream
	for _, f := range streamFormats {
		bufs[f] = &bytes.Buffer{}
		s, err := report.NewStream(bufs[f], f, report.Options{ToolVersion: "test", ShowInfo: true})
		if err != nil {
			t.Fatal(err)
		}
		streams = append(streams, s)
	}
	out := report.Multi(streams...)
	defer out.Close()
	if err := out.Begin(report.Meta{Rules: o.Settings.Rules, Severity: analyze.RuleSeverities(o.Settings), Baseline: o.Baseline != nil}); err != nil {
		t.Fatal(err)
	}
	var paths []string
	tot, err := analyze.Stream(inputs, o, func(nb analyze.NotebookResult, fs []analyze.Finding) error {
		paths = append(paths, nb.Path)
		for _, f := range fs {
			if f.Path != nb.Path {
				t.Errorf("finding of %s handed over with %s", f.Path, nb.Path)
			}
		}
		return out.Notebook(&nb, fs)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := out.End(tot.Errors); err != nil {
		t.Fatal(err)
	}
	res := map[string][]byte{}
	for f, b := range bufs {
		res[f] = b.Bytes()
	}
	return res, paths, tot
}

// TestStreamInOrder: notebooks are handed over in path order whatever the
// number of workers (and the input order), and the streamed reports are
// byte for byte those of report.Write on the collected Result.
func TestStreamInOrder(t *testing.T) {
	inputs := streamFixture(t)
	s := allSettings(t)
	collected := analyze.Run(inputs, analyze.RunOptions{Settings: s, Jobs: 1})
	if len(collected.Findings) < 100 {
		t.Fatalf("only %d findings: the fixture should have many", len(collected.Findings))
	}
	want := map[string][]byte{}
	for _, f := range streamFormats {
		var buf bytes.Buffer
		if err := report.Write(&buf, f, collected, report.Options{ToolVersion: "test", ShowInfo: true}); err != nil {
			t.Fatal(err)
		}
		want[f] = buf.Bytes()
	}
	shuffledInputs := append([]analyze.Input(nil), inputs...)
	rand.New(rand.NewSource(1)).Shuffle(len(shuffledInputs), func(i, j int) {
		shuffledInputs[i], shuffledInputs[j] = shuffledInputs[j], shuffledInputs[i]
	})
	for _, c := range []struct {
		name   string
		jobs   int
		inputs []analyze.Input
	}{{"jobs=1", 1, inputs}, {"jobs=8", 8, inputs}, {"jobs=3,shuffled", 3, shuffledInputs}} {
		t.Run(c.name, func(t *testing.T) {
			got, paths, tot := streamed(t, c.inputs, analyze.RunOptions{Settings: s, Jobs: c.jobs})
			if !sort.StringsAreSorted(paths) || len(paths) != len(inputs) {
				var names []string
				for _, p := range paths {
					names = append(names, filepath.Base(p))
				}
				t.Fatalf("delivered %d notebooks, want %d in path order: %v", len(paths), len(inputs), names)
			}
			for _, f := range streamFormats {
				if !bytes.Equal(got[f], want[f]) {
					t.Errorf("%s: streamed output differs from report.Write of the collected result", f)
				}
			}
			if sum := collected.Summarize(); !reflect.DeepEqual(tot.Summary, sum) {
				t.Errorf("totals %+v, want %+v", tot.Summary, sum)
			}
			for _, sev := range []analyze.Severity{0, analyze.Info, analyze.Warning, analyze.Blocker} {
				if tot.Failing(sev) != collected.Failing(sev) {
					t.Errorf("Failing(%v) = %v, collected says %v", sev, tot.Failing(sev), collected.Failing(sev))
				}
			}
		})
	}
}

// TestStreamBaseline: the baseline a streamed run collects is
// NewBaseline's, and checking against it marks the same findings as Run.
func TestStreamBaseline(t *testing.T) {
	inputs := streamFixture(t)
	s := allSettings(t)
	dir := t.TempDir()
	collected := analyze.Run(inputs, analyze.RunOptions{Settings: s, FingerprintDir: dir})
	tot, err := analyze.Stream(inputs, analyze.RunOptions{Settings: s, FingerprintDir: dir, Jobs: 4, CollectBaseline: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := analyze.NewBaseline(collected).Encode()
	if got := tot.Baseline.Encode(); !bytes.Equal(got, want) {
		t.Fatalf("collected baseline differs from NewBaseline:\n%.300s\nwant\n%.300s", got, want)
	}
	// Keep half the entries: the other half are new findings.
	file := filepath.Join(dir, "baseline.json")
	b := tot.Baseline
	var half []analyze.BaselineEntry
	for i, e := range b.Findings {
		if i%2 == 0 {
			half = append(half, e)
		}
	}
	b.Findings = half
	if err := os.WriteFile(file, b.Encode(), 0o644); err != nil {
		t.Fatal(err)
	}
	read := func() *analyze.Baseline {
		bl, err := analyze.ReadBaseline(file)
		if err != nil {
			t.Fatal(err)
		}
		return bl
	}
	run := analyze.Run(inputs, analyze.RunOptions{Settings: s, FingerprintDir: dir, Baseline: read()})
	sum := run.Summarize()
	if sum.Baselined == 0 || sum.Findings == 0 {
		t.Fatalf("want baselined and new findings, got %+v", sum)
	}
	got, _, tot2 := streamed(t, inputs, analyze.RunOptions{Settings: s, FingerprintDir: dir, Baseline: read(), Jobs: 8})
	if !reflect.DeepEqual(tot2.Summary, sum) {
		t.Errorf("streamed totals %+v, collected %+v", tot2.Summary, sum)
	}
	var buf bytes.Buffer
	if err := report.Write(&buf, "sarif", run, report.Options{ToolVersion: "test", ShowInfo: true}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got["sarif"], buf.Bytes()) {
		t.Error("streamed SARIF with a baseline differs from report.Write")
	}
	var doc struct{ Findings []struct{ Baselined bool } }
	if err := json.Unmarshal(got["json"], &doc); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range doc.Findings {
		if f.Baselined {
			n++
		}
	}
	if n != sum.Baselined {
		t.Errorf("%d findings baselined in the streamed JSON, want %d", n, sum.Baselined)
	}
}

// waitGoroutines waits for the goroutine count to come back to n.
func waitGoroutines(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > n {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines left, want %d:\n%s", runtime.NumGoroutine(), n, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestStreamCallbackError: an error from the callback stops the run early
// and comes back from Stream, without a deadlock or a goroutine left
// running.
func TestStreamCallbackError(t *testing.T) {
	inputs := streamFixture(t)
	s := allSettings(t)
	stop := errors.New("stop here")
	for _, jobs := range []int{1, 2, 8} {
		for _, at := range []int{0, 5, 39} {
			t.Run(fmt.Sprintf("jobs=%d,at=%d", jobs, at), func(t *testing.T) {
				before := runtime.NumGoroutine()
				calls, checked := 0, 0
				done := make(chan struct{})
				var err error
				go func() {
					defer close(done)
					_, err = analyze.Stream(inputs, analyze.RunOptions{Settings: s, Jobs: jobs, Progress: func(int, int) { checked++ }},
						func(nb analyze.NotebookResult, fs []analyze.Finding) error {
							calls++
							if calls > at {
								return stop
							}
							return nil
						})
				}()
				select {
				case <-done:
				case <-time.After(60 * time.Second):
					t.Fatal("Stream did not return after the callback failed")
				}
				if !errors.Is(err, stop) {
					t.Fatalf("Stream returned %v, want the callback's error", err)
				}
				if calls != at+1 {
					t.Errorf("callback called %d times after failing at call %d", calls, at+1)
				}
				// Workers run at most a window (4 per job) ahead.
				if limit := at + 1 + 4*jobs; at < 39 && checked > limit {
					t.Errorf("%d notebooks checked, want at most %d", checked, limit)
				}
				waitGoroutines(t, before)
			})
		}
	}
}

// TestStreamInternalError: a panicking rule becomes an internal error of
// that notebook; the other notebooks and rules are still checked.
func TestStreamInternalError(t *testing.T) {
	inputs := streamFixture(t)
	boom := &analyze.Rule{ID: "NB998", Name: "boom", Category: analyze.CatHygiene, Severity: analyze.Warning,
		Run: func(p *analyze.Pass) {
			if strings.HasSuffix(p.Path, "nb07.ipynb") || strings.HasSuffix(p.Path, "nb31.ipynb") {
				panic("boom")
			}
		}}
	s := allSettings(t, boom)
	_, paths, tot := streamed(t, inputs, analyze.RunOptions{Settings: s, Jobs: 8})
	if len(paths) != len(inputs) {
		t.Errorf("%d notebooks handed over, want %d", len(paths), len(inputs))
	}
	if len(tot.Errors) != 2 || !strings.HasSuffix(tot.Errors[0].Path, "nb07.ipynb") || !strings.HasSuffix(tot.Errors[1].Path, "nb31.ipynb") ||
		!strings.Contains(tot.Errors[0].Msg, "internal error in rule NB998: boom") {
		t.Errorf("errors = %+v", tot.Errors)
	}
	if tot.Summary.Findings == 0 {
		t.Error("no findings: the other rules did not run")
	}
}
