package rules

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
	"github.com/nbprod/nbprod/notebook"
)

// StaleOutputEvidence reports saved outputs that cannot come from the
// current source (RULES.md §3.9).
var StaleOutputEvidence = &analyze.Rule{
	ID:       "NB109",
	Name:     "stale-output-evidence",
	Category: analyze.CatHiddenState,
	Severity: analyze.Info,
	Doc:      doc("NB109"),
	Run:      runStaleOutputEvidence,
}

func runStaleOutputEvidence(p *analyze.Pass) {
	nb := p.Notebook
	if !hasExecCounts(nb) {
		return
	}
	cells := codeCells(nb)
	anyCount := false
	withOutputs := 0
	for _, c := range cells {
		if c.ec != nil {
			anyCount = true
		}
		if len(c.c.Outputs) > 0 {
			withOutputs++
		}
	}
	if !anyCount && withOutputs > 0 {
		p.Report(analyze.Finding{Cell: -1,
			Message: fmt.Sprintf("execution counts were cleared but %d %s kept outputs: nothing shows which run produced them", withOutputs, plural(withOutputs, "cell", "cells")),
			Fix:     "re-run the notebook before committing, or strip the outputs too (nbstripout)",
			Data:    map[string]any{"cells_with_outputs": withOutputs}})
	}
	fx := p.Facts
	for _, c := range cells {
		if len(c.c.Outputs) == 0 {
			continue
		}
		fc := fx.Cell(c.idx)
		parsed := fc != nil && fc.ParseOK && fc.Language == "python" && fc.Masked.CellMagic == ""
		stale := parsed && len(staleProviders(fx, fc)) > 0
		sev := analyze.Info
		if stale {
			sev = analyze.Warning // combined with NB104 on the same cell
		}
		if c.ec == nil && anyCount {
			p.Report(analyze.Finding{Cell: c.idx, Line: 1, Column: 1, Severity: sev,
				Message: "outputs saved on a cell with no execution count: its count was cleared or the JSON was edited",
				Fix:     "re-run the cell or clear its outputs"})
		}
		for oi := range c.c.Outputs {
			o := &c.c.Outputs[oi]
			if o.Type == "execute_result" && parsed && !fc.LastMagic && (!fc.LastExpr || fc.Semicolon) {
				why := "its last statement is not an expression"
				if fc.LastExpr {
					why = "its last statement ends with ;"
				}
				p.Report(analyze.Finding{Cell: c.idx, Output: &analyze.OutputRef{Index: oi, MIME: firstMime(o)}, Severity: sev,
					Message: fmt.Sprintf("saved result cannot come from the current source: %s, so IPython would display nothing", why),
					Fix:     "re-run the cell (the source was edited after it ran)"})
			}
			if o.Type == "stream" && parsed && !fc.HasCall && len(fc.Masked.Magics) == 0 {
				p.Report(analyze.Finding{Cell: c.idx, Output: &analyze.OutputRef{Index: oi, MIME: "stream"}, Severity: sev,
					Message: "printed output saved on a cell that calls nothing, so it cannot print: the source was edited after it ran",
					Fix:     "re-run the cell"})
			}
			if o.Type == "error" && parsed {
				if name, where := fixedSinceError(fx, fc, o); name != "" {
					p.Report(analyze.Finding{Cell: c.idx, Output: &analyze.OutputRef{Index: oi, MIME: "error"}, Severity: sev,
						Message: fmt.Sprintf("the saved %s for `%s` predates the current code: %s", o.EName, name, where),
						Fix:     "re-run the cell and clear the stale error output"})
				}
			}
			if o.Type == "execute_result" && o.ExecCount != nil && c.ec != nil && *o.ExecCount != *c.ec {
				p.Report(analyze.Finding{Cell: c.idx, Output: &analyze.OutputRef{Index: oi, MIME: firstMime(o)}, Severity: sev,
					Message: fmt.Sprintf("the result was produced by In[%d], but the cell's count is In[%d]: the output is from another run", *o.ExecCount, *c.ec),
					Fix:     "re-run the cell",
					Data:    map[string]any{"output_execution_count": *o.ExecCount, "execution_count": *c.ec}})
			}
			if o.Type == "error" {
				if line, ok := vanishedTracebackLine(c.c, o); ok {
					p.Report(analyze.Finding{Cell: c.idx, Output: &analyze.OutputRef{Index: oi, MIME: "error"}, Severity: sev,
						Message: fmt.Sprintf("the saved traceback quotes %q, which is no longer in the cell: the error came from an older version of it", shorten(line, 60)),
						Fix:     "re-run the cell (or clear the stale error output)"})
				}
			}
		}
	}
}

