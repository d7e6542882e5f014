package rules

import (
	"fmt"
	"strings"

	"github.com/nbprod/nbprod/analyze"
)

// LargeModelFootprint reports model loads that state a large footprint
// (RULES.md NB703): a parameter count at or above the threshold in the
// model ID, device_map="auto", 8/4-bit loading.
var LargeModelFootprint = &analyze.Rule{
	ID:       "NB703",
	Name:     "large-model-footprint",
	Category: analyze.CatCost,
	Severity: analyze.Info,
	Doc:      doc("NB703"),
	Options: []analyze.Option{{Name: "min-billions", Default: 7,
		Help: "parameter count (in billions) stated in a model ID from which a load is reported"}},
	Run: runLargeModelFootprint,
}

func runLargeModelFootprint(p *analyze.Pass) {
	min := float64(p.Int("min-billions"))
	seen := map[string]bool{}
	for _, lm := range p.Facts.LargeModels() {
		big := lm.Billions >= min && lm.Billions > 0
		if !big && !lm.DeviceMapAuto && lm.Quantized == "" {
			continue
		}
		key := lm.ID
		if key == "" {
			key = fmt.Sprintf("cell%d:%d", lm.Call.Cell.Index, lm.Call.Pos.Line)
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		var parts []string
		data := map[string]any{"id": lm.ID, "billions": lm.Billions, "device_map_auto": lm.DeviceMapAuto, "quantized": lm.Quantized}
		name := lm.ID
		if name == "" {
			name = "this model"
		}
		if lm.Billions > 0 {
			bytes, prec := 2.0, "16-bit"
			switch {
			case lm.Quantized == "8bit":
				bytes, prec = 1, "8-bit"
			case lm.Quantized == "4bit":
				bytes, prec = 0.5, "4-bit"
			case lm.Float32:
				bytes, prec = 4, "float32"
			}
			gb := lm.Billions * bytes
			data["memory_gb"] = gb
			parts = append(parts, fmt.Sprintf("%s states %gB parameters (≈ %.0f GB of weights at %s)", name, lm.Billions, gb, prec))
		} else {
			parts = append(parts, name)
		}
		if lm.DeviceMapAuto {
			parts = append(parts, `device_map="auto" spreads it over whatever GPUs and CPU memory the machine has`)
		}
		if lm.Quantized != "" {
			parts = append(parts, "loaded in "+lm.Quantized+" (bitsandbytes needs a CUDA GPU)")
		}
		cs := lm.Call
		p.Report(analyze.Finding{Cell: cs.Cell.Index, Line: cs.Pos.Line, Column: cs.Pos.Col, EndLine: cs.End.Line, EndColumn: cs.End.Col,
			Message: strings.Join(parts, "; ") + ": plan GPU memory and cost for production",
			Fix:     "check the serving hardware can hold it, or use a smaller or quantized model; the emitter writes resources.yaml with the estimated memory",
			Key:     "large-model:" + lm.ID, Data: data})
	}
}
