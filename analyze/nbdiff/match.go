package nbdiff

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nbprod/nbprod/notebook"
)

// MatchKind says how two cells were paired.
type MatchKind string

const (
	// ByID pairs cells with the same nbformat id.
	ByID MatchKind = "id"
	// BySource pairs cells of the same kind whose whitespace-normalised
	// sources are identical.
	BySource MatchKind = "source"
	// BySimilarity pairs edited cells whose sources are similar enough.
	BySimilarity MatchKind = "similarity"
)

// Pair is one cell of the old notebook matched with one of the new.
type Pair struct {
	Old, New int // cell indexes
	By       MatchKind
	// Similarity is the content similarity in [0, 1] (1 for identical
	// normalised sources; for ByID pairs it is computed for information).
	Similarity float64
}

// SimilarityThreshold is the least similarity at which two cells without a
// common id are taken for one edited cell rather than a deletion and an
// addition.
const SimilarityThreshold = 0.5

// GapThreshold is the least similarity for pairing two cells in the same
// slot between unchanged neighbours (phase 4 of Match).
const GapThreshold = 0.3

// gapContainment is the share of the smaller cell's trigrams that must
// occur in the larger for phase 4 to pair them whatever their sizes, and
// gapMinGrams the least size of the smaller cell for that test.
const (
	gapContainment = 0.8
	gapMinGrams    = 8
)

// crossKindFactor scales the similarity of cells of different kinds (a code
// cell turned into markdown): only near-identical sources are paired.
const crossKindFactor = 0.8

// maxSimilarityRunes bounds the text compared per cell.
const maxSimilarityRunes = 20000

// maxPairs bounds the candidate pairs scored in the similarity phase; past
// it only cells at nearby relative positions are compared.
const maxPairs = 250000

// Match pairs the cells of old with those of new.
//
//  1. Cells with the same nbformat id are paired (duplicate ids: in order).
//     Two cells that both have ids but different ones are never paired: the
//     id is the cell's identity. One exception: when both notebooks have
//     ids but share none (a tool regenerated them), ids are ignored.
//  2. Remaining cells of the same kind with identical whitespace-normalised
//     sources are paired keeping their order: as many as possible, then
//     the least total index displacement (so when one of several identical
//     cells is edited, the others keep their partners).
//  3. Remaining cells are paired by content similarity: the Dice
//     coefficient of the multisets of character trigrams of their
//     whitespace-normalised sources (2·|A∩B| / (|A|+|B|)), scaled by 0.8
//     for cells of different kinds. It rewards an edited line in an
//     otherwise unchanged cell (x = 1 → x = 2 scores 0.67) and is cheap: one
//     trigram count per cell, then a merge per candidate pair. Pairs at or
//     above SimilarityThreshold are taken greedily, best first (ties: the
//     closer relative positions, then the lower indexes). Each pick is the
//     best pair still available, so a cell is never paired with a weaker
//     match while its best one is free; this is the usual greedy
//     approximation of the optimal assignment and is exact when every cell
//     has one clearly best partner, the common case in notebooks.
//  4. Cells still unpaired that sit in the same gap between two cells that
//     kept their order (the same slot of the notebook) are paired, same kind
//     only, best first, when their similarity reaches GapThreshold or the
//     smaller one's trigrams are at least 80% contained in the larger (a
//     cell that grew: a comment or a few lines added to a short cell), or,
//     for a source too short for trigrams, it occurs in the other.
//
// The pairs are returned sorted by old index.
func Match(old, new []notebook.Cell) []Pair {
	m := &matcher{old: old, new: new, oldTaken: make([]bool, len(old)), newTaken: make([]bool, len(new))}
	useIDs := idsComparable(old, new)
	if useIDs {
		m.matchIDs()
	}
	m.matchIdentical(useIDs)
	m.matchSimilar(useIDs)
	m.matchInGaps(useIDs)
	sort.Slice(m.pairs, func(i, j int) bool { return m.pairs[i].Old < m.pairs[j].Old })
	return m.pairs
}

type matcher struct {
	old, new           []notebook.Cell
	oldTaken, newTaken []bool
	pairs              []Pair
	norm               map[*notebook.Cell]string
}

func (m *matcher) take(o, n int, by MatchKind, sim float64) {
	m.oldTaken[o], m.newTaken[n] = true, true
	m.pairs = append(m.pairs, Pair{Old: o, New: n, By: by, Similarity: sim})
}

// idsComparable reports whether ids can identify cells across the two
// notebooks: true unless both sides carry ids and have none in common.
func idsComparable(old, new []notebook.Cell) bool {
	ids := map[string]bool{}
	for i := range old {
		if old[i].ID != "" {
			ids[old[i].ID] = true
		}
	}
	if len(ids) == 0 {
		return true
	}
	newHasIDs := false
	for i := range new {
		if new[i].ID == "" {
			continue
		}
		newHasIDs = true
		if ids[new[i].ID] {
			return true
		}
	}
	return !newHasIDs
}