func firstMime(o *notebook.Output) string {
	if len(o.Data) > 0 {
		return o.Data[0].MIME
	}
	return ""
}

var (
	ansiRe = regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`)
	// Frame headers of code typed in a cell, across IPython versions.
	cellFrameRe = regexp.MustCompile(`<ipython-input-\d+-|Input In \[\d*\]|Cell In\s*\[\d*\]|<cell line: \d+>`)
	otherFrame  = regexp.MustCompile(`^(File |\S+\.py[: ]|/|[A-Za-z]:\\)`)
	arrowRe     = regexp.MustCompile(`^\s*-*>\s*(\d+)\s(.*)$`)
)

// vanishedTracebackLine returns a line an IPython traceback quotes from this
// cell (the arrowed line) that the cell's current source does not contain.
func vanishedTracebackLine(c *notebook.Cell, o *notebook.Output) (string, bool) {
	inCell := false
	for _, entry := range o.Traceback {
		for _, l := range strings.Split(ansiRe.ReplaceAllString(entry, ""), "\n") {
			if cellFrameRe.MatchString(l) {
				inCell = true
				continue
			}
			if otherFrame.MatchString(strings.TrimSpace(l)) && !cellFrameRe.MatchString(l) {
				inCell = false
				continue
			}
			if !inCell {
				continue
			}
			m := arrowRe.FindStringSubmatch(l)
			if m == nil {
				continue
			}
			code := strings.TrimSpace(m[2])
			if code == "" || strings.Contains(code, "...") {
				continue
			}
			if !strings.Contains(normSpace(c.Source), normSpace(code)) {
				return code, true
			}
		}
	}
	return "", false
}

func normSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

var (
	nameErrRe   = regexp.MustCompile(`name '([A-Za-z_][A-Za-z0-9_]*)' is not defined`)
	moduleErrRe = regexp.MustCompile(`No module named '([A-Za-z0-9_.]+)'`)
	importErrRe = regexp.MustCompile(`cannot import name '([A-Za-z_][A-Za-z0-9_]*)'`)
)

// fixedSinceError returns the name a saved NameError/ImportError complains
// about when the current source defines or imports it before the cell (or
// earlier in the cell), with where it is defined now.
func fixedSinceError(fx *facts.Notebook, c *facts.Cell, o *notebook.Output) (string, string) {
	switch o.EName {
	case "NameError":
		m := nameErrRe.FindStringSubmatch(o.EValue)
		if m == nil {
			return "", ""
		}
		name := m[1]
		if d := fx.Definer(c.Index, name); d >= 0 {
			return name, fmt.Sprintf("cell %d defines it now", d+1)
		}
		if c.DefinesName(name) && !contains(c.EagerUses, name) {
			return name, "this cell defines it before using it now"
		}
	case "ModuleNotFoundError", "ImportError":
		m := moduleErrRe.FindStringSubmatch(o.EValue)
		if m == nil {
			return "", ""
		}
		mod := m[1]
		for _, cc := range fx.Code() {
			if cc.Index > c.Index {
				break
			}
			for _, im := range cc.Imports {
				if (im.Module == mod || strings.HasPrefix(im.Module, mod+".")) && cc.Index < c.Index {
					return mod, fmt.Sprintf("cell %d imports it now", cc.Index+1)
				}
			}
		}
	}
	return "", ""
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
