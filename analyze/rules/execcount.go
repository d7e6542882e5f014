package rules

import (
	"strings"

	"github.com/nbprod/nbprod/notebook"
)

// execCell is a code cell with its execution count.
type execCell struct {
	idx int // cell index
	ec  *int
	c   *notebook.Cell
}

// codeCells returns the code cells of a notebook in file order.
func codeCells(nb *notebook.Notebook) []execCell {
	var out []execCell
	for i := range nb.Cells {
		c := &nb.Cells[i]
		if c.Kind == notebook.Code {
			out = append(out, execCell{idx: i, ec: c.ExecCount, c: c})
		}
	}
	return out
}

// hasExecCounts reports whether execution-count rules apply: percent
// scripts carry no counts (CONTRACT.md §7).
func hasExecCounts(nb *notebook.Notebook) bool {
	return nb.Format != notebook.FormatPercent
}

// ranByPapermill reports notebooks executed top to bottom by papermill.
func ranByPapermill(nb *notebook.Notebook) bool {
	return nb.Metadata.Get("papermill") != nil
}

func blank(src string) bool {
	for _, line := range strings.Split(src, "\n") {
		t := strings.TrimSpace(line)
		if t != "" && !strings.HasPrefix(t, "#") {
			return false
		}
	}
	return true
}

// skipTagged reports cells whose tags say they are not meant to run.
func skipTagged(c *notebook.Cell) bool {
	return c.HasTag("skip-execution") || c.HasTag("nbprod-skip") || c.HasTag("raises-exception")
}
