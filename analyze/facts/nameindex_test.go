package facts

import (
	"math/rand"
	"testing"
)

// naiveProvider and naiveDefiner are the backward scans the index replaces.
func naiveProvider(code []*Cell, i int, u string) int {
	for j := i - 1; j >= 0; j-- {
		c := code[j]
		if contains(c.Deletes, u) && !c.DefinesName(u) {
			return -1
		}
		if c.DefinesName(u) || c.MutatesName(u) {
			return j
		}
	}
	return -1
}

func naiveDefiner(code []*Cell, i int, u string) int {
	for j := i - 1; j >= 0; j-- {
		c := code[j]
		if contains(c.Deletes, u) && !c.DefinesName(u) {
			return -1
		}
		if c.DefinesName(u) {
			return j
		}
	}
	return -1
}

func TestSeqIndexMatchesBackwardScan(t *testing.T) {
	names := []string{"a", "b", "c", "d"}
	r := rand.New(rand.NewSource(1))
	pick := func() []string {
		var out []string
		for _, n := range names {
			if r.Intn(4) == 0 {
				out = append(out, n)
			}
		}
		return out
	}
	for trial := 0; trial < 300; trial++ {
		code := make([]*Cell, 1+r.Intn(30))
		for i := range code {
			code[i] = &Cell{Index: i, Defines: pick(), Mutates: pick(), CallMutates: pick(), Deletes: pick()}
		}
		x := newSeqIndex(code)
		for i := 0; i <= len(code); i++ {
			for _, u := range append(names, "zz") {
				if got, want := x.provider(i, u), naiveProvider(code, i, u); got != want {
					t.Fatalf("trial %d: provider(%d, %s) = %d, want %d", trial, i, u, got, want)
				}
				if got, want := x.definer(i, u), naiveDefiner(code, i, u); got != want {
					t.Fatalf("trial %d: definer(%d, %s) = %d, want %d", trial, i, u, got, want)
				}
			}
		}
	}
}
