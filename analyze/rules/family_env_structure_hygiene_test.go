package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/analyzetest"
	"github.com/nbprod/nbprod/notebook"
)

// TestEnvironmentFixtures checks NB203, the NB6xx rules and NB706 on the
// fixture notebooks in testdata/env_structure_hygiene/env.
func TestEnvironmentFixtures(t *testing.T) {
	analyzetest.RunDir(t, All(), "testdata/env_structure_hygiene/env", "NB203", "NB60", "NB706")
}

// TestStructureFixtures checks the NB8xx rules (but NB805).
func TestStructureFixtures(t *testing.T) {
	analyzetest.RunDir(t, All(), "testdata/env_structure_hygiene/structure", "NB801", "NB802", "NB803", "NB804",
		"NB806", "NB807", "NB808")
}

// TestHygieneFixtures checks the NB9xx rules.
func TestHygieneFixtures(t *testing.T) {
	analyzetest.RunDir(t, All(), "testdata/env_structure_hygiene/hygiene", "NB90")
}

// checkWith runs one rule on a fixture with rule options set.
func checkWith(t *testing.T, src, id string, opts map[string]any) []analyze.Finding {
	t.Helper()
	nb, err := analyzetest.Notebook(src)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &analyze.Config{Select: []string{id}, Options: map[string]map[string]any{id: opts}}
	s, err := cfg.Resolve(All(), analyze.Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	return analyze.CheckNotebook(nb, s)
}

func TestNoFunctionsThreshold(t *testing.T) {
	src := "# %%\nimport pandas as pd\n# a comment\n\ndf = pd.read_csv('x.csv')\n%matplotlib inline\ndf = df.dropna()\ndf.to_csv('y.csv')\n"
	// 4 code lines: the comment, the blank line and the magic do not count.
	analyzetest.Expect(t, checkWith(t, src, "NB801", map[string]any{"min-code-lines": 4}),
		analyzetest.Want{Rule: "NB801", Cell: 0, Severity: "warning", Msg: "4 lines of code"})
	analyzetest.Expect(t, checkWith(t, src, "NB801", map[string]any{"min-code-lines": 5}))
	withDef := src + "def f():\n    return 1\n"
	analyzetest.Expect(t, checkWith(t, withDef, "NB801", map[string]any{"min-code-lines": 1}))
	// Exploratory notebooks are not meant for packaging.
	for kind, want := range map[string]int{"exploratory": 0, "pipeline": 1} {
		nb, err := notebook.ReadIPYNB("eda.ipynb", strings.NewReader(`{"nbformat": 4, "nbformat_minor": 5,
			"metadata": {"nbprod": {"kind": "`+kind+`"}, "language_info": {"name": "python"}},
			"cells": [{"cell_type": "code", "id": "a", "execution_count": 1, "metadata": {}, "outputs": [],
			"source": "import pandas as pd\ndf = pd.read_csv('x.csv')"}]}`))
		if err != nil {
			t.Fatal(err)
		}
		cfg := &analyze.Config{Select: []string{"NB801"}, Options: map[string]map[string]any{"NB801": {"min-code-lines": 1}}}
		s, err := cfg.Resolve(All(), analyze.Overrides{})
		if err != nil {
			t.Fatal(err)
		}
		if got := analyze.CheckNotebook(nb, s); len(got) != want {
			t.Errorf("nbprod.kind %s: got %d NB801 findings, want %d", kind, len(got), want)
		}
	}
}

func TestOversizedCellOrNotebookThresholds(t *testing.T) {
	// 5 statements in the first cell (the for header and its body count,
	// the magic line does not); a long literal is one statement.
	src := "# %%\nimport os\n%time x = 1\nfor i in range(3):\n    print(i)\ny = 2\n\n# %%\ncols = [\n 'a',\n 'b',\n 'c',\n 'd',\n 'e',\n 'f',\n]\n\n# %%\nz = 3\n"
	analyzetest.Expect(t, checkWith(t, src, "NB802", map[string]any{"max-statements-in-cell": 4, "max-cells-in-notebook": 2}),
		analyzetest.Want{Rule: "NB802", Cell: 1, Line: 1, Severity: "info", Msg: "5 statements"},
		analyzetest.Want{Rule: "NB802", Cell: 0, Severity: "info", Msg: "3 code cells"})
	analyzetest.Expect(t, checkWith(t, src, "NB802", map[string]any{"max-statements-in-cell": 5, "max-cells-in-notebook": 3}))
}

func TestDefaultNotebookNamePaths(t *testing.T) {
	for _, tc := range []struct {
		path string
		msg  string
	}{
		{"notebooks/Untitled.ipynb", "default name"},
		{"Untitled12.ipynb", "default name"},
		{"analysis-Copy2.ipynb", "copy"},
		{"Copy of churn model.ipynb", "copy"},
		{"notebooks/churn (v2).ipynb", "not portable (space, (, ))"},
		{"modèle.ipynb", "not portable (è)"},
		{"notebooks/churn_training-v2.ipynb", ""},
		{"untitled_analysis.ipynb", ""},
	} {
		nb, err := analyzetest.Notebook("# %%\nimport pandas as pd\n")
		if err != nil {
			t.Fatal(err)
		}
		nb.Path = tc.path
		got := analyzetest.RunNotebook(t, All(), nb, "NB905")
		if tc.msg == "" {
			analyzetest.Expect(t, got)
			continue
		}
		analyzetest.Expect(t, got, analyzetest.Want{Rule: "NB905", Cell: 0, Severity: "info", Msg: tc.msg})
	}
}

// TestDependencyManifests runs NB604 on notebooks read from a project
// directory, where manifests are found and read.
func TestDependencyManifests(t *testing.T) {
	root := t.TempDir()
	write := func(rel, text string) {
		t.Helper()
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(".git/HEAD", "ref: refs/heads/main\n")
	write("requirements.txt", "pandas==2.2.2\nscikit-learn>=1.4  # models\n-r requirements-extra.txt\n")
	write("requirements-extra.txt", "opencv-python-headless==4.9.0.80\n")
	write("notebooks/helpers.py", "def clean(df):\n    return df\n")
	write("src/churn/__init__.py", "")
	fixture := "# %%\nimport os\nimport pandas as pd\nfrom sklearn.linear_model import LogisticRegression\nimport cv2\nimport helpers\nfrom churn import features\n" +
		"import yaml\nfrom google.cloud import bigquery\nimport tomllib\ntry:\n    import ujson as json\nexcept ImportError:\n    import json\n" +
		"import totally_unknown_module\n\n# %%\n!pip install pyyaml==6.0.1  # want NB603\n"
	write("notebooks/churn.py", fixture)

	// With a pyproject.toml the project package counts as declared too.
	write("pyproject.toml", "[project]\nname = \"churn\"\nrequires-python = \">=3.11\"\ndependencies = [\"google-cloud-bigquery>=3\"]\n")

	cfg := &analyze.Config{Select: []string{"NB603", "NB604"}}
	s, err := cfg.Resolve(All(), analyze.Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	res := analyze.Run([]analyze.Input{{Path: "notebooks/churn.py", File: filepath.Join(root, "notebooks/churn.py")}}, analyze.RunOptions{Settings: s, Jobs: 1})
	analyzetest.Expect(t, res.Findings,
		analyzetest.Want{Rule: "NB603", Cell: 2, Line: 1},
		analyzetest.Want{Rule: "NB604", Cell: 1, Line: 7, Severity: "warning",
			Msg: "2 imported packages are not declared in pyproject.toml, requirements-extra.txt, requirements.txt: PyYAML (import yaml) (installed in cell 2); and a module nbprod does not know (a package, or a local module missing from the repository?): totally_unknown_module"})

	// Without any manifest, every third-party import is undeclared.
	bare := t.TempDir()
	if err := os.WriteFile(filepath.Join(bare, "nb.py"), []byte("# %%\nimport numpy as np\nimport sklearn\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res = analyze.Run([]analyze.Input{{Path: "nb.py", File: filepath.Join(bare, "nb.py")}}, analyze.RunOptions{Settings: s, Jobs: 1})
	analyzetest.Expect(t, res.Findings, analyzetest.Want{Rule: "NB604", Cell: 1, Line: 1, Severity: "warning",
		Msg: "no dependency manifest (requirements*.txt, pyproject.toml, environment.yml, Pipfile, setup.py) next to the notebook or in the repository: 2 imported packages are undeclared: numpy, scikit-learn (import sklearn); the Python version is unknown too"})
}
