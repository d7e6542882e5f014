package pysyntax

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	sitter "github.com/tree-sitter/go-tree-sitter"
	tspython "github.com/tree-sitter/tree-sitter-python/bindings/go"
)

// The oracle tests compare Mask with the reference implementation in
// shared/oracle/oracle.py (CPython 3.11) over the shared notebook corpus.
// They are skipped when ../shared (relative to the repository) or
// /usr/bin/python3 is absent.

const oraclePython = "/usr/bin/python3"

func oracleShared(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "..", "shared"))
	if err != nil {
		t.Skip(err)
	}
	for _, p := range []string{filepath.Join(dir, "oracle", "oracle.py"), filepath.Join(dir, "corpus"), oraclePython} {
		if _, err := os.Stat(p); err != nil {
			t.Skipf("oracle not available: %v", err)
		}
	}
	return dir
}

// tsIsPython reports whether code parses without error nodes.
//
// It stands in for the oracle's ast.parse in two places only: automagic
// (B6, "not valid Python") and the %timeit fallback. Over the corpus Mask
// asks 40 distinct questions and tree-sitter answers all of them as CPython
// does. Known divergence (not in the corpus): tree-sitter-python accepts
// Python 2 `print x` / `exec "x"` statements, so `%timeit print x` becomes
// `def __ipy_timeit__(): print x` here where the oracle writes `pass`.
// TestMaskMatchesOracleSynthetic feeds CPython's answers to Mask to test the
// port itself.
func tsIsPython(t *testing.T) func(string) bool {
	parser := sitter.NewParser()
	t.Cleanup(parser.Close)
	if err := parser.SetLanguage(sitter.NewLanguage(tspython.Language())); err != nil {
		t.Fatal(err)
	}
	return func(code string) bool {
		tree := parser.Parse([]byte(code), nil)
		if tree == nil {
			return false
		}
		defer tree.Close()
		return !tree.RootNode().HasError()
	}
}

// originalsScript dumps, with the oracle's own loader, every code cell's
// original source (line endings normalised) and the names the oracle
// ignores in magic_uses.
const originalsScript = `
import importlib.util, json, os, sys
spec = importlib.util.spec_from_file_location("oracle", sys.argv[1])
o = importlib.util.module_from_spec(spec)
spec.loader.exec_module(o)
corpus, out = sys.argv[2], sys.argv[3]
files = sorted(os.path.join(dp, f) for dp, _, fs in os.walk(corpus) for f in fs if f.endswith(".ipynb"))
with open(out, "w") as w:
    w.write(json.dumps({"ignorable": sorted(o.BUILTINS | o.IPY_NAMES)}) + "\n")
    for p in files:
        nb, err = o.load_notebook(p)
        if err:
            continue
        rel = os.path.relpath(p, corpus)
        for c in o.iter_cells(nb):
            if c["cell_type"] != "code":
                continue
            src = c["source"].replace("\r\n", "\n").replace("\r", "\n")
            w.write(json.dumps({"file": rel, "index": c["index"], "source": src}) + "\n")
`

type oracleCellKey struct {
	file  string
	index int
}

func readOracleJSONL(t *testing.T, path string, each func([]byte)) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	for {
		line, err := r.ReadBytes('\n')
		if len(strings.TrimSpace(string(line))) > 0 {
			each(line)
		}
		if err != nil {
			break
		}
	}
}

var ipyNumRe = regexp.MustCompile(`^_i?\d+$`)

