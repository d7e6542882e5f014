package main

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/rules"
	"github.com/spf13/cobra"
)

func newExplainCmd(io *ioStreams) *cobra.Command {
	return &cobra.Command{
		Use:   "explain RULE|score",
		Short: "Show a rule's documentation (by ID or name), or how the readiness score is computed",
		Example: `  nbprod explain NB101
  nbprod explain non-linear-execution
  nbprod explain score`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExplain(io, args[0])
		},
	}
}

func runExplain(io *ioStreams, what string) error {
	md := ""
	if strings.EqualFold(what, "score") {
		md = analyze.ScoreDoc
	} else {
		all := rules.All()
		ids, err := analyze.MatchRules(all, what)
		if err != nil || len(ids) != 1 {
			return usageErr("unknown rule %q: give an ID such as NB101, a rule name, or \"score\" (see nbprod rules)", what)
		}
		for _, r := range all {
			if r.ID == ids[0] {
				md = r.Doc.Markdown
				if len(r.Options) > 0 && !strings.Contains(md, "## Configuration") {
					md += "\n## Configuration\n"
				}
				md = fmt.Sprintf("%s\n\nSeverity: %s · Category: %s\n", strings.TrimRight(md, "\n"), r.Severity, r.Category)
			}
		}
	}
	if !io.color(io.OutTTY) {
		fmt.Fprint(io.Out, md)
		return nil
	}
	fmt.Fprint(io.Out, renderMarkdown(md))
	return nil
}

var (
	h1Style    = lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("12"))
	h2Style    = lipgloss.NewStyle().Bold(true)
	codeStyle  = lipgloss.NewStyle().Foreground(lipgloss.Color("10"))
	inlineCode = regexp.MustCompile("`([^`]+)`")
)

// renderMarkdown styles headings and code for a terminal; the text stays
// the markdown source otherwise.
func renderMarkdown(md string) string {
	var b strings.Builder
	inFence := false
	for _, line := range strings.Split(md, "\n") {
		switch {
		case strings.HasPrefix(line, "```"):
			inFence = !inFence
			continue
		case inFence:
			b.WriteString("    " + codeStyle.Render(line))
		case strings.HasPrefix(line, "# "):
			b.WriteString(h1Style.Render(strings.TrimPrefix(line, "# ")))
		case strings.HasPrefix(line, "## "):
			b.WriteString(h2Style.Render(strings.TrimPrefix(line, "## ")))
		default:
			b.WriteString(inlineCode.ReplaceAllStringFunc(line, func(s string) string {
				return codeStyle.Render(strings.Trim(s, "`"))
			}))
		}
		b.WriteString("\n")
	}
	return b.String()
}
