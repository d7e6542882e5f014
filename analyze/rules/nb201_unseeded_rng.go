package rules

import (
	"fmt"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
)

// UnseededRNG reports global-RNG draws with no seeding call before them in
// file order, and generators created without a seed (RULES.md NB201). One
// finding per RNG family per cell.
var UnseededRNG = &analyze.Rule{
	ID:       "NB201",
	Name:     "unseeded-rng",
	Category: analyze.CatReproducible,
	Severity: analyze.Warning,
	Doc:      doc("NB201"),
	Options: []analyze.Option{{Name: "seed-helpers", Default: []string{},
		Help: "names of helper functions that seed every RNG (matched on the called name, e.g. \"set_seed\" or \"utils.fix_seeds\")"}},
	Run: runUnseededRNG,
}

var rngFamilyName = map[facts.RNGFamily]string{
	facts.RNGPython:     "Python's random module",
	facts.RNGNumPy:      "NumPy's global RNG",
	facts.RNGTorch:      "torch's global RNG",
	facts.RNGTensorFlow: "TensorFlow's global seed",
}

func runUnseededRNG(p *analyze.Pass) {
	fx := p.Facts
	r := fx.Randomness()
	helpers := p.Strings("seed-helpers")
	seeds := r.Seeds
	if len(helpers) > 0 {
		seeds = fx.SeedsWithHelpers(helpers)
	}
	type key struct {
		cell int
		fam  facts.RNGFamily
		gen  bool
	}
	groups := map[key][]*facts.RNGUse{}
	var order []key
	for i := range r.Uses {
		u := &r.Uses[i]
		if !u.Call.Cell.ParseOK && u.Call.Cell.Tree == nil {
			continue
		}
		seed := u.Seed
		if len(helpers) > 0 {
			seed = facts.SeedBefore(seeds, u)
		}
		if seed != nil {
			continue
		}
		k := key{u.Call.Cell.Index, u.Family, u.Generator}
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], u)
	}
	for _, k := range order {
		us := groups[k]
		u := us[0]
		var whats []string
		seen := map[string]bool{}
		for _, x := range us {
			if !seen[x.What] {
				seen[x.What] = true
				whats = append(whats, x.What)
			}
		}
		more := ""
		if len(us) > 1 {
			more = fmt.Sprintf(" (%d calls in this cell: %s)", len(us), reproJoin(whats, 4))
		}
		f := analyze.Finding{Cell: u.Call.Cell.Index, Line: u.Call.Pos.Line, Column: u.Call.Pos.Col,
			EndLine: u.Call.End.Line, EndColumn: u.Call.End.Col,
			Key: fmt.Sprintf("rng:%s:%v", k.fam, k.gen),
			Data: map[string]any{"family": string(k.fam), "calls": whats, "generator": k.gen,
				"seed_call": facts.SeedCallFor(k.fam, "cfg.seed")}}
		if k.gen {
			f.Message = fmt.Sprintf("%s: every run draws different numbers%s", u.What, more)
			f.Fix = "pass a seed (np.random.default_rng(SEED)); the emitter passes cfg.seed from a `seed` config parameter"
		} else {
			later := ""
			for i := range seeds {
				s := &seeds[i]
				for _, fam := range s.Families {
					if fam == k.fam && later == "" && s.Call.Cell.Index >= k.cell {
						later = fmt.Sprintf("; the seeding call in cell %d runs only after it", s.Call.Cell.Index+1)
					}
				}
			}
			f.Message = fmt.Sprintf("%s draws from %s, which nothing seeds before it%s: results change on every run%s",
				u.What, rngFamilyName[k.fam], later, more)
			f.Fix = fmt.Sprintf("seed once at the top of the notebook (%s), or pass a seeded generator; the emitter adds a `seed` config parameter and a set_seed(cfg.seed) prologue",
				facts.SeedCallFor(k.fam, "SEED"))
		}
		p.Report(f)
	}
}

// reproJoin joins up to max items with ", " and "…" after them.
func reproJoin(xs []string, max int) string {
	if len(xs) <= max {
		return strings.Join(xs, ", ")
	}
	return strings.Join(xs[:max], ", ") + fmt.Sprintf(", … %d more", len(xs)-max)
}