func (m *matcher) matchIDs() {
	byID := map[string][]int{}
	for j := range m.new {
		if id := m.new[j].ID; id != "" {
			byID[id] = append(byID[id], j)
		}
	}
	for i := range m.old {
		id := m.old[i].ID
		if id == "" || len(byID[id]) == 0 {
			continue
		}
		j := byID[id][0]
		byID[id] = byID[id][1:]
		m.take(i, j, ByID, similarity(m.normOf(&m.old[i]), m.normOf(&m.new[j]), m.old[i].Kind == m.new[j].Kind))
	}
}

// mayPair reports whether two unmatched cells may be paired by content:
// not when both have ids that identify them.
func (m *matcher) mayPair(i, j int, useIDs bool) bool {
	return !useIDs || m.old[i].ID == "" || m.new[j].ID == ""
}

func (m *matcher) matchIdentical(useIDs bool) {
	type key struct {
		kind notebook.CellKind
		src  string
	}
	olds, news := map[key][]int{}, map[key][]int{}
	var order []key // keys in order of first appearance in the old notebook
	for i := range m.old {
		if !m.oldTaken[i] {
			k := key{m.old[i].Kind, m.normOf(&m.old[i])}
			if olds[k] == nil {
				order = append(order, k)
			}
			olds[k] = append(olds[k], i)
		}
	}
	for j := range m.new {
		if !m.newTaken[j] {
			k := key{m.new[j].Kind, m.normOf(&m.new[j])}
			news[k] = append(news[k], j)
		}
	}
	for _, k := range order {
		if len(news[k]) == 0 {
			continue
		}
		for _, p := range m.alignIdentical(olds[k], news[k], useIDs) {
			m.take(p[0], p[1], BySource, 1)
		}
	}
}

// maxAlign bounds the identical-cell alignment table; larger groups of
// identical cells are paired in order.
const maxAlign = 40000

// alignIdentical pairs two sorted lists of cells with identical sources,
// keeping their order: as many pairs as possible, then the least total
// displacement |old - new|. With one cell edited out of several identical
// ones (three "f()" cells, the last one edited), the untouched copies keep
// their partners instead of shifting down the list.
func (m *matcher) alignIdentical(os, ns []int, useIDs bool) [][2]int {
	allowed := func(i, j int) bool { return m.mayPair(os[i], ns[j], useIDs) }
	if len(os)*len(ns) > maxAlign {
		var out [][2]int
		used := make([]bool, len(ns))
		for i := range os {
			for j := range ns {
				if !used[j] && allowed(i, j) {
					used[j] = true
					out = append(out, [2]int{os[i], ns[j]})
					break
				}
			}
		}
		return out
	}
	// best[i][j]: (pairs, cost) aligning os[i:] with ns[j:].
	type score struct{ pairs, cost int }
	better := func(a, b score) bool { return a.pairs > b.pairs || (a.pairs == b.pairs && a.cost < b.cost) }
	best := make([][]score, len(os)+1)
	for i := range best {
		best[i] = make([]score, len(ns)+1)
	}
	for i := len(os) - 1; i >= 0; i-- {
		for j := len(ns) - 1; j >= 0; j-- {
			b := best[i+1][j]
			if c := best[i][j+1]; better(c, b) {
				b = c
			}
			if allowed(i, j) {
				d := os[i] - ns[j]
				if d < 0 {
					d = -d
				}
				c := score{best[i+1][j+1].pairs + 1, best[i+1][j+1].cost + d}
				if better(c, b) || (c == b) {
					b = c
				}
			}
			best[i][j] = b
		}
	}
	var out [][2]int
	for i, j := 0, 0; i < len(os) && j < len(ns); {
		if allowed(i, j) {
			d := os[i] - ns[j]
			if d < 0 {
				d = -d
			}
			c := score{best[i+1][j+1].pairs + 1, best[i+1][j+1].cost + d}
			if c == best[i][j] {
				out = append(out, [2]int{os[i], ns[j]})
				i++
				j++
				continue
			}
		}
		if best[i+1][j] == best[i][j] {
			i++
		} else {
			j++
		}
	}
	return out
}

