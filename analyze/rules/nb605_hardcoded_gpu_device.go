package rules

import (
	"fmt"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
)

// HardcodedGPUDevice reports code that needs a GPU and has no CPU path:
// .cuda(), "cuda" devices, tf.device("/GPU:0"), GPU-only libraries, GPU
// training options, CUDA_VISIBLE_DEVICES, unless guarded by an
// availability test. One finding per cell.
var HardcodedGPUDevice = &analyze.Rule{
	ID:       "NB605",
	Name:     "hardcoded-gpu-device",
	Category: analyze.CatEnvironment,
	Severity: analyze.Warning,
	Doc:      doc("NB605"),
	Run:      runHardcodedGPUDevice,
}

func runHardcodedGPUDevice(p *analyze.Pass) {
	g := p.Facts.GPU()
	byCell := map[int][]facts.GPUEvidence{}
	var order []int
	for _, e := range g.Evidence {
		if e.Guarded || e.Cell < 0 || !(e.Uses || e.Kind == facts.GPUEnvVar) {
			continue
		}
		if c := p.Notebook.Cells[e.Cell]; c.HasTag("training") {
			continue
		}
		if _, ok := byCell[e.Cell]; !ok {
			order = append(order, e.Cell)
		}
		byCell[e.Cell] = append(byCell[e.Cell], e)
	}
	for _, cell := range order {
		es := byCell[cell]
		first := es[0]
		var texts []string
		var libs []string
		for _, e := range es {
			texts = append(texts, "`"+envRedact(p.Facts, e.Cell, e.Line, e.EndLine, e.Text)+"`")
			if e.Library != "" && !contains(libs, e.Library) {
				libs = append(libs, e.Library)
			}
		}
		n := len(texts)
		msg := fmt.Sprintf("%s %s a GPU and %s no CPU fallback: the job fails on a machine without CUDA", envCounted(texts, 3),
			plural(n, "requires", "require"), plural(n, "has", "have"))
		if first.Kind == facts.GPULibrary {
			msg = fmt.Sprintf("%s %s an NVIDIA GPU (%s has no CPU build): the job fails on a machine without CUDA", envCounted(texts, 3),
				plural(n, "needs", "need"), first.Library)
		} else if first.Kind == facts.GPUEnvVar {
			msg = fmt.Sprintf("%s %s which GPU the job uses: on another machine the device may not exist", envCounted(texts, 3),
				plural(n, "hard-codes", "hard-code"))
		}
		fix := `choose the device once, e.g. device = "cuda" if torch.cuda.is_available() else "cpu", make it a config parameter, and use .to(device)`
		if len(libs) == 1 {
			switch libs[0] {
			case "xgboost", "catboost", "lightgbm":
				fix = "make the training device a config parameter (GPU only when one is available)"
			case "rapids", "cupy", "pycuda", "numba":
				fix = "fall back to the CPU library (pandas, scikit-learn, numpy) when no GPU is present, or declare the GPU requirement in the deployment"
			case "tensorflow":
				fix = "let TensorFlow place operations, or choose the device from tf.config.list_physical_devices(\"GPU\")"
			}
		}
		p.Report(analyze.Finding{Cell: cell, Line: first.Line, Column: first.Col, EndLine: first.EndLine, EndColumn: first.EndCol,
			Key: envRedact(p.Facts, first.Cell, first.Line, first.EndLine, first.Text), Message: msg, Fix: fix,
			Data: map[string]any{"evidence": texts, "libraries": libs, "kind": first.Kind, "count": len(es),
				"summary": strings.Join(texts, ", ")}})
	}
}
