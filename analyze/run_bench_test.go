package analyze_test

// Benchmarks of the rule run (issue 12). They live in the external test
// package so that they can use the rule registry (analyze/rules imports
// analyze). Run them with
//
//	go test ./analyze -run '^$' -bench . -benchmem
//
// BenchmarkRunDir checks a directory of real notebooks end to end (discover,
// read, analyse, all rules) the way `nbprod check` does minus the report;
// scripts/bench --profile uses it for CPU profiles. It reads NBPROD_BENCH_DIR,
// else ../shared/corpus next to the repository, and is skipped when neither
// exists.

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/rules"
	"github.com/nbprod/nbprod/notebook"
)

func allRules(b *testing.B) *analyze.Settings {
	b.Helper()
	s, err := (&analyze.Config{}).Resolve(rules.All(), analyze.Overrides{Select: []string{"ALL"}})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkCheckNotebook runs every rule over a realistic notebook already
// in memory (masking, parsing, def-use, the shared facts, every rule,
// suppressions, snippets and fingerprints) at three sizes, so that
// per-cell cost and super-linear growth both show.
func BenchmarkCheckNotebook(b *testing.B) {
	s := allRules(b)
	for _, cells := range []int{12, 48, 480} {
		data := realisticNotebook(cells)
		nb, err := notebook.ReadIPYNB("bench.ipynb", bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("cells=%d", cells), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			var n int
			for i := 0; i < b.N; i++ {
				n = len(analyze.CheckNotebook(nb, s))
			}
			b.ReportMetric(float64(n), "findings/op")
		})
	}
}

// BenchmarkRun measures analyze.Run (parallel workers, reading from disk,
// the sort and summary) over 64 copies of the realistic notebook in a
// temporary directory.
func BenchmarkRun(b *testing.B) {
	s := allRules(b)
	dir := b.TempDir()
	data := realisticNotebook(48)
	for i := 0; i < 64; i++ {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("nb%02d.ipynb", i)), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	inputs, err := analyze.Discover([]string{dir}, false, s)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(64 * len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res := analyze.Run(inputs, analyze.RunOptions{Settings: s})
		if len(res.Notebooks) != 64 || len(res.Errors) > 0 {
			b.Fatalf("checked %d notebooks, %d internal errors", len(res.Notebooks), len(res.Errors))
		}
	}
}

// BenchmarkRunDir checks a directory of real notebooks (see the file
// comment).
func BenchmarkRunDir(b *testing.B) {
	dir := os.Getenv("NBPROD_BENCH_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "corpus")
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		b.Skipf("no notebook directory %s (set NBPROD_BENCH_DIR)", dir)
	}
	s := allRules(b)
	inputs, err := analyze.Discover([]string{dir}, false, s)
	if err != nil {
		b.Fatal(err)
	}
	if len(inputs) == 0 {
		b.Skipf("no notebooks in %s", dir)
	}
	var size int64
	for _, in := range inputs {
		if st, err := os.Stat(in.File); err == nil {
			size += st.Size()
		}
	}
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res := analyze.Run(inputs, analyze.RunOptions{Settings: s})
		if i == 0 {
			b.ReportMetric(float64(len(res.Findings)), "findings/op")
		}
	}
	b.ReportMetric(float64(len(inputs)), "notebooks/op")
}

// realisticNotebook returns an nbformat 4 notebook of the given number of
// cells in the shape of a working data-science notebook: markdown between
// code cells, imports, magics and installs, data loading from local and
// remote paths, training loops, functions and classes, outputs of every
// kind (stream, tables, a small image, an error), out-of-order execution
// counts, and a personal value in an output. No value in it is a real
// credential.
func realisticNotebook(cells int) []byte {
	var b strings.Builder
	b.WriteString("{\n \"cells\": [\n")
	count := 0
	for i := 0; i < cells; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		if i%4 == 3 {
			fmt.Fprintf(&b, `  {"cell_type": "markdown", "id": "m%d", "metadata": {}, "source": [%s]}`,
				i, jsonLines(fmt.Sprintf("## Step %d\n\nWe look at `frame_%d` again and fit the model.\n", i, i-1)))
			continue
		}
		count++
		ec := count
		if i%11 == 5 {
			ec = count + 7 // run out of order
		}
		src, outputs := benchCode(count-1, ec)
		fmt.Fprintf(&b, `  {"cell_type": "code", "execution_count": %d, "id": "c%d", "metadata": {}, "outputs": [%s], "source": [%s]}`,
			ec, i, strings.Join(outputs, ", "), jsonLines(src))
	}
	b.WriteString("\n ],\n \"metadata\": {\"kernelspec\": {\"display_name\": \"Python 3\", \"language\": \"python\", \"name\": \"python3\"}, " +
		"\"language_info\": {\"name\": \"python\", \"version\": \"3.11.7\"}},\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}\n")
	return []byte(b.String())
}

func jsonLines(s string) string {
	parts := strings.SplitAfter(s, "\n")
	if parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	for i, p := range parts {
		parts[i] = fmt.Sprintf("%q", p)
	}
	return strings.Join(parts, ", ")
}

