package facts

import (
	"regexp"
	"strconv"
	"strings"

	ps "github.com/nbprod/nbprod/analyze/pysyntax"
)

// Kinds of GPU evidence (GPUEvidence.Kind).
const (
	GPUCudaCall  = "cuda-call"   // x.cuda(), torch.cuda.set_device(0), torch.cuda.FloatTensor(…)
	GPUDevice    = "device"      // "cuda"/"cuda:0" as a device: .to("cuda"), torch.device("cuda"), device="cuda", DEVICE = "cuda"
	GPUTFDevice  = "tf-device"   // tf.device("/GPU:0")
	GPUDeviceMap = "device-map"  // device_map="cuda"
	GPULibrary   = "gpu-library" // cupy, cudf, cuml, cugraph, pycuda, numba.cuda imports
	GPUTraining  = "gpu-option"  // xgboost tree_method="gpu_hist", catboost task_type="GPU", lightgbm device="gpu"
	GPULightning = "lightning"   // Trainer(accelerator="gpu") / Trainer(gpus=1)
	GPUPipeline  = "pipeline"    // transformers pipeline(device=0)
	GPUEnvVar    = "cuda-env"    // CUDA_VISIBLE_DEVICES=0
	GPUProbe     = "probe"       // !nvidia-smi
	GPUMetadata  = "metadata"    // Colab accelerator / gpuType, Kaggle isGpuEnabled
)

// GPUEvidence is one sign that a notebook needs or asks for a GPU.
type GPUEvidence struct {
	// Cell is the cell index (-1 for notebook metadata).
	Cell                       int
	Line, Col, EndLine, EndCol int
	Kind                       string
	// Text is the evidence as written ("model.cuda()", `device="cuda"`,
	// "metadata.accelerator = GPU").
	Text string
	// Library is the framework it belongs to ("torch", "tensorflow",
	// "xgboost", "catboost", "lightgbm", "lightning", "transformers",
	// "cupy", "rapids", "numba", "pycuda"; "" when unknown).
	Library string
	// Guarded is set when the code has a CPU path: it is dominated by an
	// `if` testing GPU availability (or a GPU/CUDA/device flag), or sits in
	// a conditional expression such as `"cuda" if torch.cuda.is_available()
	// else "cpu"`, or is an import inside try/except ImportError.
	Guarded bool
	// Uses is set for code that runs on a GPU; probes, environment
	// variables and metadata only ask for one.
	Uses bool
}

// GPUFacts summarises a notebook's GPU evidence.
type GPUFacts struct {
	Evidence []GPUEvidence
	// Requested is set when the notebook asks for a GPU runtime: Colab or
	// Kaggle metadata, !nvidia-smi, CUDA_VISIBLE_DEVICES, or a Lightning
	// accelerator="gpu".
	Requested bool
	// Used is set when some code uses a GPU explicitly (guarded or not).
	Used bool
	// Implicit is set when a library that uses a present GPU on its own is
	// imported (tensorflow, keras, jax): its code uses the GPU without
	// device code.
	Implicit bool
	// Hardcoded are the unguarded uses (NB605).
	Hardcoded []GPUEvidence
}

var gpuKey = lazyKey{"gpu"}

// GPU returns the notebook's GPU evidence (computed once).
func (n *Notebook) GPU() *GPUFacts {
	return lazy(n, &gpuKey, func() *GPUFacts { return buildGPU(n) })
}

var (
	cudaDeviceRe = regexp.MustCompile(`(?i)^cuda(?::\d+)?$`)
	tfGPURe      = regexp.MustCompile(`(?i)^/?(?:job:[^/]+/)?(?:replica:\d+/)?(?:task:\d+/)?(?:device:)?gpu(?::\d+)?$`)
	gpuGuardRe   = regexp.MustCompile(`(?i)cuda|gpu|device|accelerat|is_available|mps`)
)

// gpuLibraries are imports that need a GPU (RAPIDS, CuPy, CUDA bindings).
var gpuLibraries = map[string]string{"cupy": "cupy", "cupyx": "cupy", "cudf": "rapids", "cuml": "rapids",
	"cugraph": "rapids", "cusignal": "rapids", "cuspatial": "rapids", "cucim": "rapids", "cuxfilter": "rapids",
	"pycuda": "pycuda", "numba.cuda": "numba", "dask_cuda": "rapids", "cudf.pandas": "rapids"}

