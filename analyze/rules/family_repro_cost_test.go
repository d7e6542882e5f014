package rules

import (
	"strings"
	"testing"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/analyzetest"
)

var reproCostIDs = []string{"NB201", "NB202", "NB204", "NB205", "NB701", "NB702", "NB703", "NB704"}

// TestReproCostFixtures checks NB201, NB202, NB204, NB205 and NB701–NB704
// on the fixture notebooks in testdata/repro_cost (want comments mark the
// expected findings; unexpected ones fail).
func TestReproCostFixtures(t *testing.T) {
	analyzetest.RunDir(t, All(), "testdata/repro_cost", reproCostIDs...)
}

// runWithOptions checks a fixture with one rule enabled and its options set.
func runWithOptions(t *testing.T, src, id string, opts map[string]any) []analyze.Finding {
	t.Helper()
	nb, err := analyzetest.Notebook(src)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &analyze.Config{Options: map[string]map[string]any{id: opts}}
	s, err := cfg.Resolve(All(), analyze.Overrides{Select: []string{id}})
	if err != nil {
		t.Fatal(err)
	}
	var out []analyze.Finding
	for _, f := range analyze.CheckNotebook(nb, s) {
		if f.Rule == id {
			out = append(out, f)
		}
	}
	return out
}

func TestSeedHelpersOption(t *testing.T) {
	src := "# %%\nimport numpy as np\nfrom mylib.utils import fix_seeds\n\n# %%\nfix_seeds(1)\nx = np.random.rand(3)\n"
	if fs := runWithOptions(t, src, "NB201", nil); len(fs) != 1 {
		t.Fatalf("without the option: want 1 NB201, got %v", analyzetest.Describe(fs))
	}
	if fs := runWithOptions(t, src, "NB201", map[string]any{"seed-helpers": []any{"fix_seeds"}}); len(fs) != 0 {
		t.Fatalf("with seed-helpers=[fix_seeds]: want none, got %v", analyzetest.Describe(fs))
	}
	if fs := runWithOptions(t, src, "NB201", map[string]any{"seed-helpers": []any{"mylib.utils.fix_seeds"}}); len(fs) != 0 {
		t.Fatalf("with the qualified helper name: want none, got %v", analyzetest.Describe(fs))
	}
}

func TestMinBillionsOption(t *testing.T) {
	src := "# %%\nfrom transformers import AutoModel\n\n# %%\nm = AutoModel.from_pretrained(\"org/model-3b\", revision=\"abcdef0\")\n"
	if fs := runWithOptions(t, src, "NB703", nil); len(fs) != 0 {
		t.Fatalf("3B under the default 7B threshold: got %v", analyzetest.Describe(fs))
	}
	fs := runWithOptions(t, src, "NB703", map[string]any{"min-billions": 3})
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "3B parameters") {
		t.Fatalf("min-billions=3: want one finding stating 3B, got %v", analyzetest.Describe(fs))
	}
}

// TestReproCostMessages pins the facts the messages promise: the static
// number of paid calls per row, the functions on the way, and the clock
// source with the name it travelled through.
func TestReproCostMessages(t *testing.T) {
	src := `# %%
from openai import OpenAI
client = OpenAI()

# %%
def ask(q):
    a = client.chat.completions.create(model="m", messages=[])
    b = client.chat.completions.create(model="m", messages=[])
    return a, b


def per_row(row):
    return ask(row["q"])


df["a"] = df.apply(per_row, axis=1)
`
	fs := runWithOptions(t, src, "NB701", nil)
	if len(fs) != 1 {
		t.Fatalf("want 1 NB701, got %v", analyzetest.Describe(fs))
	}
	m := fs[0].Message
	for _, want := range []string{"2 paid API calls per row", "per_row() → ask()", "2×N"} {
		if !strings.Contains(m, want) {
			t.Errorf("NB701 message %q lacks %q", m, want)
		}
	}
	if got := fs[0].Data["calls_per_row"]; got != 2 {
		t.Errorf("calls_per_row = %v, want 2", got)
	}

	src = "# %%\nfrom datetime import date\nasof = date.today()\n\n# %%\nkeep = df[df.day <= asof]\n"
	fs = runWithOptions(t, src, "NB204", nil)
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "`asof`") || !strings.Contains(fs[0].Message, "in cell 1") {
		t.Fatalf("NB204: want one finding naming `asof` from cell 1, got %v", analyzetest.Describe(fs))
	}
	if fs[0].Data["sinks"].([]string)[0] != "comparison" {
		t.Errorf("NB204 sinks = %v", fs[0].Data["sinks"])
	}
}