func streamOut(text string) string {
	return fmt.Sprintf(`{"name": "stdout", "output_type": "stream", "text": [%s]}`, jsonLines(text))
}

// benchCode returns the source and outputs of the i-th code cell.
func benchCode(i, ec int) (string, []string) {
	p := i - 1
	switch i % 12 {
	case 0:
		return fmt.Sprintf("%%matplotlib inline\n!pip install pandas scikit-learn\nimport os\nimport json\nimport numpy as np\nimport pandas as pd\nimport matplotlib.pyplot as plt\nfrom sklearn.model_selection import train_test_split\nSEED_%d = 42\n", i),
			[]string{streamOut("Requirement already satisfied: pandas in /usr/lib/python3/dist-packages (2.1.4)\n")}
	case 1:
		return fmt.Sprintf("frame_%d = pd.read_csv(\"/home/anna/Downloads/customers.csv\")\nremote_%d = pd.read_csv(\"https://example.com/data/latest/customers.csv\")\nframe_%d.head()\n", i, i, i),
			[]string{fmt.Sprintf(`{"data": {"text/html": ["<table><tr><th>customer_id</th><th>email</th></tr>\n", "<tr><td>1</td><td>anna.example@example.com</td></tr></table>"], "text/plain": ["   customer_id  email\n", "0  1  anna.example@example.com"]}, "execution_count": %d, "metadata": {}, "output_type": "execute_result"}`, ec)}
	case 2:
		return fmt.Sprintf("features_%d = [c for c in frame_%d.columns if c not in (\"churn\", \"customer_id\")]\nX_train, X_test, y_train, y_test = train_test_split(frame_%d[features_%d], frame_%d.churn, test_size=0.2)\nnp.random.shuffle(features_%d)\n", i, p, p, i, p, i), nil
	case 4:
		return fmt.Sprintf("def score_%d(frame, model, threshold=0.5):\n    probs = model.predict_proba(frame[features_%d])[:, 1]\n    return (probs > threshold).astype(int)\n\n\nfor _, row in frame_%d.iterrows():\n    print(row.customer_id, score_%d(row, model))\n", i, p, p-3, i),
			[]string{`{"ename": "NameError", "evalue": "name 'model' is not defined", "output_type": "error", "traceback": ["\u001b[0;31mNameError\u001b[0m: name 'model' is not defined"]}`}
	case 5:
		return fmt.Sprintf("%%%%time\nhistory_%d = []\nfor epoch in range(20):\n    loss = 1.0 / (epoch + 1)\n    history_%d.append(loss)\n    print(f\"epoch {epoch}: {loss:.3f}\")\n", i, i),
			[]string{streamOut("epoch 0: 1.000\nepoch 1: 0.500\nCPU times: user 2 ms, sys: 1 ms\n")}
	case 6:
		return fmt.Sprintf("class Pipeline%d:\n    def __init__(self, steps=None):\n        self.steps = steps or []\n\n    def fit(self, X, y=None):\n        for step in self.steps:\n            X = step.fit_transform(X, y)\n        return self\n\n\npipe_%d = Pipeline%d().fit(X_train, y_train)\n", i, i, i), nil
	case 7:
		return fmt.Sprintf("fig, ax = plt.subplots(figsize=(8, 4))\nax.plot(history_%d)\nplt.savefig(os.path.join(os.path.expanduser(\"~\"), \"figures\", \"loss_%d.png\"))\n", p-2, i),
			[]string{`{"data": {"image/png": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\n", "text/plain": ["<Figure size 800x400 with 1 Axes>"]}, "metadata": {}, "output_type": "display_data"}`}
	case 8:
		return fmt.Sprintf("import requests\nresp_%d = requests.get(\"https://api.example.com/v1/scores\", params={\"limit\": 100}, timeout=10)\nscores_%d = resp_%d.json()\nwith open(\"output/scores_%d.json\", \"w\") as fh:\n    json.dump(scores_%d, fh)\n", i, i, i, i, i), nil
	case 9:
		return fmt.Sprintf("merged_%d = frame_%d.merge(frame_%d, on=\"customer_id\", how=\"left\")\nmerged_%d = merged_%d.dropna().reset_index(drop=True)\nmerged_%d.describe()\n", i, p-8, p-8, i, i, i),
			[]string{fmt.Sprintf(`{"data": {"text/plain": ["count  100.0\n", "mean     0.5"]}, "execution_count": %d, "metadata": {}, "output_type": "execute_result"}`, ec)}
	case 10:
		return fmt.Sprintf("df = frame_%d.copy()  # nbprod: ignore[NB704] -- small frame\ndf[\"bucket\"] = pd.cut(df.tenure, bins=[0, 12, 24, 60])\ndf = df[df.bucket.notna()]\n", p-9), nil
	default:
		return fmt.Sprintf("results_%d = {\"model\": \"gbm\", \"score\": 0.91, \"params\": {\"depth\": 6}}\nprint(json.dumps(results_%d, indent=2))\nundefined_name_%d\n", i, i, i),
			[]string{streamOut("{\n  \"model\": \"gbm\"\n}\n")}
	}
}
