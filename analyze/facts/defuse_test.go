package facts

import (
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/nbprod/nbprod/notebook"
)

// analyzeOne analyses a single cell (with earlier cells, for automagic
// shadowing and constant resolution).
func analyzeOne(t *testing.T, cells ...string) *Cell {
	t.Helper()
	w := NewWorker()
	t.Cleanup(w.Close)
	fx := w.New(notebookOf(cells...), Env{})
	return fx.Cell(len(cells) - 1)
}

func set(s string) []string {
	if s == "" {
		return nil
	}
	out := strings.Fields(s)
	sort.Strings(out)
	return out
}

func sameSet(a []string, want string) bool {
	got := append([]string(nil), a...)
	sort.Strings(got)
	w := set(want)
	if len(got) != len(w) {
		return false
	}
	for i := range got {
		if got[i] != w[i] {
			return false
		}
	}
	return true
}

// TestDefUse: each construct of issue 3 with the exact sets expected
// (CONTRACT.md §2 and the oracle's rules D–G).
func TestDefUse(t *testing.T) {
	cases := []struct {
		name, src                       string
		defines, uses, mutates, deletes string
		eager                           string // "-" = same as uses
	}{
		// defines
		{"assign", "x = y", "x", "y", "", "", "-"},
		{"unpacking and starred", "a, (b, *c) = d", "a b c", "d", "", "", "-"},
		{"chained", "a = b = f()", "a b", "f", "", "", "-"},
		{"annotated with value", "x: int = 3", "x", "", "", "", "-"},
		{"annotated without value defines nothing", "x: MyType", "", "MyType", "", "", "-"},
		{"augmented defines and uses", "y += 1", "y", "y", "", "", "-"},
		{"for target", "for i, (k, v) in items:\n    pass", "i k v", "items", "", "", "-"},
		{"with as", "with open(p) as f, g as (h, j):\n    pass", "f h j", "p g", "", "", "-"},
		{"except as defines nothing", "try:\n    pass\nexcept E as e:\n    print(e)", "", "E", "", "", "-"},
		{"walrus module level", "if (n := len(xs)) > 3:\n    pass", "n", "xs", "", "", "-"},
		{"walrus in comprehension binds module name", "ys = [z for x in xs if (z := x)]", "ys z", "xs", "", "", "-"},
		{"comprehension variables are local", "ys = [x * k for x in xs]", "ys", "k xs", "", "", "-"},
		{"imports and aliases", "import a.b.c\nimport d.e as f\nfrom g import h as i, j", "a f i j", "", "", "", "-"},
		{"def and class names", "def f():\n    pass\nclass C:\n    pass", "C f", "", "", "", "-"},
		{"global assigned in a function", "def set_x():\n    global x\n    x = 1", "set_x x", "", "", "", ""},
		{"global only read is a use", "def get_x():\n    global x\n    return x", "get_x", "x", "", "", ""},
		{"match captures", "match p:\n    case [a, *rest]:\n        pass\n    case {\"k\": v, **kw}:\n        pass\n    case Point(x=px) as pt:\n        pass\n    case Color.RED:\n        pass", "a kw pt px rest v", "Color Point p", "", "", "-"},
		{"del name", "del x, y", "", "", "", "x y", "-"},
		// uses
		{"use before def in cell", "print(x)\nx = 1\nprint(x)", "x", "x", "", "", "-"},
		{"def after use is still a use", "y = x\nx = 2", "x y", "x", "", "", "-"},
		{"free names of functions", "def f(a):\n    return a + b + len(c)", "f", "b c", "", "", ""},
		{"function reading a name the cell binds is not a use", "def f():\n    return k\nk = 1", "f k", "", "", "", ""},
		{"lambda free names", "g = lambda r: r * rate", "g", "rate", "", "", ""},
		{"anonymous lambda runs with the cell", "df.apply(lambda r: r * rate)", "", "df rate", "", "", "df rate"},
		{"class body does not leak into methods", "class C:\n    k = 1\n    def m(self):\n        return k", "C", "k", "", "", ""},
		{"class body reads", "class C(Base):\n    size = SIZE\n    y = size + 1", "C", "Base SIZE", "", "", "-"},
		{"comprehension iterable in enclosing scope", "class C:\n    xs = [1]\n    k = 2\n    ys = [x + k for x in xs]", "C", "k", "", "", "-"},
		{"default arguments and decorators at def time", "@register(app)\ndef f(a=default, *, b=other):\n    return a", "f", "app default other register", "", "", "-"},
		{"annotations at def time", "def f(a: T) -> R:\n    pass", "f", "R T", "", "", "-"},
		{"closure names are not uses", "def outer():\n    v = 1\n    def inner():\n        return v\n    return inner", "outer", "", "", "", ""},
		{"nonlocal is not a use", "def outer():\n    v = 1\n    def inner():\n        nonlocal v\n        v = 2", "outer", "", "", "", ""},
		{"builtins and IPython names are not uses", "print(len(In), Out, _, _3, display, get_ipython)", "", "", "", "", "-"},
		{"f-string interpolation", "s = f\"{name!r:>{width}}\"", "s", "name width", "", "", "-"},
		{"unreachable code still counts for the oracle", "def f():\n    return 1\n    return ghost", "f", "ghost", "", "", ""},
		// mutates
		{"subscript and attribute stores", "df[\"a\"] = 1\nobj.x.y = 2", "", "df obj", "df obj", "", "-"},
		{"store on a name bound in the cell is still a mutation", "d = {}\nd[\"k\"] = 1", "d", "", "d", "", "-"},
		{"augmented attribute", "self_obj.count += 1", "", "self_obj", "self_obj", "", "-"},
		{"del subscript mutates", "del cache[key]", "", "cache key", "cache", "", "-"},
		{"method calls are not mutations", "lst.append(1)\ndf.drop(columns=[\"a\"], inplace=True)", "", "df lst", "", "", "-"},
		{"mutations inside functions are not recorded", "def f():\n    df[\"a\"] = 1", "f", "df", "", "", ""},
		// IPython syntax
		{"shell assign defines", "files = !ls data", "files", "", "", "", "-"},
		{"magic assign defines", "out = %sx echo hi", "out", "", "", "", "-"},
		{"%time keeps the statement", "%time model = fit(X)", "model", "X fit", "", "", "-"},
		{"%%timeit body defines nothing", "%%timeit\ny = f(x)", "", "f x", "", "", "-"},
		{"%%capture binds its name", "%%capture out\nrun_it()", "out", "run_it", "", "", "-"},
		{"%%bash body is not Python", "%%bash\necho $HOME\nx = 1", "", "", "", "", "-"},
		{"help lines are masked", "np.sum?\nx = 1", "x", "", "", "", "-"},
		{"type alias", "type Vector = list[float]", "Vector", "", "", "", "-"},
	}
	for _, c := range cases {
		cell := analyzeOne(t, c.src)
		if cell == nil {
			t.Fatalf("%s: no cell", c.name)
		}
		eager := c.eager
		if eager == "-" {
			eager = c.uses
		}
		for _, chk := range []struct {
			what string
			got  []string
			want string
		}{{"defines", cell.Defines, c.defines}, {"uses", cell.Uses, c.uses}, {"mutates", cell.Mutates, c.mutates},
			{"deletes", cell.Deletes, c.deletes}, {"eager_uses", cell.EagerUses, eager}} {
			if !sameSet(chk.got, chk.want) {
				t.Errorf("%s: %s = %v, want [%s]\n%s", c.name, chk.what, chk.got, chk.want, c.src)
			}
		}
	}
}