// implicitGPULibraries use a present GPU without device code.
var implicitGPULibraries = setOf(`tensorflow keras jax jaxlib flax tf_keras`)

func buildGPU(n *Notebook) *GPUFacts {
	g := &GPUFacts{}
	add := func(e GPUEvidence) { g.Evidence = append(g.Evidence, e) }
	torch := n.importsTop("torch")

	// Notebook metadata.
	md := n.NB.Metadata
	if s, ok := md.Get("accelerator").String(); ok && strings.EqualFold(s, "GPU") {
		add(GPUEvidence{Cell: -1, Kind: GPUMetadata, Text: `metadata.accelerator = "GPU" (Colab)`})
	}
	if s, ok := md.Get("colab", "gpuType").String(); ok && s != "" {
		add(GPUEvidence{Cell: -1, Kind: GPUMetadata, Text: `metadata.colab.gpuType = "` + s + `" (Colab)`})
	} else if s, ok := md.Get("gpuClass").String(); ok && s != "" {
		add(GPUEvidence{Cell: -1, Kind: GPUMetadata, Text: `metadata.gpuClass = "` + s + `" (Colab)`})
	}
	if md.Get("kaggle", "isGpuEnabled").Truthy() {
		add(GPUEvidence{Cell: -1, Kind: GPUMetadata, Text: "metadata.kaggle.isGpuEnabled = true (Kaggle)"})
	} else if s, ok := md.Get("kaggle", "accelerator").String(); ok && s != "" && !strings.EqualFold(s, "none") && !strings.EqualFold(s, "cpu") && !strings.Contains(strings.ToLower(s), "tpu") {
		add(GPUEvidence{Cell: -1, Kind: GPUMetadata, Text: `metadata.kaggle.accelerator = "` + s + `" (Kaggle)`})
	}

	// Imports of GPU-only and GPU-implicit libraries.
	for _, im := range n.ImportFacts() {
		lib, ok := gpuLibraries[im.Top]
		if !ok {
			lib, ok = gpuLibraries[im.Module]
		}
		if !ok && im.Module == "numba" && contains(im.Names, "cuda") {
			lib, ok = "numba", true
		}
		if ok {
			add(GPUEvidence{Cell: im.Cell, Line: im.Line, Col: im.Col, EndLine: im.EndLine, EndCol: im.EndCol,
				Kind: GPULibrary, Text: "import " + im.Module, Library: lib, Guarded: im.Optional, Uses: true})
		}
		if implicitGPULibraries[im.Top] {
			g.Implicit = true
		}
	}

	// Calls.
	for i := range n.Calls() {
		cs := &n.Calls()[i]
		c := cs.Cell
		t := c.Tree
		ev := func(kind string, node ps.NodeID, lib string, uses bool) {
			s, e := c.NodePos(node), c.NodeEnd(node)
			add(GPUEvidence{Cell: c.Index, Line: s.Line, Col: s.Col, EndLine: e.Line, EndCol: e.Col, Kind: kind,
				Text: nodeSnippet(t, node), Library: lib, Guarded: n.gpuGuarded(c, node), Uses: uses})
		}
		// evKw reports a keyword argument, shown as name=value.
		evKw := func(kind string, a Arg, lib string) {
			ev(kind, a.Node, lib, true)
			g.Evidence[len(g.Evidence)-1].Text = a.Name + "=" + nodeSnippet(t, a.Node)
		}
		switch {
		case cs.Method == "cuda" && cs.ReceiverNode != ps.NoNode && !strings.HasPrefix(cs.Qual, "numba.") && cs.Qual != "torch.cuda":
			ev(GPUCudaCall, cs.Node, "torch", true)
			continue
		case cs.Is("torch.cuda.set_device", "torch.cuda.device", "torch.cuda.FloatTensor", "torch.cuda.LongTensor",
			"torch.cuda.IntTensor", "torch.cuda.DoubleTensor", "torch.cuda.HalfTensor", "torch.cuda.ByteTensor",
			"torch.cuda.BoolTensor", "torch.cuda.Stream", "torch.cuda.Event"):
			ev(GPUCudaCall, cs.Node, "torch", true)
			continue
		case cs.Is("torch.device") || cs.Method == "to" && cs.ReceiverNode != ps.NoNode:
			if a := cs.Arg(0, "device"); a != ps.NoNode && n.isCudaString(c, a) {
				ev(GPUDevice, cs.Node, "torch", true)
			}
			continue
		case cs.Is("tensorflow.device"):
			if a := cs.Positional(0); a != ps.NoNode {
				if f := n.Fold(c, a); f.Complete && tfGPURe.MatchString(f.Value) {
					ev(GPUTFDevice, cs.Node, "tensorflow", true)
				}
			}
			continue
		}
		lib := libraryOf(cs.Qual, torch)
		isPipeline := strings.HasSuffix(cs.Qual, "pipeline") && (strings.HasPrefix(cs.Qual, "transformers") || cs.Qual == "pipeline")
		isTrainer := strings.HasSuffix(cs.Qual, ".Trainer") && (strings.Contains(cs.Qual, "lightning") || strings.HasPrefix(cs.Qual, "pl."))
		for _, a := range cs.Args {
			if a.Name == "" || a.Splat {
				continue
			}
			switch a.Name {
			case "device", "device_type":
				if n.isCudaString(c, a.Node) || isGPUWord(n, c, a.Node) && lib != "torch" {
					evKw(GPUDevice, a, lib)
				} else if isPipeline && isNonNegInt(t, a.Node) {
					evKw(GPUPipeline, a, "transformers")
				}
			case "device_map":
				if n.isCudaString(c, a.Node) {
					evKw(GPUDeviceMap, a, lib)
				}
			case "tree_method", "predictor":
				if f := n.Fold(c, a.Node); f.Complete && strings.HasPrefix(strings.ToLower(f.Value), "gpu") {
					evKw(GPUTraining, a, "xgboost")
				}
			case "task_type":
				if f := n.Fold(c, a.Node); f.Complete && strings.EqualFold(f.Value, "GPU") {
					evKw(GPUTraining, a, "catboost")
				}
			case "accelerator":
				if f := n.Fold(c, a.Node); f.Complete && (strings.EqualFold(f.Value, "gpu") || strings.EqualFold(f.Value, "cuda")) {
					evKw(GPULightning, a, "lightning")
				}
			case "gpus":
				if isTrainer && !isZeroOrNone(t, a.Node) {
					evKw(GPULightning, a, "lightning")
				}
			}
		}
	}

	// Device strings bound to names and dict entries: DEVICE = "cuda",
	// params = {"tree_method": "gpu_hist"}, os.environ["CUDA_VISIBLE_DEVICES"] = "0".
	for _, c := range n.Code() {
		if c.Tree == nil {
			continue
		}
		t := c.Tree
		for _, a := range c.Assigns() {
			if a.Value == ps.NoNode {
				continue
			}
			if t.Kind(a.Target) == ps.Subscript && strings.Contains(t.Text(a.Target), "CUDA_VISIBLE_DEVICES") {
				if f := n.Fold(c, a.Value); !f.Complete || (f.Value != "" && f.Value != "-1") {
					s, e := c.NodePos(a.Node), c.NodeEnd(a.Node)
					add(GPUEvidence{Cell: c.Index, Line: s.Line, Col: s.Col, EndLine: e.Line, EndCol: e.Col, Kind: GPUEnvVar,
						Text: nodeSnippet(t, a.Node), Guarded: n.gpuGuarded(c, a.Node)})
				}
				continue
			}
			if a.Name != "" && t.Kind(a.Value) == ps.String && n.isCudaString(c, a.Value) {
				s, e := c.NodePos(a.Node), c.NodeEnd(a.Node)
				lib := ""
				if torch {
					lib = "torch"
				}
				add(GPUEvidence{Cell: c.Index, Line: s.Line, Col: s.Col, EndLine: e.Line, EndCol: e.Col, Kind: GPUDevice,
					Text: nodeSnippet(t, a.Node), Library: lib, Guarded: n.gpuGuarded(c, a.Node), Uses: true})
			}
		}
		par := c.Parents()
		for i := 0; i < t.Len(); i++ {
			p := ps.NodeID(i)
			if t.Kind(p) == ps.String {
				// "cuda" as a branch of a conditional expression: the
				// device-agnostic idiom, a (guarded) GPU use.
				if up := par[p]; up != ps.NoNode && t.Kind(up) == ps.ConditionalExpression && n.isCudaString(c, p) {
					lib := ""
					if torch {
						lib = "torch"
					}
					s, e := c.NodePos(up), c.NodeEnd(up)
					add(GPUEvidence{Cell: c.Index, Line: s.Line, Col: s.Col, EndLine: e.Line, EndCol: e.Col, Kind: GPUDevice,
						Text: nodeSnippet(t, up), Library: lib, Guarded: n.gpuGuarded(c, p), Uses: true})
				}
				continue
			}
			if t.Kind(p) != ps.Pair {
				continue
			}
			key, _ := StringValue(t, t.ChildByField(p, ps.FKey))
			val := t.ChildByField(p, ps.FValue)
			if val == ps.NoNode {
				continue
			}
			vs, ok := StringValue(t, val)
			if !ok {
				continue
			}
			kind, lib := "", ""
			switch {
			case (key == "tree_method" || key == "predictor") && strings.HasPrefix(strings.ToLower(vs), "gpu"):
				kind, lib = GPUTraining, "xgboost"
			case key == "task_type" && strings.EqualFold(vs, "GPU"):
				kind, lib = GPUTraining, "catboost"
			case (key == "device" || key == "device_type") && (cudaDeviceRe.MatchString(vs) || strings.EqualFold(vs, "gpu")):
				kind, lib = GPUTraining, ""
			}
			if kind != "" {
				s, e := c.NodePos(p), c.NodeEnd(p)
				add(GPUEvidence{Cell: c.Index, Line: s.Line, Col: s.Col, EndLine: e.Line, EndCol: e.Col, Kind: kind,
					Text: nodeSnippet(t, p), Library: lib, Guarded: n.gpuGuarded(c, p), Uses: true})
			}
		}
	}

	// Magics: !nvidia-smi, %env CUDA_VISIBLE_DEVICES=0, !CUDA_VISIBLE_DEVICES=0 python …
	for _, m := range n.Magics() {
		switch {
		case m.Shell && strings.Contains(m.Args, "nvidia-smi"):
			add(GPUEvidence{Cell: m.Cell, Line: m.Line, Col: m.Col, EndLine: m.EndLine, EndCol: m.EndCol, Kind: GPUProbe, Text: m.Text})
		case strings.Contains(m.Args, "CUDA_VISIBLE_DEVICES"):
			if v := shellEnvValue(m.Args, "CUDA_VISIBLE_DEVICES"); v != "" && v != "-1" && v != `""` && v != "''" {
				add(GPUEvidence{Cell: m.Cell, Line: m.Line, Col: m.Col, EndLine: m.EndLine, EndCol: m.EndCol, Kind: GPUEnvVar, Text: m.Text})
			}
		}
	}

	sortGPU(g.Evidence)
	for _, e := range g.Evidence {
		switch {
		case e.Kind == GPUMetadata || e.Kind == GPUProbe || e.Kind == GPUEnvVar:
			g.Requested = true
		case e.Kind == GPULightning:
			g.Requested = true
			g.Used = true
		case e.Uses:
			g.Used = true
		}
		if e.Uses && !e.Guarded {
			g.Hardcoded = append(g.Hardcoded, e)
		}
	}
	return g
}

