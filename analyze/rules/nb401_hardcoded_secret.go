package rules

import (
	"fmt"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
)

// HardcodedSecret reports credentials written into the notebook's source:
// provider-format tokens, secret-named targets bound to literals and
// high-entropy strings in a secret context (RULES.md §2.2).
var HardcodedSecret = &analyze.Rule{
	ID:       "NB401",
	Name:     "hardcoded-secret",
	Category: analyze.CatSecurity,
	Severity: analyze.Blocker,
	Doc:      doc("NB401"),
	Run:      runHardcodedSecret,
}

func runHardcodedSecret(p *analyze.Pass) {
	fx := p.Facts
	for _, s := range fx.Secrets() {
		s := s
		if s.Rule() != "NB401" {
			continue
		}
		if tagged(fx, s.Cell, "nbprod-test-fixture") {
			continue
		}
		where := ""
		switch s.Where {
		case facts.WhereComment:
			where = " in a comment"
		case facts.WhereMagic:
			where = " on a magic/shell line"
		case facts.WhereBody:
			where = " in a cell-magic body"
		case facts.WhereText:
			where = " in a markdown cell"
		}
		msg := fmt.Sprintf("hardcoded %s%s: anyone with the notebook (and its git history) has the credential", secretWhat(&s), where)
		fix := fmt.Sprintf("read it from the environment (os.environ[%q]) or a secret store, add %s= to .env.example, and rotate the credential: it stays in git history", s.EnvVar, s.EnvVar)
		if s.Layer == facts.LayerEntropy {
			msg = fmt.Sprintf("possible secret: %s", secretWhat(&s))
			fix = fmt.Sprintf("if it is a credential, read it from the environment (os.environ[%q]) and rotate it", s.EnvVar)
		}
		p.Report(secretFinding(&s, msg, fix))
	}
}

// tagged reports whether a cell carries a tag.
func tagged(fx *facts.Notebook, cell int, tag string) bool {
	if cell < 0 || cell >= len(fx.NB.Cells) {
		return false
	}
	return fx.NB.Cells[cell].HasTag(tag)
}
