package pysyntax

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

type maskCase struct {
	name    string
	src     string
	shadow  []string
	want    string
	magics  []Magic
	cell    string
	private bool
	shift   []int
}

var maskCases = []maskCase{
	// --- untouched Python -------------------------------------------------
	{name: "plain", src: "import numpy as np\nx = np.arange(3) % 2\nprint(x != 1)\n", want: "import numpy as np\nx = np.arange(3) % 2\nprint(x != 1)\n"},
	{name: "blank cell", src: " \n\t\n", want: " \n\t\n"},
	{name: "magics inside triple-quoted string", src: "s = \"\"\"\n%matplotlib inline\n!ls\nnp.sum?\n\"\"\"\nt = '''\n%%bash\n'''",
		want: "s = \"\"\"\n%matplotlib inline\n!ls\nnp.sum?\n\"\"\"\nt = '''\n%%bash\n'''"},
	{name: "magics inside brackets", src: "f(a,\n  !ls,\n  %x)\n[1,\n?y]", want: "f(a,\n  !ls,\n  %x)\n[1,\n?y]"},
	{name: "after backslash continuation", src: "x = 1 + \\\n%y\n!z", want: "x = 1 + \\\n%y\npass",
		magics: []Magic{{Kind: ShellEscape, Name: "z", Args: "z", Line: 3, EndLine: 3, Col: 1}}},
	{name: "comparison with shell", src: "x == !y\nz = 1", want: "x == !y\nz = 1"},
	{name: "question mark in comment and string", src: "x = 1  # why?\ns = 'what?'\n", want: "x = 1  # why?\ns = 'what?'\n"},

	// --- line escapes -----------------------------------------------------
	{name: "line magic", src: "%matplotlib inline\nimport matplotlib", want: "pass\nimport matplotlib",
		magics: []Magic{{Kind: LineMagic, Name: "matplotlib", Args: "inline", Line: 1, EndLine: 1, Col: 1}}},
	{name: "indented escape in block", src: "if x:\n    !ls -l\n    %cd {path}\n", want: "if x:\n    pass\n    pass\n",
		magics: []Magic{
			{Kind: ShellEscape, Name: "ls", Args: "ls -l", Line: 2, EndLine: 2, Col: 5},
			{Kind: LineMagic, Name: "cd", Args: "{path}", Line: 3, EndLine: 3, Col: 5, Uses: []string{"path"}},
		}},
	{name: "shell assign", src: "x = !ls\nprint(x)", want: "x = None\nprint(x)",
		magics: []Magic{{Kind: ShellAssign, Name: "ls", Args: "ls", Target: "x", Line: 1, EndLine: 1, Col: 5}}},
	{name: "shell assign with expansion", src: "  files = !ls $d {p / 'x'}", want: "files = None",
		magics: []Magic{{Kind: ShellAssign, Name: "ls", Args: "ls $d {p / 'x'}", Target: "files", Line: 1, EndLine: 1, Col: 11, Uses: []string{"d", "p"}}},
		shift:  []int{2}},
	{name: "magic assign tuple", src: "a, b = %sx cmd", want: "a, b = None",
		magics: []Magic{{Kind: MagicAssign, Name: "sx", Args: "cmd", Target: "a, b", Line: 1, EndLine: 1, Col: 8}}},
	{name: "magic assign no space", src: "x=%who_ls", want: "x= None",
		magics: []Magic{{Kind: MagicAssign, Name: "who_ls", Target: "x", Line: 1, EndLine: 1, Col: 3}}},
	{name: "percent time", src: "%time x = 1", want: "x = 1",
		magics: []Magic{{Kind: LineMagic, Name: "time", Args: "x = 1", Line: 1, EndLine: 1, Col: 1, KeepsPython: true}},
		shift:  []int{6}},
	{name: "percent time without statement", src: "%time", want: "pass",
		magics: []Magic{{Kind: LineMagic, Name: "time", Line: 1, EndLine: 1, Col: 1}}},
	{name: "timeit with options", src: "%timeit -n 10 f(x)", want: "def __ipy_timeit__(): f(x)",
		magics: []Magic{{Kind: LineMagic, Name: "timeit", Args: "-n 10 f(x)", Line: 1, EndLine: 1, Col: 1, KeepsPython: true}},
		shift:  []int{14 - 22}},
	{name: "timeit fallback", src: "%timeit x = (", want: "pass",
		magics: []Magic{{Kind: LineMagic, Name: "timeit", Args: "x = (", Line: 1, EndLine: 1, Col: 1}}},
	{name: "prun with options", src: "%prun -s cumulative f()", want: "f()",
		magics: []Magic{{Kind: LineMagic, Name: "prun", Args: "-s cumulative f()", Line: 1, EndLine: 1, Col: 1, KeepsPython: true}},
		shift:  []int{20}},
	{name: "shell continuation", src: "!pip install x \\\n    y==2\nimport x", want: "pass\n\nimport x",
		magics: []Magic{{Kind: ShellEscape, Name: "pip", Args: "pip install x\ny==2", Line: 1, EndLine: 2, Col: 1}}},
	{name: "double bang", src: "!!ls -l", want: "pass",
		magics: []Magic{{Kind: ShellEscape, Name: "ls", Args: "ls -l", Line: 1, EndLine: 1, Col: 1}}},
	{name: "variable expansion", src: "!echo $HOME {x+y} $$lit {{z}}", want: "pass",
		magics: []Magic{{Kind: ShellEscape, Name: "echo", Args: "echo $HOME {x+y} $$lit {{z}}", Line: 1, EndLine: 1, Col: 1, Uses: []string{"HOME", "x", "y"}}}},
	{name: "expansion that is not Python", src: "!awk '{print $1}' f {a b}", want: "pass",
		magics: []Magic{{Kind: ShellEscape, Name: "awk", Args: "awk '{print $1}' f {a b}", Line: 1, EndLine: 1, Col: 1}}},
	{name: "help suffix", src: "np.sum?", want: "pass",
		magics: []Magic{{Kind: Help, Name: "np.sum", Line: 1, EndLine: 1, Col: 7}}},
	{name: "help suffix double with comment", src: "x = 1\n  obj.meth??  # doc", want: "x = 1\n  pass",
		magics: []Magic{{Kind: Help, Name: "obj.meth", Line: 2, EndLine: 2, Col: 11}}},
	{name: "help prefix", src: "??obj", want: "pass",
		magics: []Magic{{Kind: Help, Name: "obj", Line: 1, EndLine: 1, Col: 1}}},
	{name: "autocall", src: "/f x\n,g a b\n;h c", want: "pass\npass\npass",
		magics: []Magic{
			{Kind: Autocall, Name: "f", Args: "x", Line: 1, EndLine: 1, Col: 1},
			{Kind: Autocall, Name: "g", Args: "a b", Line: 2, EndLine: 2, Col: 1},
			{Kind: Autocall, Name: "h", Args: "c", Line: 3, EndLine: 3, Col: 1},
		}},
	{name: "cell magic later in the cell", src: "x = 1\n%%time", want: "x = 1\npass",
		magics: []Magic{{Kind: CellMagic, Name: "time", Line: 2, EndLine: 2, Col: 1}}},

	// --- cell magics --------------------------------------------------------
	{name: "capture target", src: "%%capture out\nprint(1)", want: "out = None\nprint(1)", cell: "capture",
		magics: []Magic{{Kind: CellMagic, Name: "capture", Args: "out", Target: "out", Line: 1, EndLine: 2, Col: 1, KeepsPython: true}}},
	{name: "capture options", src: "%%capture --no-stderr cap\n!ls\nx = 1\n", want: "cap = None\npass\nx = 1\n", cell: "capture",
		magics: []Magic{
			{Kind: CellMagic, Name: "capture", Args: "--no-stderr cap", Target: "cap", Line: 1, EndLine: 3, Col: 1, KeepsPython: true},
			{Kind: ShellEscape, Name: "ls", Args: "ls", Line: 2, EndLine: 2, Col: 1},
		}},
	{name: "timeit cell", src: "%%timeit -n1 setup()\nx = 1\ny = 2\n", want: "pass\nx = 1\ny = 2\n", cell: "timeit", private: true,
		magics: []Magic{{Kind: CellMagic, Name: "timeit", Args: "-n1 setup()", Line: 1, EndLine: 3, Col: 1, KeepsPython: true}}},
	{name: "bash body blanked", src: "\n%%bash -s $n\necho {x}\nls -l\n", want: "\npass\n\n\n", cell: "bash",
		magics: []Magic{{Kind: CellMagic, Name: "bash", Args: "-s $n", Line: 2, EndLine: 4, Col: 1, Uses: []string{"n"}}}},
	{name: "bigquery target", src: "%%bigquery df\nSELECT 1", want: "df = None\n", cell: "bigquery",
		magics: []Magic{{Kind: CellMagic, Name: "bigquery", Args: "df", Target: "df", Line: 1, EndLine: 2, Col: 1}}},

	// --- indentation and prompts --------------------------------------------
	{name: "indented cell", src: "    x = 1\n    %matplotlib inline\n  y = 2", want: "x = 1\npass\n  y = 2",
		magics: []Magic{{Kind: LineMagic, Name: "matplotlib", Args: "inline", Line: 2, EndLine: 2, Col: 5}},
		shift:  []int{4, 4, 0}},
	{name: "doctest prompts", src: ">>> a = 1\n... b = !ls\n>>> print(b)\n>>>", want: "a = 1\nb = None\nprint(b)\n",
		magics: []Magic{{Kind: ShellAssign, Name: "ls", Args: "ls", Target: "b", Line: 2, EndLine: 2, Col: 9}},
		shift:  []int{4, 4, 4, 3}},
	{name: "ipython prompts", src: "In [3]: x = 1\n   ...: %time y = 2", want: "x = 1\ny = 2",
		magics: []Magic{{Kind: LineMagic, Name: "time", Args: "y = 2", Line: 2, EndLine: 2, Col: 9, KeepsPython: true}},
		shift:  []int{8, 14}},

	// --- automagic ---------------------------------------------------------
	{name: "automagic ls", src: "ls data/", want: "pass",
		magics: []Magic{{Kind: Automagic, Name: "ls", Args: "data/", Line: 1, EndLine: 1, Col: 1}}},
	{name: "automagic pip", src: "\n  pip install x==1.2\n", want: "\npass\n",
		magics: []Magic{{Kind: Automagic, Name: "pip", Args: "install x==1.2", Line: 2, EndLine: 2, Col: 3}},
		shift:  []int{0, 2, 0}},
	{name: "automagic assignment", src: "ls = 3", want: "ls = 3"},
	{name: "automagic bare word", src: "pwd", want: "pass",
		magics: []Magic{{Kind: Automagic, Name: "pwd", Line: 1, EndLine: 1, Col: 1}}},
	{name: "automagic shadowed", src: "cd ..", shadow: []string{"cd"}, want: "cd .."},
	{name: "automagic not shadowed", src: "cd ..", shadow: []string{"ls"}, want: "pass",
		magics: []Magic{{Kind: Automagic, Name: "cd", Args: "..", Line: 1, EndLine: 1, Col: 1}}},
	{name: "automagic valid python", src: "hist(x)", want: "hist(x)"},
	{name: "automagic bare hist", src: "hist", want: "pass",
		magics: []Magic{{Kind: Automagic, Name: "hist", Line: 1, EndLine: 1, Col: 1}}},
	{name: "automagic only for single lines", src: "ls data/\n\n", want: "ls data/\n\n"},
	{name: "automagic with expansion", src: "cat $f {name}.txt", want: "pass",
		magics: []Magic{{Kind: Automagic, Name: "cat", Args: "$f {name}.txt", Line: 1, EndLine: 1, Col: 1, Uses: []string{"f", "name"}}}},
}