func TestCallMutatesAndImports(t *testing.T) {
	c := analyzeOne(t, "import pandas as pd\nfrom sklearn import svm\nfrom os.path import *\nlst.append(1)\ndf.drop(columns=['a'], inplace=True)\nmodel.fit(X, y)\nfresh = []\nfresh.append(2)")
	if !sameSet(c.CallMutates, "df fresh lst model") {
		t.Errorf("call_mutates %v", c.CallMutates)
	}
	var ims []string
	for _, im := range c.Imports {
		ims = append(ims, im.Module+":"+im.Name+":"+im.Bound)
	}
	if got := strings.Join(ims, " "); got != "pandas::pd sklearn:svm:svm os.path:*:" {
		t.Errorf("imports %q", got)
	}
	if len(c.StarImports) != 1 || c.StarImports[0] != "os.path" || len(c.Dynamic) != 1 || c.Dynamic[0].Kind != "star-import" {
		t.Errorf("star import: %v %v", c.StarImports, c.Dynamic)
	}
}

func TestDynamicConstructs(t *testing.T) {
	cases := map[string]string{
		"exec(code)":          "exec",
		"eval(expr)":          "eval",
		"globals()['x'] = 1":  "globals",
		"globals().update(d)": "globals",
		"%run other.ipynb":    "run",
		"%store -r model":     "store",
		"%pylab inline":       "star-import",
		"from m import *":     "star-import",
		"get_ipython().run_line_magic('run', 'x.py')": "magic",
	}
	for src, want := range cases {
		c := analyzeOne(t, src)
		if len(c.Dynamic) == 0 || c.Dynamic[0].Kind != want {
			t.Errorf("%q: dynamic %v, want %s", src, c.Dynamic, want)
		}
	}
	if c := analyzeOne(t, "x = globals().get('y')"); len(c.Dynamic) != 0 {
		t.Errorf("reading globals() is not dynamic: %v", c.Dynamic)
	}
}

