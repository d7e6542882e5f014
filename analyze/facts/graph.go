package facts

import "sort"

// Edge says that cell To reads Names whose reaching definition (or
// mutation) is in cell From.
type Edge struct {
	From, To int
	Names    []string
}

// Graph is the cross-cell dataflow of a notebook.
type Graph struct {
	// Edges resolve every use (uses and magic uses) to the last earlier cell,
	// in document order, that defines or mutates the name with no delete in
	// between.
	Edges []Edge
	// ExecEdges resolve the same uses under the recorded execution order
	// (execution counts): the provider is the cell with the largest count
	// below the consumer's that defines or mutates the name. Cells without
	// a count take no part.
	ExecEdges []Edge
	// Undefined lists, per cell index, the names it uses that no code cell
	// defines (sorted).
	Undefined map[int][]string
	// Redefined lists names defined by more than one cell, with the cells.
	Redefined map[string][]int
	// Definers lists, per name, the cells that define it, in order.
	Definers map[string][]int
}

// Graph returns the notebook's cell graph (computed once).
func (n *Notebook) Graph() *Graph {
	n.graphOnce.Do(func() { n.graph = buildGraph(n) })
	return n.graph
}

func buildGraph(n *Notebook) *Graph {
	code := n.Code()
	g := &Graph{Undefined: map[int][]string{}, Redefined: map[string][]int{}, Definers: map[string][]int{}}
	for _, c := range code {
		for _, d := range c.Defines {
			g.Definers[d] = append(g.Definers[d], c.Index)
		}
	}
	for name, cells := range g.Definers {
		if len(cells) > 1 {
			g.Redefined[name] = cells
		}
	}
	// Document order.
	idx := n.docIndex()
	for i, c := range code {
		byFrom := map[int][]string{}
		for _, u := range cellReads(c) {
			if j := idx.provider(i, u); j >= 0 {
				byFrom[code[j].Index] = append(byFrom[code[j].Index], u)
			} else if len(g.Definers[u]) == 0 {
				g.Undefined[c.Index] = append(g.Undefined[c.Index], u)
			}
		}
		g.Edges = append(g.Edges, edgesOf(byFrom, c.Index)...)
	}
	for k := range g.Undefined {
		sort.Strings(g.Undefined[k])
	}
	// Recorded execution order.
	type ran struct {
		ec int
		c  *Cell
	}
	var order []ran
	for _, c := range code {
		if c.NB.ExecCount != nil {
			order = append(order, ran{*c.NB.ExecCount, c})
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return order[a].ec < order[b].ec })
	seq := make([]*Cell, len(order))
	for i, r := range order {
		seq[i] = r.c
	}
	eidx := newSeqIndex(seq)
	for i, r := range order {
		byFrom := map[int][]string{}
		for _, u := range cellReads(r.c) {
			if j := eidx.provider(i, u); j >= 0 {
				byFrom[seq[j].Index] = append(byFrom[seq[j].Index], u)
			}
		}
		g.ExecEdges = append(g.ExecEdges, edgesOf(byFrom, r.c.Index)...)
	}
	sort.SliceStable(g.ExecEdges, func(a, b int) bool {
		if g.ExecEdges[a].To != g.ExecEdges[b].To {
			return g.ExecEdges[a].To < g.ExecEdges[b].To
		}
		return g.ExecEdges[a].From < g.ExecEdges[b].From
	})
	return g
}

// cellReads are the names a cell reads: its uses and the names its magic
// and shell lines interpolate.
func cellReads(c *Cell) []string {
	return appendNew(append([]string(nil), c.Uses...), c.MagicUses...)
}

func edgesOf(byFrom map[int][]string, to int) []Edge {
	froms := make([]int, 0, len(byFrom))
	for f := range byFrom {
		froms = append(froms, f)
	}
	sort.Ints(froms)
	out := make([]Edge, 0, len(froms))
	for _, f := range froms {
		names := byFrom[f]
		sort.Strings(names)
		out = append(out, Edge{From: f, To: to, Names: names})
	}
	return out
}

// Provider returns the cell index of the last cell above cell index to that
// defines or mutates name (document order), or -1.
func (n *Notebook) Provider(to int, name string) int {
	code := n.Code()
	pos := codePos(code, to)
	if pos < 0 {
		return -1
	}
	if j := n.docIndex().provider(pos, name); j >= 0 {
		return code[j].Index
	}
	return -1
}

// Definer is Provider restricted to definitions (no mutations).
func (n *Notebook) Definer(to int, name string) int {
	code := n.Code()
	pos := codePos(code, to)
	if pos < 0 {
		return -1
	}
	if j := n.docIndex().definer(pos, name); j >= 0 {
		return code[j].Index
	}
	return -1
}

func codePos(code []*Cell, index int) int {
	i := sort.Search(len(code), func(i int) bool { return code[i].Index >= index })
	if i < len(code) && code[i].Index == index {
		return i
	}
	return -1
}
