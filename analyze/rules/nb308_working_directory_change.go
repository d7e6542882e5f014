package rules

import (
	"fmt"
	"unicode/utf8"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
	ps "github.com/nbprod/nbprod/analyze/pysyntax"
)

// WorkingDirectoryChange reports %cd, %pushd, %bookmark and os.chdir: later
// relative paths then depend on the current directory.
var WorkingDirectoryChange = &analyze.Rule{
	ID:       "NB308",
	Name:     "working-directory-change",
	Category: analyze.CatDataAccess,
	Severity: analyze.Warning,
	Doc:      doc("NB308"),
	Run:      runWorkingDirectoryChange,
}

func runWorkingDirectoryChange(p *analyze.Pass) {
	fx := p.Facts
	const fix = "remove the directory change and build paths from a base-directory parameter (cfg.paths.base_dir)"
	for _, c := range fx.Code() {
		for _, m := range c.Masked.Magics {
			if m.Kind != ps.LineMagic && m.Kind != ps.Automagic && m.Kind != ps.MagicAssign {
				continue
			}
			switch m.Name {
			case "cd", "pushd", "popd", "bookmark":
			default:
				continue
			}
			target := ""
			for _, a := range facts.MagicArgTokens(c, m) {
				if a.Flag == "" && a.Text != "-q" {
					target = a.Text
				}
			}
			if m.Name == "bookmark" && target == "" {
				continue
			}
			line := c.NB.Line(m.Line)
			col := utf8.RuneCountInString(line[:min(max(m.Col-1, 0), len(line))]) + 1
			end := utf8.RuneCountInString(line) + 1
			msg := fmt.Sprintf("%%%s changes the working directory", m.Name)
			if target != "" {
				msg = fmt.Sprintf("%%%s %s changes the working directory", m.Name, quoteValue(target))
			}
			msg += ": relative paths in later cells resolve differently in production"
			data := map[string]any{"sink": "%" + m.Name}
			if target != "" {
				data["value"] = facts.RedactValue(target)
				data["kind"] = string(facts.ClassifyPath(target, true, true))
			}
			p.Report(analyze.Finding{Cell: c.Index, Line: m.Line, Column: col, EndLine: m.Line, EndColumn: end,
				Message: msg, Fix: fix, Data: data})
		}
	}
	for _, cs := range fx.Calls() {
		if !cs.Is("os.chdir", "os.fchdir") {
			continue
		}
		msg := "os.chdir changes the working directory"
		data := map[string]any{"sink": "os.chdir"}
		if a := cs.Positional(0); a != ps.NoNode {
			if f := fx.Fold(cs.Cell, a); f.Value != "" {
				msg = fmt.Sprintf("os.chdir(%s) changes the working directory", quoteValue(f.Value))
				data["value"] = facts.RedactValue(f.Value)
				data["kind"] = string(facts.ClassifyPath(f.Value, f.Complete, true))
			}
		}
		p.Report(analyze.Finding{Cell: cs.Cell.Index, Line: cs.Pos.Line, Column: cs.Pos.Col, EndLine: cs.End.Line, EndColumn: cs.End.Col,
			Message: msg + ": relative paths in later cells resolve differently in production", Fix: fix, Data: data})
	}
}
