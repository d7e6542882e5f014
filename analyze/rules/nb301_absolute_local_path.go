package rules

import (
	"fmt"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
)

// AbsoluteLocalPath reports absolute local paths in path contexts (RULES.md
// §2.1): Windows drives, UNC shares, /Users/<u>, /home/<u>, /root, ~, and
// other absolute POSIX paths read by a sink.
var AbsoluteLocalPath = &analyze.Rule{
	ID:       "NB301",
	Name:     "absolute-local-path",
	Category: analyze.CatDataAccess,
	Severity: analyze.Blocker,
	Doc:      doc("NB301"),
	Run:      runAbsoluteLocalPath,
}

func isNB301Class(c facts.PathClass) bool {
	switch c {
	case facts.ClassWinDrive, facts.ClassUNC, facts.ClassUserHome, facts.ClassTilde, facts.ClassPosixAbs, facts.ClassTmp:
		return true
	}
	return false
}

func runAbsoluteLocalPath(p *analyze.Pass) {
	fx := p.Facts
	uses := anchorUses(fx)
	for _, g := range groupPaths(fx, func(u *facts.PathUse) bool {
		return isNB301Class(u.Class) && u.Role != facts.RoleEndpoint
	}) {
		// Literals that are only written are NB307's (reported once there).
		if allWrites(uses[g.anchor]) {
			continue
		}
		u := g.uses[0]
		tmp := true
		for _, x := range g.uses {
			if x.Class != facts.ClassTmp {
				tmp = false
			}
		}
		what := "absolute local path"
		switch u.Class {
		case facts.ClassTilde:
			what = "home-relative path"
		case facts.ClassUNC:
			what = "network share path"
		case facts.ClassTmp:
			what = "temporary-directory path"
		}
		msg := fmt.Sprintf("%s %s %s: it exists only on the machine that ran the notebook", what, quoteValue(u.Value), sinkPhrase(g))
		fix := fmt.Sprintf("make it a parameter (`%s` in config, read as cfg.%s) and keep data in a location production can reach",
			u.ConfigKey, u.ConfigKey)
		f := pathFinding(g, msg, fix)
		switch {
		case tmp:
			f.Severity = analyze.Info
			f.Message = fmt.Sprintf("%s %s %s: fine for scratch files, but a run-scoped directory is safer", what, quoteValue(u.Value), sinkPhrase(g))
		case capped(g):
			f.Severity = analyze.Info
			f.Message += " (already overridable through the environment or not used by any reader)"
		case displayOnly(g):
			f.Severity = analyze.Info
			f.Message += " (only displayed by a shell command)"
		}
		p.Report(f)
	}
}
