package report

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nbprod/nbprod/analyze"
)

// update rewrites the golden files: go test ./emit/report -update, or
// NBPROD_UPDATE=1 go test ./... for a repository-wide update (STYLE.md §3.8).
var update = flag.Bool("update", false, "rewrite testdata/golden.* from the current output")

func updating() bool { return *update || os.Getenv("NBPROD_UPDATE") == "1" }

type goldenCase struct {
	file   string
	format string
	opts   Options
}

var goldenCases = []goldenCase{
	{"golden.txt", "text", Options{ToolVersion: "1.2.3"}},
	{"golden_color.txt", "text", Options{ToolVersion: "1.2.3", Color: true}},
	{"golden_showinfo.txt", "text", Options{ToolVersion: "1.2.3", ShowInfo: true}},
	{"golden_statistics.txt", "text", Options{ToolVersion: "1.2.3", Statistics: true}},
	{"golden.json", "json", Options{ToolVersion: "1.2.3"}},
	{"golden.sarif", "sarif", Options{ToolVersion: "1.2.3"}},
	{"golden.md", "markdown", Options{ToolVersion: "1.2.3"}},
	{"golden.github", "github", Options{ToolVersion: "1.2.3"}},
}

func render(t *testing.T, format string, res *analyze.Result, opts Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, format, res, opts); err != nil {
		t.Fatalf("Write(%s): %v", format, err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	for _, c := range goldenCases {
		t.Run(c.file, func(t *testing.T) {
			got := render(t, c.format, fixtureResult(), c.opts)
			path := filepath.Join("testdata", c.file)
			if updating() {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./emit/report -update to create it)", err)
			}
			if d := lineDiff(string(want), string(got)); d != "" {
				t.Errorf("%s differs from the golden file (go test ./emit/report -update rewrites it):\n%s", c.file, d)
			}
		})
	}
}

// lineDiff describes the first differing line, or returns "".
func lineDiff(want, got string) string {
	if want == got {
		return ""
	}
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g || i >= len(wl) || i >= len(gl) {
			return fmt.Sprintf("line %d:\n  want %q\n  got  %q", i+1, w, g)
		}
	}
	return "bytes differ"
}

func TestWriteUnknownFormat(t *testing.T) {
	var buf bytes.Buffer
	err := Write(&buf, "xml", fixtureResult(), Options{})
	if err == nil || !strings.Contains(err.Error(), `"xml"`) {
		t.Fatalf("Write(xml) error = %v, want an error naming the format", err)
	}
	if buf.Len() != 0 {
		t.Errorf("Write(xml) wrote %q", buf.String())
	}
}

// Every format accepts an empty and a nil result.
func TestEmptyResult(t *testing.T) {
	for _, format := range Formats {
		for _, res := range []*analyze.Result{nil, {}} {
			var buf bytes.Buffer
			if err := Write(&buf, format, res, Options{}); err != nil {
				t.Errorf("%s: %v", format, err)
			}
		}
	}
	got := string(render(t, "text", &analyze.Result{Notebooks: []analyze.NotebookResult{{Path: "a.ipynb", Score: 100}, {Path: "b.ipynb", Score: 100}}}, Options{}))
	if got != "No findings in 2 notebooks.\n" {
		t.Errorf("text for a clean run = %q", got)
	}
	if got := string(render(t, "github", &analyze.Result{}, Options{})); got != "" {
		t.Errorf("github for a clean run = %q, want nothing", got)
	}
}

// shuffled returns a copy of res with findings, notebooks, rules and errors
// in a random order.
func shuffled(res *analyze.Result, seed int64) *analyze.Result {
	r := rand.New(rand.NewSource(seed))
	out := *res
	out.Findings = append([]analyze.Finding(nil), res.Findings...)
	out.Notebooks = append([]analyze.NotebookResult(nil), res.Notebooks...)
	out.Rules = append([]*analyze.Rule(nil), res.Rules...)
	out.Errors = append(out.Errors[:0:0], res.Errors...)
	r.Shuffle(len(out.Findings), func(i, j int) { out.Findings[i], out.Findings[j] = out.Findings[j], out.Findings[i] })
	r.Shuffle(len(out.Notebooks), func(i, j int) { out.Notebooks[i], out.Notebooks[j] = out.Notebooks[j], out.Notebooks[i] })
	r.Shuffle(len(out.Rules), func(i, j int) { out.Rules[i], out.Rules[j] = out.Rules[j], out.Rules[i] })
	r.Shuffle(len(out.Errors), func(i, j int) { out.Errors[i], out.Errors[j] = out.Errors[j], out.Errors[i] })
	return &out
}

func TestDeterministic(t *testing.T) {
	base := shuffled(fixtureResult(), 0)
	analyze.SortFindings(base.Findings)
	for _, c := range goldenCases {
		want := render(t, c.format, base, c.opts)
		if again := render(t, c.format, base, c.opts); !bytes.Equal(want, again) {
			t.Errorf("%s: two renderings differ", c.file)
		}
		for seed := int64(1); seed <= 20; seed++ {
			res := shuffled(base, seed)
			// As the engine hands them over: sorted findings.
			sorted := *res
			sorted.Findings = append([]analyze.Finding(nil), res.Findings...)
			analyze.SortFindings(sorted.Findings)
			if got := render(t, c.format, &sorted, c.opts); !bytes.Equal(want, got) {
				t.Fatalf("%s: seed %d, sorted findings: output depends on input order:\n%s", c.file, seed, lineDiff(string(want), string(got)))
			}
			// Unsorted input too: the formatters sort a copy.
			if got := render(t, c.format, res, c.opts); !bytes.Equal(want, got) {
				t.Fatalf("%s: seed %d, unsorted findings: output depends on input order:\n%s", c.file, seed, lineDiff(string(want), string(got)))
			}
		}
	}
}

// Findings that tie in SortFindings (same place, rule and message) still
// come out in one order.
func TestDeterministicTies(t *testing.T) {
	a := analyze.Finding{Rule: "NB301", Name: "absolute-local-path", Severity: analyze.Blocker, Path: "a.ipynb",
		Cell: 0, Line: 1, Column: 1, EndLine: 1, EndColumn: 5, FileLine: 3, FileColumn: 6, Message: "same", Fingerprint: "sha256:aa"}
	b := a
	b.Fingerprint = "sha256:bb"
	b.Severity = analyze.Warning
	for _, format := range Formats {
		one := render(t, format, &analyze.Result{Findings: []analyze.Finding{a, b}}, Options{ShowInfo: true})
		two := render(t, format, &analyze.Result{Findings: []analyze.Finding{b, a}}, Options{ShowInfo: true})
		if !bytes.Equal(one, two) {
			t.Errorf("%s: tied findings come out in input order", format)
		}
	}
}

// The formatters never modify the result they are given.
func TestResultNotModified(t *testing.T) {
	res := shuffled(fixtureResult(), 7)
	before := fmt.Sprintf("%+v", *res)
	for _, c := range goldenCases {
		render(t, c.format, res, c.opts)
	}
	if after := fmt.Sprintf("%+v", *res); after != before {
		t.Error("rendering changed the Result")
	}
}

// No format prints a source line that may hold a secret, nor the raw value
// an unredacted snippet would carry.
func TestNoSecretSnippet(t *testing.T) {
	for _, c := range goldenCases {
		out := string(render(t, c.format, fixtureResult(), Options{ShowInfo: true, Color: c.opts.Color}))
		if strings.Contains(out, rawSecret) || strings.Contains(out, rawSecret[4:]) {
			t.Errorf("%s: output contains the secret of an unredacted snippet", c.file)
		}
	}
}