func sortGPU(es []GPUEvidence) {
	less := func(a, b GPUEvidence) bool {
		if a.Cell != b.Cell {
			return a.Cell < b.Cell
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	}
	for i := 1; i < len(es); i++ {
		for j := i; j > 0 && less(es[j], es[j-1]); j-- {
			es[j], es[j-1] = es[j-1], es[j]
		}
	}
}

// envValue extracts VAR's value from "VAR=value …" or "VAR value".
func shellEnvValue(s, name string) string {
	i := strings.Index(s, name)
	rest := strings.TrimLeft(s[i+len(name):], " =")
	if f := strings.Fields(rest); len(f) > 0 {
		return strings.Trim(f[0], `"'`)
	}
	return ""
}

func (n *Notebook) importsTop(top string) bool {
	for _, c := range n.Code() {
		for _, im := range c.Imports {
			if strings.SplitN(im.Module, ".", 2)[0] == top {
				return true
			}
		}
	}
	return false
}

func libraryOf(qual string, torch bool) string {
	top := strings.SplitN(qual, ".", 2)[0]
	switch top {
	case "torch", "torchvision", "torchaudio":
		return "torch"
	case "tensorflow", "keras", "tf_keras":
		return "tensorflow"
	case "xgboost", "lightgbm", "catboost", "transformers", "jax", "sentence_transformers":
		return top
	case "lightning", "pytorch_lightning":
		return "lightning"
	}
	if torch {
		return "torch"
	}
	return ""
}

// isCudaString reports whether an expression folds to "cuda" / "cuda:N".
func (n *Notebook) isCudaString(c *Cell, node ps.NodeID) bool {
	t := c.Tree
	switch t.Kind(node) {
	case ps.String, ps.ConcatenatedString, ps.BinaryOperator:
		f := n.Fold(c, node)
		return f.Complete && cudaDeviceRe.MatchString(strings.TrimSpace(f.Value))
	}
	return false
}

// isGPUWord reports a literal "gpu" (lightgbm device="gpu").
func isGPUWord(n *Notebook, c *Cell, node ps.NodeID) bool {
	if c.Tree.Kind(node) != ps.String {
		return false
	}
	s, ok := StringValue(c.Tree, node)
	return ok && strings.EqualFold(s, "gpu")
}

func isNonNegInt(t *ps.Tree, node ps.NodeID) bool {
	if t.Kind(node) != ps.Integer {
		return false
	}
	v, err := strconv.Atoi(t.Text(node))
	return err == nil && v >= 0
}

func isZeroOrNone(t *ps.Tree, node ps.NodeID) bool {
	switch t.Kind(node) {
	case ps.None, ps.False:
		return true
	case ps.Integer:
		return t.Text(node) == "0"
	}
	return false
}

// gpuGuarded reports whether node has a CPU path: it sits in a conditional
// expression or if/elif/else whose condition tests GPU availability (or a
// cuda/gpu/device flag, or a name bound to such a test).
func (n *Notebook) gpuGuarded(c *Cell, node ps.NodeID) bool {
	t := c.Tree
	par := c.Parents()
	child := node
	for p := par[node]; p != ps.NoNode; child, p = p, par[p] {
		switch t.Kind(p) {
		case ps.ConditionalExpression:
			kids := t.NamedChildren(p, nil)
			if len(kids) >= 2 && kids[1] != child && n.isGPUCondition(c, kids[1]) {
				return true
			}
		case ps.IfStatement, ps.ElifClause:
			cond := t.ChildByField(p, ps.FCondition)
			if cond != ps.NoNode && cond != child && n.isGPUCondition(c, cond) {
				return true
			}
		case ps.ElseClause:
			// The else of an `if torch.cuda.is_available()` chain.
			if ifs := par[p]; ifs != ps.NoNode && t.Kind(ifs) == ps.IfStatement {
				if cond := t.ChildByField(ifs, ps.FCondition); cond != ps.NoNode && n.isGPUCondition(c, cond) {
					return true
				}
			}
		}
	}
	return false
}

func (n *Notebook) isGPUCondition(c *Cell, cond ps.NodeID) bool {
	t := c.Tree
	if gpuGuardRe.MatchString(t.Text(cond)) {
		return true
	}
	// A name bound to an availability test: ok = torch.cuda.is_available().
	found := false
	t.Descendants(cond, func(id ps.NodeID) bool {
		if found {
			return false
		}
		if t.Kind(id) == ps.Identifier {
			name := pyName(t.Text(id))
			cells := []*Cell{c}
			if d := n.Definer(c.Index, name); d >= 0 {
				cells = append(cells, n.Cell(d))
			}
			for _, dc := range cells {
				if dc == nil || dc.Tree == nil {
					continue
				}
				for _, a := range dc.Assigns() {
					if a.Name == name && a.Value != ps.NoNode && gpuGuardRe.MatchString(dc.Tree.Text(a.Value)) {
						found = true
					}
				}
			}
		}
		return true
	})
	return found
}

// shortText renders a node's source on one line, shortened.
func nodeSnippet(t *ps.Tree, node ps.NodeID) string {
	s := strings.Join(strings.Fields(t.Text(node)), " ")
	if r := []rune(s); len(r) > 60 {
		s = string(r[:59]) + "…"
	}
	return s
}