func TestFunctionsFree(t *testing.T) {
	c := analyzeOne(t, "def score(df):\n    return model.predict(df[FEATURES]) > threshold\n\nclass Scaler:\n    def __init__(self):\n        self.k = factor\n    def apply(self, x):\n        return helper(x) * self.k\n\nto_pct = lambda v: v * hundred\nmapped = list(map(lambda v: v + offset, vals))")
	want := map[string]string{"score": "FEATURES model threshold", "to_pct": "hundred", "<lambda>": "offset"}
	for _, f := range c.Functions {
		w, ok := want[f.Name]
		if !ok {
			t.Errorf("unexpected function %q", f.Name)
			continue
		}
		if !sameSet(f.Free, w) {
			t.Errorf("%s free %v, want [%s]", f.Name, f.Free, w)
		}
		delete(want, f.Name)
	}
	if len(want) > 0 {
		t.Errorf("missing functions %v", want)
	}
	if len(c.Classes) != 1 || c.Classes[0].Name != "Scaler" || !sameSet(c.Classes[0].Free, "factor helper") {
		t.Errorf("classes %+v", c.Classes)
	}
	// Anonymous lambdas run with the cell; named functions do not.
	if !sameSet(c.EagerUses, "offset vals") {
		t.Errorf("eager uses %v", c.EagerUses)
	}
}

func TestPython2AndSyntaxErrors(t *testing.T) {
	cases := map[string]string{
		"print 'x'":                             "print statement",
		"exec 'x = 1'":                          "exec statement",
		"x = 0777":                              "octal literal",
		"y = 10L":                               "long literal",
		"s = ur'x'":                             "string prefix",
		"if a <> b:\n    pass":                  "<> operator",
		"try:\n    f()\nexcept E, e:\n    pass": "except E, e",
		"r = `x`":                               "backtick",
		"def f(:\n    pass":                     "syntax error",
	}
	for src, want := range cases {
		c := analyzeOne(t, src)
		if c.ParseOK || len(c.Syntax) == 0 || !strings.Contains(c.Syntax[0].Msg, want) {
			t.Errorf("%q: ParseOK=%v syntax=%+v, want %q", src, c.ParseOK, c.Syntax, want)
		}
	}
	for _, ok := range []string{"print('x')", "x = 0o777", "y = 10", "s = rb'x'", "x = 0", "x = 00"} {
		if c := analyzeOne(t, ok); !c.ParseOK {
			t.Errorf("%q should parse: %+v", ok, c.Syntax)
		}
	}
}

func TestUsePositions(t *testing.T) {
	c := analyzeOne(t, "# comment\n  \nresult = café + missing")
	if p := c.UsePos["missing"]; p.Line != 3 || p.Col != 17 {
		t.Errorf("use position %+v, want 3:17 (columns in code points)", p)
	}
	// A %time prefix is removed by masking; positions stay in the original line.
	c = analyzeOne(t, "%time out = compute(data)")
	if p := c.UsePos["data"]; p.Line != 1 || p.Col != 21 {
		t.Errorf("%%time use position %+v, want 1:21", p)
	}
}