func TestMask(t *testing.T) {
	isPython := tsIsPython(t)
	for _, tc := range maskCases {
		t.Run(tc.name, func(t *testing.T) {
			sh := map[string]bool{}
			for _, n := range tc.shadow {
				sh[n] = true
			}
			got := Mask(tc.src, func(n string) bool { return sh[n] }, isPython)
			if got.Source != tc.want {
				t.Errorf("Source:\n got %q\nwant %q", got.Source, tc.want)
			}
			if !reflect.DeepEqual(got.Magics, tc.magics) {
				t.Errorf("Magics:\n got %s\nwant %s", fmtMagics(got.Magics), fmtMagics(tc.magics))
			}
			if got.CellMagic != tc.cell || got.PrivateScope != tc.private {
				t.Errorf("CellMagic, PrivateScope = %q, %v; want %q, %v", got.CellMagic, got.PrivateScope, tc.cell, tc.private)
			}
			if !reflect.DeepEqual(got.Shift, tc.shift) {
				t.Errorf("Shift = %v, want %v", got.Shift, tc.shift)
			}
			if strings.Count(got.Source, "\n") != strings.Count(tc.src, "\n") {
				t.Errorf("line count changed")
			}
		})
	}
}

func fmtMagics(ms []Magic) string {
	var b strings.Builder
	for _, m := range ms {
		fmt.Fprintf(&b, "\n  {%v name=%q args=%q target=%q line=%d-%d col=%d uses=%q keeps=%v}",
			m.Kind, m.Name, m.Args, m.Target, m.Line, m.EndLine, m.Col, m.Uses, m.KeepsPython)
	}
	if b.Len() == 0 {
		return "none"
	}
	return b.String()
}

