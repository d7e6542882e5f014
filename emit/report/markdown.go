package report

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/emit/internal/textsafe"
)

// mdManyFindings is the number of blocker and warning rows above which a
// notebook's table is collapsed into a <details> block.
const mdManyFindings = 20

// Markdown writes a report for a pull-request comment: a heading, the
// summary line, one section per notebook with active findings (a table of
// blockers and warnings, info findings collapsed in <details>), internal
// errors, and a per-notebook readiness table. Suppressed and baselined
// findings are counted in the summary line only.
func Markdown(w io.Writer, res *analyze.Result, opts Options) error {
	return writeResult(w, "markdown", res, opts)
}

// markdownSink keeps the notebook sections and the readiness rows in
// spools, since the summary line they follow is only known at the end.
type markdownSink struct {
	w         *bufio.Writer
	tally     tally
	sections  spool
	readiness spool
	b         strings.Builder
}

func (s *markdownSink) begin(Meta) {}

func (s *markdownSink) notebook(nb *analyze.NotebookResult, fs []analyze.Finding) error {
	s.tally.add(nb, fs)
	s.b.Reset()
	mdSection(&s.b, groupOf(nb, fs))
	s.sections.WriteString(s.b.String())
	if nb != nil {
		score := strconv.Itoa(nb.Score)
		if nb.Unreadable {
			score += " (unreadable)"
		}
		s.readiness.WriteString("| " + mdCode(nb.Path) + " | " + score + " | " +
			strconv.Itoa(nb.Counts[analyze.Blocker]) + " | " +
			strconv.Itoa(nb.Counts[analyze.Warning]) + " | " +
			strconv.Itoa(nb.Counts[analyze.Info]) + " |\n")
	}
	return nil
}

func (s *markdownSink) end(errs []analyze.InternalError) error {
	s.w.WriteString("## nbprod report\n\n")
	s.w.WriteString(mdText(summarySentence(s.tally.summary())) + "\n")
	if _, err := s.sections.WriteTo(s.w); err != nil {
		return err
	}
	if len(errs) > 0 {
		s.w.WriteString("\n### Internal errors\n\n")
		for _, e := range errs {
			s.w.WriteString("- " + mdCode(e.Path) + ": " + mdText(e.Msg) + "\n")
		}
	}
	if s.readiness.Len() > 0 {
		s.w.WriteString("\n### Readiness\n\n")
		s.w.WriteString("| Notebook | Score | Blockers | Warnings | Info |\n")
		s.w.WriteString("| --- | ---: | ---: | ---: | ---: |\n")
		if _, err := s.readiness.WriteTo(s.w); err != nil {
			return err
		}
	}
	return nil
}

func (s *markdownSink) close() {
	s.sections.close()
	s.readiness.close()
}

// mdSection writes one notebook's section: nothing when it has no active
// finding.
func mdSection(b *strings.Builder, g notebookGroup) {
	var main, info []*analyze.Finding
	for _, f := range g.findings {
		switch {
		case !f.Active():
		case f.Severity == analyze.Info:
			info = append(info, f)
		default:
			main = append(main, f)
		}
	}
	if len(main) == 0 && len(info) == 0 {
		return
	}
	b.WriteString("\n### " + mdCode(g.path))
	if g.nb != nil {
		b.WriteString(" · score " + strconv.Itoa(g.nb.Score) + "/100")
		if g.nb.Unreadable {
			b.WriteString(" (unreadable)")
		}
	}
	b.WriteString("\n")
	if len(main) > 0 {
		if len(main) > mdManyFindings {
			var parts []string
			for _, sev := range []analyze.Severity{analyze.Blocker, analyze.Warning} {
				if n := countSeverity(main, sev); n > 0 {
					parts = append(parts, severityCount(sev, n))
				}
			}
			b.WriteString("\n<details>\n<summary>" + joinAnd(parts) + "</summary>\n")
			mdFindingTable(b, main)
			b.WriteString("\n</details>\n")
		} else {
			mdFindingTable(b, main)
		}
	}
	if len(info) > 0 {
		b.WriteString("\n<details>\n<summary>" + severityCount(analyze.Info, len(info)) + "</summary>\n")
		mdFindingTable(b, info)
		b.WriteString("\n</details>\n")
	}
}

func countSeverity(fs []*analyze.Finding, sev analyze.Severity) int {
	n := 0
	for _, f := range fs {
		if f.Severity == sev {
			n++
		}
	}
	return n
}

func mdFindingTable(b *strings.Builder, fs []*analyze.Finding) {
	b.WriteString("\n| Severity | Rule | Location | Message |\n| --- | --- | --- | --- |\n")
	for _, f := range fs {
		sev := f.Severity.String()
		if f.Severity == analyze.Blocker {
			sev = "**" + sev + "**"
		}
		rule := "[" + mdText(f.Rule) + "](" + RuleDocURL(f.Rule) + ")"
		if f.Name != "" {
			rule += " " + mdText(f.Name)
		}
		msg := mdText(f.Message)
		if f.Fix != "" {
			msg += "<br>Fix: " + mdText(f.Fix)
		}
		b.WriteString("| " + sev + " | " + rule + " | " + ProseLocation(f) + " | " + msg + " |\n")
	}
}

// mdText escapes s for inline Markdown inside a table cell: Markdown
// punctuation is backslash-escaped (so "|" cannot end the cell and
// backticks cannot open a code span), "<", ">" and "&" become entities (no
// raw HTML), line breaks become <br>, and "@name" gets a zero-width space
// after the "@" so that a comment does not mention a GitHub user.
func mdText(s string) string { return textsafe.Markdown(s, "\\`*_[]|~", isWordRune) }

func isWordRune(r rune) bool {
	return r == '_' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// mdCode renders s as a code span that survives inside a table cell: the
// fence is longer than any backtick run in s, and "|" is escaped (GFM
// splits cells before it parses code spans).
func mdCode(s string) string { return textsafe.CodeSpan(textsafe.OneLine(s)) }