func TestMaskMatchesOracle(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus comparison skipped in -short mode")
	}
	shared := oracleShared(t)
	tmp := t.TempDir()
	oracle := filepath.Join(shared, "oracle", "oracle.py")
	corpus := filepath.Join(shared, "corpus")
	outPath, cellsPath, origPath := filepath.Join(tmp, "out.jsonl"), filepath.Join(tmp, "cells.jsonl"), filepath.Join(tmp, "orig.jsonl")
	if b, err := exec.Command(oraclePython, oracle, corpus, outPath, "--export-cells", cellsPath).CombinedOutput(); err != nil {
		t.Fatalf("oracle: %v\n%s", err, b)
	}
	script := filepath.Join(tmp, "originals.py")
	if err := os.WriteFile(script, []byte(originalsScript), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command(oraclePython, script, oracle, corpus, origPath).CombinedOutput(); err != nil {
		t.Fatalf("originals: %v\n%s", err, b)
	}

	ignorable := map[string]bool{}
	orig := map[oracleCellKey]string{}
	readOracleJSONL(t, origPath, func(b []byte) {
		var rec struct {
			Ignorable []string `json:"ignorable"`
			File      string   `json:"file"`
			Index     int      `json:"index"`
			Source    string   `json:"source"`
		}
		if err := json.Unmarshal(b, &rec); err != nil {
			t.Fatal(err)
		}
		for _, n := range rec.Ignorable {
			ignorable[n] = true
		}
		if rec.File != "" {
			orig[oracleCellKey{rec.File, rec.Index}] = rec.Source
		}
	})

	// Oracle facts per cell, and the shadow set (defines of earlier code
	// cells of the same notebook, in document order).
	type oracleCell struct {
		Index        int      `json:"index"`
		Defines      []string `json:"defines"`
		MagicUses    []string `json:"magic_uses"`
		CellMagic    string   `json:"cell_magic"`
		IPythonLines []int    `json:"ipython_lines"`
	}
	type cellInfo struct {
		oracleCell
		shadow map[string]bool
	}
	info := map[oracleCellKey]cellInfo{}
	readOracleJSONL(t, outPath, func(b []byte) {
		var rec struct {
			File  string       `json:"file"`
			Cells []oracleCell `json:"cells"`
		}
		if err := json.Unmarshal(b, &rec); err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, c := range rec.Cells {
			sh := make(map[string]bool, len(seen))
			for k := range seen {
				sh[k] = true
			}
			info[oracleCellKey{rec.File, c.Index}] = cellInfo{c, sh}
			for _, d := range c.Defines {
				seen[d] = true
			}
		}
	})

	isPython := tsIsPython(t)
	var total, agree, usesAgree, linesAgree int
	var disagreements, useDiffs, lineDiffs []string
	readOracleJSONL(t, cellsPath, func(b []byte) {
		var ex struct {
			File   string `json:"file"`
			Index  int    `json:"index"`
			Source string `json:"source"`
		}
		if err := json.Unmarshal(b, &ex); err != nil {
			t.Fatal(err)
		}
		key := oracleCellKey{ex.File, ex.Index}
		src, ok := orig[key]
		if !ok {
			t.Fatalf("no original source for %s cell %d", ex.File, ex.Index)
		}
		ci := info[key]
		shadowed := func(n string) bool { return ci.shadow[n] }
		m := Mask(src, shadowed, isPython)
		total++
		if m.Source == ex.Source {
			agree++
		} else {
			disagreements = append(disagreements, fmt.Sprintf("%s cell %d:\n  original: %q\n  oracle:   %q\n  mask:     %q", ex.File, ex.Index, src, ex.Source, m.Source))
		}
		if strings.Count(m.Source, "\n") != strings.Count(src, "\n") {
			t.Errorf("%s cell %d: line count changed", ex.File, ex.Index)
		}

		// magic_uses: the oracle dedupes over the cell and drops ignorable names.
		var uses []string
		have := map[string]bool{}
		var lines []int
		for _, mg := range m.Magics {
			lines = append(lines, mg.Line)
			for _, u := range mg.Uses {
				if !have[u] && !ignorable[u] && !ipyNumRe.MatchString(u) {
					have[u] = true
					uses = append(uses, u)
				}
			}
		}
		if reflect.DeepEqual(uses, ci.MagicUses) || len(uses) == 0 && len(ci.MagicUses) == 0 {
			usesAgree++
		} else {
			useDiffs = append(useDiffs, fmt.Sprintf("%s cell %d: oracle %q, mask %q", ex.File, ex.Index, ci.MagicUses, uses))
		}
		if (reflect.DeepEqual(lines, ci.IPythonLines) || len(lines) == 0 && len(ci.IPythonLines) == 0) && m.CellMagic == ci.CellMagic {
			linesAgree++
		} else {
			lineDiffs = append(lineDiffs, fmt.Sprintf("%s cell %d: oracle lines %v cell_magic %q, mask lines %v cell_magic %q", ex.File, ex.Index, ci.IPythonLines, ci.CellMagic, lines, m.CellMagic))
		}
	})
	if total == 0 {
		t.Fatal("oracle exported no cells")
	}
	t.Logf("masked source agrees with the oracle on %d/%d cells (%.3f%%)", agree, total, 100*float64(agree)/float64(total))
	t.Logf("magic_uses agree on %d/%d cells; ipython_lines+cell_magic agree on %d/%d cells", usesAgree, total, linesAgree, total)
	for i, d := range disagreements {
		if i == 20 {
			break
		}
		t.Logf("disagreement %d: %s", i+1, d)
	}
	for i, d := range useDiffs {
		if i == 20 {
			break
		}
		t.Logf("magic_uses difference %d: %s", i+1, d)
	}
	for i, d := range lineDiffs {
		if i == 20 {
			break
		}
		t.Logf("ipython_lines difference %d: %s", i+1, d)
	}
	if float64(agree) < 0.999*float64(total) {
		t.Errorf("agreement %d/%d is below 99.9%%", agree, total)
	}
	if float64(usesAgree) < 0.999*float64(total) {
		t.Errorf("magic_uses agreement %d/%d is below 99.9%%", usesAgree, total)
	}
	if float64(linesAgree) < 0.999*float64(total) {
		t.Errorf("ipython_lines agreement %d/%d is below 99.9%%", linesAgree, total)
	}
}

