package rules

import (
	"fmt"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
)

// SecretInOutputs reports credentials saved in cell outputs and in
// notebook or cell metadata.
var SecretInOutputs = &analyze.Rule{
	ID:       "NB403",
	Name:     "secret-in-outputs",
	Category: analyze.CatSecurity,
	Severity: analyze.Blocker,
	Doc:      doc("NB403"),
	Run:      runSecretInOutputs,
}

func runSecretInOutputs(p *analyze.Pass) {
	fx := p.Facts
	for _, s := range fx.Secrets() {
		s := s
		if s.Rule() != "NB403" {
			continue
		}
		var where string
		switch s.Where {
		case facts.WhereOutput:
			where = fmt.Sprintf("a saved output (output %d, %s, line %d)", s.Output.Index+1, s.Output.MIME, s.Output.Line)
		case facts.WhereCellMeta:
			where = fmt.Sprintf("cell metadata (%s)", s.MetaPath)
		default:
			where = fmt.Sprintf("notebook metadata (%s)", s.MetaPath)
		}
		msg := fmt.Sprintf("%s found in %s: everyone who opens the notebook sees it", secretWhat(&s), where)
		fix := "clear the outputs (nbstripout) and the metadata, rotate the credential, and purge it from git history"
		f := secretFinding(&s, msg, fix)
		if s.Where == facts.WhereNBMeta {
			f.Cell = -1
		}
		p.Report(f)
	}
}
