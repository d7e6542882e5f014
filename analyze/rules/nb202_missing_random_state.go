package rules

import (
	"fmt"

	"github.com/nbprod/nbprod/analyze"
)

// MissingRandomState reports random estimators, splitters and samplers
// called without random_state (RULES.md NB202).
var MissingRandomState = &analyze.Rule{
	ID:       "NB202",
	Name:     "missing-random-state",
	Category: analyze.CatReproducible,
	Severity: analyze.Warning,
	Doc:      doc("NB202"),
	Run:      runMissingRandomState,
}

func runMissingRandomState(p *analyze.Pass) {
	all := p.Facts.MissingRandomState()
	// Libraries with a fixed default seed are reported once per notebook
	// and library (info), at the first call, with the count.
	fixedCount := map[string]int{}
	for _, rc := range all {
		if rc.FixedDefault {
			fixedCount[rc.Library]++
		}
	}
	fixedDone := map[string]bool{}
	for _, rc := range all {
		if rc.FixedDefault {
			if fixedDone[rc.Library] {
				continue
			}
			fixedDone[rc.Library] = true
		}
		cs := rc.Call
		what := rc.Name + "(…)"
		if rc.Condition != "" && !rc.Unsure {
			what = rc.Name + "(" + rc.Condition + ")"
		}
		missing := "has no " + rc.Param
		if rc.ExplicitNone {
			missing = "passes " + rc.Param + "=None"
		}
		f := analyze.Finding{Cell: cs.Cell.Index, Line: cs.Pos.Line, Column: cs.Pos.Col, EndLine: cs.End.Line, EndColumn: cs.End.Col,
			Fix:  fmt.Sprintf("pass %s=SEED (a constant or config value); the emitter adds %s=cfg.seed", rc.Param, rc.Param),
			Key:  "random-state:" + rc.Name,
			Data: map[string]any{"callee": rc.Name, "library": rc.Library, "param": rc.Param}}
		switch {
		case rc.FixedDefault:
			f.Severity = analyze.Info
			f.Message = fmt.Sprintf("%s %s: %s seeds with a fixed default, so runs repeat, but the seed is not a parameter", what, missing, rc.Library)
			if k := fixedCount[rc.Library]; k > 1 {
				f.Message += fmt.Sprintf(" (%d such %s calls in this notebook)", k, rc.Library)
				f.Data["count"] = k
			}
		case rc.Unsure:
			f.Severity = analyze.Info
			f.Message = fmt.Sprintf("%s %s: with %s it uses a randomized solver on large inputs, whose result changes between runs", what, missing, rc.Condition)
		case rc.GlobalSeed != nil:
			f.Severity = analyze.Info
			f.Message = fmt.Sprintf("%s %s: it draws from NumPy's global RNG, seeded in cell %d, so the result holds only while the calls before it stay the same",
				what, missing, rc.GlobalSeed.Call.Cell.Index+1)
			f.Data["global_seed_cell"] = rc.GlobalSeed.Call.Cell.Index
		default:
			f.Message = fmt.Sprintf("%s %s: %s", what, missing, randomEffect(rc.Name))
		}
		p.Report(f)
	}
}

// randomEffect says what changes between runs.
func randomEffect(name string) string {
	switch name {
	case "train_test_split", "ShuffleSplit", "StratifiedShuffleSplit", "GroupShuffleSplit", "KFold", "StratifiedKFold",
		"StratifiedGroupKFold", "RepeatedKFold", "RepeatedStratifiedKFold", "DataFrame.sample", "resample", "shuffle":
		return "the rows it picks change on every run, and so does every score computed from them"
	case "KMeans", "MiniBatchKMeans", "BisectingKMeans", "k_means", "SpectralClustering", "GaussianMixture", "BayesianGaussianMixture":
		return "cluster assignments (and their numbering) change on every run"
	case "TSNE", "UMAP", "MDS", "SpectralEmbedding":
		return "the embedding changes on every run"
	}
	if len(name) > 5 && name[:5] == "make_" {
		return "the generated data changes on every run"
	}
	return "each run gives a different result"
}
