package diff

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/nbdiff"
	"github.com/nbprod/nbprod/emit/report"
	"github.com/nbprod/nbprod/notebook"
)

// update rewrites the golden files: go test ./emit/diff -update, or
// NBPROD_UPDATE=1 go test ./... for a repository-wide update.
var update = flag.Bool("update", false, "rewrite testdata/golden.* from the current output")

func updating() bool { return *update || os.Getenv("NBPROD_UPDATE") == "1" }

func intp(n int) *int { return &n }

// fixture is a hand-built result covering every cell status, a kind
// change, outputs, an execution count, metadata, terminal control
// characters, backticks and a GitHub mention, with introduced and fixed
// findings of every severity.
func fixture() *nbdiff.Result {
	ctx := func(o, n int, t string) nbdiff.Line { return nbdiff.Line{Op: nbdiff.Context, Text: t, Old: o, New: n} }
	del := func(o int, t string) nbdiff.Line { return nbdiff.Line{Op: nbdiff.Delete, Text: t, Old: o} }
	ins := func(n int, t string) nbdiff.Line { return nbdiff.Line{Op: nbdiff.Insert, Text: t, New: n} }
	return &nbdiff.Result{
		Path: "notebooks/churn.ipynb", OldLabel: "git:HEAD:notebooks/churn.ipynb", NewLabel: "notebooks/churn.ipynb",
		OldCells: 5, NewCells: 5, Outputs: true, Metadata: true, Checked: true, Unchanged: 3,
		NotebookMetadata: []nbdiff.Hunk{{OldStart: 1, OldLines: 1, NewStart: 1, NewLines: 1,
			Lines: []nbdiff.Line{del(1, `{"kernelspec": "python3"}`), ins(1, `{"kernelspec": "python3.12"}`)}}},
		Cells: []nbdiff.CellChange{
			{Status: nbdiff.Unchanged, Old: 0, New: 0, OldID: "imports", NewID: "imports", Kind: notebook.Code, OldKind: notebook.Code, By: nbdiff.ByID, Similarity: 1},
			{Status: nbdiff.Modified, Old: 1, New: 1, OldID: "load", NewID: "load", Kind: notebook.Code, OldKind: notebook.Code, By: nbdiff.ByID, Similarity: 0.8123, Modified: true,
				Source: []nbdiff.Hunk{{OldStart: 1, OldLines: 3, NewStart: 1, NewLines: 3, Lines: []nbdiff.Line{
					ctx(1, 1, "import pandas as pd"),
					del(2, `df = pd.read_csv("data.csv")`),
					ins(2, `df = pd.read_csv("/home/anna/data.csv")  # ask @anna`),
					ctx(3, 3, "df.head()\x1b[31m"),
				}}},
				ExecCount: &nbdiff.CountChange{Old: intp(2), New: intp(5)},
				Outputs: []nbdiff.Hunk{{OldStart: 1, OldLines: 2, NewStart: 1, NewLines: 2, Lines: []nbdiff.Line{
					ctx(1, 1, "[output 1: stream stdout]"), del(2, "100 rows"), ins(2, "250 rows")}}},
				Metadata: []nbdiff.Hunk{{OldStart: 0, OldLines: 0, NewStart: 1, NewLines: 3, Lines: []nbdiff.Line{
					ins(1, "{"), ins(2, `  "scrolled": true`), ins(3, "}")}}},
			},
			{Status: nbdiff.Deleted, Old: 2, New: -1, OldID: "notes", Kind: notebook.Markdown, OldKind: notebook.Markdown,
				Source: []nbdiff.Hunk{{OldStart: 1, OldLines: 2, NewStart: 0, NewLines: 0, Lines: []nbdiff.Line{
					del(1, "## Notes"), del(2, "Use ```df.info()``` | *not* this")}}}},
			{Status: nbdiff.Moved, Old: 4, New: 2, OldID: "plot", NewID: "plot", Kind: notebook.Code, OldKind: notebook.Code, By: nbdiff.ByID, Similarity: 1},
			{Status: nbdiff.Added, Old: -1, New: 3, NewID: "creds", Kind: notebook.Code, OldKind: notebook.Code,
				Source: []nbdiff.Hunk{{OldStart: 0, OldLines: 0, NewStart: 1, NewLines: 1, Lines: []nbdiff.Line{
					ins(1, `password = "<redacted password, 12 chars>"`)}}}},
			{Status: nbdiff.Moved, Old: 3, New: 4, OldID: "train", NewID: "train", Kind: notebook.Markdown, OldKind: notebook.Code, By: nbdiff.ByID, Similarity: 0.9, Modified: true,
				Source: []nbdiff.Hunk{{OldStart: 1, OldLines: 1, NewStart: 1, NewLines: 1, Lines: []nbdiff.Line{
					del(1, "# model.fit(X, y)"), ins(1, "Train the model with `model.fit(X, y)`.")}}}},
		},
		Introduced: []analyze.Finding{
			{Rule: "NB401", Name: "hardcoded-secret", Category: analyze.CatSecurity, Severity: analyze.Blocker, Path: "notebooks/churn.ipynb",
				Cell: 3, CellID: "creds", Line: 1, Column: 12, EndLine: 1, EndColumn: 26, Message: "password <redacted password, 12 chars> assigned to password",
				Fix: `read it from os.environ["PASSWORD"]`, Fingerprint: "sha256:aa", Data: map[string]any{"kind": "password"}},
			{Rule: "NB301", Name: "absolute-local-path", Category: analyze.CatDataAccess, Severity: analyze.Blocker, Path: "notebooks/churn.ipynb",
				Cell: 1, CellID: "load", Line: 2, Column: 18, EndLine: 2, EndColumn: 39, Message: "absolute path '/home/anna/data.csv' passed to pd.read_csv", Fingerprint: "sha256:bb"},
			{Rule: "NB107", Name: "execution-count-gap", Category: analyze.CatHiddenState, Severity: analyze.Info, Path: "notebooks/churn.ipynb",
				Cell: -1, Message: "execution counts jump from 2 to 5", Fingerprint: "sha256:cc"},
		},
		Fixed: []analyze.Finding{
			{Rule: "NB102", Name: "forward-reference", Category: analyze.CatHiddenState, Severity: analyze.Warning, Path: "notebooks/churn.ipynb",
				Cell: 4, CellID: "plot", Line: 1, Column: 1, EndLine: 1, EndColumn: 6, Message: "`model` is defined only in cell 4, cc @anna", Fingerprint: "sha256:dd"},
		},
	}
}

