package rules

import (
	"fmt"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	ps "github.com/nbprod/nbprod/analyze/pysyntax"
)

// NoFunctions reports notebooks with many lines of code and no function or
// class at all (pynblint best practice "Modularize your code").
var NoFunctions = &analyze.Rule{
	ID:       "NB801",
	Name:     "no-functions",
	Category: analyze.CatCodeStructure,
	Severity: analyze.Warning,
	Doc:      doc("NB801"),
	Options: []analyze.Option{{Name: "min-code-lines", Default: 100,
		Help: "code lines (not blank, not comments, not magics) from which a notebook should define functions"}},
	Run: runNoFunctions,
}

func runNoFunctions(p *analyze.Pass) {
	if envExploratory(p) {
		return
	}
	lines := 0
	for _, c := range p.Facts.Code() {
		if c.Language != "python" {
			continue
		}
		if c.Tree != nil {
			t := c.Tree
			for i := 0; i < t.Len(); i++ {
				switch t.Kind(ps.NodeID(i)) {
				case ps.FunctionDefinition, ps.ClassDefinition:
					return
				}
			}
		}
		magic := map[int]bool{}
		for _, m := range c.Masked.Magics {
			for l := m.Line; l <= m.EndLine; l++ {
				if !m.KeepsPython {
					magic[l] = true
				}
			}
		}
		for i, l := range strings.Split(c.NB.Source, "\n") {
			s := strings.TrimSpace(l)
			if s == "" || strings.HasPrefix(s, "#") || magic[i+1] {
				continue
			}
			lines++
		}
	}
	min := p.Int("min-code-lines")
	if lines < min {
		return
	}
	p.Report(analyze.Finding{Cell: -1, Key: "no-functions",
		Message: fmt.Sprintf("%d lines of code and not one function or class: every step runs at module level on global variables", lines),
		Fix:     "group each step (load, clean, features, train, evaluate) into a function that takes its inputs as parameters and returns its outputs",
		Data:    map[string]any{"code_lines": lines, "min_code_lines": min}})
}