// exprCases exercise exprNames (the {expr} part of IPython variable
// expansion) against CPython's ast.parse(mode="eval") + ast.walk.
var exprCases = []string{
	"x", "x+y", "f(x) + y", "a.b.c", "a[b][c:d]", "a[1:2, 3]", "a[::k]", "a[*b]", "a[x:=1]", "a[(x:=1):2]",
	"f(*a, b)", "f(a, *b, c)", "f(**k, *a)", "f(a=1, *b)", "f(**a, b=1)", "f(a=1, b)", "f(x for x in y)",
	"f(x for x in y, 1)", "f(a,)", "f(,)", "f(a.b=1)", "f(True=1)", "f(x=1, x=2)",
	"*a, b", "*a", "a, *b", "a, b", "a,", "(a)", "(a,)", "(*a)", "(*a,)", "()", "[]", "[*a, b]",
	"await x", "yield x", "(yield x)", "(yield)", "(yield from g)", "(yield a, *b)",
	"x:=1", "(x:=1)", "a.b := 1", "lambda: x", "lambda a, b=c, *d, e=f, **g: a + h",
	"lambda *: 0", "lambda a=1, b: 0", "lambda a, /, b: 0", "lambda /: 0", "lambda **k, a: 0",
	"a if b else c", "x if y", "a or b and not c", "not", "a < b < c", "a not in b", "a is not b",
	"-x ** -y", "~a | b ^ c & d << e >> f + g - h * i / j // k % l @ m",
	"[i for i in x if i]", "[i for i, (j, *k) in z if j if k]", "[1 for f() in y]", "[x async for x in y]",
	"(x for x in y)(1)", "[1 for x in y][0]", "[a for b in c for d in e]",
	"1if x else 2", "1abc", "0777", "00", "1_000", "1__0", "0x_ff", "0b102", "0o8", "1e5j", "1.5e-3", ".5", "1.", "1 .real", "1.real", "1else",
	"'\\x4'", "'\\x41'", "b'\\u12'", "'\\u12'", "'\\U00110000'", "b'é'", "'a' b'b'", "f'a' 'b'", "r'\\'", "rb'x' BR'y'", "ur'x'",
	"'abc", "'''abc'''", "x # c", "x \\", "print $1", "a\u3000b", "x.__class__", "a. b", "x.if", "x.1",
	"s3://bucket/prefix", "bucket", "ecr_repository + tag", "transformer.output_path[:-1]", "sys.executable",
	"N: sicherman(N) for N in ints(2, 6)", "\"models/SavedModel/00000000\"", "1", "print $1}", "a; b", "a = 1",
	"match", "_", "print", "None", "True.x", "...", "a[]", "a[b, *c]", "x[1:2:3]", "x[::]",
	"f(a)(b)[c].d(e=g, *h, **i)", "(lambda q: q + r)(s)", "[[a, b], (c, d)]",
}

const exprScript = `
import ast, json, sys
for line in sys.stdin:
    s = json.loads(line)
    try:
        t = ast.parse(s, mode="eval")
        print(json.dumps([n.id for n in ast.walk(t) if isinstance(n, ast.Name)]))
    except (SyntaxError, ValueError):
        print("null")
`

func TestExprNamesMatchCPython(t *testing.T) {
	if _, err := os.Stat(oraclePython); err != nil {
		t.Skip("python3 not available")
	}
	var in strings.Builder
	for _, c := range exprCases {
		b, _ := json.Marshal(c)
		in.Write(b)
		in.WriteByte('\n')
	}
	cmd := exec.Command(oraclePython, "-W", "ignore", "-c", exprScript)
	cmd.Stdin = strings.NewReader(in.String())
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(got) != len(exprCases) {
		t.Fatalf("python returned %d lines for %d cases", len(got), len(exprCases))
	}
	for i, c := range exprCases {
		var want []string
		if err := json.Unmarshal([]byte(got[i]), &want); err != nil {
			t.Fatal(err)
		}
		names, ok := exprNames(c)
		if ok != (got[i] != "null") {
			t.Errorf("exprNames(%q): ok=%v, CPython %s", c, ok, got[i])
			continue
		}
		if ok && !(len(names) == 0 && len(want) == 0) && !reflect.DeepEqual(names, want) {
			t.Errorf("exprNames(%q) = %q, CPython %q", c, names, want)
		}
	}
}

