package facts

import (
	"testing"

	"github.com/nbprod/nbprod/notebook"
)

// FuzzAnalyzeCell: masking, parsing and the def-use walk of any source end
// in a result (never a panic), with positions inside the source.
func FuzzAnalyzeCell(f *testing.F) {
	for _, s := range []string{benchCell, "x = !ls\n%time y = f(x)\n", "def f(:\n", "match p:\n case [a, *b]: pass\n",
		"print 'x'\n", "lambda: (yield)", "class C:\n  def m(self): return [k for k in self]\n", "f\"{a!r:{b}}\"",
		"%%timeit\nx=1", "a, *b = c = d", "global x\nx += 1", "del (a, b[0])", "@d\nclass C(B, m=M): pass"} {
		f.Add(s)
	}
	w := NewWorker()
	f.Fuzz(func(t *testing.T, src string) {
		nb := &notebook.Notebook{Cells: []notebook.Cell{{Kind: notebook.Code, Source: src}, {Kind: notebook.Code, Source: "print(x)"}}}
		fx := w.New(nb, Env{})
		for _, c := range fx.Code() {
			lines := len(splitLines(c.NB.Source))
			for name, p := range c.UsePos {
				if p.Line < 1 || p.Line > lines {
					t.Fatalf("use %q at line %d of %d", name, p.Line, lines)
				}
			}
		}
		fx.Graph()
		for _, call := range fx.Calls() {
			for _, a := range call.Args {
				fx.Fold(call.Cell, a.Node)
			}
		}
	})
}
