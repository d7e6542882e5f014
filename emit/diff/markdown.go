package diff

import (
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/nbdiff"
	"github.com/nbprod/nbprod/emit/internal/textsafe"
	"github.com/nbprod/nbprod/emit/report"
)

// mdBudget bounds the Markdown document (GitHub refuses comments over
// 65,536 characters): cell diffs past it are left out with a note.
const mdBudget = 60000

// mdOpenLines is the number of diff lines up to which the cell changes are
// shown open; longer ones are collapsed in a <details> block.
const mdOpenLines = 40

// Markdown writes a pull-request comment: a heading with the notebook, the
// summary, tables of the introduced and fixed findings (info findings
// collapsed), then the cell changes as ```diff blocks (collapsed when
// long, cut when the comment would be too long for GitHub).
func Markdown(w io.Writer, r *nbdiff.Result, _ Options) error {
	var b strings.Builder
	b.WriteString("## nbprod diff: " + mdCode(r.Path) + "\n\n")
	b.WriteString(mdCode(label(r.OldLabel, r.Path)) + " → " + mdCode(label(r.NewLabel, r.Path)) + ": " + mdText(summarySentence(r)) + "\n")
	if r.Checked {
		mdFindings(&b, "Introduced findings", r.Introduced, false)
		mdFindings(&b, "Fixed findings", r.Fixed, true)
	}

	var blocks []string
	lines := 0
	if len(r.NotebookMetadata) > 0 {
		blocks = append(blocks, "**notebook metadata**\n\n"+mdDiffBlock(r.NotebookMetadata))
		lines += hunkLines(r.NotebookMetadata)
	}
	for i := range r.Cells {
		c := &r.Cells[i]
		if !shown(c) {
			continue
		}
		var cb strings.Builder
		cb.WriteString("**" + cellTitle(c) + "** · " + kindName(c.Kind) + " · " + mdText(cellWhat(c)) + "\n")
		if len(c.Source) > 0 {
			cb.WriteString("\n" + mdDiffBlock(c.Source))
			lines += hunkLines(c.Source)
		}
		if c.ExecCount != nil {
			cb.WriteString("\nexecution count: " + countText(c.ExecCount.Old) + " → " + countText(c.ExecCount.New) + "\n")
		}
		if len(c.Outputs) > 0 {
			cb.WriteString("\noutputs:\n\n" + mdDiffBlock(c.Outputs))
			lines += hunkLines(c.Outputs)
		}
		if len(c.Metadata) > 0 {
			cb.WriteString("\nmetadata:\n\n" + mdDiffBlock(c.Metadata))
			lines += hunkLines(c.Metadata)
		}
		blocks = append(blocks, cb.String())
	}
	if len(blocks) > 0 {
		b.WriteString("\n### Cell changes\n")
		open := lines <= mdOpenLines
		if !open {
			b.WriteString("\n<details>\n<summary>" + mdText(cellSummary(r)) + "</summary>\n")
		}
		for i, blk := range blocks {
			if b.Len()+len(blk) > mdBudget {
				b.WriteString("\n_" + strconv.Itoa(len(blocks)-i) + " more changes not shown (the comment would be too long); run `nbprod diff` locally._\n")
				break
			}
			b.WriteString("\n" + blk)
		}
		if !open {
			b.WriteString("\n</details>\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func hunkLines(hs []nbdiff.Hunk) int {
	n := 0
	for _, h := range hs {
		n += 1 + len(h.Lines)
	}
	return n
}

// mdDiffBlock is a ```diff fenced block, its fence longer than any run of
// backticks inside.
func mdDiffBlock(hs []nbdiff.Hunk) string {
	var body strings.Builder
	for _, h := range hs {
		body.WriteString(hunkHeader(h) + "\n")
		for _, l := range h.Lines {
			body.WriteString(opMark(l.Op) + textsafe.Clean(l.Text) + "\n")
		}
	}
	s := body.String()
	fence := strings.Repeat("`", max(3, textsafe.LongestRun(s, '`')+1))
	return fence + "diff\n" + s + fence + "\n"
}

func mdFindings(b *strings.Builder, title string, fs []analyze.Finding, old bool) {
	if len(fs) == 0 {
		return
	}
	fs = sorted(fs)
	var main, info []*analyze.Finding
	for i := range fs {
		if fs[i].Severity == analyze.Info {
			info = append(info, &fs[i])
		} else {
			main = append(main, &fs[i])
		}
	}
	b.WriteString("\n### " + title + "\n")
	if len(main) > 0 {
		mdTable(b, main, old)
	}
	if len(info) > 0 {
		b.WriteString("\n<details>\n<summary>" + plural(len(info), "info finding", "info findings") + "</summary>\n")
		mdTable(b, info, old)
		b.WriteString("\n</details>\n")
	}
}

func mdTable(b *strings.Builder, fs []*analyze.Finding, old bool) {
	b.WriteString("\n| Severity | Rule | Location | Message |\n| --- | --- | --- | --- |\n")
	for _, f := range fs {
		sev := f.Severity.String()
		if f.Severity == analyze.Blocker {
			sev = "**" + sev + "**"
		}
		rule := "[" + mdText(f.Rule) + "](" + report.RuleDocURL(f.Rule) + ")"
		if f.Name != "" {
			rule += " " + mdText(f.Name)
		}
		msg := mdText(f.Message)
		if f.Fix != "" && !old {
			msg += "<br>Fix: " + mdText(f.Fix)
		}
		b.WriteString("| " + sev + " | " + rule + " | " + mdText(proseLocation(f, old)) + " | " + msg + " |\n")
	}
}

// proseLocation is "cell 5, line 2, col 20" ("old cell 5, …" for fixed
// findings), "cell 5, output 1", or "notebook".
func proseLocation(f *analyze.Finding, old bool) string {
	if f.Cell < 0 {
		return "notebook"
	}
	return oldPrefix(old) + report.ProseLocation(f)
}

// mdText escapes s for inline Markdown in a table cell or paragraph:
// Markdown punctuation is backslash-escaped, "<", ">" and "&" become
// entities (no raw HTML), line breaks become <br>, and "@name" gets a
// zero-width space so a comment mentions nobody.
func mdText(s string) string { return textsafe.Markdown(s, "\\`*_[]|~#", isWord) }

func isWord(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// mdCode is an inline code span holding s on one line.
func mdCode(s string) string { return textsafe.CodeSpan(textsafe.Clean(oneLine(s))) }