var goldenCases = []struct {
	file, format string
	opts         Options
}{
	{"golden.txt", "text", Options{}},
	{"golden_color.txt", "text", Options{Color: true}},
	{"golden_showinfo.txt", "text", Options{ShowInfo: true}},
	{"golden.json", "json", Options{ToolVersion: "1.2.3"}},
	{"golden.md", "markdown", Options{}},
}

func render(t *testing.T, format string, r *nbdiff.Result, opts Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, format, r, opts); err != nil {
		t.Fatalf("Write(%s): %v", format, err)
	}
	return buf.String()
}

func TestGolden(t *testing.T) {
	for _, c := range goldenCases {
		t.Run(c.file, func(t *testing.T) {
			got := render(t, c.format, fixture(), c.opts)
			path := filepath.Join("testdata", c.file)
			if updating() {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (go test ./emit/diff -update creates it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from the golden file (go test ./emit/diff -update rewrites it):\n--- got\n%s", c.file, got)
			}
			// Rendering is deterministic.
			if again := render(t, c.format, fixture(), c.opts); again != got {
				t.Error("two renderings differ")
			}
		})
	}
}

func TestTextEssentials(t *testing.T) {
	out := render(t, "text", fixture(), Options{})
	for _, want := range []string{
		"--- git:HEAD:notebooks/churn.ipynb\n+++ notebooks/churn.ipynb\n",
		"cell 2 (code) modified\n@@ -1,3 +1,3 @@\n import pandas as pd\n-df = pd.read_csv(\"data.csv\")\n",
		"cell 3 (code) moved from cell 5 to cell 3\n",
		"cell 5 (markdown) moved from cell 4 to cell 5, modified; code → markdown\n",
		"old cell 3 (markdown) deleted\n",
		"cell 4 (code) added\n@@ -0,0 +1,1 @@\n+password = \"<redacted password, 12 chars>\"\n",
		"execution count: 2 → 5\n",
		"notebooks/churn.ipynb:cell 4:1:12: NB401 [blocker] password",
		"notebooks/churn.ipynb:old cell 5:1:1: NB102 [warning]",
		"1 info finding not listed (--show-info lists them)",
		"\n1 cell modified, 2 moved, 1 added and 1 deleted; 3 findings introduced (2 blockers, 1 info), 1 fixed (1 warning), 3 unchanged.\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b") {
		t.Error("plain text output holds an escape character (terminal control from a cell must be neutralised)")
	}
	if strings.Contains(out, "cell 1 (code)") {
		t.Error("an unchanged cell is shown")
	}
	color := render(t, "text", fixture(), Options{Color: true})
	if !strings.Contains(color, "\x1b[32m+password") || !strings.Contains(color, "\x1b[31m-df = pd.read_csv") {
		t.Errorf("coloured output lacks green inserts or red deletes:\n%q", color)
	}
}

func TestTextNoChange(t *testing.T) {
	r := &nbdiff.Result{Path: "nb.ipynb", Checked: true, Unchanged: 2,
		Cells: []nbdiff.CellChange{{Status: nbdiff.Unchanged, Old: 0, New: 0, Kind: notebook.Code}}}
	out := render(t, "text", r, Options{})
	want := "--- nb.ipynb\n+++ nb.ipynb\n\nNo cell changed (not compared: outputs and execution counts (--outputs) and metadata (--metadata)).\n\nNo cell changed; no finding introduced, 0 fixed, 2 unchanged.\n"
	if out != want {
		t.Errorf("got:\n%q\nwant:\n%q", out, want)
	}
}

func TestJSONShape(t *testing.T) {
	out := render(t, "json", fixture(), Options{ToolVersion: "1.2.3"})
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("invalid JSON: %v", err)
	}
	if doc["version"] != float64(1) {
		t.Errorf("version = %v", doc["version"])
	}
	cells := doc["cells"].([]any)
	var statuses []string
	for _, c := range cells {
		statuses = append(statuses, c.(map[string]any)["status"].(string))
	}
	if got := strings.Join(statuses, " "); got != "unchanged modified deleted moved added moved" {
		t.Errorf("statuses = %s", got)
	}
	deleted := cells[2].(map[string]any)
	if deleted["new_index"] != nil || deleted["old_index"] != float64(2) {
		t.Errorf("deleted cell indexes: %v", deleted)
	}
	// Findings have exactly the keys of check's JSON findings.
	var check struct {
		Findings []map[string]any `json:"findings"`
	}
	var buf bytes.Buffer
	if err := report.JSON(&buf, &analyze.Result{Findings: fixture().Introduced}, report.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(buf.Bytes(), &check); err != nil {
		t.Fatal(err)
	}
	keys := func(m map[string]any) []string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		return ks
	}
	intro := doc["introduced"].([]any)
	if len(intro) != 3 || len(doc["fixed"].([]any)) != 1 {
		t.Fatalf("introduced %d, fixed %d", len(intro), len(doc["fixed"].([]any)))
	}
	if got, want := keys(intro[0].(map[string]any)), keys(check.Findings[0]); !reflect.DeepEqual(got, want) {
		t.Errorf("finding keys %v, check's %v", got, want)
	}
	sum := doc["summary"].(map[string]any)
	if sum["introduced"].(map[string]any)["blocker"] != float64(2) || sum["unchanged_findings"] != float64(3) {
		t.Errorf("summary = %v", sum)
	}
	// Not compared → null; compared but equal → [].
	r := fixture()
	r.Outputs, r.Metadata = false, false
	var doc2 struct {
		Cells []struct {
			Outputs  []any `json:"outputs"`
			Metadata []any `json:"metadata"`
			Hunks    []any `json:"hunks"`
		} `json:"cells"`
		NotebookMetadata []any `json:"notebook_metadata"`
	}
	if err := json.Unmarshal([]byte(render(t, "json", r, Options{})), &doc2); err != nil {
		t.Fatal(err)
	}
	if doc2.Cells[1].Outputs != nil || doc2.Cells[1].Metadata != nil || doc2.NotebookMetadata != nil {
		t.Error("outputs/metadata not compared but not null")
	}
	if doc2.Cells[0].Hunks == nil {
		t.Error("an unchanged cell's hunks are null, want []")
	}
}

