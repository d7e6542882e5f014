package rules

import (
	"fmt"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
)

// LocalDataFile reports data files read by a relative path (RULES.md
// §2.1.2 REL_DATA; severity per CONTRACT.md §6).
var LocalDataFile = &analyze.Rule{
	ID:       "NB303",
	Name:     "local-data-file",
	Category: analyze.CatDataAccess,
	Severity: analyze.Warning,
	Doc:      doc("NB303"),
	Options: []analyze.Option{
		{Name: "allow", Default: []string{}, Help: "glob patterns (matched against the path as written) of reference files shipped with the code, reported at info"},
	},
	Run: runLocalDataFile,
}

func runLocalDataFile(p *analyze.Pass) {
	fx := p.Facts
	allow := p.Strings("allow")
	for _, g := range groupPaths(fx, func(u *facts.PathUse) bool {
		if u.Direction != facts.DirRead || (u.Role != facts.RoleFile && u.Role != facts.RoleEndpoint) {
			return false
		}
		return u.Class == facts.ClassRelativeData || (u.Class == facts.ClassRelative && u.OutsideRoot)
	}) {
		u := g.uses[0]
		outside, written, later, env := false, true, -1, true
		for _, x := range g.uses {
			outside = outside || x.OutsideRoot
			if x.WrittenAt < 0 || x.WrittenAt > x.SinkCell {
				written = false
			}
			if x.WrittenAt > x.SinkCell && later < 0 {
				later = x.WrittenAt
			}
			env = env && x.Env
		}
		msg := fmt.Sprintf("data file %s is read by a relative path (%s): it must sit next to the notebook wherever the code runs",
			quoteValue(u.Value), sinkPhrase(g))
		fix := fmt.Sprintf("declare it as an input parameter (`%s`) and read it from governed storage; if it is a small reference table shipped with the code, allow it in [tool.nbprod.options.NB303]", u.ConfigKey)
		f := pathFinding(g, msg, fix)
		switch {
		case outside:
			f.Severity = analyze.Blocker
			f.Message = fmt.Sprintf("data file %s resolves outside the repository (%s): a clean checkout cannot contain it", quoteValue(u.Value), sinkPhrase(g))
			f.Data["outside_root"] = true
		case env:
			f.Severity = analyze.Info
			f.Message += " (it is the fallback of an environment variable)"
		case written:
			f.Severity = analyze.Info
			f.Message = fmt.Sprintf("data file %s is read back after this notebook wrote it (%s): the pipeline passes data through a side-effect file",
				quoteValue(u.Value), sinkPhrase(g))
			f.Fix = "pass the object between steps, or declare the file as an intermediate artefact of the pipeline"
			f.Data["written_in_cell"] = u.WrittenAt
		case later >= 0:
			f.Message = fmt.Sprintf("data file %s is read here but written only later, in cell %d: a fresh top-to-bottom run depends on a file left by an earlier run",
				quoteValue(u.Value), later+1)
			f.Data["written_in_cell"] = later
		case matchAny(allow, u.Value):
			f.Severity = analyze.Info
			f.Message += " (allowed reference file)"
		}
		p.Report(f)
	}
}

// matchAny reports whether v matches one of the glob patterns.
func matchAny(globs []string, v string) bool {
	for _, g := range globs {
		if ok, err := pathMatch(g, v); err == nil && ok {
			return true
		}
	}
	return false
}
