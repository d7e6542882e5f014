package rules

import (
	"fmt"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
)

// GPURequestedButUnused reports notebooks that ask for a GPU runtime
// (Colab/Kaggle metadata, !nvidia-smi, CUDA_VISIBLE_DEVICES) while no code
// uses a GPU. One info finding per notebook.
var GPURequestedButUnused = &analyze.Rule{
	ID:       "NB706",
	Name:     "gpu-requested-but-unused",
	Category: analyze.CatCost,
	Severity: analyze.Info,
	Doc:      doc("NB706"),
	Run:      runGPURequestedButUnused,
}

func runGPURequestedButUnused(p *analyze.Pass) {
	g := p.Facts.GPU()
	if !g.Requested || g.Used || g.Implicit {
		return
	}
	var req facts.GPUEvidence
	for _, e := range g.Evidence {
		if e.Kind == facts.GPUMetadata || e.Kind == facts.GPUProbe || e.Kind == facts.GPUEnvVar {
			req = e
			break
		}
	}
	req.Text = envRedact(p.Facts, req.Cell, req.Line, req.EndLine, req.Text)
	f := analyze.Finding{Cell: req.Cell, Line: req.Line, Column: req.Col, EndLine: req.EndLine, EndColumn: req.EndCol,
		Key:     "gpu-unused",
		Message: fmt.Sprintf("the notebook asks for a GPU (%s) but no code uses one: it pays for an accelerator it does not need", req.Text),
		Fix:     "run it on a CPU runtime (resources: gpu: false), or move the model and tensors to the GPU if it should use one",
		Data:    map[string]any{"requested_by": req.Text}}
	if req.Cell < 0 {
		f.Cell = -1
	}
	p.Report(f)
}
