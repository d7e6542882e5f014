package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/rules"
	"github.com/spf13/cobra"
)

type rulesOptions struct {
	IO     *ioStreams
	Format string
}

func newRulesCmd(io *ioStreams) *cobra.Command {
	o := &rulesOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the rules",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRules(o)
		},
	}
	cmd.Flags().StringVarP(&o.Format, "format", "f", "table", "output format: table, json or markdown (the README's rule table)")
	return cmd
}

func runRules(o *rulesOptions) error {
	all := rules.All()
	switch o.Format {
	case "table":
		tw := tabwriter.NewWriter(o.IO.Out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tSEVERITY\tCATEGORY\tSUMMARY")
		for _, r := range all {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, r.Name, r.Severity, r.Category, r.Doc.Summary)
		}
		return tw.Flush()
	case "json":
		type option struct {
			Name    string `json:"name"`
			Default any    `json:"default"`
			Help    string `json:"help"`
		}
		type rule struct {
			ID       string   `json:"id"`
			Name     string   `json:"name"`
			Severity string   `json:"severity"`
			Category string   `json:"category"`
			Summary  string   `json:"summary"`
			Options  []option `json:"options"`
			Docs     string   `json:"docs"`
		}
		out := struct {
			Version int    `json:"version"`
			Rules   []rule `json:"rules"`
		}{Version: 1, Rules: []rule{}}
		for _, r := range all {
			ro := rule{ID: r.ID, Name: r.Name, Severity: r.Severity.String(), Category: string(r.Category),
				Summary: r.Doc.Summary, Options: []option{}, Docs: r.Doc.Markdown}
			for _, op := range r.Options {
				ro.Options = append(ro.Options, option{op.Name, op.Default, op.Help})
			}
			out.Rules = append(out.Rules, ro)
		}
		enc := json.NewEncoder(o.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	case "markdown":
		fmt.Fprint(o.IO.Out, rulesMarkdown(all))
		return nil
	}
	return usageErr("unknown --format %q (want table, json or markdown)", o.Format)
}

// rulesMarkdown is the README's rule table, generated from the registry.
func rulesMarkdown(all []*analyze.Rule) string {
	var b strings.Builder
	b.WriteString("| ID | Name | Severity | Category | What it finds |\n|---|---|---|---|---|\n")
	for _, r := range all {
		fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %s |\n", r.ID, r.Name, r.Severity, r.Category,
			strings.ReplaceAll(r.Doc.Summary, "|", `\|`))
	}
	return b.String()
}
