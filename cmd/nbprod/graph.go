package main

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
	"github.com/nbprod/nbprod/emit/graph"
	"github.com/nbprod/nbprod/notebook"
	"github.com/spf13/cobra"
)

type graphOptions struct {
	IO     *ioStreams
	Path   string
	Format string
	Output string
}

func newGraphCmd(io *ioStreams) *cobra.Command {
	o := &graphOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "graph NOTEBOOK",
		Short: "Show a notebook's cell dataflow graph (which cell provides each name)",
		Long: `Show the cross-cell dataflow of a notebook: for every code cell, the names it
defines, uses, mutates and deletes, and for every use the earlier cell that
provides it (document order), plus the same resolution under the recorded
execution order. Formats: text, json (a versioned document other tools can
read; see the README), dot (Graphviz) and mermaid.`,
		Example: `  nbprod graph analysis.ipynb
  nbprod graph --format dot analysis.ipynb | dot -Tsvg > graph.svg
  nbprod graph --format json analysis.ipynb`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Path = args[0]
			return runGraph(o)
		},
	}
	cmd.Flags().StringVarP(&o.Format, "format", "f", "text", "output format: "+strings.Join(graph.Formats, ", "))
	cmd.Flags().StringVarP(&o.Output, "output", "o", "", "write the graph to `FILE` instead of stdout")
	return cmd
}

func runGraph(o *graphOptions) error {
	valid := false
	for _, f := range graph.Formats {
		valid = valid || f == o.Format
	}
	if !valid {
		return usageErr("unknown --format %q (want %s)", o.Format, strings.Join(graph.Formats, ", "))
	}
	nb, err := readNotebookArg(o.Path)
	if err != nil {
		return err
	}
	if !analyze.IsPython(nb.Language) {
		fmt.Fprintf(o.IO.Err, "nbprod: %s: kernel language is %s, not Python: cells are not analysed\n", displayPath(o.Path), nb.Language)
	}
	w := facts.NewWorker()
	defer w.Close()
	fx := w.New(nb, facts.Env{})
	var buf bytes.Buffer
	if err := graph.Write(&buf, o.Format, displayPath(o.Path), fx); err != nil {
		return &exitError{code: exitInternal, err: err}
	}
	if o.Output != "" {
		if err := writeFileAtomic(o.Output, buf.Bytes()); err != nil {
			return &exitError{code: exitUsage, err: err}
		}
		return nil
	}
	_, err = o.IO.Out.Write(buf.Bytes())
	return err
}

// readNotebookArg reads one notebook named on the command line; a missing
// or unreadable file is an input error (exit 2) naming the file and what is
// wrong.
func readNotebookArg(path string) (*notebook.Notebook, error) {
	nb, err := notebook.Read(path)
	if err == nil {
		nb.Path = displayPath(path)
		return nb, nil
	}
	var re *notebook.ReadError
	if errors.As(err, &re) {
		re.Path = displayPath(path)
		return nil, &exitError{code: exitUsage, err: re}
	}
	return nil, &exitError{code: exitUsage, err: err}
}

func displayPath(p string) string { return strings.ReplaceAll(p, "\\", "/") }
