package main

import (
	"strings"

	"github.com/nbprod/nbprod/analyze/rules"
	"github.com/nbprod/nbprod/emit/diff"
	"github.com/nbprod/nbprod/emit/graph"
	"github.com/nbprod/nbprod/emit/report"
	"github.com/spf13/cobra"
)

// registerCompletions adds shell completion of flag values and arguments
// (`nbprod completion`): formats, --fail-on levels, rule IDs and names for
// --select/--ignore (comma lists, completed after the last comma) and for
// `explain`, notebooks for paths.
func registerCompletions(root *cobra.Command) {
	fixed := func(values ...string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			return withPrefix(values, toComplete), cobra.ShellCompDirectiveNoFileComp
		}
	}
	reportFormats := fixed(report.Formats...)
	// FORMAT=FILE: formats first, then files.
	reportSpecs := func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		if strings.Contains(toComplete, "=") {
			return nil, cobra.ShellCompDirectiveDefault
		}
		var out []string
		for _, f := range report.Formats {
			out = append(out, f+"=")
		}
		return withPrefix(out, toComplete), cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
	}
	ruleList := func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		prefix := ""
		if i := strings.LastIndexByte(toComplete, ','); i >= 0 {
			prefix = toComplete[:i+1]
		}
		out := []string{prefix + "ALL\tevery rule"}
		for _, r := range rules.All() {
			out = append(out, prefix+r.ID+"\t"+r.Name, prefix+r.Name+"\t"+r.ID)
		}
		return withPrefix(out, toComplete), cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	}
	notebooks := func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"ipynb", "py"}, cobra.ShellCompDirectiveFilterFileExt
	}
	for _, c := range root.Commands() {
		flag := func(name string, fn func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective)) {
			if c.Flags().Lookup(name) != nil {
				_ = c.RegisterFlagCompletionFunc(name, fn)
			}
		}
		switch c.Name() {
		case "check":
			flag("format", reportFormats)
			flag("report", reportSpecs)
			c.ValidArgsFunction = notebooks
		case "graph":
			flag("format", fixed(graph.Formats...))
			c.ValidArgsFunction = notebooks
		case "diff":
			flag("format", fixed(diff.Formats...))
			c.ValidArgsFunction = notebooks
		case "rules":
			flag("format", fixed("table", "json", "markdown"))
		case "explain":
			c.ValidArgsFunction = func(_ *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
				if len(args) > 0 {
					return nil, cobra.ShellCompDirectiveNoFileComp
				}
				out := []string{"score\thow the readiness score is computed"}
				for _, r := range rules.All() {
					out = append(out, r.ID+"\t"+r.Name, r.Name+"\t"+r.ID)
				}
				return withPrefix(out, toComplete), cobra.ShellCompDirectiveNoFileComp
			}
		}
		flag("fail-on", fixed("blocker", "warning", "info", "never"))
		flag("select", ruleList)
		flag("ignore", ruleList)
		flag("jobs", fixed())
	}
}

// withPrefix keeps the completions (with optional "\tdescription") that
// start with the word being completed.
func withPrefix(values []string, toComplete string) []string {
	out := make([]string, 0, len(values))
	for _, v := range values {
		if strings.HasPrefix(v, toComplete) {
			out = append(out, v)
		}
	}
	return out
}
