package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/nbprod/nbprod/analyze/facts"
)

// runUse is a name a cell reads when it runs (facts.RunUse).
type runUse = facts.RunUse

// runUses lists the names cell c reads when it runs (computed once per
// notebook by facts).
func runUses(fx *facts.Notebook, c *facts.Cell) []runUse { return fx.RunUses(c) }

// platformGlobals are names hosted notebook platforms inject; NB606 reports
// them, so NB103 does not.
var platformGlobals = map[string]bool{"spark": true, "sc": true, "sqlContext": true, "dbutils": true,
	"displayHTML": true}

// firstDynamicBefore returns the first cell above index i (or i itself when
// inclusive) that may define names invisibly: star imports, exec/eval,
// globals() writes, %run, %store -r, %load. It returns nil when there is none.
func firstDynamicBefore(fx *facts.Notebook, i int, inclusive bool) *facts.Cell {
	c := fx.FirstDynamic()
	if c == nil || c.Index > i || (c.Index == i && !inclusive) {
		return nil
	}
	return c
}

func dynamicWhat(c *facts.Cell) string {
	if len(c.Dynamic) == 0 {
		return ""
	}
	d := c.Dynamic[0]
	switch d.Kind {
	case "star-import":
		return "the star import in cell " + fmt.Sprint(c.Index+1)
	case "run":
		return "the %run in cell " + fmt.Sprint(c.Index+1)
	case "store":
		return "the %store -r in cell " + fmt.Sprint(c.Index+1)
	}
	return fmt.Sprintf("the %s in cell %d", d.Kind, c.Index+1)
}

// staleProvider is a cell a consumer depends on whose run does not fit the
// consumer's saved outputs (NB104).
type staleProvider struct {
	cell  int
	names []string
	ec    *int // the provider's count (nil: never ran)
}

// staleProviders returns the providers of cell c that ran after it, or
// never ran in the session, skipping imports and literal constants.
func staleProviders(fx *facts.Notebook, c *facts.Cell) []staleProvider {
	if c.NB.ExecCount == nil {
		return nil
	}
	ec := *c.NB.ExecCount
	byCell := map[int][]string{}
	for _, u := range runUses(fx, c) {
		j := fx.Provider(c.Index, u.Name)
		if j < 0 {
			continue
		}
		pc := fx.Cell(j)
		if pc == nil {
			continue
		}
		if pc.DefinesName(u.Name) && !pc.MutatesName(u.Name) {
			switch pc.DefKinds[u.Name] {
			case facts.DefImport, facts.DefConstant:
				continue
			}
		}
		pec := pc.NB.ExecCount
		if pec == nil || *pec > ec {
			byCell[j] = append(byCell[j], u.Name)
		}
	}
	var out []staleProvider
	for j, names := range byCell {
		sort.Strings(names)
		out = append(out, staleProvider{cell: j, names: names, ec: fx.Cell(j).NB.ExecCount})
	}
	sort.Slice(out, func(a, b int) bool { return out[a].cell < out[b].cell })
	return out
}

// codeNames are the names a cell touches, for "does anything flow" tests.
func codeNames(c *facts.Cell) map[string]bool {
	m := map[string]bool{}
	for _, l := range [][]string{c.Defines, c.Uses, c.EagerUses, c.Mutates, c.CallMutates, c.Deletes} {
		for _, n := range l {
			m[n] = true
		}
	}
	return m
}

func quoteNames(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "`" + n + "`"
	}
	if len(q) > 5 {
		return strings.Join(q[:5], ", ") + fmt.Sprintf(" and %d more", len(q)-5)
	}
	return strings.Join(q, ", ")
}

func ecText(ec *int) string {
	if ec == nil {
		return "In[ ]"
	}
	return fmt.Sprintf("In[%d]", *ec)
}