// Synthetic differential test: random cells built from IPython-ish
// fragments are masked by Mask and by the oracle's strip_ipython. To test
// the port rather than tree-sitter, isPython answers come from CPython's
// ast.parse: a first pass records every snippet Mask asks about (the
// questions never depend on the answers), CPython answers them, and a
// second pass uses the answers.

var synthPrefixes = []string{"", "", "", "  ", "    ", "\t", ">>> ", "... ", "In [1]: ", "   ...: ", "\u3000", "\f", " "}

var synthBodies = []string{
	"%time x = 1", "%time  f(a, b)  ", "%timeit -n 10 -r3 f(x)", "%timeit -q", "%timeit -n", "%timeit x = (", "%timeit -o -n 5 g()",
	"%prun -s cumulative -q f()", "%prun -l", "%prun -T out.txt -D d.prof run()", "%prun", "%prun -x f()",
	"%matplotlib inline", "%%bash", "%%capture --no-stderr out", "%%capture", "%%capture -x 1abc", "%%timeit -n1 setup()",
	"%%time", "%%bigquery df --project p", "%%bigquery -x", "%%bigquery", "%% time", "%%writefile a.py", "%%sql $x {y}",
	"!pip install x", "!!ls", "!echo $HOME {x+y} {{z}} $$a {len(q)}", "! ls -l {d}/", "x = !ls", "x == !y", "x != !y",
	"a, b = %sx cmd", "y = %%foo", "x=%who", "d[k] = !cmd $v", "x = %", "x = % y", "x = !", "np.sum?", "obj.meth??",
	"?obj", "??obj", "?obj?", "/f x", ",f a b", ";f a", "ls data/", "ls", "ls = 3", "ls == 3", "ls, x = 1, 2", "pwd",
	"cd ..", "cd", "hist(x)", "pip install x", "run(day)", "cat file.txt", "who", "ls -la", "time", "whos",
	"ls.x y", "mkdir -p a/b", "x = 1", "print('%s' % x)", "s = '''", "'''", "\"\"\"", "f(", ")", "x = [1,", "2]",
	"y = 1 \\", "# comment?", "x  # what?", "'abc?'", "\"a\\\"?\"", "a ?", "if x:", "pass", "x = (", "!cmd \\",
	"%cd \\", "y", "", "   ", "x = 1 if a != !b else 2", "lambda x: x?", "x = {", "}", "%", "!", "?", "%%", "% time x",
	"%time", "%timeit  ", "%%time x=1", "x:=!ls", "a += !ls", "print(x)=!ls", "f(a=!ls)", "x = '!'", "x = \\",
	"u'''abc", "r'\\'", "é = !ls", "%time é = 1", "!echo ${x} $é {é}", "x = 'a\\", "b'", "a = \"\"\"x\"\"\" ?",
	"=!ls", "= %x", "x = ( !ls )", "x = [a for a in b] ?", "x?? # c", "%time x = 1 \\", "%timeit f(\\", "!a {b:>10} {c!r}",
	"%load_ext autoreload", "%autoreload 2", "%env A=1", "%cd {path}", "%run -i script.py $arg", "%%javascript",
	">>>", "...", "In [12]: %time x", "   ...: y = 2", "In [x]: z",
}

func synthCells(n int) []string {
	state := uint64(0x9e3779b97f4a7c15)
	rnd := func(k int) int {
		state ^= state << 13
		state ^= state >> 7
		state ^= state << 17
		return int(state % uint64(k))
	}
	cells := make([]string, 0, n)
	for len(cells) < n {
		nl := 1 + rnd(4)
		pfx := synthPrefixes[rnd(len(synthPrefixes))]
		var b strings.Builder
		for i := 0; i < nl; i++ {
			if i > 0 {
				b.WriteByte('\n')
			}
			p := pfx
			if rnd(4) == 0 {
				p = synthPrefixes[rnd(len(synthPrefixes))]
			}
			b.WriteString(p)
			b.WriteString(synthBodies[rnd(len(synthBodies))])
		}
		if rnd(3) == 0 {
			b.WriteByte('\n')
		}
		cells = append(cells, b.String())
		// and a character soup of the same size from the significant bytes
		const soup = "%%!!??/,;==()[]{}''\"\"\\#  \t\n\nabx$.:<>-+*&|^@é\u3000\f"
		rs := []rune(soup)
		var c strings.Builder
		for i, n := 0, 1+rnd(30); i < n; i++ {
			if rnd(8) == 0 {
				c.WriteString(synthBodies[rnd(len(synthBodies))])
			} else {
				c.WriteRune(rs[rnd(len(rs))])
			}
		}
		cells = append(cells, c.String())
	}
	return cells
}

