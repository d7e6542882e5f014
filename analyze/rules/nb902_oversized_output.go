package rules

import (
	"fmt"
	"strings"

	"github.com/nbprod/nbprod/analyze"
)

// OversizedOutput reports outputs that bloat the notebook file: large cell
// outputs, very long streams, big embedded images, a notebook made mostly
// of outputs, and large widget state.
var OversizedOutput = &analyze.Rule{
	ID:       "NB902",
	Name:     "oversized-output",
	Category: analyze.CatHygiene,
	Severity: analyze.Warning,
	Doc:      doc("NB902"),
	Options: []analyze.Option{
		{Name: "max-cell-output-kb", Default: 100, Help: "size of one cell's outputs in the file, in KB"},
		{Name: "max-stream-lines", Default: 1000, Help: "lines of stream text (print, logging) in one cell"},
		{Name: "max-image-kb", Default: 500, Help: "size of one embedded image, in KB"},
		{Name: "max-notebook-output-kb", Default: 1024, Help: "size of all outputs of the notebook, in KB"},
		{Name: "max-output-share", Default: 50, Help: "percentage of the file that outputs may take (checked once they exceed a quarter of max-notebook-output-kb)"},
		{Name: "max-widget-state-kb", Default: 100, Help: "size of the saved widget state (metadata.widgets), in KB"},
	},
	Run: runOversizedOutput,
}

func runOversizedOutput(p *analyze.Pass) {
	nb := p.Notebook
	if nb.Metadata.Get("nbprod", "keep_outputs").Truthy() {
		return
	}
	kb := func(n int64) string {
		if n >= 1<<20 {
			return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
		}
		return fmt.Sprintf("%d KB", (n+512)/1024)
	}
	maxCell := int64(p.Int("max-cell-output-kb")) * 1024
	maxLines := p.Int("max-stream-lines")
	maxImage := int64(p.Int("max-image-kb")) * 1024
	for ci := range nb.Cells {
		c := &nb.Cells[ci]
		if len(c.Outputs) == 0 {
			continue
		}
		var total int64
		lines := 0
		var reasons []string
		var biggestImage int64
		imageAt := -1
		for oi := range c.Outputs {
			o := &c.Outputs[oi]
			total += o.Size
			for _, d := range o.Data {
				if d.MIME == "stream" {
					lines += strings.Count(d.Text, "\n")
				}
				if strings.HasPrefix(d.MIME, "image/") && d.Size > biggestImage {
					biggestImage, imageAt = d.Size, oi
				}
			}
		}
		if maxCell > 0 && total > maxCell {
			reasons = append(reasons, fmt.Sprintf("%s of outputs", kb(total)))
		}
		if maxLines > 0 && lines > maxLines {
			reasons = append(reasons, fmt.Sprintf("%d lines of printed text", lines))
		}
		if maxImage > 0 && biggestImage > maxImage {
			reasons = append(reasons, fmt.Sprintf("an embedded image of %s", kb(biggestImage)))
		}
		if len(reasons) == 0 {
			continue
		}
		ref := &analyze.OutputRef{Index: 0}
		if imageAt >= 0 && biggestImage > maxImage {
			ref.Index = imageAt
		}
		p.Report(analyze.Finding{Cell: ci, Output: ref, Key: "cell-output",
			Message: fmt.Sprintf("the cell's saved outputs are large (%s): they bloat the repository and every diff", strings.Join(reasons, ", ")),
			Fix:     "clear the outputs before committing (nbstripout, or nbprod's --strip-outputs), or write large results to files",
			Data:    map[string]any{"bytes": total, "stream_lines": lines, "largest_image_bytes": biggestImage}})
	}
	// Notebook level.
	maxNB := int64(p.Int("max-notebook-output-kb")) * 1024
	share := p.Int("max-output-share")
	var reasons []string
	if maxNB > 0 && nb.OutputBytes > maxNB {
		reasons = append(reasons, fmt.Sprintf("outputs take %s", kb(nb.OutputBytes)))
	} else if share > 0 && nb.Size > 0 && nb.OutputBytes > maxNB/4 && nb.OutputBytes*100 > int64(share)*nb.Size {
		reasons = append(reasons, fmt.Sprintf("outputs are %d%% of the file (%s)", nb.OutputBytes*100/nb.Size, kb(nb.OutputBytes)))
	}
	if w := nb.Metadata.Get("widgets"); w != nil {
		if size := int64(len(w.JSON())); size > int64(p.Int("max-widget-state-kb"))*1024 {
			reasons = append(reasons, fmt.Sprintf("the saved widget state takes %s", kb(size)))
		}
	}
	if len(reasons) > 0 {
		p.Report(analyze.Finding{Cell: -1, Key: "notebook-output",
			Message: fmt.Sprintf("the notebook file is mostly saved output (%s)", strings.Join(reasons, "; ")),
			Fix:     "strip outputs and widget state before committing (nbstripout), or set metadata nbprod.keep_outputs if the outputs are the point",
			Data:    map[string]any{"output_bytes": nb.OutputBytes, "file_bytes": nb.Size}})
	}
}
