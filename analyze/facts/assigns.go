package facts

import (
	ps "github.com/nbprod/nbprod/analyze/pysyntax"
)

// Assign is one assignment target with its value: `name = value`,
// `obj.attr = value`, `d["key"] = value`, annotated assignments included.
// Chained assignments give one Assign per target; unpacking targets are
// not listed (their values are not known one by one).
type Assign struct {
	Name   string    // the target name for `name = …` ("" for other targets)
	Target ps.NodeID // the target node (identifier, attribute or subscript)
	Value  ps.NodeID // the assigned expression (NoNode for `x: int`)
	Node   ps.NodeID // the assignment node
	// Function is the def the assignment is in ("" at module level);
	// module-level code inside if/for/with/try blocks counts as module level.
	Function string
	InClass  bool
}

// Assigns returns the cell's assignments in source order.
func (c *Cell) Assigns() []Assign {
	if c.assigned || c.Tree == nil {
		return c.assigns
	}
	c.assigned = true
	t := c.Tree
	par := c.Parents()
	for i := 0; i < t.Len(); i++ {
		n := ps.NodeID(i)
		if t.Kind(n) != ps.Assignment {
			continue
		}
		if p := par[n]; p != ps.NoNode && t.Kind(p) == ps.Assignment {
			continue // inner link of a chain: handled with its head
		}
		fn, inClass := "", false
		for p := par[n]; p != ps.NoNode; p = par[p] {
			switch t.Kind(p) {
			case ps.FunctionDefinition:
				if fn == "" {
					fn = t.Text(t.ChildByField(p, ps.FName))
				}
			case ps.Lambda:
				if fn == "" {
					fn = "<lambda>"
				}
			case ps.ClassDefinition:
				if fn == "" {
					inClass = true
				}
			}
		}
		var targets []ps.NodeID
		cur := n
		value := ps.NoNode
		for {
			targets = append(targets, t.ChildByField(cur, ps.FLeft))
			r := t.ChildByField(cur, ps.FRight)
			if r != ps.NoNode && t.Kind(r) == ps.Assignment {
				cur = r
				continue
			}
			value = r
			break
		}
		for _, tg := range targets {
			if tg == ps.NoNode {
				continue
			}
			a := Assign{Target: tg, Value: value, Node: n, Function: fn, InClass: inClass}
			switch t.Kind(tg) {
			case ps.Identifier:
				a.Name = pyName(t.Text(tg))
			case ps.Attribute, ps.Subscript:
			default:
				continue
			}
			c.assigns = append(c.assigns, a)
		}
	}
	return c.assigns
}
