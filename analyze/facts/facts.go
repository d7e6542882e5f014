// Package facts computes, once per notebook and lazily, everything the
// rules and the emitter share: parsed cells, per-cell def-use sets, the
// cell graph, imports, magics, folded string constants and the
// classification of paths and secrets.
package facts

import (
	"sync"

	ps "github.com/nbprod/nbprod/analyze/pysyntax"
	"github.com/nbprod/nbprod/notebook"
)

// Worker holds what is reused across notebooks by one goroutine (the
// tree-sitter parser). It is not safe for concurrent use.
type Worker struct {
	p *ps.Parser
}

// NewWorker returns a worker; Close releases it.
func NewWorker() *Worker { return &Worker{} }

// Close releases the worker's parser.
func (w *Worker) Close() {
	if w.p != nil {
		w.p.Close()
		w.p = nil
	}
}

func (w *Worker) parser() *ps.Parser {
	if w.p == nil {
		w.p = ps.NewParser()
	}
	return w.p
}

// isPython reports whether a snippet parses without errors (the masker's
// automagic and %timeit tests).
func (w *Worker) isPython(code string) bool {
	return !w.parser().Parse([]byte(code)).HasError()
}

// Env describes where a notebook lives (for rules that look at the
// repository: data files, dependency manifests).
type Env struct {
	// Root is the repository root: the nearest directory above the notebook
	// holding .git or the nbprod config ("" when unknown).
	Root string
	// Dir is the notebook's directory on disk ("" for in-memory notebooks).
	Dir string
}

// Notebook is the shared analysis of one notebook. Its parts are computed
// on first use and then shared by every rule.
type Notebook struct {
	NB  *notebook.Notebook
	Env Env
	w   *Worker

	cellsOnce sync.Once
	cells     []*Cell // indexed by cell index; nil for markdown and raw cells
	code      []*Cell // code cells in order

	graphOnce sync.Once
	graph     *Graph

	memo memo // lazily computed parts declared in other files (see lazy)
}

// New prepares the analysis of nb; nothing is computed until asked for.
func (w *Worker) New(nb *notebook.Notebook, env Env) *Notebook {
	return &Notebook{NB: nb, Env: env, w: w}
}

// Cells returns the analysis of every cell, indexed by cell index (nil
// entries for markdown and raw cells). Code cells are masked, parsed and
// walked once, in order.
func (n *Notebook) Cells() []*Cell {
	n.cellsOnce.Do(n.analyze)
	return n.cells
}

// Code returns the analysed code cells in file order.
func (n *Notebook) Code() []*Cell {
	n.cellsOnce.Do(n.analyze)
	return n.code
}

// Cell returns the analysis of cell i, or nil for non-code cells.
func (n *Notebook) Cell(i int) *Cell {
	cs := n.Cells()
	if i < 0 || i >= len(cs) {
		return nil
	}
	return cs[i]
}

func (n *Notebook) analyze() {
	n.cells = make([]*Cell, len(n.NB.Cells))
	defined := map[string]bool{}
	ctx := CellContext{Defined: func(name string) bool { return defined[name] || builtins[name] }}
	for i := range n.NB.Cells {
		c := &n.NB.Cells[i]
		if c.Kind != notebook.Code {
			continue
		}
		fc := n.w.AnalyzeCell(i, c, ctx)
		ctx.FutureAnnotations = ctx.FutureAnnotations || fc.FutureAnnotations
		for _, d := range fc.Defines {
			defined[d] = true
		}
		n.cells[i] = fc
		n.code = append(n.code, fc)
	}
	// Names bound by imports are modules (or imported functions): calling
	// np.append(...) or np.random.shuffle does not change them in place.
	imported := map[string]bool{}
	for _, c := range n.code {
		for _, im := range c.Imports {
			if im.Bound != "" {
				imported[im.Bound] = true
			}
		}
	}
	for _, c := range n.code {
		c.CallMutates = dropNames(c.CallMutates, imported)
		var rmw []RMW
		for _, r := range c.RMW {
			if !imported[r.Name] {
				rmw = append(rmw, r)
			}
		}
		c.RMW = rmw
	}
}

func dropNames(xs []string, drop map[string]bool) []string {
	var out []string
	for _, x := range xs {
		if !drop[x] {
			out = append(out, x)
		}
	}
	return out
}