func (m *matcher) matchSimilar(useIDs bool) {
	var uo, un []int
	for i := range m.old {
		if !m.oldTaken[i] {
			uo = append(uo, i)
		}
	}
	for j := range m.new {
		if !m.newTaken[j] {
			un = append(un, j)
		}
	}
	if len(uo) == 0 || len(un) == 0 {
		return
	}
	grams := map[*notebook.Cell]trigrams{}
	gramsOf := func(c *notebook.Cell) trigrams {
		g, ok := grams[c]
		if !ok {
			g = trigramsOf(m.normOf(c))
			grams[c] = g
		}
		return g
	}
	// Past maxPairs, compare only cells whose ranks among the unmatched
	// cells are close (scaled to the other side's count).
	window := len(un)
	if len(uo)*len(un) > maxPairs {
		window = max(1, maxPairs/len(uo)/2)
	}
	type cand struct {
		o, n int
		sim  float64
		dist float64
	}
	var cands []cand
	for a, i := range uo {
		center := a * len(un) / len(uo)
		for b := max(0, center-window); b < min(len(un), center+window+1); b++ {
			j := un[b]
			if !m.mayPair(i, j, useIDs) {
				continue
			}
			sameKind := m.old[i].Kind == m.new[j].Kind
			sim := dice(gramsOf(&m.old[i]), gramsOf(&m.new[j]))
			if !sameKind {
				sim *= crossKindFactor
			}
			if sim < SimilarityThreshold {
				continue
			}
			d := float64(i)/float64(max(1, len(m.old))) - float64(j)/float64(max(1, len(m.new)))
			if d < 0 {
				d = -d
			}
			cands = append(cands, cand{i, j, sim, d})
		}
	}
	sort.Slice(cands, func(x, y int) bool {
		a, b := cands[x], cands[y]
		if a.sim != b.sim {
			return a.sim > b.sim
		}
		if a.dist != b.dist {
			return a.dist < b.dist
		}
		if a.o != b.o {
			return a.o < b.o
		}
		return a.n < b.n
	})
	for _, c := range cands {
		if !m.oldTaken[c.o] && !m.newTaken[c.n] {
			m.take(c.o, c.n, BySimilarity, c.sim)
		}
	}
}

// matchInGaps is phase 4 of Match.
func (m *matcher) matchInGaps(useIDs bool) {
	if len(m.pairs) == len(m.old) || len(m.pairs) == len(m.new) {
		return
	}
	ps := append([]Pair(nil), m.pairs...)
	sort.Slice(ps, func(i, j int) bool { return ps[i].Old < ps[j].Old })
	moved := Moves(ps)
	var anchorsOld, anchorsNew []int
	for k, p := range ps {
		if !moved[k] {
			anchorsOld = append(anchorsOld, p.Old)
			anchorsNew = append(anchorsNew, p.New)
		}
	}
	gap := func(anchors []int, i int) int { return sort.SearchInts(anchors, i) }
	type cand struct {
		o, n  int
		score float64
	}
	var cands []cand
	// Unpaired cells grouped by gap; gaps are small in practice (the cells
	// between two unchanged ones).
	oldByGap := map[int][]int{}
	for i := range m.old {
		if !m.oldTaken[i] {
			g := gap(anchorsOld, i)
			oldByGap[g] = append(oldByGap[g], i)
		}
	}
	for j := range m.new {
		if m.newTaken[j] {
			continue
		}
		for _, i := range oldByGap[gap(anchorsNew, j)] {
			if m.old[i].Kind != m.new[j].Kind || !m.mayPair(i, j, useIDs) {
				continue
			}
			na, nb := m.normOf(&m.old[i]), m.normOf(&m.new[j])
			a, b := trigramsOf(na), trigramsOf(nb)
			score := dice(a, b)
			if score < GapThreshold && !contained(a, b) && !tinyContained(na, nb) {
				continue
			}
			cands = append(cands, cand{i, j, score})
		}
	}
	sort.Slice(cands, func(x, y int) bool {
		a, b := cands[x], cands[y]
		if a.score != b.score {
			return a.score > b.score
		}
		if a.o != b.o {
			return a.o < b.o
		}
		return a.n < b.n
	})
	for _, c := range cands {
		if !m.oldTaken[c.o] && !m.newTaken[c.n] {
			m.take(c.o, c.n, BySimilarity, c.score)
		}
	}
}

// contained reports whether the smaller multiset of trigrams (of at least
// gapMinGrams) occurs at gapContainment or more in the larger.
func contained(a, b trigrams) bool {
	small, large := a, b
	if small.total > large.total {
		small, large = large, small
	}
	if small.total < gapMinGrams {
		return false
	}
	common := 0
	for g, n := range small.counts {
		common += min(n, large.counts[g])
	}
	return float64(common) >= gapContainment*float64(small.total)
}

// tinyContained reports whether the shorter of two sources, too short for
// a trigram test (under gapMinGrams trigrams), occurs in the longer one:
// "f()" grown into "f()  # edited".
func tinyContained(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	return a != "" && utf8.RuneCountInString(a) < gapMinGrams+2 && strings.Contains(b, a)
}