func TestCellGraph(t *testing.T) {
	w := NewWorker()
	defer w.Close()
	nb := notebookOf("import pandas as pd", "df = pd.read_csv(p)", "df['x'] = 1", "del df", "print(df, later)", "later = 2")
	ec := []int{1, 5, 3, 4, 2, 6}
	for i := range nb.Cells {
		nb.Cells[i].ExecCount = &ec[i]
	}
	fx := w.New(nb, Env{})
	g := fx.Graph()
	var edges []string
	for _, e := range g.Edges {
		edges = append(edges, strings.Join([]string{itoa(e.From), itoa(e.To), strings.Join(e.Names, ",")}, ">"))
	}
	if got := strings.Join(edges, " "); got != "0>1>pd 1>2>df" {
		t.Errorf("edges %q", got)
	}
	if !sameSet(g.Undefined[1], "p") || len(g.Undefined[4]) != 0 {
		t.Errorf("undefined %v", g.Undefined)
	}
	if fx.Provider(4, "df") != -1 {
		t.Errorf("del must cut the provider chain")
	}
	if fx.Provider(3, "df") != 2 || fx.Definer(3, "df") != 1 {
		t.Errorf("provider/definer of df at cell 3: %d %d", fx.Provider(3, "df"), fx.Definer(3, "df"))
	}
	// Execution order: cell 4 (count 2) ran after cell 0 only.
	var exec []string
	for _, e := range g.ExecEdges {
		exec = append(exec, itoa(e.From)+">"+itoa(e.To)+">"+strings.Join(e.Names, ","))
	}
	// Counts: cell0=1 cell4=2 cell2=3 cell3=4 cell1=5 cell5=6. Cell 4 ran
	// second: df was not defined yet (no edge); cell 2 (count 3) changed a
	// df no cell had defined yet in the session either.
	if got := strings.Join(exec, " "); got != "0>1>pd" {
		t.Errorf("exec edges %q, want 0>1>pd", got)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// BenchmarkAnalyzeCell measures masking + parsing + def-use of one
// realistic cell.
func BenchmarkAnalyzeCell(b *testing.B) {
	src := strings.Repeat(benchCell, 1)
	w := NewWorker()
	defer w.Close()
	c := &notebook.Cell{Kind: notebook.Code, Source: src}
	no := CellContext{}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		w.AnalyzeCell(0, c, no)
	}
}

// BenchmarkAnalyzeNotebook measures a 40-cell notebook end to end (all
// cells, the graph and the call index).
func BenchmarkAnalyzeNotebook(b *testing.B) {
	var cells []string
	for i := 0; i < 40; i++ {
		cells = append(cells, benchCell)
	}
	nb := notebookOf(cells...)
	w := NewWorker()
	defer w.Close()
	b.SetBytes(int64(40 * len(benchCell)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		fx := w.New(nb, Env{})
		fx.Graph()
		fx.Calls()
	}
}

const benchCell = `%matplotlib inline
import pandas as pd
from sklearn.model_selection import train_test_split
df = pd.read_csv("data/customers.csv")
df["tenure_bucket"] = pd.cut(df.tenure, bins=[0, 12, 24, 60])
features = [c for c in df.columns if c not in ("churn", "customer_id")]
def score(frame, threshold=0.5):
    probs = model.predict_proba(frame[features])[:, 1]
    return (probs > threshold).astype(int)
X_train, X_test, y_train, y_test = train_test_split(df[features], df.churn, test_size=0.2, random_state=42)
for name, group in df.groupby("plan"):
    print(name, len(group), group.monthly_fee.mean())
summary = {k: v for k, v in zip(df.plan.unique(), range(10))}
`

// TestFutureAnnotations: under PEP 563 annotations are not evaluated, so
// their names are not run-time uses (the oracle still lists them).
func TestFutureAnnotations(t *testing.T) {
	c := analyzeOne(t, "from __future__ import annotations\ndef f(x: Foo) -> Bar:\n    y: Baz = x\n    return y\nz: Qux = 1")
	if !sameSet(c.Uses, "Bar Baz Foo Qux") {
		t.Errorf("uses %v (the oracle's set keeps annotation names)", c.Uses)
	}
	if len(c.EagerUses) != 0 || !sameSet(c.Functions[0].Free, "") {
		t.Errorf("eager %v free %v: annotation names must not be run-time uses", c.EagerUses, c.Functions[0].Free)
	}
	// The flag carries over to later cells, as IPython's compiler flags do.
	c2 := analyzeOne(t, "from __future__ import annotations", "def g(a: Later) -> None:\n    pass\nv: Other = 2")
	if len(c2.EagerUses) != 0 || len(c2.Functions[0].Free) != 0 {
		t.Errorf("second cell: eager %v free %v", c2.EagerUses, c2.Functions[0].Free)
	}
	// Without the import, annotations are evaluated at definition time.
	c3 := analyzeOne(t, "def h(a: Later) -> None:\n    pass")
	if !sameSet(c3.EagerUses, "Later") {
		t.Errorf("without PEP 563: eager %v", c3.EagerUses)
	}
}