func TestMaskNilCallbacks(t *testing.T) {
	// nil isPython: automagic treats every line as "not Python", %timeit as
	// "parses"; nil shadowed: nothing is shadowed.
	if got := Mask("hist(x)", nil, nil).Source; got != "pass" {
		t.Errorf("automagic with nil isPython: %q", got)
	}
	if got := Mask("%timeit x = (", nil, nil).Source; got != "def __ipy_timeit__(): x = (" {
		t.Errorf("timeit with nil isPython: %q", got)
	}
	if got := Mask("%timeit -n 3", nil, nil).Source; got != "pass" {
		t.Errorf("timeit without statement: %q", got)
	}
}

// TestShiftMapsColumns checks that Shift maps kept text back to its
// original column.
func TestShiftMapsColumns(t *testing.T) {
	src := "  >>> %timeit -r 3 foo(bar)\n  ... baz = 1"
	// indentation "  " is removed, then the ">>> " prompt
	m := Mask(src, nil, nil)
	lines := strings.Split(m.Source, "\n")
	origLines := strings.Split(src, "\n")
	for i, word := range []string{"foo", "baz"} {
		mc := strings.Index(lines[i], word)
		oc := strings.Index(origLines[i], word)
		if mc < 0 || oc < 0 || mc+m.Shift[i] != oc {
			t.Errorf("line %d: %q at masked %d + shift %v != original %d", i+1, word, mc, m.Shift, oc)
		}
	}
}