func TestMarkdown(t *testing.T) {
	out := render(t, "markdown", fixture(), Options{})
	for _, want := range []string{
		"## nbprod diff: `notebooks/churn.ipynb`\n",
		"### Introduced findings\n",
		"| **blocker** | [NB401](https://github.com/nbprod/nbprod/blob/main/analyze/rules/docs/NB401.md) hardcoded-secret | cell 4, line 1, col 12 |",
		"| warning | [NB102]",
		"old cell 5, line 1, col 1",
		"````diff\n@@ -1,2 +0,0 @@\n-## Notes\n-Use ```df.info()``` | *not* this\n````\n",
		"@\u200banna",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "cc @anna") {
		t.Error("a GitHub mention in a message survives in the comment")
	}

	// A huge change is cut below GitHub's comment limit.
	r := fixture()
	big := nbdiff.Hunk{OldStart: 0, OldLines: 0, NewStart: 1, NewLines: 2000}
	for i := 0; i < 2000; i++ {
		big.Lines = append(big.Lines, nbdiff.Line{Op: nbdiff.Insert, Text: strings.Repeat("x", 60), New: i + 1})
	}
	for i := 0; i < 5; i++ {
		r.Cells = append(r.Cells, nbdiff.CellChange{Status: nbdiff.Added, Old: -1, New: 5 + i, Kind: notebook.Code, Source: []nbdiff.Hunk{big}})
	}
	out = render(t, "markdown", r, Options{})
	if len(out) > 65536 {
		t.Errorf("markdown is %d characters, over GitHub's limit", len(out))
	}
	if !strings.Contains(out, "more changes not shown") || !strings.Contains(out, "<details>") {
		t.Error("a long diff is neither collapsed nor cut with a note")
	}
}

func TestUnknownFormat(t *testing.T) {
	if err := Write(&bytes.Buffer{}, "sarif", fixture(), Options{}); err == nil {
		t.Error("sarif accepted")
	}
}
