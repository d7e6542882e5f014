package rules

import (
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
	ps "github.com/nbprod/nbprod/analyze/pysyntax"
)

// NondeterministicGPUConfig reports GPU training set up for speed rather
// than reproducibility: torch code on CUDA with cudnn.benchmark = True or
// without deterministic algorithms, and TensorFlow on a GPU without op
// determinism. Info: deterministic kernels are slower.
var NondeterministicGPUConfig = &analyze.Rule{
	ID:       "NB203",
	Name:     "nondeterministic-gpu-config",
	Category: analyze.CatReproducible,
	Severity: analyze.Info,
	Doc:      doc("NB203"),
	Run:      runNondeterministicGPUConfig,
}

func runNondeterministicGPUConfig(p *analyze.Pass) {
	fx := p.Facts
	g := fx.GPU()
	var torchGPU, tfGPU *facts.GPUEvidence
	for i := range g.Evidence {
		e := &g.Evidence[i]
		if !e.Uses {
			continue
		}
		switch e.Library {
		case "torch", "lightning":
			if torchGPU == nil {
				torchGPU = e
			}
		case "tensorflow":
			if tfGPU == nil {
				tfGPU = e
			}
		}
	}
	// TensorFlow uses a GPU on its own when the runtime has one.
	tfImported := false
	for _, im := range fx.ImportFacts() {
		if im.Top == "tensorflow" || im.Top == "keras" {
			tfImported = true
		}
	}
	if torchGPU == nil && tfGPU == nil && !(tfImported && g.Requested) {
		return
	}
	var benchmark *facts.Pos
	var benchCell int
	torchDet, tfDet := false, false
	for _, c := range fx.Code() {
		if c.Tree == nil {
			continue
		}
		t := c.Tree
		for _, a := range c.Assigns() {
			target := facts.DottedName(t, a.Target)
			val := ""
			if a.Value != ps.NoNode {
				val = t.Text(a.Value)
			}
			switch {
			case strings.HasSuffix(target, "cudnn.benchmark") && val == "True":
				if benchmark == nil {
					pos := c.NodePos(a.Node)
					benchmark, benchCell = &pos, c.Index
				}
			case strings.HasSuffix(target, "cudnn.deterministic") && val == "True":
				torchDet = true
			case t.Kind(a.Target) == ps.Subscript && strings.Contains(t.Text(a.Target), "TF_DETERMINISTIC_OPS"):
				tfDet = true
			}
		}
	}
	for i := range fx.Calls() {
		cs := &fx.Calls()[i]
		switch {
		case cs.Is("torch.use_deterministic_algorithms", "transformers.enable_full_determinism", "enable_full_determinism"):
			if a := cs.Positional(0); a == ps.NoNode || cs.Cell.Tree.Text(a) != "False" {
				torchDet = true
			}
		case cs.Method == "Trainer" || strings.HasSuffix(cs.Qual, ".Trainer"):
			if a := cs.Keyword("deterministic"); a != ps.NoNode && cs.Cell.Tree.Text(a) == "True" {
				torchDet = true
			}
		case cs.Method == "enable_op_determinism":
			tfDet = true
		}
	}
	for _, m := range fx.Magics() {
		if strings.Contains(m.Args, "TF_DETERMINISTIC_OPS") {
			tfDet = true
		}
	}
	if torchGPU != nil {
		switch {
		case benchmark != nil:
			p.Report(analyze.Finding{Cell: benchCell, Line: benchmark.Line, Column: benchmark.Col, Key: "cudnn.benchmark",
				Message: "`torch.backends.cudnn.benchmark = True` lets cuDNN pick kernels by timing them: results can differ from run to run",
				Fix:     "for a reproducible run set cudnn.benchmark = False, cudnn.deterministic = True and torch.use_deterministic_algorithms(True) (make it a config flag)",
				Data:    map[string]any{"framework": "torch", "setting": "cudnn.benchmark"}})
		case !torchDet:
			p.Report(analyze.Finding{Cell: torchGPU.Cell, Line: torchGPU.Line, Column: torchGPU.Col, EndLine: torchGPU.EndLine, EndColumn: torchGPU.EndCol,
				Key:     "torch-deterministic",
				Message: "torch code runs on CUDA without torch.use_deterministic_algorithms(True) or cudnn.deterministic = True: GPU results are not bit-for-bit reproducible",
				Fix:     "add a `deterministic` config flag that calls torch.use_deterministic_algorithms(True), sets cudnn.benchmark = False and CUBLAS_WORKSPACE_CONFIG=:4096:8",
				Data:    map[string]any{"framework": "torch", "evidence": envRedact(fx, torchGPU.Cell, torchGPU.Line, torchGPU.EndLine, torchGPU.Text)}})
		}
	}
	if (tfGPU != nil || tfImported && g.Requested) && !tfDet {
		f := analyze.Finding{Cell: -1, Key: "tf-determinism",
			Message: "TensorFlow runs on a GPU without tf.config.experimental.enable_op_determinism(): GPU results are not reproducible",
			Fix:     "call tf.keras.utils.set_random_seed(seed) and tf.config.experimental.enable_op_determinism() behind a `deterministic` config flag",
			Data:    map[string]any{"framework": "tensorflow"}}
		if tfGPU != nil {
			f.Cell, f.Line, f.Column, f.EndLine, f.EndColumn = tfGPU.Cell, tfGPU.Line, tfGPU.Col, tfGPU.EndLine, tfGPU.EndCol
			f.Data["evidence"] = envRedact(fx, tfGPU.Cell, tfGPU.Line, tfGPU.EndLine, tfGPU.Text)
		}
		p.Report(f)
	}
}
