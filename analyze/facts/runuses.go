package facts

// RunUse is a name a cell reads when it runs: directly, or as a free name
// of a notebook function or class the cell calls (CONTRACT.md §2: NB102 and
// NB103 use these, so a helper def that reads a global defined further
// down is not a finding until something calls it too early).
type RunUse struct {
	Name string
	Pos  Pos
	Via  string // the called function, "" for a direct read
}

var runUsesKey = lazyKey{"run-uses"}

// RunUses returns the names cell c reads when it runs, first occurrence
// first. Free names of called functions are resolved through the function
// definitions visible to the cell (its own, or the nearest earlier
// definer), transitively. Computed once per notebook.
func (n *Notebook) RunUses(c *Cell) []RunUse {
	all := lazy(n, &runUsesKey, func() map[int][]RunUse {
		m := map[int][]RunUse{}
		for _, cc := range n.Code() {
			m[cc.Index] = n.computeRunUses(cc)
		}
		return m
	})
	return all[c.Index]
}

func (n *Notebook) computeRunUses(c *Cell) []RunUse {
	var out []RunUse
	seen := map[string]bool{}
	for _, u := range c.EagerUses {
		if !seen[u] {
			seen[u] = true
			out = append(out, RunUse{Name: u, Pos: c.UsePos[u]})
		}
	}
	visited := map[string]bool{}
	var follow func(callee string, at Pos, via string)
	follow = func(callee string, at Pos, via string) {
		if visited[callee] {
			return
		}
		visited[callee] = true
		var sc *Scope
		if s := c.Function(callee); s != nil {
			sc = s
		} else if d := n.Definer(c.Index, callee); d >= 0 {
			if dc := n.Cell(d); dc != nil {
				sc = dc.Function(callee)
			}
		}
		if sc == nil {
			return
		}
		for _, f := range sc.Free {
			if seen[f] || c.DefinesName(f) {
				continue
			}
			seen[f] = true
			out = append(out, RunUse{Name: f, Pos: at, Via: via})
		}
		for _, g := range sc.Calls {
			follow(g, at, via)
		}
	}
	for _, callee := range c.Calls {
		at, ok := c.UsePos[callee]
		if !ok {
			at = c.DefPos[callee]
		}
		follow(callee, at, callee)
	}
	return out
}