func TestMagicKindString(t *testing.T) {
	want := map[MagicKind]string{LineMagic: "line-magic", CellMagic: "cell-magic", ShellEscape: "shell",
		ShellAssign: "shell-assign", MagicAssign: "magic-assign", Help: "help", Automagic: "automagic", Autocall: "autocall", 0: "unknown"}
	for k, s := range want {
		if k.String() != s {
			t.Errorf("%d.String() = %q, want %q", k, k.String(), s)
		}
	}
}

func TestMaskFastPathAllocs(t *testing.T) {
	src := strings.Repeat("df = pd.read_csv(path)\nfor i in range(10):\n    total += i * 2  # sum\n", 50)
	var m Masked
	allocs := testing.AllocsPerRun(100, func() { m = Mask(src, nil, nil) })
	if allocs != 0 {
		t.Errorf("fast path allocates %v times", allocs)
	}
	if m.Source != src || m.Magics != nil || m.Shift != nil {
		t.Errorf("fast path changed the cell")
	}
	// a cell that goes through the full scan but needs no change keeps src
	src2 := "x = a % b\nif x != 2:\n    print('?')\n"
	if got := Mask(src2, nil, nil); got.Source != src2 || got.Magics != nil || got.Shift != nil {
		t.Errorf("unchanged cell: %+v", got)
	}
}