const synthScript = `
import ast, importlib.util, json, sys
spec = importlib.util.spec_from_file_location("oracle", sys.argv[1])
o = importlib.util.module_from_spec(spec)
spec.loader.exec_module(o)
for line in sys.stdin:
    req = json.loads(line)
    if "parse" in req:
        try:
            ast.parse(req["parse"])
            ok = True
        except (SyntaxError, ValueError):
            ok = False
        print(json.dumps(ok))
    else:
        out, info = o.strip_ipython(req["src"], frozenset(req["shadow"]))
        mu = list(dict.fromkeys(info["magic_uses"]))
        print(json.dumps({"src": out, "uses": mu, "lines": info["ipython_lines"],
                          "cell_magic": info["cell_magic"] or "", "private": info["defines_local"]}))
`

func TestMaskMatchesOracleSynthetic(t *testing.T) {
	shared := oracleShared(t)
	cells := synthCells(60000)
	shadows := [][]string{nil, {"cd"}, {"ls", "pwd"}, {"pip", "who", "hist"}}

	// pass 1: record the questions
	queries := map[string]int{}
	var qlist []string
	record := func(code string) bool {
		if _, ok := queries[code]; !ok {
			queries[code] = len(qlist)
			qlist = append(qlist, code)
		}
		return false
	}
	for _, c := range cells {
		Mask(c, nil, record)
	}

	var in strings.Builder
	enc := json.NewEncoder(&in)
	for _, q := range qlist {
		_ = enc.Encode(map[string]string{"parse": q})
	}
	for i, c := range cells {
		sh := shadows[i%len(shadows)]
		if sh == nil {
			sh = []string{}
		}
		_ = enc.Encode(map[string]any{"src": c, "shadow": sh})
	}
	cmd := exec.Command(oraclePython, "-W", "ignore", "-c", synthScript, filepath.Join(shared, "oracle", "oracle.py"))
	cmd.Stdin = strings.NewReader(in.String())
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	replies := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(replies) != len(qlist)+len(cells) {
		t.Fatalf("got %d replies for %d requests", len(replies), len(qlist)+len(cells))
	}
	answers := make([]bool, len(qlist))
	for i := range qlist {
		if err := json.Unmarshal([]byte(replies[i]), &answers[i]); err != nil {
			t.Fatal(err)
		}
	}
	cpython := func(code string) bool {
		i, ok := queries[code]
		if !ok {
			t.Fatalf("unrecorded isPython query %q", code)
		}
		return answers[i]
	}
	bad := 0
	for i, c := range cells {
		var want struct {
			Src       string   `json:"src"`
			Uses      []string `json:"uses"`
			Lines     []int    `json:"lines"`
			CellMagic string   `json:"cell_magic"`
			Private   bool     `json:"private"`
		}
		if err := json.Unmarshal([]byte(replies[len(qlist)+i]), &want); err != nil {
			t.Fatal(err)
		}
		sh := map[string]bool{}
		for _, n := range shadows[i%len(shadows)] {
			sh[n] = true
		}
		m := Mask(c, func(n string) bool { return sh[n] }, cpython)
		var uses []string
		var lines []int
		seen := map[string]bool{}
		for _, mg := range m.Magics {
			lines = append(lines, mg.Line)
			for _, u := range mg.Uses {
				if !seen[u] {
					seen[u] = true
					uses = append(uses, u)
				}
			}
		}
		same := func(a, b any) bool {
			return reflect.DeepEqual(a, b) || reflect.ValueOf(a).Len() == 0 && reflect.ValueOf(b).Len() == 0
		}
		if m.Source != want.Src || !same(uses, want.Uses) || !same(lines, want.Lines) || m.CellMagic != want.CellMagic || m.PrivateScope != want.Private {
			bad++
			if bad <= 20 {
				t.Errorf("cell %q (shadow %v):\n  oracle %q uses %q lines %v cm %q private %v\n  mask   %q uses %q lines %v cm %q private %v",
					c, shadows[i%len(shadows)], want.Src, want.Uses, want.Lines, want.CellMagic, want.Private,
					m.Source, uses, lines, m.CellMagic, m.PrivateScope)
			}
		}
	}
	t.Logf("synthetic: %d/%d cells agree with the oracle (%d CPython parse queries)", len(cells)-bad, len(cells), len(qlist))
}
