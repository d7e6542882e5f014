package facts

import "sort"

// A name event: a cell (at a position in some order of cells) that
// defines, mutates or deletes a name.
type nameEvent struct {
	pos           int32
	def, mut, del bool
}

// seqIndex answers "which earlier cell last defined (or mutated) this
// name?" for one order of cells by binary search over each name's events,
// so that resolving every use of a notebook costs O(uses · log cells)
// rather than O(uses · cells): a 10,000-cell notebook whose cells all read
// a name defined in the first cell stays linear.
type seqIndex struct {
	prov map[string][]nameEvent // defines, mutates or deletes
	def  map[string][]nameEvent // defines or deletes without defining
}

func newSeqIndex(cells []*Cell) *seqIndex {
	x := &seqIndex{prov: map[string][]nameEvent{}, def: map[string][]nameEvent{}}
	// mark records one kind of event for name at position i, merging with
	// an event of the same cell already recorded.
	mark := func(i int, name string, set func(*nameEvent)) {
		evs := x.prov[name]
		if k := len(evs) - 1; k >= 0 && evs[k].pos == int32(i) {
			set(&evs[k])
			return
		}
		e := nameEvent{pos: int32(i)}
		set(&e)
		x.prov[name] = append(evs, e)
	}
	for i, c := range cells {
		for _, d := range c.Defines {
			mark(i, d, func(e *nameEvent) { e.def = true })
		}
		for _, d := range c.Mutates {
			mark(i, d, func(e *nameEvent) { e.mut = true })
		}
		for _, d := range c.CallMutates {
			mark(i, d, func(e *nameEvent) { e.mut = true })
		}
		for _, d := range c.Deletes {
			mark(i, d, func(e *nameEvent) { e.del = true })
		}
	}
	for name, evs := range x.prov {
		var defs []nameEvent
		for _, e := range evs {
			if e.def || e.del {
				defs = append(defs, e)
			}
		}
		if len(defs) > 0 {
			x.def[name] = defs
		}
	}
	return x
}

// lastBefore returns the last event before position i, if any.
func lastBefore(evs []nameEvent, i int) (nameEvent, bool) {
	k := sort.Search(len(evs), func(k int) bool { return int(evs[k].pos) >= i })
	if k == 0 {
		return nameEvent{}, false
	}
	return evs[k-1], true
}

// provider returns the position of the last cell before position i that
// defines or mutates name with no delete after it, or -1.
func (x *seqIndex) provider(i int, name string) int {
	e, ok := lastBefore(x.prov[name], i)
	if !ok || (e.del && !e.def) {
		return -1
	}
	return int(e.pos)
}

// definer returns the position of the last cell before position i that
// defines name with no delete after it, or -1.
func (x *seqIndex) definer(i int, name string) int {
	e, ok := lastBefore(x.def[name], i)
	if !ok || !e.def {
		return -1
	}
	return int(e.pos)
}

var docIndexKey lazyKey

// docIndex is the name index of the code cells in document order.
func (n *Notebook) docIndex() *seqIndex {
	return lazy(n, &docIndexKey, func() *seqIndex { return newSeqIndex(n.Code()) })
}

// importEntry is one import binding a name, with the cell that makes it.
type importEntry struct {
	cell int
	im   Import
}

var importIndexKey lazyKey

// importIndex lists, per bound name, the imports that bind it in document
// order.
func (n *Notebook) importIndex() map[string][]importEntry {
	return lazy(n, &importIndexKey, func() map[string][]importEntry {
		m := map[string][]importEntry{}
		for _, c := range n.Code() {
			for _, im := range c.Imports {
				m[im.Bound] = append(m[im.Bound], importEntry{c.Index, im})
			}
		}
		return m
	})
}

var firstDynamicKey lazyKey

// FirstDynamic returns the first code cell that may define names invisibly
// (star imports, exec/eval, globals() writes, %run, %store -r, %load), or
// nil.
func (n *Notebook) FirstDynamic() *Cell {
	return lazy(n, &firstDynamicKey, func() *Cell {
		for _, c := range n.Code() {
			if len(c.Dynamic) > 0 {
				return c
			}
		}
		return nil
	})
}