func (m *matcher) normOf(c *notebook.Cell) string {
	if m.norm == nil {
		m.norm = map[*notebook.Cell]string{}
	}
	s, ok := m.norm[c]
	if !ok {
		s = normalize(c.Source)
		m.norm[c] = s
	}
	return s
}

// normalize collapses runs of white space into one space and trims the
// ends: re-indentation and blank lines do not hide a match.
func normalize(s string) string {
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}

// trigrams counts the character trigrams of a normalised source (a source
// shorter than three characters counts as one gram).
type trigrams struct {
	counts map[string]int
	total  int
}

func trigramsOf(s string) trigrams {
	r := []rune(s)
	if len(r) > maxSimilarityRunes {
		r = r[:maxSimilarityRunes]
	}
	t := trigrams{counts: map[string]int{}}
	if len(r) < 3 {
		if len(r) > 0 {
			t.counts[string(r)] = 1
			t.total = 1
		}
		return t
	}
	for i := 0; i+3 <= len(r); i++ {
		t.counts[string(r[i:i+3])]++
		t.total++
	}
	return t
}

// dice is 2·|A∩B| / (|A|+|B|) over the trigram multisets; two empty
// sources are identical (1), an empty and a non-empty one share nothing.
func dice(a, b trigrams) float64 {
	if a.total == 0 && b.total == 0 {
		return 1
	}
	if a.total == 0 || b.total == 0 {
		return 0
	}
	small, large := a, b
	if len(small.counts) > len(large.counts) {
		small, large = large, small
	}
	common := 0
	for g, n := range small.counts {
		common += min(n, large.counts[g])
	}
	return 2 * float64(common) / float64(a.total+b.total)
}

// Similarity is the content similarity of two sources as Match computes it
// for cells of the same kind.
func Similarity(a, b string) float64 {
	return dice(trigramsOf(normalize(a)), trigramsOf(normalize(b)))
}

func similarity(a, b string, sameKind bool) float64 {
	s := dice(trigramsOf(a), trigramsOf(b))
	if !sameKind {
		s *= crossKindFactor
	}
	return s
}

// Moves returns the pairs (by position in pairs, which must be sorted by
// old index) whose cells changed order: the complement of a longest
// increasing subsequence of their new indexes, i.e. the fewest cells whose
// moving explains the new order. Among several such sets, the one that
// keeps in place the cells whose index changed least is taken (when two
// adjacent cells swap, the one that kept its index is not "moved"); ties
// after that go to the earlier cells, so the result is deterministic.
func Moves(pairs []Pair) []bool {
	n := len(pairs)
	moved := make([]bool, n)
	if n == 0 {
		return moved
	}
	var keep []int
	if n <= maxWeightedLIS {
		keep = weightedLIS(pairs)
	} else {
		keep = patienceLIS(pairs)
	}
	for i := range moved {
		moved[i] = true
	}
	for _, i := range keep {
		moved[i] = false
	}
	return moved
}

// maxWeightedLIS bounds the quadratic tie-breaking search; longer
// notebooks use patience sorting's LIS.
const maxWeightedLIS = 3000

// weightedLIS finds a longest increasing subsequence of the new indexes
// that, among the longest, has the least total displacement |old - new|.
func weightedLIS(pairs []Pair) []int {
	n := len(pairs)
	length := make([]int, n)
	cost := make([]int, n)
	prev := make([]int, n)
	disp := func(i int) int {
		d := pairs[i].Old - pairs[i].New
		if d < 0 {
			d = -d
		}
		return d
	}
	best := -1
	for i := 0; i < n; i++ {
		length[i], cost[i], prev[i] = 1, disp(i), -1
		for j := 0; j < i; j++ {
			if pairs[j].New >= pairs[i].New {
				continue
			}
			l, c := length[j]+1, cost[j]+disp(i)
			if l > length[i] || (l == length[i] && c < cost[i]) {
				length[i], cost[i], prev[i] = l, c, j
			}
		}
		if best < 0 || length[i] > length[best] || (length[i] == length[best] && cost[i] < cost[best]) {
			best = i
		}
	}
	var keep []int
	for i := best; i >= 0; i = prev[i] {
		keep = append(keep, i)
	}
	return keep
}

// patienceLIS is an O(n log n) longest increasing subsequence.
func patienceLIS(pairs []Pair) []int {
	tails := []int{}
	prev := make([]int, len(pairs))
	for i := range pairs {
		v := pairs[i].New
		k := sort.Search(len(tails), func(x int) bool { return pairs[tails[x]].New >= v })
		if k > 0 {
			prev[i] = tails[k-1]
		} else {
			prev[i] = -1
		}
		if k == len(tails) {
			tails = append(tails, i)
		} else {
			tails[k] = i
		}
	}
	var keep []int
	for i := tails[len(tails)-1]; i >= 0; i = prev[i] {
		keep = append(keep, i)
	}
	return keep
}
