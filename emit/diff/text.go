package diff

import (
	"io"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/nbdiff"
	"github.com/nbprod/nbprod/emit/internal/textsafe"
)

type paint func(string) string

func noPaint(s string) string { return s }

// styles is the text palette; plain leaves text as it is. The colour
// palette renders through a lipgloss renderer bound to the writer with an
// explicit ANSI profile, so nothing depends on global state or terminal
// detection.
type styles struct {
	file, cell, hunk, insert, delete, label, dim, summary paint
	severity                                              map[analyze.Severity]paint
}

func plainStyles() styles {
	return styles{file: noPaint, cell: noPaint, hunk: noPaint, insert: noPaint, delete: noPaint,
		label: noPaint, dim: noPaint, summary: noPaint,
		severity: map[analyze.Severity]paint{}}
}

func colorStyles(w io.Writer) styles {
	r := lipgloss.NewRenderer(w, termenv.WithProfile(termenv.ANSI))
	r.SetColorProfile(termenv.ANSI)
	r.SetHasDarkBackground(true) // never query the terminal
	st := func() lipgloss.Style { return r.NewStyle().TabWidth(lipgloss.NoTabConversion) }
	p := func(s lipgloss.Style) paint {
		return func(text string) string {
			if text == "" {
				return ""
			}
			return s.Render(text)
		}
	}
	return styles{
		file:    p(st().Bold(true)),
		cell:    p(st().Bold(true).Foreground(lipgloss.Color("5"))),
		hunk:    p(st().Foreground(lipgloss.Color("6"))),
		insert:  p(st().Foreground(lipgloss.Color("2"))),
		delete:  p(st().Foreground(lipgloss.Color("1"))),
		label:   p(st().Bold(true)),
		dim:     p(st().Faint(true)),
		summary: p(st().Bold(true)),
		severity: map[analyze.Severity]paint{
			analyze.Blocker: p(st().Foreground(lipgloss.Color("1")).Bold(true)),
			analyze.Warning: p(st().Foreground(lipgloss.Color("3"))),
			analyze.Info:    p(st().Foreground(lipgloss.Color("4"))),
		},
	}
}

func (s styles) sev(v analyze.Severity) paint {
	if p, ok := s.severity[v]; ok {
		return p
	}
	return noPaint
}

// Text writes the human diff:
//
//	--- git:HEAD:nb.ipynb
//	+++ nb.ipynb
//
//	cell 2 (code) modified
//	@@ -1,2 +1,2 @@
//	 import pandas as pd
//	-df = pd.read_csv("data.csv")
//	+df = pd.read_csv("data/train.csv")
//
//	cell 5 (code) moved from cell 3 to cell 5
//
//	Introduced findings:
//	  nb.ipynb:cell 6:1:1: NB401 [blocker] …
//	Fixed findings:
//	  nb.ipynb:old cell 3:1:1: NB102 [blocker] …
//
//	1 cell modified and 1 moved; 1 finding introduced (1 blocker), 1 fixed (1 blocker), 2 unchanged.
//
// Unchanged cells are left out; lines are as nbdiff redacted them.
func Text(w io.Writer, r *nbdiff.Result, opts Options) error {
	st := plainStyles()
	if opts.Color {
		st = colorStyles(w)
	}
	var b strings.Builder
	b.WriteString(st.file("--- "+textsafe.Clean(label(r.OldLabel, r.Path))) + "\n")
	b.WriteString(st.file("+++ "+textsafe.Clean(label(r.NewLabel, r.Path))) + "\n")
	if len(r.NotebookMetadata) > 0 {
		b.WriteString("\n" + st.cell("notebook metadata") + "\n")
		writeHunks(&b, r.NotebookMetadata, st)
	}
	for i := range r.Cells {
		c := &r.Cells[i]
		if !shown(c) {
			continue
		}
		b.WriteString("\n" + st.cell(cellTitle(c)+" ("+kindName(c.Kind)+")") + " " + cellWhat(c) + "\n")
		writeHunks(&b, c.Source, st)
		if c.ExecCount != nil {
			b.WriteString(st.label("execution count:") + " " + countText(c.ExecCount.Old) + " → " + countText(c.ExecCount.New) + "\n")
		}
		if len(c.Outputs) > 0 {
			b.WriteString(st.label("outputs:") + "\n")
			writeHunks(&b, c.Outputs, st)
		}
		if len(c.Metadata) > 0 {
			b.WriteString(st.label("metadata:") + "\n")
			writeHunks(&b, c.Metadata, st)
		}
	}
	if !r.Changed() {
		b.WriteString("\nNo cell changed")
		var skipped []string
		if !r.Outputs {
			skipped = append(skipped, "outputs and execution counts (--outputs)")
		}
		if !r.Metadata {
			skipped = append(skipped, "metadata (--metadata)")
		}
		if len(skipped) > 0 {
			b.WriteString(" " + st.dim("(not compared: "+joinAnd(skipped)+")"))
		}
		b.WriteString(".\n")
	}
	if r.Checked {
		writeFindings(&b, "Introduced findings", r.Introduced, r.Path, false, st, opts)
		writeFindings(&b, "Fixed findings", r.Fixed, r.Path, true, st, opts)
	}
	b.WriteString("\n" + st.summary(summarySentence(r)) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func label(l, path string) string {
	if l != "" {
		return l
	}
	return path
}

func writeHunks(b *strings.Builder, hs []nbdiff.Hunk, st styles) {
	for _, h := range hs {
		b.WriteString(st.hunk(hunkHeader(h)) + "\n")
		for _, l := range h.Lines {
			line := opMark(l.Op) + textsafe.Clean(l.Text)
			switch l.Op {
			case nbdiff.Insert:
				line = st.insert(line)
			case nbdiff.Delete:
				line = st.delete(line)
			}
			b.WriteString(line + "\n")
		}
	}
}

func writeFindings(b *strings.Builder, title string, fs []analyze.Finding, path string, old bool, st styles, opts Options) {
	if len(fs) == 0 {
		return
	}
	fs = sorted(fs)
	hidden := 0
	var listed []*analyze.Finding
	for i := range fs {
		if fs[i].Severity == analyze.Info && !opts.ShowInfo {
			hidden++
			continue
		}
		listed = append(listed, &fs[i])
	}
	b.WriteString("\n" + st.label(title+":") + "\n")
	for _, f := range listed {
		p := f.Path
		if p == "" {
			p = path
		}
		b.WriteString("  " + textsafe.Clean(oneLine(p)) + ":" + location(f, old) + ": " + f.Rule + " " +
			st.sev(f.Severity)("["+f.Severity.String()+"]") + " " + textsafe.Clean(oneLine(f.Message)) + "\n")
		if f.Fix != "" && !old {
			b.WriteString("    " + st.dim("fix:") + " " + textsafe.Clean(oneLine(f.Fix)) + "\n")
		}
	}
	if hidden > 0 {
		b.WriteString("  " + st.dim(plural(hidden, "info finding", "info findings")+" not listed (--show-info lists them)") + "\n")
	}
}

func oneLine(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", " "), "\n", " ")
}
