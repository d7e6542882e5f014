package rules

import (
	"fmt"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
)

// HardcodedOutputLocation reports write sinks with literal paths; writes to
// absolute and personal locations are blockers.
var HardcodedOutputLocation = &analyze.Rule{
	ID:       "NB307",
	Name:     "hardcoded-output-location",
	Category: analyze.CatDataAccess,
	Severity: analyze.Warning,
	Doc:      doc("NB307"),
	Options: []analyze.Option{
		{Name: "scratch-dirs", Default: []string{"outputs", "output", "out", "tmp", "scratch"},
			Help: "relative top-level directories holding scratch output (git-ignored), reported at info"},
	},
	Run: runHardcodedOutputLocation,
}

func runHardcodedOutputLocation(p *analyze.Pass) {
	fx := p.Facts
	scratch := p.Strings("scratch-dirs")
	uses := anchorUses(fx)
	for _, g := range groupPaths(fx, func(u *facts.PathUse) bool {
		if u.Direction != facts.DirWrite || u.Class.Endpoint() || u.Class.Remote() {
			return false
		}
		if u.Role == facts.RoleMagic && !u.Class.Absolute() {
			return false // shell and %%writefile lines: NB602/NB601 translate them
		}
		return true
	}) {
		u := g.uses[0]
		abs := u.Class.Absolute()
		if abs && !allWrites(uses[g.anchor]) {
			continue // the literal is also read: NB301/NB302 report it once
		}
		msg := fmt.Sprintf("output location %s is hardcoded (%s)", quoteValue(u.Value), sinkPhrase(g))
		fix := fmt.Sprintf("make it a parameter (`%s`) under a run-scoped output directory", u.ConfigKey)
		f := pathFinding(g, msg, fix)
		switch {
		case abs:
			f.Severity = analyze.Blocker
			f.Message += ": the directory exists only on the machine that ran the notebook"
			if u.Class == facts.ClassPersonal {
				f.Data["related_rule"] = "NB302"
			} else {
				f.Data["related_rule"] = "NB301"
			}
		case u.OutsideRoot:
			f.Severity = analyze.Blocker
			f.Message += ": it resolves outside the repository"
			f.Data["outside_root"] = true
		case u.Class == facts.ClassTmp:
			f.Severity = analyze.Info
			f.Message += ": a temporary directory is fine for scratch files, but a run-scoped directory is safer"
		case inScratch(scratch, u.Value):
			f.Severity = analyze.Info
			f.Message += " under a scratch directory"
		case capped(g):
			f.Severity = analyze.Info
			f.Message += " (already overridable through the environment)"
		default:
			f.Message += ": production runs need each run's outputs in a configured place"
		}
		p.Report(f)
	}
}

// inScratch reports whether a relative path's first segment is a scratch
// directory.
func inScratch(dirs []string, v string) bool {
	v = strings.TrimPrefix(strings.ReplaceAll(facts.NormalizePath(v), `\`, "/"), "./")
	first, _, found := strings.Cut(v, "/")
	if !found {
		return false
	}
	return containsStr(dirs, first)
}
