package nbdiff

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/notebook"
)

// classify pairs the active findings of the two sides and returns those
// only in the new notebook (introduced), those only in the old (fixed) and
// the number present in both.
//
// Two passes, each pairing equal keys in order (so the n-th occurrence
// pairs with the n-th, like the fingerprint's occurrence index):
//  1. the baseline fingerprint itself (rule ‖ path ‖ cell key ‖ snippet ‖
//     occurrence; both sides were checked under one path);
//  2. the same ingredients with the cell key replaced by the cell pairing
//     (Match): a cell without an nbformat id is keyed by the hash of its
//     source, which any edit changes, so an edited cell's untouched
//     finding needs the pairing to be recognised.
//
// Line numbers are in neither, so a finding whose line moved (lines added
// above it, its cell moved) is unchanged.
func classify(oc, nc *notebook.Notebook, oldF, newF []analyze.Finding, pairs []Pair) (introduced, fixed []analyze.Finding, unchanged int) {
	oldActive, newActive := active(oldF), active(newF)
	oldUsed := make([]bool, len(oldActive))
	newUsed := make([]bool, len(newActive))

	pass := func(key func(side int, f *analyze.Finding) string) {
		queue := map[string][]int{}
		for i := range oldActive {
			if !oldUsed[i] {
				k := key(0, &oldActive[i])
				queue[k] = append(queue[k], i)
			}
		}
		for j := range newActive {
			if newUsed[j] {
				continue
			}
			k := key(1, &newActive[j])
			if q := queue[k]; len(q) > 0 {
				oldUsed[q[0]], newUsed[j] = true, true
				queue[k] = q[1:]
				unchanged++
			}
		}
	}
	pass(func(_ int, f *analyze.Finding) string {
		if f.Fingerprint == "" {
			return "\x00none" + strconv.Itoa(f.Cell) // never pairs across sides by accident
		}
		return f.Fingerprint
	})

	oldToNew := map[int]int{}
	newPaired := map[int]bool{}
	for _, p := range pairs {
		oldToNew[p.Old] = p.New
		newPaired[p.New] = true
	}
	pass(func(side int, f *analyze.Finding) string {
		var cell string
		nb := oc
		switch {
		case f.Cell < 0:
			cell = "notebook"
		case side == 0:
			if j, ok := oldToNew[f.Cell]; ok {
				cell = "pair:" + strconv.Itoa(j)
			} else {
				cell = "old:" + strconv.Itoa(f.Cell)
			}
		default:
			nb = nc
			if newPaired[f.Cell] {
				cell = "pair:" + strconv.Itoa(f.Cell)
			} else {
				cell = "new:" + strconv.Itoa(f.Cell)
			}
		}
		return f.Rule + "\x00" + cell + "\x00" + snippet(nb, f)
	})

	for i := range oldActive {
		if !oldUsed[i] {
			fixed = append(fixed, oldActive[i])
		}
	}
	for j := range newActive {
		if !newUsed[j] {
			introduced = append(introduced, newActive[j])
		}
	}
	analyze.SortFindings(introduced)
	analyze.SortFindings(fixed)
	return introduced, fixed, unchanged
}

// active returns the findings that count (not suppressed), in order.
func active(fs []analyze.Finding) []analyze.Finding {
	var out []analyze.Finding
	for i := range fs {
		if fs[i].Active() {
			out = append(out, fs[i])
		}
	}
	analyze.SortFindings(out)
	return out
}

// snippet is the fingerprint's snippet: the finding's Key (a name, or a
// salted hash for secret values), else its output location, else its
// first source line with white space collapsed.
func snippet(nb *notebook.Notebook, f *analyze.Finding) string {
	if f.Key != "" {
		return f.Key
	}
	if f.Output != nil {
		return fmt.Sprintf("output:%d:%s", f.Output.Index, f.Output.MIME)
	}
	if f.Cell < 0 || f.Cell >= len(nb.Cells) || f.Line < 1 {
		return ""
	}
	return strings.Join(strings.Fields(nb.Cells[f.Cell].Line(f.Line)), " ")
}