// TestMaskHostileInputs: no panic, same line count, linear time.
func TestMaskHostileInputs(t *testing.T) {
	big := 1 << 20
	inputs := map[string]string{
		"invalid utf8":       "\xff\xfe%ma\xc3gic\n!l\xffs {\xff} $\xff\n\xc3\x28 = !x\nls \xff",
		"nul bytes":          "x = 1\x00\n%time\x00 y\n!echo {\x00}\n\x00?",
		"long question line": strings.Repeat("?", big),
		"long help line":     "x = 1\n" + strings.Repeat("a ", big/2) + "?",
		"long shell vars":    "!echo " + strings.Repeat("$a ${b} {c} ", big/12),
		"many distinct uses": "!echo " + strings.Repeat("$v", 1) + func() string {
			var b strings.Builder
			for i := 0; i < 50000; i++ {
				fmt.Fprintf(&b, " $n%d {m%d}", i, i)
			}
			return b.String()
		}(),
		"deep braces expr":   "!echo {" + strings.Repeat("(", big/4) + "x" + strings.Repeat(")", big/4) + "}",
		"deep unary expr":    "!echo {" + strings.Repeat("-", big/2) + "x}",
		"deep lambda expr":   "!echo {" + strings.Repeat("lambda: ", big/16) + "x}",
		"long binary expr":   "!echo {" + strings.Repeat("a+", big/4) + "a}",
		"open brackets":      "x = (" + strings.Repeat("[", big) + "\n!ls\n%time",
		"many lines":         strings.Repeat("x = 1\n", 100000),
		"many magic lines":   strings.Repeat("%time x = 1\n!ls\nnp.sum?\n", 35000),
		"many continuations": "!cmd \\\n" + strings.Repeat("  arg \\\n", 100000) + "x",
		"many strings":       strings.Repeat("s = '''\n%x\n'''\n", 30000),
		"long automagic":     "ls " + strings.Repeat("a/", big/2),
		"long timeit":        "%timeit " + strings.Repeat("-n 1 ", big/5) + "f()",
		"long prompt lines":  ">>> " + strings.Repeat("... ", big/4),
		"long indent":        strings.Repeat(" ", big) + "x\n" + strings.Repeat(" ", big) + "!y",
		"long percent line":  strings.Repeat("%", big),
		"long equals line":   "x" + strings.Repeat(" = x", big/4) + " = !ls",
	}
	isPython := tsIsPython(t)
	for name, src := range inputs {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			m := Mask(src, func(string) bool { return false }, isPython)
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
			checkMaskInvariants(t, src, m)
		})
	}
}

func checkMaskInvariants(t *testing.T, src string, m Masked) {
	t.Helper()
	if strings.Count(m.Source, "\n") != strings.Count(src, "\n") {
		t.Fatalf("line count %d -> %d", strings.Count(src, "\n"), strings.Count(m.Source, "\n"))
	}
	n := strings.Count(src, "\n") + 1
	if m.Shift != nil && len(m.Shift) != n {
		t.Fatalf("len(Shift) = %d for %d lines", len(m.Shift), n)
	}
	last := 0
	for _, mg := range m.Magics {
		if mg.Line < 1 || mg.Line > n || mg.EndLine < mg.Line || mg.EndLine > n || mg.Line < last || mg.Col < 1 {
			t.Fatalf("bad magic position %+v (lines %d)", mg, n)
		}
		last = mg.Line
	}
}

func FuzzMask(f *testing.F) {
	for _, tc := range maskCases {
		f.Add(tc.src)
	}
	f.Add("%%capture\n>>> x\n\t%time \\\n?")
	f.Fuzz(func(t *testing.T, src string) {
		m := Mask(src, func(n string) bool { return n == "cd" }, func(code string) bool { return len(code)%2 == 0 })
		checkMaskInvariants(t, src, m)
		if m.Magics == nil && m.Source != src && m.Shift == nil {
			t.Fatalf("source changed without a magic or shift")
		}
	})
}

func BenchmarkMaskPlain(b *testing.B) {
	src := strings.Repeat("df = pd.read_csv(path)\nfor i in range(10):\n    total += i * 2  # sum\n", 10)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		Mask(src, nil, nil)
	}
}

func BenchmarkMaskMagics(b *testing.B) {
	src := strings.Repeat("%matplotlib inline\nx = !ls {d}\nif x != 1:\n    y = x % 2\nnp.sum?\n", 10)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		Mask(src, nil, nil)
	}
}
