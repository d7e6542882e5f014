package facts

import (
	"testing"

	ps "github.com/nbprod/nbprod/analyze/pysyntax"
	"github.com/nbprod/nbprod/notebook"
)

// notebookOf builds a notebook of code cells.
func notebookOf(cells ...string) *notebook.Notebook {
	nb := &notebook.Notebook{Format: notebook.FormatIPYNB, Language: "python"}
	for i, src := range cells {
		nb.Cells = append(nb.Cells, notebook.Cell{Index: i, Kind: notebook.Code, Source: src})
	}
	return nb
}

// lastCallArg folds the first argument of the last call in the last cell.
func lastCallArg(t *testing.T, cells ...string) Folded {
	t.Helper()
	w := NewWorker()
	defer w.Close()
	fx := w.New(notebookOf(cells...), Env{})
	calls := fx.CallsIn(len(cells) - 1)
	if len(calls) == 0 {
		t.Fatalf("no call in %q", cells[len(cells)-1])
	}
	// The outermost call is the first in preorder.
	c := calls[0]
	return fx.Fold(c.Cell, c.Positional(0))
}

func TestFold(t *testing.T) {
	cases := []struct {
		cells    []string
		want     string
		complete bool
	}{
		{[]string{`pd.read_csv("data/x.csv")`}, "data/x.csv", true},
		{[]string{`pd.read_csv("data/" "x.csv")`}, "data/x.csv", true},
		{[]string{`pd.read_csv("/home/a" + "/x.csv")`}, "/home/a/x.csv", true},
		{[]string{`DATA = "/home/a"`, `pd.read_csv(f"{DATA}/x.csv")`}, "/home/a/x.csv", true},
		{[]string{`pd.read_csv(f"{unknown}/x.csv")`}, "", false},
		{[]string{`DATA = "/d"`, `pd.read_csv(f"{DATA}/{name}.csv")`}, "/d/", false},
		{[]string{`import os`, `pd.read_excel(os.path.join(os.path.expanduser("~"), "Downloads", "leads.xlsx"))`}, "~/Downloads/leads.xlsx", true},
		{[]string{`from pathlib import Path`, `raw = Path("/mnt/shared/raw") / "events.jsonl"`, `pd.read_json(raw)`}, "/mnt/shared/raw/events.jsonl", true},
		{[]string{`from pathlib import Path`, `open(Path.home() / "x.txt")`}, "~/x.txt", true},
		{[]string{`open("/data/%s.csv" % "train")`}, "/data/train.csv", true},
		{[]string{`open("/data/{}.csv".format("train"))`}, "/data/train.csv", true},
		{[]string{`open("/data/{name}.csv".format(name="t"))`}, "/data/t.csv", true},
		{[]string{`import os`, `open(os.environ.get("DATA", "/abs/x.csv"))`}, "/abs/x.csv", true},
		{[]string{`open(r"C:\Users\anna\x.csv")`}, `C:\Users\anna\x.csv`, true},
		{[]string{`open("C:\\Users\\anna\\x.csv")`}, `C:\Users\anna\x.csv`, true},
		{[]string{`x = 3`, `open(x)`}, "", false},
		{[]string{`P = "a"`, `P = "b"`, `open(P)`}, "b", true},
		{[]string{`P = "/data/x.csv"`, "def load(P):\n    return open(P)"}, "", false},
	}
	for _, c := range cases {
		got := lastCallArg(t, c.cells...)
		if got.Value != c.want || got.Complete != c.complete {
			t.Errorf("%q: got %q complete=%v, want %q complete=%v", c.cells, got.Value, got.Complete, c.want, c.complete)
		}
	}
}

func TestCallSites(t *testing.T) {
	w := NewWorker()
	defer w.Close()
	fx := w.New(notebookOf(
		"import pandas as pd\nfrom sklearn.model_selection import train_test_split as tts\nimport numpy as np",
		"df = pd.read_csv('x.csv')\nfor r in rows:\n    np.random.seed(1)\ntts(df)\ndf.loc[0].to_csv('y.csv', index=False)\ndef f():\n    return [g(x) for x in y]",
	), Env{})
	calls := fx.CallsIn(1)
	want := []struct {
		qual, method, receiver, fn string
		loops                      int
	}{
		{"pandas.read_csv", "read_csv", "pd", "", 0},
		{"numpy.random.seed", "seed", "np", "", 1},
		{"sklearn.model_selection.train_test_split", "tts", "", "", 0},
		{"", "to_csv", "df", "", 0},
		{"g", "g", "", "f", 1},
	}
	if len(calls) != len(want) {
		t.Fatalf("got %d calls, want %d", len(calls), len(want))
	}
	for i, w := range want {
		c := calls[i]
		if c.Qual != w.qual || c.Method != w.method || c.Receiver != w.receiver || c.Function != w.fn || c.Loops != w.loops {
			t.Errorf("call %d: got qual=%q method=%q receiver=%q fn=%q loops=%d, want %+v", i, c.Qual, c.Method, c.Receiver, c.Function, c.Loops, w)
		}
	}
	if q := fx.Qualify(0, "numpy.random.seed"); q != "numpy.random.seed" {
		t.Errorf("Qualify of an unimported dotted name: %q", q)
	}
	if kw := calls[3].Keyword("index"); kw == ps.NoNode || calls[3].Cell.Tree.Kind(kw) != ps.False {
		t.Errorf("keyword index=False not found")
	}
}

func TestQualifyDottedImports(t *testing.T) {
	w := NewWorker()
	defer w.Close()
	fx := w.New(notebookOf("import urllib.request\nimport os.path\nimport matplotlib.pyplot as plt\nfrom a.b import c as d"), Env{})
	for in, want := range map[string]string{
		"urllib.request.urlretrieve": "urllib.request.urlretrieve",
		"os.path.join":               "os.path.join",
		"plt.savefig":                "matplotlib.pyplot.savefig",
		"d.run":                      "a.b.c.run",
	} {
		if got := fx.Qualify(0, in); got != want {
			t.Errorf("Qualify(%q) = %q, want %q", in, got, want)
		}
	}
}
