package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
	ps "github.com/nbprod/nbprod/analyze/pysyntax"
)

// PaidAPICallPerRecord reports metered API calls made once per row: in
// loops, comprehensions, or functions passed to apply/map (RULES.md
// NB701). One finding per loop, stating the static number of calls per
// row.
var PaidAPICallPerRecord = &analyze.Rule{
	ID:       "NB701",
	Name:     "paid-api-call-per-record",
	Category: analyze.CatCost,
	Severity: analyze.Warning,
	Doc:      doc("NB701"),
	Run:      runPaidAPICallPerRecord,
}

func runPaidAPICallPerRecord(p *analyze.Pass) {
	calls := p.Facts.PaidCalls()
	type key struct {
		cell int
		node ps.NodeID
	}
	groups := map[key][]*facts.PaidCall{}
	var order []key
	for i := range calls {
		pc := &calls[i]
		if !pc.Row.PerRow || pc.Row.Batched {
			continue
		}
		k := key{pc.Row.Cell, pc.Row.Node}
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], pc)
	}
	sort.SliceStable(order, func(i, j int) bool {
		if order[i].cell != order[j].cell {
			return order[i].cell < order[j].cell
		}
		return order[i].node < order[j].node
	})
	for _, k := range order {
		pcs := groups[k]
		row := pcs[0].Row
		var apis, providers, via []string
		allCached, anyFixed := true, row.Fixed
		seen := map[string]bool{}
		for _, pc := range pcs {
			name := pc.Call.Callee
			if name == "" {
				name = "…." + pc.API
			}
			if pc.Function != "" {
				name += " in " + pc.Function + "()"
			}
			apis = append(apis, name)
			if !seen[pc.Provider] {
				seen[pc.Provider] = true
				providers = append(providers, pc.Provider)
			}
			if !pc.Cached {
				allCached = false
			}
			for _, v := range pc.Row.Via {
				if !reproContains(via, v) {
					via = append(via, v)
				}
			}
		}
		n := len(pcs)
		unit := "row"
		ctx := map[string]string{"for": "a for loop", "while": "a while loop", "comprehension": "a comprehension",
			"apply": "a function applied to each element"}[row.Kind]
		if row.Kind == "while" {
			unit = "iteration"
		}
		plural := "call"
		if n > 1 {
			plural = "calls"
		}
		msg := fmt.Sprintf("%d paid API %s per %s (%s) in %s", n, plural, unit, reproJoin(apis, 3), ctx)
		if len(via) > 0 {
			msg += " via " + strings.Join(via, "() → ") + "()"
		}
		msg += fmt.Sprintf(": N rows cost %s requests, billed per call", perRowCost(n))
		f := analyze.Finding{Cell: k.cell, Line: row.Pos.Line, Column: row.Pos.Col,
			Message: msg,
			Fix:     "batch the requests (a list per request, or the provider's batch API), cache repeated inputs, and estimate the cost per 1 000 rows; the emitter adds max_calls/budget parameters and a rate limiter",
			Key:     fmt.Sprintf("paid:%s:%d", strings.Join(providers, ","), n),
			Data: map[string]any{"calls_per_row": n, "apis": apis, "providers": providers, "via": via,
				"context": row.Kind}}
		switch {
		case allCached:
			f.Severity = analyze.Info
			f.Message += "; the calls are cached, so repeated inputs are free"
		case anyFixed:
			f.Severity = analyze.Info
			f.Message = strings.Replace(f.Message, "per "+unit, "per item of a fixed list", 1)
		}
		p.Report(f)
	}
}

func perRowCost(n int) string {
	if n == 1 {
		return "N"
	}
	return fmt.Sprintf("%d×N", n)
}

func reproContains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
