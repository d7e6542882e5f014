package facts

// Reproducibility and cost facts (RULES.md §1.2 and §1.7): seeding calls and
// the global-RNG draws they cover, calls missing a random_state, wall-clock
// values and the places they flow to, remote model and data identifiers
// with their pins, model loads and paid API calls with their per-row
// context, and row-wise DataFrame iteration. The rules NB201–NB205 and
// NB701–NB704 report from these facts; the emitter consumes them directly
// (a `seed` parameter and `random_state=cfg.seed`, an `as_of` parameter
// replacing wall-clock calls, `revision=` pins, hoisted model loads).

import (
	"regexp"
	"sort"
	"strconv"
	"strings"

	ps "github.com/nbprod/nbprod/analyze/pysyntax"
)

// ---------------------------------------------------------------------------
// Shared index

type callKey struct {
	cell int
	node ps.NodeID
}

// fnDef is a module-level function defined by a notebook cell.
type fnDef struct {
	cell       *Cell
	node       ps.NodeID
	decorators []string
}

// reproIndex is the per-notebook index the facts below share.
type reproIndex struct {
	calls  []CallSite
	byNode map[callKey]int
	// def is the innermost def around each call (NoNode at module level;
	// lambdas and class bodies are transparent: they run where they stand).
	def []ps.NodeID
	// funcs are the notebook's module-level functions by name.
	funcs map[string][]fnDef
	// modules are the top-level modules imported anywhere; star the modules
	// star-imported.
	modules map[string]bool
	star    []string
	// cellCalls maps a cell index to the range of its calls in calls.
	cellCalls map[int][2]int
}

var reproIndexKey = lazyKey{"repro.index"}

func (n *Notebook) reproIndex() *reproIndex {
	return lazy(n, &reproIndexKey, func() *reproIndex {
		ix := &reproIndex{calls: n.Calls(), byNode: map[callKey]int{}, funcs: map[string][]fnDef{},
			modules: map[string]bool{}}
		ix.def = make([]ps.NodeID, len(ix.calls))
		ix.cellCalls = map[int][2]int{}
		for i := range ix.calls {
			cs := &ix.calls[i]
			ix.byNode[callKey{cs.Cell.Index, cs.Node}] = i
			ix.def[i] = enclosingDef(cs.Cell, cs.Node)
			r, ok := ix.cellCalls[cs.Cell.Index]
			if !ok {
				r[0] = i
			}
			r[1] = i + 1
			ix.cellCalls[cs.Cell.Index] = r
		}
		for _, c := range n.Code() {
			for _, im := range c.Imports {
				mod := strings.TrimLeft(im.Module, ".")
				if mod == "" {
					continue
				}
				head, _, _ := strings.Cut(mod, ".")
				ix.modules[head] = true
				if im.Name == "*" {
					ix.star = append(ix.star, mod)
				}
			}
			for _, s := range c.StarImports {
				ix.star = append(ix.star, s)
			}
			if c.Tree == nil {
				continue
			}
			for _, f := range c.Functions {
				if f.Name == "" || f.Name == "<lambda>" || f.Node == ps.NoNode {
					continue
				}
				ix.funcs[f.Name] = append(ix.funcs[f.Name], fnDef{cell: c, node: f.Node, decorators: decoratorsOf(c.Tree, c.Parents(), f.Node)})
			}
		}
		return ix
	})
}

// enclosingDef returns the innermost function definition around node, or
// NoNode.
func enclosingDef(c *Cell, node ps.NodeID) ps.NodeID {
	if c.Tree == nil {
		return ps.NoNode
	}
	par := c.Parents()
	for p := par[node]; p != ps.NoNode; p = par[p] {
		if kindOf(c.Tree, p) == ps.FunctionDefinition {
			return p
		}
	}
	return ps.NoNode
}

func decoratorsOf(t *ps.Tree, par []ps.NodeID, def ps.NodeID) []string {
	p := par[def]
	if p == ps.NoNode || kindOf(t, p) != ps.DecoratedDefinition {
		return nil
	}
	var out []string
	for _, d := range namedOf(t, p, nil) {
		if kindOf(t, d) == ps.Decorator {
			out = append(out, strings.TrimPrefix(strings.TrimSpace(textOf(t, d)), "@"))
		}
	}
	return out
}

// callAt returns the call site of a call node, or nil.
func (ix *reproIndex) callAt(c *Cell, node ps.NodeID) *CallSite {
	if i, ok := ix.byNode[callKey{c.Index, node}]; ok {
		return &ix.calls[i]
	}
	return nil
}

func (ix *reproIndex) indexOf(cs *CallSite) int {
	if i, ok := ix.byNode[callKey{cs.Cell.Index, cs.Node}]; ok {
		return i
	}
	return -1
}

// defOf returns the innermost def around a call site.
func (ix *reproIndex) defOf(cs *CallSite) ps.NodeID {
	if i := ix.indexOf(cs); i >= 0 {
		return ix.def[i]
	}
	return enclosingDef(cs.Cell, cs.Node)
}

// callsInDef returns the indexes of the calls inside a def (nested defs
// included).
func (ix *reproIndex) callsInDef(f fnDef) []int {
	// A cell's calls are in node (preorder) order, so the def's calls are
	// one run of them: the nodes inside its subtree.
	r := ix.cellCalls[f.cell.Index]
	end := f.cell.Tree.SubtreeEnd(f.node)
	i := r[0] + sort.Search(r[1]-r[0], func(k int) bool { return ix.calls[r[0]+k].Node > f.node })
	var out []int
	for ; i < r[1] && ix.calls[i].Node < end; i++ {
		if ix.calls[i].Cell == f.cell {
			out = append(out, i)
		}
	}
	return out
}

// notebookFunction returns the notebook functions a bare-name call refers
// to (nil for methods and non-notebook names).
func (ix *reproIndex) notebookFunction(cs *CallSite) []fnDef {
	if cs.ReceiverNode != ps.NoNode || cs.Callee == "" || strings.Contains(cs.Callee, ".") {
		return nil
	}
	return ix.funcs[cs.Callee]
}

// runsBefore reports whether call a runs before call b in file order (a
// call that contains b runs after it).
func runsBefore(a, b *CallSite) bool {
	if a.Cell.Index != b.Cell.Index {
		return a.Cell.Index < b.Cell.Index
	}
	if a.Node == b.Node {
		return false
	}
	if a.Node < b.Node {
		return !a.Cell.Tree.Contains(a.Node, b.Node)
	}
	return b.Cell.Tree.Contains(b.Node, a.Node)
}

func lastSegment(q string) string {
	if i := strings.LastIndexByte(q, '.'); i >= 0 {
		return q[i+1:]
	}
	return q
}

func headSegment(q string) string {
	head, _, _ := strings.Cut(q, ".")
	return head
}

// Safe tree accessors: the pysyntax accessors index the node array and
// must not be given NoNode.
func kindOf(t *ps.Tree, n ps.NodeID) ps.Kind {
	if t == nil || n == ps.NoNode {
		return ps.Other
	}
	return t.Kind(n)
}

func textOf(t *ps.Tree, n ps.NodeID) string {
	if t == nil || n == ps.NoNode {
		return ""
	}
	return t.Text(n)
}

func childOf(t *ps.Tree, n ps.NodeID, f ps.Field) ps.NodeID {
	if t == nil || n == ps.NoNode {
		return ps.NoNode
	}
	return t.ChildByField(n, f)
}

func namedOf(t *ps.Tree, n ps.NodeID, buf []ps.NodeID) []ps.NodeID {
	if t == nil || n == ps.NoNode {
		return buf
	}
	return t.NamedChildren(n, buf)
}

func firstNamedOf(t *ps.Tree, n ps.NodeID) ps.NodeID {
	if t == nil || n == ps.NoNode {
		return ps.NoNode
	}
	return t.FirstNamed(n)
}

func firstChildOf(t *ps.Tree, n ps.NodeID) ps.NodeID {
	if t == nil || n == ps.NoNode {
		return ps.NoNode
	}
	return t.FirstChild(n)
}

func descend(t *ps.Tree, n ps.NodeID, fn func(ps.NodeID) bool) {
	if t == nil || n == ps.NoNode {
		return
	}
	t.Descendants(n, fn)
}

// isNoneNode reports whether a node is the literal None.
func isNoneNode(t *ps.Tree, n ps.NodeID) bool {
	return n != ps.NoNode && kindOf(t, n) == ps.None
}

func isTrueNode(t *ps.Tree, n ps.NodeID) bool {
	return n != ps.NoNode && kindOf(t, n) == ps.True
}

// literalString returns a keyword or positional argument's string value
// when it is a literal (or a name bound to one).
func (n *Notebook) argString(cs *CallSite, i int, name string) (string, bool) {
	a := cs.Arg(i, name)
	if a == ps.NoNode {
		return "", false
	}
	f := n.Fold(cs.Cell, a)
	if !f.Complete {
		return "", false
	}
	return f.Value, true
}

// hasSplatKwargs reports a **kwargs argument (the keyword may hide in it).
func hasSplatKwargs(cs *CallSite) bool {
	for _, a := range cs.Args {
		if a.Splat && a.Name == "" && a.Node != ps.NoNode {
			// list splats (*args) cannot pass keywords; tell them apart
			// by the parent node kind.
			if p := cs.Cell.Parents()[a.Node]; p != ps.NoNode && kindOf(cs.Cell.Tree, p) == ps.DictionarySplat {
				return true
			}
		}
	}
	return false
}

func shortSnippet(t *ps.Tree, n ps.NodeID) string {
	return shortText(strings.Join(strings.Fields(textOf(t, n)), " "))
}

// ---------------------------------------------------------------------------
// Randomness (NB201)

// RNGFamily is a global random number generator that one seeding call
// covers.
type RNGFamily string

// RNG families.
const (
	RNGPython     RNGFamily = "random"     // the standard library's random module
	RNGNumPy      RNGFamily = "numpy"      // NumPy's legacy global RandomState (also used by scikit-learn, pandas, SciPy)
	RNGTorch      RNGFamily = "torch"      // torch's default CPU generator
	RNGTensorFlow RNGFamily = "tensorflow" // TensorFlow/Keras global seed
)

// AllRNGFamilies lists every family (what a set-everything helper seeds).
var AllRNGFamilies = []RNGFamily{RNGPython, RNGNumPy, RNGTorch, RNGTensorFlow}

// SeedCallFor returns the seeding statement for a family with the seed
// expression given (the emitter's set_seed prologue).
func SeedCallFor(f RNGFamily, seed string) string {
	switch f {
	case RNGPython:
		return "random.seed(" + seed + ")"
	case RNGNumPy:
		return "np.random.seed(" + seed + ")"
	case RNGTorch:
		return "torch.manual_seed(" + seed + ")"
	case RNGTensorFlow:
		return "tf.random.set_seed(" + seed + ")"
	}
	return ""
}

// SeedCall is a call that seeds one or more global RNG families: a direct
// seeding call (np.random.seed(42)), a library helper (seed_everything,
// transformers.set_seed, keras.utils.set_random_seed, a configured seed
// helper) or a call of a notebook function whose body seeds.
type SeedCall struct {
	Call     *CallSite
	Families []RNGFamily
	// Value is the seed expression as written ("42", "SEED"); "" for a
	// notebook helper called without arguments.
	Value string
	// Helper names the helper for helper calls ("seed_everything", the
	// notebook function's name); "" for direct seeding calls.
	Helper string
	// Def is the function definition the call is in (NoNode at module
	// level).
	Def ps.NodeID
}

func (s *SeedCall) seeds(f RNGFamily) bool {
	for _, x := range s.Families {
		if x == f {
			return true
		}
	}
	return false
}

// RNGUse is a call that draws from a global RNG, or creates a generator
// without a seed.
type RNGUse struct {
	Call   *CallSite
	Family RNGFamily
	// Generator is set for a generator created without a seed
	// (np.random.default_rng(), np.random.RandomState(), random.Random()):
	// no global seed makes it deterministic; the emitter passes cfg.seed as
	// its first argument.
	Generator bool
	// What describes the call for messages ("np.random.randn",
	// "DataLoader(shuffle=True)", "nn.Linear (weight initialisation)").
	What string
	// Def is the function definition the call is in (NoNode at module
	// level).
	Def ps.NodeID
	// Seed is the seeding call that covers it (nil when unseeded; always
	// nil for generators).
	Seed *SeedCall
}

// Randomness are the notebook's seeding calls and global-RNG draws.
type Randomness struct {
	Seeds []SeedCall
	Uses  []RNGUse
}

// Families returns the RNG families the notebook draws from, in
// AllRNGFamilies order (what the emitter's set_seed prologue must seed).
func (r *Randomness) Families() []RNGFamily {
	used := map[RNGFamily]bool{}
	for _, u := range r.Uses {
		used[u.Family] = true
	}
	var out []RNGFamily
	for _, f := range AllRNGFamilies {
		if used[f] {
			out = append(out, f)
		}
	}
	return out
}

var randomnessKey = lazyKey{"repro.randomness"}

// DefaultSeedHelpers are seeding helpers recognised by their name wherever
// they come from: they seed every family.
var DefaultSeedHelpers = []string{"seed_everything"}

// Randomness returns the seeding calls and global-RNG uses, each use with
// the seed that covers it (RULES.md NB201).
func (n *Notebook) Randomness() *Randomness {
	return lazy(n, &randomnessKey, func() *Randomness {
		ix := n.reproIndex()
		r := &Randomness{Seeds: n.seedCalls(nil)}
		for i := range ix.calls {
			cs := &ix.calls[i]
			fam, what, gen, ok := n.rngUse(ix, cs)
			if !ok {
				continue
			}
			u := RNGUse{Call: cs, Family: fam, Generator: gen, What: what, Def: ix.def[i]}
			if !gen {
				u.Seed = SeedBefore(r.Seeds, &u)
			}
			r.Uses = append(r.Uses, u)
		}
		return r
	})
}

// SeedsWithHelpers returns the notebook's seeding calls plus calls of the
// given helper names (matched on the called name, e.g. "set_seed" or
// "utils.fix_seeds"), which are taken to seed every family.
func (n *Notebook) SeedsWithHelpers(helpers []string) []SeedCall {
	if len(helpers) == 0 {
		return n.Randomness().Seeds
	}
	return n.seedCalls(helpers)
}

// SeedBefore returns the seeding call of the use's family that covers it:
// for a module-level use, a module-level seeding call that runs before it
// in file order; for a use inside a function, a seeding call earlier in
// the same function or a module-level seeding call anywhere (the function
// runs when it is called, typically after the notebook's set-up cells).
func SeedBefore(seeds []SeedCall, u *RNGUse) *SeedCall {
	if u.Generator {
		return nil
	}
	for i := range seeds {
		s := &seeds[i]
		if !s.seeds(u.Family) {
			continue
		}
		switch {
		case s.Def == ps.NoNode && u.Def == ps.NoNode:
			if runsBefore(s.Call, u.Call) {
				return s
			}
		case s.Def == ps.NoNode:
			return s
		case s.Def == u.Def && s.Call.Cell == u.Call.Cell:
			if runsBefore(s.Call, u.Call) {
				return s
			}
		}
	}
	return nil
}

// directSeeds maps seeding functions to the families they seed and the
// index/keyword of their seed argument.
var directSeeds = map[string][]RNGFamily{
	"random.seed":                                 {RNGPython},
	"numpy.random.seed":                           {RNGNumPy},
	"torch.manual_seed":                           {RNGTorch},
	"torch.random.manual_seed":                    {RNGTorch},
	"tensorflow.random.set_seed":                  {RNGTensorFlow},
	"tensorflow.set_random_seed":                  {RNGTensorFlow},
	"tensorflow.compat.v1.set_random_seed":        {RNGTensorFlow},
	"tensorflow.compat.v1.random.set_random_seed": {RNGTensorFlow},
	"keras.utils.set_random_seed":                 {RNGPython, RNGNumPy, RNGTensorFlow},
	"tensorflow.keras.utils.set_random_seed":      {RNGPython, RNGNumPy, RNGTensorFlow},
	"transformers.set_seed":                       AllRNGFamilies,
	"transformers.trainer_utils.set_seed":         AllRNGFamilies,
	"accelerate.utils.set_seed":                   AllRNGFamilies,
	"lightning.seed_everything":                   AllRNGFamilies,
	"lightning.pytorch.seed_everything":           AllRNGFamilies,
	"pytorch_lightning.seed_everything":           AllRNGFamilies,
	"lightning_fabric.seed_everything":            AllRNGFamilies,
	"lightning.fabric.seed_everything":            AllRNGFamilies,
}

// directSeed returns the families a call seeds and its seed argument node,
// for seeding calls and library helpers. helpers are extra helper names.
func (n *Notebook) directSeed(cs *CallSite, helpers []string) ([]RNGFamily, string, ps.NodeID, bool) {
	if fams, ok := directSeeds[cs.Qual]; ok {
		return fams, "", cs.Arg(0, "seed"), true
	}
	switch {
	case cs.Method == "seed_everything":
		return AllRNGFamilies, "seed_everything", cs.Arg(0, "seed"), true
	case cs.Method == "set_seed" && (headSegment(cs.Qual) == "fastai" || headSegment(cs.Qual) == "accelerate" || headSegment(cs.Qual) == "transformers"):
		return AllRNGFamilies, cs.Qual, cs.Arg(0, "s"), true
	}
	for _, h := range helpers {
		if h == "" {
			continue
		}
		if cs.Callee == h || cs.Qual == h || (!strings.Contains(h, ".") && cs.Method == h) {
			return AllRNGFamilies, h, cs.Positional(0), true
		}
	}
	return nil, "", ps.NoNode, false
}

// seedCalls finds every seeding call: direct ones, library and configured
// helpers, and calls of notebook functions that seed.
func (n *Notebook) seedCalls(helpers []string) []SeedCall {
	ix := n.reproIndex()
	// Families each notebook function seeds (through direct calls, helpers
	// and other notebook functions), computed to a fixed point.
	fnFams := map[string]map[RNGFamily]bool{}
	for round := 0; round < 4; round++ {
		changed := false
		for name, defs := range ix.funcs {
			for _, d := range defs {
				for _, i := range ix.callsInDef(d) {
					cs := &ix.calls[i]
					var fams []RNGFamily
					if f, _, arg, ok := n.directSeed(cs, helpers); ok && n.validSeedArg(cs, arg, true) {
						fams = f
					} else if nf := ix.notebookFunction(cs); nf != nil && cs.Callee != name {
						for fam := range fnFams[cs.Callee] {
							fams = append(fams, fam)
						}
					}
					for _, f := range fams {
						if fnFams[name] == nil {
							fnFams[name] = map[RNGFamily]bool{}
						}
						if !fnFams[name][f] {
							fnFams[name][f] = true
							changed = true
						}
					}
				}
			}
		}
		if !changed {
			break
		}
	}
	var out []SeedCall
	for i := range ix.calls {
		cs := &ix.calls[i]
		if fams, helper, arg, ok := n.directSeed(cs, helpers); ok {
			// Library helpers choose a random seed when called without one.
			if !n.validSeedArg(cs, arg, helper != "" && contains(helpers, helper)) {
				continue
			}
			v := ""
			if arg != ps.NoNode {
				v = shortSnippet(cs.Cell.Tree, arg)
			}
			out = append(out, SeedCall{Call: cs, Families: fams, Value: v, Helper: helper, Def: ix.def[i]})
			continue
		}
		if ix.notebookFunction(cs) == nil || len(fnFams[cs.Callee]) == 0 {
			continue
		}
		var fams []RNGFamily
		for _, f := range AllRNGFamilies {
			if fnFams[cs.Callee][f] {
				fams = append(fams, f)
			}
		}
		v := ""
		if a := cs.Positional(0); a != ps.NoNode {
			v = shortSnippet(cs.Cell.Tree, a)
		}
		out = append(out, SeedCall{Call: cs, Families: fams, Value: v, Helper: cs.Callee, Def: ix.def[i]})
	}
	return out
}

// validSeedArg reports whether a seeding call's argument fixes the seed:
// present (unless missing is allowed), not None, and not computed from the
// wall clock or the process.
func (n *Notebook) validSeedArg(cs *CallSite, arg ps.NodeID, missingOK bool) bool {
	if arg == ps.NoNode {
		return missingOK
	}
	t := cs.Cell.Tree
	if isNoneNode(t, arg) {
		return false
	}
	ok := true
	ix := n.reproIndex()
	descend(t, arg, func(d ps.NodeID) bool {
		if kindOf(t, d) == ps.Call {
			if sub := ix.callAt(cs.Cell, d); sub != nil {
				if clockSourceName(n, sub) != "" || sub.Qual == "os.getpid" || sub.Qual == "os.urandom" ||
					sub.Qual == "time.perf_counter" || sub.Qual == "time.monotonic" {
					ok = false
				}
			}
		}
		return ok
	})
	return ok
}

var pyRandomDraws = setOf(`random randint randrange choice choices sample shuffle uniform gauss
	normalvariate lognormvariate expovariate vonmisesvariate gammavariate betavariate paretovariate
	weibullvariate triangular getrandbits randbytes binomialvariate`)

var numpyNotDraws = setOf(`seed default_rng RandomState Generator get_state set_state SeedSequence
	PCG64 PCG64DXSM MT19937 Philox SFC64 BitGenerator`)

var numpyBitGenerators = setOf(`PCG64 PCG64DXSM MT19937 Philox SFC64`)

var torchDraws = setOf(`rand randn randint randperm rand_like randn_like randint_like normal bernoulli
	multinomial poisson`)

var torchInitNotRandom = setOf(`calculate_gain zeros_ ones_ constant_ eye_ dirac_ zeros ones constant eye dirac`)

var torchLayers = setOf(`Linear Bilinear LazyLinear Conv1d Conv2d Conv3d ConvTranspose1d ConvTranspose2d
	ConvTranspose3d LazyConv1d LazyConv2d LazyConv3d Embedding EmbeddingBag RNN LSTM GRU RNNCell LSTMCell GRUCell
	MultiheadAttention Transformer TransformerEncoderLayer TransformerDecoderLayer Dropout Dropout1d Dropout2d
	Dropout3d AlphaDropout`)

var torchTensorDraws = setOf(`normal_ uniform_ random_ bernoulli_ exponential_ cauchy_ log_normal_ geometric_`)

var tfDraws = setOf(`normal uniform truncated_normal shuffle categorical gamma poisson
	random_normal random_uniform random_shuffle random_gamma random_poisson multinomial
	log_uniform_candidate_sampler uniform_candidate_sampler`)

var kerasLayers = setOf(`Dense Conv1D Conv2D Conv3D Conv1DTranspose Conv2DTranspose Conv3DTranspose
	SeparableConv1D SeparableConv2D DepthwiseConv2D LSTM GRU SimpleRNN ConvLSTM2D LSTMCell GRUCell SimpleRNNCell
	Embedding Dropout SpatialDropout1D SpatialDropout2D SpatialDropout3D GaussianNoise GaussianDropout AlphaDropout
	MultiHeadAttention Convolution1D Convolution2D Convolution3D`)

var kerasInitializers = setOf(`GlorotUniform GlorotNormal HeNormal HeUniform LecunNormal LecunUniform RandomNormal
	RandomUniform TruncatedNormal Orthogonal VarianceScaling glorot_uniform glorot_normal he_normal he_uniform
	lecun_normal lecun_uniform random_normal random_uniform truncated_normal orthogonal`)

// rngUse classifies a call as a global-RNG draw or an unseeded generator.
func (n *Notebook) rngUse(ix *reproIndex, cs *CallSite) (fam RNGFamily, what string, gen bool, ok bool) {
	q := cs.Qual
	last := lastSegment(q)
	short := cs.Callee
	if short == "" {
		short = "." + cs.Method
	}
	t := cs.Cell.Tree
	switch {
	case q == "random.Random":
		if a := cs.Arg(0, "x"); a == ps.NoNode || isNoneNode(t, a) {
			return RNGPython, short + "() without a seed", true, true
		}
		return "", "", false, false
	case strings.HasPrefix(q, "random.") && strings.Count(q, ".") == 1 && pyRandomDraws[last]:
		return RNGPython, short, false, true
	case q == "numpy.random.default_rng" || q == "numpy.random.RandomState" ||
		(strings.HasPrefix(q, "numpy.random.") && numpyBitGenerators[last]):
		if a := cs.Arg(0, "seed"); a == ps.NoNode || isNoneNode(t, a) {
			return RNGNumPy, short + "() without a seed", true, true
		}
		return "", "", false, false
	case strings.HasPrefix(q, "numpy.random.") && strings.Count(q, ".") == 2 && !numpyNotDraws[last]:
		return RNGNumPy, short, false, true
	case cs.Method == "rvs" && ix.modules["scipy"] && cs.Keyword("random_state") == ps.NoNode:
		return RNGNumPy, short + " (SciPy)", false, true
	}
	if cs.Keyword("generator") != ps.NoNode || cs.Keyword("seed") != ps.NoNode {
		return "", "", false, false
	}
	switch {
	case strings.HasPrefix(q, "torch.") && strings.Count(q, ".") == 1 && torchDraws[last]:
		return RNGTorch, short, false, true
	case strings.HasPrefix(q, "torch.nn.init.") && !torchInitNotRandom[last]:
		return RNGTorch, short, false, true
	case strings.HasPrefix(q, "torch.nn.") && torchLayers[last]:
		if strings.HasPrefix(last, "Dropout") || last == "AlphaDropout" {
			return RNGTorch, short + " (random dropout masks)", false, true
		}
		return RNGTorch, short + " (random weight initialisation)", false, true
	case q == "torch.utils.data.random_split":
		return RNGTorch, short + " without generator=", false, true
	case q == "torch.utils.data.DataLoader" && isTrueNode(t, cs.Keyword("shuffle")):
		return RNGTorch, short + "(shuffle=True) without generator=", false, true
	case cs.ReceiverNode != ps.NoNode && torchTensorDraws[cs.Method] && ix.modules["torch"] &&
		(q == cs.Callee || strings.HasPrefix(q, "torch.")):
		return RNGTorch, short, false, true
	case (strings.HasPrefix(q, "tensorflow.random.") || strings.HasPrefix(q, "tensorflow.compat.v1.random.")) && tfDraws[last],
		(q == "tensorflow."+last || q == "tensorflow.compat.v1."+last) && strings.HasPrefix(last, "random_") && tfDraws[last],
		q == "tensorflow.truncated_normal" || q == "tensorflow.multinomial":
		return RNGTensorFlow, short, false, true
	case strings.HasPrefix(q, "tensorflow.image.random_"):
		return RNGTensorFlow, short, false, true
	case isKeras(q) && strings.Contains(q, ".layers.") && kerasLayers[last]:
		if strings.Contains(last, "Dropout") || last == "GaussianNoise" {
			return RNGTensorFlow, short + " (random dropout/noise)", false, true
		}
		return RNGTensorFlow, short + " (random weight initialisation)", false, true
	case isKeras(q) && strings.Contains(q, ".initializers.") && kerasInitializers[last]:
		return RNGTensorFlow, short + " without seed=", false, true
	}
	return "", "", false, false
}

func isKeras(q string) bool {
	h := headSegment(q)
	return h == "keras" || h == "tf_keras" || strings.HasPrefix(q, "tensorflow.keras.") || strings.HasPrefix(q, "tensorflow.python.keras.")
}

// ---------------------------------------------------------------------------
// Missing random_state (NB202)

// RandomStateCall is a call that takes a random_state-like parameter and
// gets none (or None) while it is random.
type RandomStateCall struct {
	Call *CallSite
	// Name is the class or function called ("RandomForestClassifier").
	Name string
	// Library is the distribution ("scikit-learn", "xgboost", …).
	Library string
	// Param is the parameter to add ("random_state"; "random_seed" for
	// CatBoost); the emitter adds Param=cfg.seed.
	Param string
	// ExplicitNone is set when the call passes Param=None.
	ExplicitNone bool
	// Condition names the argument that makes the call random, when it is
	// random only with it ("shuffle=True", "svd_solver='randomized'").
	Condition string
	// Unsure is set when randomness depends on data size or a default
	// choice (PCA's svd_solver="auto").
	Unsure bool
	// FixedDefault is set for libraries whose default seed is a constant
	// (XGBoost, LightGBM and CatBoost seed with 0 when none is given): the
	// result is already repeatable, only not configurable.
	FixedDefault bool
	// GlobalSeed is the NumPy seeding call that runs before the call, for
	// libraries that draw from NumPy's global RNG when random_state is None
	// (legacy scikit-learn behaviour: deterministic, but fragile).
	GlobalSeed *SeedCall
}

type rsSpec struct {
	lib   string // distribution
	param string
	// cond returns whether the call is random and the condition text.
	cond         func(n *Notebook, cs *CallSite) (random bool, condition string, unsure bool)
	fixedDefault bool
	numpyGlobal  bool
}

func always(*Notebook, *CallSite) (bool, string, bool) { return true, "", false }

// kwIs reports whether keyword k is passed as the literal (or bound
// constant) v; v "True" matches the True literal.
func kwIs(n *Notebook, cs *CallSite, k string, vals ...string) (bool, string) {
	a := cs.Keyword(k)
	if a == ps.NoNode {
		return false, ""
	}
	t := cs.Cell.Tree
	text := textOf(t, a)
	for _, v := range vals {
		if v == "True" || v == "False" {
			if text == v {
				return true, k + "=" + v
			}
			continue
		}
		if f := n.Fold(cs.Cell, a); f.Complete && f.Value == v {
			return true, k + "='" + v + "'"
		}
	}
	return false, ""
}

func kwCond(k string, vals ...string) func(*Notebook, *CallSite) (bool, string, bool) {
	return func(n *Notebook, cs *CallSite) (bool, string, bool) {
		ok, c := kwIs(n, cs, k, vals...)
		return ok, c, false
	}
}

// unlessFalse: random unless keyword k is False (train_test_split's shuffle).
func unlessFalse(k string) func(*Notebook, *CallSite) (bool, string, bool) {
	return func(n *Notebook, cs *CallSite) (bool, string, bool) {
		return textOf(cs.Cell.Tree, cs.Keyword(k)) != "False" || cs.Keyword(k) == ps.NoNode, "", false
	}
}

func pcaCond(n *Notebook, cs *CallSite) (bool, string, bool) {
	a := cs.Keyword("svd_solver")
	if a == ps.NoNode {
		// "auto" picks the randomized solver only for an integer number of
		// components on large inputs; a variance fraction, "mle" or all
		// components use the full SVD.
		nc := cs.Arg(0, "n_components")
		if kindOf(cs.Cell.Tree, nc) != ps.Integer {
			return false, "", false
		}
		return true, "svd_solver='auto'", true
	}
	f := n.Fold(cs.Cell, a)
	if !f.Complete {
		return false, "", false
	}
	switch f.Value {
	case "randomized", "arpack":
		return true, "svd_solver='" + f.Value + "'", false
	case "auto":
		return true, "svd_solver='auto'", true
	}
	return false, "", false
}

func positiveKw(k string) func(*Notebook, *CallSite) (bool, string, bool) {
	return func(n *Notebook, cs *CallSite) (bool, string, bool) {
		a := cs.Keyword(k)
		if a == ps.NoNode || kindOf(cs.Cell.Tree, a) != ps.Integer {
			return false, "", false
		}
		v, err := strconv.Atoi(textOf(cs.Cell.Tree, a))
		return err == nil && v > 0, k + "=" + textOf(cs.Cell.Tree, a), false
	}
}

func givenKw(k string) func(*Notebook, *CallSite) (bool, string, bool) {
	return func(n *Notebook, cs *CallSite) (bool, string, bool) {
		a := cs.Keyword(k)
		return a != ps.NoNode && !isNoneNode(cs.Cell.Tree, a), k + "=…", false
	}
}

// randomStateTable lists the callables that take random_state and are
// random. The scikit-learn names were generated from the signatures of
// scikit-learn 1.2 (every public callable of every public sklearn module
// with a random_state parameter, listed by inspect.signature); each was
// then classified by when it is random: always, or only with the argument
// given by its condition. Callables whose randomness only matters for
// degenerate inputs (AffinityPropagation, KernelPCA, LocallyLinearEmbedding,
// NeighborhoodComponentsAnalysis, QuantileTransformer, KBinsDiscretizer,
// Lars, estimate_bandwidth, PartialDependenceDisplay) are left out.
var randomStateTable = func() map[string]rsSpec {
	m := map[string]rsSpec{}
	sk := func(cond func(*Notebook, *CallSite) (bool, string, bool), names string) {
		for _, nm := range strings.Fields(names) {
			m["sklearn."+nm] = rsSpec{lib: "scikit-learn", param: "random_state", cond: cond, numpyGlobal: true}
		}
	}
	sk(always, `AdaBoostClassifier AdaBoostRegressor BaggingClassifier BaggingRegressor BayesianGaussianMixture
		BernoulliRBM BisectingKMeans DecisionTreeClassifier DecisionTreeRegressor DictionaryLearning
		EllipticEnvelope ExtraTreeClassifier ExtraTreeRegressor ExtraTreesClassifier ExtraTreesRegressor
		FactorAnalysis FastICA GaussianMixture GaussianRandomProjection GradientBoostingClassifier
		GradientBoostingRegressor GroupShuffleSplit HistGradientBoostingClassifier HistGradientBoostingRegressor
		IsolationForest KMeans LatentDirichletAllocation LinearSVC LinearSVR MDS MLPClassifier MLPRegressor
		MinCovDet MiniBatchDictionaryLearning MiniBatchKMeans MiniBatchSparsePCA Nystroem OutputCodeClassifier
		ParameterSampler PassiveAggressiveClassifier PassiveAggressiveRegressor Perceptron PolynomialCountSketch
		RANSACRegressor RBFSampler RandomForestClassifier RandomForestRegressor RandomTreesEmbedding
		RandomizedSearchCV RepeatedKFold RepeatedStratifiedKFold SGDClassifier SGDOneClassSVM SGDRegressor
		ShuffleSplit SkewedChi2Sampler SparsePCA SparseRandomProjection SpectralBiclustering SpectralClustering
		SpectralCoclustering SpectralEmbedding StratifiedShuffleSplit TSNE TheilSenRegressor TruncatedSVD
		dict_learning dict_learning_online fast_mcd fastica k_means kmeans_plusplus make_biclusters make_blobs
		make_checkerboard make_circles make_classification make_friedman1 make_friedman2 make_friedman3
		make_gaussian_quantiles make_hastie_10_2 make_low_rank_matrix make_moons make_multilabel_classification
		make_regression make_s_curve make_sparse_coded_signal make_sparse_spd_matrix make_sparse_uncorrelated
		make_spd_matrix make_swiss_roll mutual_info_classif mutual_info_regression permutation_importance
		permutation_test_score randomized_svd resample shuffle smacof spectral_clustering spectral_embedding`)
	sk(unlessFalse("shuffle"), `train_test_split load_files`)
	sk(kwCond("shuffle", "True"), `KFold StratifiedKFold StratifiedGroupKFold learning_curve fetch_20newsgroups
		fetch_covtype fetch_kddcup99 fetch_olivetti_faces fetch_rcv1`)
	sk(pcaCond, `PCA`)
	sk(kwCond("solver", "sag", "saga", "liblinear"), `LogisticRegression LogisticRegressionCV`)
	sk(kwCond("solver", "sag", "saga"), `Ridge RidgeClassifier ridge_regression`)
	sk(kwCond("selection", "random"), `Lasso LassoCV ElasticNet ElasticNetCV MultiTaskElasticNet
		MultiTaskElasticNetCV MultiTaskLasso MultiTaskLassoCV`)
	sk(kwCond("probability", "True"), `SVC NuSVC`)
	sk(kwCond("strategy", "stratified", "uniform"), `DummyClassifier`)
	sk(kwCond("init", "random", "nndsvdar"), `NMF MiniBatchNMF non_negative_factorization`)
	sk(kwCond("order", "random"), `ClassifierChain RegressorChain`)
	sk(positiveKw("n_restarts_optimizer"), `GaussianProcessClassifier GaussianProcessRegressor`)
	sk(givenKw("sample_size"), `silhouette_score`)
	for _, nm := range strings.Fields(`XGBClassifier XGBRegressor XGBRanker XGBRFClassifier XGBRFRegressor`) {
		m["xgboost."+nm] = rsSpec{lib: "xgboost", param: "random_state", cond: always, fixedDefault: true}
	}
	for _, nm := range strings.Fields(`LGBMClassifier LGBMRegressor LGBMRanker LGBMModel`) {
		m["lightgbm."+nm] = rsSpec{lib: "lightgbm", param: "random_state", cond: always, fixedDefault: true}
	}
	for _, nm := range strings.Fields(`CatBoostClassifier CatBoostRegressor CatBoostRanker CatBoost`) {
		m["catboost."+nm] = rsSpec{lib: "catboost", param: "random_seed", cond: always, fixedDefault: true}
	}
	m["umap.UMAP"] = rsSpec{lib: "umap-learn", param: "random_state", cond: always, numpyGlobal: true}
	for _, nm := range strings.Fields(`SMOTE ADASYN BorderlineSMOTE SVMSMOTE KMeansSMOTE SMOTENC SMOTEN
		RandomOverSampler RandomUnderSampler ClusterCentroids SMOTEENN SMOTETomek BalancedRandomForestClassifier
		BalancedBaggingClassifier EasyEnsembleClassifier RUSBoostClassifier InstanceHardnessThreshold`) {
		m["imblearn."+nm] = rsSpec{lib: "imbalanced-learn", param: "random_state", cond: always, numpyGlobal: true}
	}
	return m
}()

// randomStateLibs maps import roots to the table's keys.
var randomStateLibs = map[string]string{"sklearn": "sklearn", "xgboost": "xgboost", "lightgbm": "lightgbm",
	"catboost": "catboost", "umap": "umap", "imblearn": "imblearn"}

var seedParams = []string{"random_state", "seed", "random_seed"}

var missingRandomStateKey = lazyKey{"repro.randomstate"}

// MissingRandomState returns the calls that are random and get no
// random_state (or None), with the NumPy seed that precedes them
// (RULES.md NB202).
func (n *Notebook) MissingRandomState() []RandomStateCall {
	return lazy(n, &missingRandomStateKey, func() []RandomStateCall {
		ix := n.reproIndex()
		rnd := n.Randomness()
		var out []RandomStateCall
		for i := range ix.calls {
			cs := &ix.calls[i]
			spec, name, ok := n.randomStateSpec(ix, cs)
			if !ok {
				if rc, ok := n.pandasSample(ix, cs); ok {
					rc.GlobalSeed = SeedBefore(rnd.Seeds, &RNGUse{Call: cs, Family: RNGNumPy, Def: ix.def[i]})
					out = append(out, rc)
				}
				continue
			}
			if hasSplatKwargs(cs) {
				continue
			}
			explicitNone := false
			given := false
			for _, p := range seedParams {
				if a := cs.Keyword(p); a != ps.NoNode {
					if isNoneNode(cs.Cell.Tree, a) {
						explicitNone = true
					} else {
						given = true
					}
				}
			}
			if given {
				continue
			}
			random, cond, unsure := spec.cond(n, cs)
			if !random {
				continue
			}
			rc := RandomStateCall{Call: cs, Name: name, Library: spec.lib, Param: spec.param, ExplicitNone: explicitNone,
				Condition: cond, Unsure: unsure, FixedDefault: spec.fixedDefault}
			if spec.numpyGlobal {
				rc.GlobalSeed = SeedBefore(rnd.Seeds, &RNGUse{Call: cs, Family: RNGNumPy, Def: ix.def[i]})
			}
			out = append(out, rc)
		}
		return out
	})
}

// randomStateSpec resolves a call through the imports to the table.
func (n *Notebook) randomStateSpec(ix *reproIndex, cs *CallSite) (rsSpec, string, bool) {
	if cs.Qual == "" {
		return rsSpec{}, "", false
	}
	name := lastSegment(cs.Qual)
	head := headSegment(cs.Qual)
	if root, ok := randomStateLibs[head]; ok {
		if s, ok := randomStateTable[root+"."+name]; ok {
			return s, name, true
		}
		return rsSpec{}, "", false
	}
	// A bare name from a star import (from sklearn.ensemble import *).
	if cs.Qual == name && cs.ReceiverNode == ps.NoNode && len(ix.funcs[name]) == 0 {
		for _, s := range ix.star {
			if root, ok := randomStateLibs[headSegment(s)]; ok {
				if spec, ok := randomStateTable[root+"."+name]; ok {
					return spec, name, true
				}
			}
		}
	}
	return rsSpec{}, "", false
}

// pandasSample reports df.sample(frac=…/n=…) without random_state when its
// result is kept (a display-only df.sample(5) is left alone).
func (n *Notebook) pandasSample(ix *reproIndex, cs *CallSite) (RandomStateCall, bool) {
	if cs.Method != "sample" || cs.ReceiverNode == ps.NoNode || cs.Statement {
		return RandomStateCall{}, false
	}
	if h := headSegment(cs.Qual); cs.Qual != cs.Callee || h == "random" || h == "numpy" || h == "torch" || ix.modules[cs.Receiver] {
		return RandomStateCall{}, false
	}
	if !ix.modules["pandas"] || hasSplatKwargs(cs) {
		return RandomStateCall{}, false
	}
	for _, p := range seedParams {
		if a := cs.Keyword(p); a != ps.NoNode && !isNoneNode(cs.Cell.Tree, a) {
			return RandomStateCall{}, false
		}
	}
	// pandas' sample takes n or frac (or a first positional n).
	if cs.Keyword("frac") == ps.NoNode && cs.Keyword("n") == ps.NoNode && cs.Positional(0) == ps.NoNode {
		return RandomStateCall{}, false
	}
	// Only where the result is kept (assigned, or passed on), not where it
	// is only displayed: df.sample(5), df.sample(5).head(), print(…).
	t := cs.Cell.Tree
	par := cs.Cell.Parents()
	node := cs.Node
	for {
		p := par[node]
		switch kindOf(t, p) {
		case ps.Attribute, ps.Call:
			node = p
			continue
		case ps.ExpressionStatement, ps.Other:
			return RandomStateCall{}, false
		case ps.ArgumentList:
			if call := par[p]; call != ps.NoNode {
				if fn := textOf(t, childOf(t, call, ps.FFunction)); fn == "print" || fn == "display" {
					return RandomStateCall{}, false
				}
			}
		}
		break
	}
	return RandomStateCall{Call: cs, Name: "DataFrame.sample", Library: "pandas", Param: "random_state"}, true
}

// ---------------------------------------------------------------------------
// Wall clock (NB204)

// ClockSource is a call that reads the wall clock.
type ClockSource struct {
	Call *CallSite
	// Func is the qualified function ("datetime.datetime.now").
	Func string
	// Name is the module-level name the value is bound to directly
	// (`today = date.today()`), "" otherwise.
	Name string
}

// Clock sink kinds.
const (
	SinkComparison  = "comparison"   // compared with data (a filter, a branch)
	SinkSlice       = "slice"        // a bound of a slice (df.loc[start:today])
	SinkIndex       = "index"        // a label or key (df.loc[today])
	SinkQuery       = "query"        // a query string or SQL
	SinkFileRead    = "file-read"    // the name of a file that is read
	SinkFileWrite   = "file-write"   // the name of a file that is written (versioned output)
	SinkModelInput  = "model-input"  // an input of fit/predict/transform
	SinkDataColumn  = "data-column"  // a column computed from the clock and data (age = today - birth)
	SinkDataRequest = "data-request" // the date range of a data download or API request
)

// ClockSink is a place a wall-clock value reaches.
type ClockSink struct {
	Cell     int
	Node     ps.NodeID
	Pos, End Pos
	Kind     string
	// Source indexes WallClock.Sources.
	Source int
	// Via are the names the value travelled through ("today", "cutoff").
	Via []string
	// Text is the sink expression, shortened.
	Text string
}

// WallClock are the notebook's wall-clock reads and where their values
// flow (def-use within and across cells). A value used only for timing
// (the difference of two clock reads) never reaches a sink.
type WallClock struct {
	Sources []ClockSource
	Sinks   []ClockSink
}

// Reaching returns the indexes of the sources whose value reaches a sink:
// the clock reads the emitter replaces with the `as_of` parameter.
func (wc *WallClock) Reaching() []int {
	seen := map[int]bool{}
	var out []int
	for _, s := range wc.Sinks {
		if !seen[s.Source] {
			seen[s.Source] = true
			out = append(out, s.Source)
		}
	}
	sort.Ints(out)
	return out
}

var wallClockKey = lazyKey{"repro.wallclock"}

// clockSourceName returns the qualified name of a wall-clock read, or "".
func clockSourceName(n *Notebook, cs *CallSite) string {
	q := cs.Qual
	switch q {
	case "datetime.datetime.now", "datetime.datetime.today", "datetime.datetime.utcnow", "datetime.date.today",
		"time.time", "time.time_ns", "pandas.Timestamp.now", "pandas.Timestamp.today", "pandas.Timestamp.utcnow",
		"pandas.datetime.now", "pandas.datetime.today", "arrow.now", "arrow.utcnow", "pendulum.now", "pendulum.today":
		return q
	case "time.localtime", "time.gmtime", "time.ctime", "time.asctime":
		if len(cs.Args) == 0 {
			return q
		}
	case "time.strftime":
		if len(cs.Args) == 1 {
			return q
		}
	case "pandas.to_datetime", "pandas.Timestamp", "numpy.datetime64":
		if v, ok := n.argString(cs, 0, ""); ok {
			if v = strings.ToLower(strings.TrimSpace(v)); v == "now" || v == "today" {
				return q + `("` + v + `")`
			}
		}
	}
	return ""
}

// WallClock returns the wall-clock reads and their sinks (RULES.md NB204).
func (n *Notebook) WallClock() *WallClock {
	return lazy(n, &wallClockKey, func() *WallClock {
		ix := n.reproIndex()
		wc := &WallClock{}
		srcOf := map[callKey]int{}
		for i := range ix.calls {
			cs := &ix.calls[i]
			if f := clockSourceName(n, cs); f != "" {
				srcOf[callKey{cs.Cell.Index, cs.Node}] = len(wc.Sources)
				wc.Sources = append(wc.Sources, ClockSource{Call: cs, Func: f})
			}
		}
		if len(wc.Sources) == 0 {
			return wc
		}
		ev := &clockEval{n: n, ix: ix, wc: wc, srcOf: srcOf, global: map[string]*taint{}, fnRet: map[string]*taint{},
			seen: map[clockSinkKey]bool{}}
		for _, c := range n.Code() {
			if c.Tree == nil {
				continue
			}
			ev.c, ev.t = c, c.Tree
			ev.stmt(c.Tree.Root())
		}
		return wc
	})
}

type taint struct {
	src      int
	duration bool // difference of two clock reads: timing, not a date
	data     bool // combined with data (age = today - birth_date)
	// name is set for a clock value formatted into a larger text
	// ("job-2024-06-30"): a unique name, not a date; it matters as a file
	// name or in a query, not in comparisons.
	name bool
	via  []string
}

// valueSink reports whether a taint can reach the value sinks
// (comparison, slice, index, model input, data column).
func (v *taint) valueSink() bool { return v != nil && !v.duration && !v.name }

type clockSinkKey struct {
	cell int
	node ps.NodeID
	src  int
}

type clockEval struct {
	n      *Notebook
	ix     *reproIndex
	wc     *WallClock
	srcOf  map[callKey]int
	c      *Cell
	t      *ps.Tree
	global map[string]*taint
	local  map[string]*taint // nil at module level
	fnRet  map[string]*taint
	seen   map[clockSinkKey]bool
	depth  int
}

func (e *clockEval) lookup(name string) *taint {
	if e.local != nil {
		if v, ok := e.local[name]; ok {
			return v
		}
	}
	return e.global[name]
}

func (e *clockEval) bind(name string, v *taint) {
	m := e.global
	if e.local != nil {
		m = e.local
	}
	if v == nil {
		if e.local != nil {
			m[name] = nil // shadows a tainted global
		} else {
			delete(m, name)
		}
		return
	}
	nv := *v
	nv.via = append(append([]string(nil), v.via...), name)
	m[name] = &nv
}

func (e *clockEval) sink(node ps.NodeID, kind string, v *taint) {
	if v == nil || v.duration {
		return
	}
	k := clockSinkKey{e.c.Index, node, v.src}
	if e.seen[k] {
		return
	}
	e.seen[k] = true
	e.wc.Sinks = append(e.wc.Sinks, ClockSink{Cell: e.c.Index, Node: node, Pos: e.c.NodePos(node), End: e.c.NodeEnd(node),
		Kind: kind, Source: v.src, Via: v.via, Text: shortSnippet(e.t, node)})
}

func (e *clockEval) stmts(n ps.NodeID) {
	for c := firstChildOf(e.t, n); c != ps.NoNode; c = e.t.NextSibling(n, c) {
		if e.t.IsNamed(c) && !e.t.IsExtra(c) {
			e.stmt(c)
		}
	}
}

func (e *clockEval) stmt(n ps.NodeID) {
	if n == ps.NoNode {
		return
	}
	t := e.t
	switch kindOf(t, n) {
	case ps.Module, ps.Block, ps.ElseClause, ps.FinallyClause:
		e.stmts(n)
	case ps.ExpressionStatement:
		for _, c := range namedOf(t, n, nil) {
			e.exprStmt(c)
		}
	case ps.ForStatement:
		v := e.eval(childOf(t, n, ps.FRight))
		e.bindTarget(childOf(t, n, ps.FLeft), v)
		e.stmt(childOf(t, n, ps.FBody))
		e.stmt(childOf(t, n, ps.FAlternative))
	case ps.FunctionDefinition:
		e.function(n)
	case ps.DecoratedDefinition:
		for _, c := range namedOf(t, n, nil) {
			if kindOf(t, c) == ps.Decorator {
				e.eval(firstNamedOf(t, c))
			} else {
				e.stmt(c)
			}
		}
	case ps.ClassDefinition:
		e.stmt(childOf(t, n, ps.FBody))
	case ps.ReturnStatement:
		v := e.eval(firstNamedOf(t, n))
		if e.local != nil && v != nil {
			if def := enclosingDef(e.c, n); def != ps.NoNode {
				if name := childOf(t, def, ps.FName); name != ps.NoNode && e.fnRet[textOf(t, name)] == nil {
					e.fnRet[textOf(t, name)] = v
				}
			}
		}
	case ps.IfStatement, ps.WhileStatement, ps.ElifClause, ps.TryStatement, ps.ExceptClause, ps.WithStatement,
		ps.WithClause, ps.MatchStatement, ps.CaseClause:
		for _, c := range namedOf(t, n, nil) {
			switch kindOf(t, c) {
			case ps.Block, ps.ElifClause, ps.ElseClause, ps.ExceptClause, ps.FinallyClause, ps.WithClause, ps.CaseClause:
				e.stmt(c)
			case ps.WithItem:
				e.withItem(c)
			default:
				e.eval(c)
			}
		}
	case ps.Assignment, ps.AugmentedAssignment:
		e.exprStmt(n)
	case ps.Comment, ps.PassStatement, ps.BreakStatement, ps.ContinueStatement, ps.ImportStatement,
		ps.ImportFromStatement, ps.FutureImportStatement, ps.GlobalStatement, ps.NonlocalStatement:
	default:
		for _, c := range namedOf(t, n, nil) {
			e.eval(c)
		}
	}
}

func (e *clockEval) withItem(n ps.NodeID) {
	t := e.t
	v := childOf(t, n, ps.FValue)
	if v == ps.NoNode {
		v = firstNamedOf(t, n)
	}
	if kindOf(t, v) == ps.AsPattern {
		val := e.eval(firstNamedOf(t, v))
		if a := childOf(t, v, ps.FAlias); a != ps.NoNode {
			e.bindTarget(firstNamedOf(t, a), val)
		}
		return
	}
	e.eval(v)
}

func (e *clockEval) function(def ps.NodeID) {
	if e.depth > 8 {
		return
	}
	e.depth++
	saved := e.local
	e.local = map[string]*taint{}
	for _, p := range paramNames(e.t, def) {
		e.local[p] = nil
	}
	e.stmt(childOf(e.t, def, ps.FBody))
	e.local = saved
	e.depth--
}

func (e *clockEval) exprStmt(n ps.NodeID) {
	t := e.t
	switch kindOf(t, n) {
	case ps.Assignment:
		right := childOf(t, n, ps.FRight)
		var v *taint
		if right != ps.NoNode && kindOf(t, right) == ps.Assignment {
			e.exprStmt(right)
			v = e.eval(rightmostValue(t, right))
		} else {
			v = e.eval(right)
		}
		left := childOf(t, n, ps.FLeft)
		e.assignTarget(left, v, right)
	case ps.AugmentedAssignment:
		left := childOf(t, n, ps.FLeft)
		v := e.eval(childOf(t, n, ps.FRight))
		old := e.eval(left)
		switch {
		case v == nil:
			v = old
		case old != nil:
			nv := *old
			nv.duration = old.duration || v.duration
			v = &nv
		}
		e.assignTarget(left, v, ps.NoNode)
	default:
		e.eval(n)
	}
}

func rightmostValue(t *ps.Tree, n ps.NodeID) ps.NodeID {
	for n != ps.NoNode && kindOf(t, n) == ps.Assignment {
		n = childOf(t, n, ps.FRight)
	}
	return n
}

func (e *clockEval) assignTarget(left ps.NodeID, v *taint, right ps.NodeID) {
	t := e.t
	if left == ps.NoNode {
		return
	}
	switch kindOf(t, left) {
	case ps.Identifier:
		name := pyName(textOf(t, left))
		e.bind(name, v)
		if v != nil && e.local == nil && right != ps.NoNode && kindOf(t, right) == ps.Call {
			if i, ok := e.srcOf[callKey{e.c.Index, right}]; ok && e.wc.Sources[i].Name == "" {
				e.wc.Sources[i].Name = name
			}
		}
	case ps.Subscript, ps.Attribute:
		// Evaluate the target's own parts (its index may hold a sink).
		if kindOf(t, left) == ps.Subscript {
			e.eval(left)
		}
		if v.valueSink() && v.data {
			e.sink(left, SinkDataColumn, v)
		}
	default:
		e.bindTarget(left, v)
	}
}

// bindTarget binds every name of a (possibly unpacking) target.
func (e *clockEval) bindTarget(n ps.NodeID, v *taint) {
	if n == ps.NoNode {
		return
	}
	t := e.t
	switch kindOf(t, n) {
	case ps.Identifier:
		e.bind(pyName(textOf(t, n)), v)
	case ps.PatternList, ps.TuplePattern, ps.ListPattern, ps.Tuple, ps.List, ps.ParenthesizedExpression, ps.ListSplatPattern:
		for _, c := range namedOf(t, n, nil) {
			e.bindTarget(c, v)
		}
	}
}

// Calls whose value carries their arguments' clock value.
var clockPassThrough = setOf(`str int float round repr format abs list tuple sorted min max
	pandas.Timestamp pandas.to_datetime pandas.date_range pandas.bdate_range pandas.period_range pandas.Period
	pandas.DatetimeIndex pandas.DataFrame pandas.Series numpy.datetime64 numpy.array numpy.asarray
	datetime.datetime.combine datetime.datetime.fromtimestamp datetime.datetime.utcfromtimestamp
	datetime.date.fromtimestamp time.localtime time.gmtime time.strftime time.ctime time.asctime time.mktime
	os.path.join pathlib.Path Path torch.tensor`)

// Methods that never make a sink (output, logging, display).
var clockQuietCalls = setOf(`print display log info debug warning error critical exception write_line
	set_title title suptitle set_xlabel set_ylabel xlabel ylabel text annotate legend set_description
	set_postfix add_scalar seed manual_seed set_seed set_random_seed sleep`)

var clockQueryMethods = setOf(`query sql read_sql read_sql_query read_gbq execute executemany`)

var clockReadMethods = setOf(`read_csv read_excel read_parquet read_json read_pickle read_feather read_table
	read_hdf read_fwf read_orc read_sas read_stata read_xml loadtxt genfromtxt load imread listdir glob iglob
	scandir exists isfile isdir read_text read_bytes download_file get_object iterdir`)

var clockWriteMethods = setOf(`to_csv to_excel to_parquet to_json to_pickle to_feather to_hdf to_netcdf to_sql
	savefig save savez savez_compressed savetxt save_model save_pretrained save_weights dump imwrite imsave
	makedirs mkdir write_text write_bytes upload_file upload_data put_object copyfile copy move rename`)

var clockModelMethods = setOf(`fit predict predict_proba predict_log_proba decision_function transform
	fit_transform fit_predict score forecast`)

var clockDataRequestMethods = setOf(`download DataReader get_data_yahoo get_data history get_historical_data
	get_prices get_bars get_price_history`)

// Keywords that name a file or object path.
var clockPathKeywords = setOf(`path filepath file filename fname path_or_buf io f key prefix key_prefix Key Prefix
	uri dst src fp output_path save_path file_path`)

var clockDateKeywords = setOf(`start end start_date end_date since until from_date to_date date_from date_to
	as_of asof period_start period_end start_time end_time startTime endTime StartTime EndTime before after`)

func (e *clockEval) union(vs ...*taint) *taint {
	for _, v := range vs {
		if v != nil && !v.duration {
			return v
		}
	}
	for _, v := range vs {
		if v != nil {
			return v
		}
	}
	return nil
}

func isConstantExpr(t *ps.Tree, n ps.NodeID) bool {
	switch kindOf(t, n) {
	case ps.Integer, ps.Float, ps.String, ps.ConcatenatedString, ps.True, ps.False, ps.None:
		return true
	case ps.UnaryOperator, ps.ParenthesizedExpression:
		return isConstantExpr(t, firstNamedOf(t, n))
	}
	return false
}

// isDeltaExpr reports a time offset expression (timedelta(days=7),
// pd.DateOffset(months=1), 3600): clock ± offset is still a date.
func (e *clockEval) isDeltaExpr(n ps.NodeID) bool {
	t := e.t
	switch kindOf(t, n) {
	case ps.Integer, ps.Float:
		return true
	case ps.ParenthesizedExpression, ps.UnaryOperator:
		return e.isDeltaExpr(firstNamedOf(t, n))
	case ps.BinaryOperator:
		return e.isDeltaExpr(childOf(t, n, ps.FLeft)) && e.isDeltaExpr(childOf(t, n, ps.FRight))
	case ps.Call:
		if cs := e.ix.callAt(e.c, n); cs != nil {
			m := lastSegment(cs.Qual)
			return m == "timedelta" || m == "DateOffset" || m == "Timedelta" || m == "relativedelta" || m == "to_timedelta"
		}
	case ps.Identifier:
		name := strings.ToLower(textOf(t, n))
		return strings.Contains(name, "delta") || strings.Contains(name, "offset") || strings.Contains(name, "days") ||
			strings.Contains(name, "window") || strings.Contains(name, "lookback") || strings.Contains(name, "period")
	}
	return false
}

func (e *clockEval) eval(n ps.NodeID) *taint {
	if n == ps.NoNode {
		return nil
	}
	e.depth++
	defer func() { e.depth-- }()
	if e.depth > 200 {
		return nil
	}
	t := e.t
	switch kindOf(t, n) {
	case ps.Identifier:
		return e.lookup(pyName(textOf(t, n)))
	case ps.Call:
		return e.call(n)
	case ps.Attribute:
		return e.eval(childOf(t, n, ps.FObject))
	case ps.BinaryOperator:
		l, r := childOf(t, n, ps.FLeft), childOf(t, n, ps.FRight)
		lv, rv := e.eval(l), e.eval(r)
		op := textOf(t, childOf(t, n, ps.FOperator))
		switch {
		case lv == nil && rv == nil:
			return nil
		case lv != nil && rv != nil:
			if op == "-" && !lv.duration && !rv.duration {
				d := *lv
				d.duration = true
				return &d
			}
			return e.union(lv, rv)
		}
		v, other := lv, r
		if v == nil {
			v, other = rv, l
		}
		nv := *v
		if (op == "+" || op == "-") && !v.duration && !isConstantExpr(t, other) && !e.isDeltaExpr(other) {
			nv.data = true
		}
		if (op == "+" || op == "%") && e.textWithLetters(other) {
			nv.name, nv.data = true, false
		}
		return &nv
	case ps.ComparisonOperator:
		var vals []*taint
		var plain []ps.NodeID
		for _, c := range namedOf(t, n, nil) {
			v := e.eval(c)
			vals = append(vals, v)
			if v == nil {
				plain = append(plain, c)
			}
		}
		var clock *taint
		tainted := 0
		for _, v := range vals {
			if v != nil {
				tainted++
				if v.valueSink() && clock == nil {
					clock = v
				}
			}
		}
		// Clock against clock (a deadline) or a duration is timing.
		if clock != nil && tainted == 1 && len(plain) > 0 {
			e.sink(n, SinkComparison, clock)
		}
		return nil
	case ps.BooleanOperator, ps.NotOperator:
		for _, c := range namedOf(t, n, nil) {
			e.eval(c)
		}
		return nil
	case ps.UnaryOperator, ps.ParenthesizedExpression, ps.Await:
		var v *taint
		for _, c := range namedOf(t, n, nil) {
			v = e.union(v, e.eval(c))
		}
		return v
	case ps.ConditionalExpression:
		var v *taint
		for _, c := range namedOf(t, n, nil) {
			v = e.union(v, e.eval(c))
		}
		return v
	case ps.Subscript:
		obj := e.eval(childOf(t, n, ps.FValue))
		for c := firstChildOf(t, n); c != ps.NoNode; c = t.NextSibling(n, c) {
			if t.FieldOf(c) != ps.FSubscript {
				continue
			}
			if kindOf(t, c) == ps.Slice {
				for _, b := range namedOf(t, c, nil) {
					if v := e.eval(b); v.valueSink() {
						e.sink(c, SinkSlice, v)
					}
				}
				continue
			}
			if v := e.eval(c); v.valueSink() && obj == nil {
				e.sink(c, SinkIndex, v)
			}
		}
		return obj
	case ps.String:
		var v *taint
		letters := false
		for c := firstChildOf(t, n); c != ps.NoNode; c = t.NextSibling(n, c) {
			switch kindOf(t, c) {
			case ps.Interpolation:
				v = e.union(v, e.eval(firstNamedOf(t, c)))
			case ps.StringContent:
				letters = letters || hasLetters(textOf(t, c))
			}
		}
		if v != nil && letters {
			nv := *v
			nv.name, nv.data = true, false
			return &nv
		}
		return v
	case ps.ConcatenatedString, ps.Tuple, ps.List, ps.Set, ps.ExpressionList:
		var v *taint
		for _, c := range namedOf(t, n, nil) {
			v = e.union(v, e.eval(c))
		}
		return v
	case ps.ListComprehension, ps.SetComprehension, ps.GeneratorExpression, ps.DictionaryComprehension:
		return e.comprehension(n)
	case ps.Lambda:
		e.eval(childOf(t, n, ps.FBody))
		return nil
	case ps.NamedExpression:
		v := e.eval(childOf(t, n, ps.FValue))
		e.bindTarget(childOf(t, n, ps.FName), v)
		return v
	case ps.KeywordArgument:
		return e.eval(childOf(t, n, ps.FValue))
	case ps.Dictionary, ps.Pair:
		for _, c := range namedOf(t, n, nil) {
			e.eval(c)
		}
		return nil
	case ps.ListSplat, ps.DictionarySplat:
		return e.eval(firstNamedOf(t, n))
	}
	return nil
}

func (e *clockEval) comprehension(n ps.NodeID) *taint {
	t := e.t
	body := childOf(t, n, ps.FBody)
	for _, c := range namedOf(t, n, nil) {
		if c == body {
			continue
		}
		switch kindOf(t, c) {
		case ps.ForInClause:
			v := e.eval(childOf(t, c, ps.FRight))
			e.bindTarget(childOf(t, c, ps.FLeft), v)
		case ps.IfClause:
			for _, k := range namedOf(t, c, nil) {
				e.eval(k)
			}
		}
	}
	return e.eval(body)
}

func (e *clockEval) call(n ps.NodeID) *taint {
	t := e.t
	cs := e.ix.callAt(e.c, n)
	fn := childOf(t, n, ps.FFunction)
	var recv *taint
	if fn != ps.NoNode && kindOf(t, fn) == ps.Attribute {
		recv = e.eval(childOf(t, fn, ps.FObject))
	} else if fn != ps.NoNode && kindOf(t, fn) != ps.Identifier {
		e.eval(fn)
	}
	var args []*taint
	var argNodes []ps.NodeID
	if cs != nil {
		for _, a := range cs.Args {
			args = append(args, e.eval(a.Node))
			argNodes = append(argNodes, a.Node)
		}
	}
	if cs == nil {
		return nil
	}
	if i, ok := e.srcOf[callKey{e.c.Index, n}]; ok {
		return &taint{src: i}
	}
	m := cs.Method
	if clockQuietCalls[m] || clockQuietCalls[cs.Qual] {
		return nil
	}
	// argClock: a clock value among the positional arguments or the
	// keyword arguments that name a path; posClock: among the positional
	// arguments only (model inputs).
	var argClock, posClock *taint
	for i, v := range args {
		if v == nil || v.duration {
			continue
		}
		a := cs.Args[i]
		if a.Name != "" && clockDateKeywords[a.Name] && !clockPassThrough[cs.Qual] && !v.name {
			e.sink(argNodes[i], SinkDataRequest, v)
		}
		switch {
		case a.Name == "" && !a.Splat:
			if argClock == nil {
				argClock = v
			}
			if posClock == nil && v.valueSink() {
				posClock = v
			}
		case clockPathKeywords[a.Name]:
			if argClock == nil {
				argClock = v
			}
		}
	}
	target := argClock
	if target == nil && recv != nil && !recv.duration {
		target = recv
	}
	if target != nil {
		switch {
		case clockQueryMethods[m]:
			e.sink(n, SinkQuery, target)
		case m == "open" && (cs.ReceiverNode == ps.NoNode || recv != nil):
			if e.openWrites(cs) {
				e.sink(n, SinkFileWrite, target)
			} else {
				e.sink(n, SinkFileRead, target)
			}
		case clockReadMethods[m]:
			e.sink(n, SinkFileRead, target)
		case clockWriteMethods[m]:
			e.sink(n, SinkFileWrite, target)
		}
	}
	switch {
	case posClock == nil:
	case clockModelMethods[m]:
		e.sink(n, SinkModelInput, posClock)
	case clockDataRequestMethods[m]:
		e.sink(n, SinkDataRequest, posClock)
	}
	for i, v := range args {
		if m == "assign" && cs.Args[i].Name != "" && v.valueSink() {
			e.sink(n, SinkDataColumn, v)
		}
	}
	// df.query("date < @today")
	if m == "query" || m == "eval" {
		if s, ok := e.n.argString(cs, 0, "expr"); ok {
			for _, mm := range queryVarRe.FindAllStringSubmatch(s, -1) {
				if v := e.lookup(mm[1]); v != nil && !v.duration {
					e.sink(n, SinkQuery, v)
				}
			}
		}
	}
	// The call's own value.
	switch {
	case recv != nil:
		if m == "format" || m == "join" {
			return e.union(append([]*taint{recv}, args...)...)
		}
		if m == "strftime" && e.formatWithLetters(cs) {
			nv := *recv
			nv.name, nv.data = true, false
			return &nv
		}
		return recv
	case fn != ps.NoNode && kindOf(t, fn) == ps.Attribute && (m == "format" || m == "join"):
		v := e.union(args...)
		if v != nil && e.textWithLetters(childOf(t, fn, ps.FObject)) {
			nv := *v
			nv.name, nv.data = true, false
			return &nv
		}
		return v
	case clockPassThrough[cs.Qual] || clockPassThrough[cs.Callee]:
		v := e.union(args...)
		if v != nil && cs.Qual == "time.strftime" && e.formatWithLetters(cs) {
			nv := *v
			nv.name, nv.data = true, false
			return &nv
		}
		return v
	}
	if v := e.fnRet[cs.Callee]; v != nil && cs.ReceiverNode == ps.NoNode {
		return v
	}
	return nil
}

var queryVarRe = regexp.MustCompile(`@([A-Za-z_][A-Za-z0-9_]*)`)

var strftimeCode = regexp.MustCompile(`%-?[A-Za-z%]`)

// hasLetters reports text with letters other than strftime codes.
func hasLetters(s string) bool {
	s = strftimeCode.ReplaceAllString(s, "")
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return true
		}
	}
	return false
}

// textWithLetters reports a constant string (literal or folded) with
// letters: "job-" in "job-" + timestamp.
func (e *clockEval) textWithLetters(n ps.NodeID) bool {
	switch kindOf(e.t, n) {
	case ps.String, ps.ConcatenatedString, ps.Identifier, ps.BinaryOperator, ps.ParenthesizedExpression:
	default:
		return false
	}
	f := e.n.Fold(e.c, n)
	return hasLetters(f.Value)
}

// formatWithLetters reports a strftime format with literal words.
func (e *clockEval) formatWithLetters(cs *CallSite) bool {
	v, ok := e.n.argString(cs, 0, "format")
	return ok && hasLetters(v)
}

func (e *clockEval) openWrites(cs *CallSite) bool {
	idx := 1
	if cs.ReceiverNode != ps.NoNode {
		idx = 0 // Path(...).open("w")
	}
	if v, ok := e.n.argString(cs, idx, "mode"); ok {
		return strings.ContainsAny(v, "wax")
	}
	return false
}

// ---------------------------------------------------------------------------
// Remote artefacts (NB205) and model footprint (NB703)

// RemoteArtifact is a model, data set or file fetched from a hub by
// identifier.
type RemoteArtifact struct {
	Call *CallSite
	// Loader names the fetching call ("from_pretrained", "pipeline",
	// "hf_hub_download", "snapshot_download", "load_dataset",
	// "SentenceTransformer", "torch.hub.load", "fetch_openml",
	// "timm.create_model").
	Loader string
	// Kind is "model", "dataset", "file" or "repo".
	Kind string
	// ID is the identifier ("org/name"); "" for pipeline(task) without a
	// model, which downloads the task's default model.
	ID     string
	IDNode ps.NodeID
	// DefaultModel is set for pipeline(task) without model=.
	DefaultModel bool
	// PinParam is the argument that pins the artefact ("revision",
	// "commit_id", "version", "data_id", ":ref"); Pin its value as folded
	// ("" when absent; the source text when it is not a constant).
	PinParam string
	Pin      string
	// Pinned is set when the pin is a commit (≥ 7 hex digits, bandit B615's
	// test), a fixed version, or a configuration expression.
	Pinned bool
	// ConfigKey is the config key the emitter uses for the pin
	// ("models.bert_base_uncased.revision").
	ConfigKey string
}

var hexRevision = regexp.MustCompile(`^[0-9a-fA-F]{7,64}$`)

// IsCommitRevision applies bandit B615's test: a revision pins an artefact
// when it looks like a commit hash (at least 7 hexadecimal characters).
func IsCommitRevision(s string) bool { return hexRevision.MatchString(strings.Trim(s, `"' `)) }

// packaged load_dataset builders read local files, not hub data sets.
var packagedBuilders = setOf(`csv json parquet text imagefolder audiofolder videofolder arrow pandas webdataset xml sql generator`)

var (
	plainWord     = regexp.MustCompile(`^[A-Za-z_]+$`)
	checkpointDir = regexp.MustCompile(`(?i)^(checkpoint|ckpt|output|outputs|results|model|models|saved_model)[-_]?\d*$`)
)

var hubIDRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?$`)

var remoteArtifactsKey = lazyKey{"repro.remote"}

// RemoteArtifacts returns every model, data set or file the notebook
// fetches from a hub by a constant identifier, pinned or not. Local paths
// (./, ../, /, ~, Windows paths, names the notebook saves to) are not
// remote.
func (n *Notebook) RemoteArtifacts() []RemoteArtifact {
	return lazy(n, &remoteArtifactsKey, func() []RemoteArtifact {
		ix := n.reproIndex()
		saved := n.savedLocations()
		var out []RemoteArtifact
		for i := range ix.calls {
			cs := &ix.calls[i]
			ra, ok := n.remoteArtifact(cs)
			if !ok {
				continue
			}
			if !ra.DefaultModel && ra.Loader != "fetch_openml" && isLocalRef(ra.ID, ra.Kind, saved) {
				continue
			}
			ra.ConfigKey = configKeyFor(ra.Kind, ra.ID)
			out = append(out, ra)
		}
		return out
	})
}

func configKeyFor(kind, id string) string {
	section := "models"
	if kind == "dataset" {
		section = "datasets"
	}
	slug := id
	if i := strings.LastIndexByte(slug, '/'); i >= 0 {
		slug = slug[i+1:]
	}
	slug = strings.ToLower(slug)
	var b strings.Builder
	for _, r := range slug {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	s := strings.Trim(b.String(), "_")
	if s == "" {
		s = "default"
	}
	return section + "." + s + ".revision"
}

// savedLocations are the folded paths the notebook writes models or data
// sets to (save_pretrained, save_model, output_dir=, save_to_disk, …).
func (n *Notebook) savedLocations() map[string]bool {
	ix := n.reproIndex()
	out := map[string]bool{}
	add := func(cs *CallSite, a ps.NodeID) {
		if a == ps.NoNode {
			return
		}
		if f := n.Fold(cs.Cell, a); f.Complete && f.Value != "" {
			out[normLocal(f.Value)] = true
		}
	}
	for i := range ix.calls {
		cs := &ix.calls[i]
		switch cs.Method {
		case "save_pretrained", "save_model", "save_to_disk", "save", "makedirs", "mkdir", "save_weights", "extractall":
			add(cs, cs.Arg(0, "path"))
		case "get", "copytree", "copy", "copyfile", "move", "unpack_archive", "download", "sync":
			add(cs, cs.Positional(1))
			add(cs, cs.Keyword("extract_dir"))
		case "download_file":
			add(cs, cs.Arg(2, "Filename"))
		}
		add(cs, cs.Keyword("output_dir"))
		add(cs, cs.Keyword("local_dir"))
		add(cs, cs.Keyword("save_directory"))
		add(cs, cs.Keyword("cache_dir"))
	}
	// Shell lines that create directories: !mkdir model, !tar -xzf m.tar.gz
	// -C model, !git clone https://huggingface.co/org/name (creates name).
	for _, c := range n.Code() {
		for _, m := range c.Masked.Magics {
			if !localMakingCommands[m.Name] {
				continue
			}
			for _, tok := range strings.FieldsFunc(m.Args, func(r rune) bool {
				return r == ' ' || r == '\t' || r == '\n' || r == '=' || r == '"' || r == '\''
			}) {
				tok = strings.TrimSuffix(tok, "/")
				out[normLocal(tok)] = true
				if m.Name == "git" {
					if i := strings.LastIndexByte(tok, '/'); i >= 0 {
						out[strings.TrimSuffix(tok[i+1:], ".git")] = true
					}
				}
			}
		}
	}
	return out
}

// localMakingCommands are shell commands whose arguments name local
// directories or files they create.
var localMakingCommands = setOf(`mkdir tar unzip cp mv aws gsutil git wget curl rsync ln`)

func normLocal(s string) string {
	s = strings.TrimPrefix(strings.TrimSpace(s), "./")
	return strings.TrimSuffix(s, "/")
}

func isLocalRef(id, kind string, saved map[string]bool) bool {
	if id == "" {
		return true
	}
	if strings.HasPrefix(id, ".") || strings.HasPrefix(id, "/") || strings.HasPrefix(id, "~") || strings.Contains(id, `\`) ||
		(len(id) > 1 && id[1] == ':') || strings.Contains(id, "://") {
		return true
	}
	if saved[normLocal(id)] {
		return true
	}
	// A model ID without an owner is a legacy canonical name ("gpt2",
	// "bert-base-uncased"): those have digits or dashes. A plain word
	// ("model", "output", "my_model") or a trainer checkpoint is a local
	// directory. (Canonical data sets are plain words: "imdb", "squad".)
	if kind != "dataset" && !strings.Contains(id, "/") && (plainWord.MatchString(id) || checkpointDir.MatchString(id)) {
		return true
	}
	if !hubIDRe.MatchString(id) {
		return true
	}
	switch strings.ToLower(pathExt(id)) {
	case ".bin", ".pt", ".pth", ".safetensors", ".json", ".h5", ".pkl", ".ckpt", ".onnx", ".csv", ".txt", ".zip":
		return true
	}
	return false
}

func pathExt(s string) string {
	if i := strings.LastIndexByte(s, '.'); i >= 0 && !strings.Contains(s[i:], "/") {
		return s[i:]
	}
	return ""
}

// remoteArtifact recognises a hub fetch and reads its identifier and pin.
func (n *Notebook) remoteArtifact(cs *CallSite) (RemoteArtifact, bool) {
	q := cs.Qual
	ra := RemoteArtifact{Call: cs, IDNode: ps.NoNode}
	idArg := func(i int, name string) bool {
		a := cs.Arg(i, name)
		if a == ps.NoNode {
			return false
		}
		f := n.Fold(cs.Cell, a)
		if !f.Complete || f.Env {
			return false
		}
		ra.ID, ra.IDNode = f.Value, a
		return true
	}
	hfPin := func() {
		if n.splatMayPin(cs) {
			ra.PinParam, ra.Pin, ra.Pinned = "**kwargs", "", true
			return
		}
		for _, p := range []string{"revision", "commit_id", "commit_hash"} {
			a := cs.Keyword(p)
			if a == ps.NoNode || isNoneNode(cs.Cell.Tree, a) {
				continue
			}
			ra.PinParam = p
			if f := n.Fold(cs.Cell, a); f.Complete {
				ra.Pin = f.Value
				ra.Pinned = IsCommitRevision(f.Value)
			} else {
				// A configuration expression: the pin is a parameter.
				ra.Pin = shortSnippet(cs.Cell.Tree, a)
				ra.Pinned = true
			}
			return
		}
	}
	switch {
	case cs.Method == "from_pretrained" && cs.ReceiverNode != ps.NoNode:
		if !idArg(0, "pretrained_model_name_or_path") && !idArg(0, "model_name_or_path") {
			return ra, false
		}
		ra.Loader, ra.Kind = "from_pretrained", "model"
		hfPin()
	case q == "transformers.pipeline":
		ra.Loader, ra.Kind = "pipeline", "model"
		m := cs.Arg(1, "model")
		if m == ps.NoNode {
			if cs.Arg(0, "task") == ps.NoNode {
				return ra, false
			}
			ra.DefaultModel = true
		} else if !idArg(1, "model") {
			return ra, false // a model object, or a name nbprod cannot read
		}
		hfPin()
	case q == "huggingface_hub.hf_hub_download" || q == "huggingface_hub.snapshot_download" ||
		q == "huggingface_hub.file_download.hf_hub_download":
		if !idArg(0, "repo_id") {
			return ra, false
		}
		ra.Loader, ra.Kind = lastSegment(q), "file"
		if ra.Loader == "snapshot_download" {
			ra.Kind = "repo"
		}
		hfPin()
	case q == "datasets.load_dataset":
		if !idArg(0, "path") || packagedBuilders[strings.ToLower(ra.ID)] {
			return ra, false
		}
		ra.Loader, ra.Kind = "load_dataset", "dataset"
		hfPin()
	case q == "sentence_transformers.SentenceTransformer" || q == "sentence_transformers.CrossEncoder" ||
		q == "sentence_transformers.cross_encoder.CrossEncoder":
		if !idArg(0, "model_name_or_path") && !idArg(0, "model_name") {
			return ra, false
		}
		ra.Loader, ra.Kind = lastSegment(q), "model"
		hfPin()
	case q == "torch.hub.load" || q == "torch.hub.load_state_dict_from_url":
		if q != "torch.hub.load" || !idArg(0, "repo_or_dir") {
			return ra, false
		}
		if v, ok := n.argString(cs, -1, "source"); ok && v == "local" {
			return ra, false
		}
		ra.Loader, ra.Kind = "torch.hub.load", "model"
		ra.PinParam = ":ref"
		if i := strings.IndexByte(ra.ID, ':'); i >= 0 {
			ra.Pin, ra.Pinned = ra.ID[i+1:], true
			ra.ID = ra.ID[:i]
		}
	case q == "sklearn.datasets.fetch_openml":
		ra.Loader, ra.Kind = "fetch_openml", "dataset"
		if a := cs.Keyword("data_id"); a != ps.NoNode && !isNoneNode(cs.Cell.Tree, a) {
			ra.PinParam, ra.Pin, ra.Pinned = "data_id", shortSnippet(cs.Cell.Tree, a), true
			ra.ID = "data_id=" + ra.Pin
			return ra, true
		}
		if !idArg(0, "name") {
			return ra, false
		}
		ra.PinParam = "version"
		if a := cs.Arg(1, "version"); a != ps.NoNode {
			ra.Pin = shortSnippet(cs.Cell.Tree, a)
			f := n.Fold(cs.Cell, a)
			ra.Pinned = !(f.Complete && f.Value == "active")
			if f.Complete {
				ra.Pin = f.Value
			}
		}
	case q == "timm.create_model":
		if !isTrueNode(cs.Cell.Tree, cs.Keyword("pretrained")) || !idArg(0, "model_name") {
			return ra, false
		}
		ra.Loader, ra.Kind = "timm.create_model", "model"
		if a := cs.Keyword("pretrained_cfg_overlay"); a != ps.NoNode {
			ra.PinParam, ra.Pin, ra.Pinned = "pretrained_cfg_overlay", shortSnippet(cs.Cell.Tree, a), true
		}
		// timm weights resolve to a hub tag: only a local file pins them.
		if a := cs.Keyword("checkpoint_path"); a != ps.NoNode {
			ra.PinParam, ra.Pin, ra.Pinned = "checkpoint_path", shortSnippet(cs.Cell.Tree, a), true
		}
	default:
		return ra, false
	}
	return ra, true
}

// splatMayPin reports a **kwargs argument that may carry a revision: any
// splat except a name bound to a dict literal without such a key.
func (n *Notebook) splatMayPin(cs *CallSite) bool {
	if !hasSplatKwargs(cs) {
		return false
	}
	t := cs.Cell.Tree
	for _, a := range cs.Args {
		if !a.Splat || kindOf(t, a.Node) != ps.Identifier {
			continue
		}
		p := cs.Cell.Parents()[a.Node]
		if p == ps.NoNode || kindOf(t, p) != ps.DictionarySplat {
			continue
		}
		name := pyName(textOf(t, a.Node))
		c, v := cs.Cell, ps.NoNode
		if x, ok := c.constBefore(name, cs.Node); ok {
			v = x
		} else if d := n.Definer(c.Index, name); d >= 0 {
			if dc := n.Cell(d); dc != nil {
				if x, ok := dc.constBefore(name, ps.NoNode); ok {
					c, v = dc, x
				}
			}
		}
		if v == ps.NoNode || kindOf(c.Tree, v) != ps.Dictionary {
			return true
		}
		for _, pair := range namedOf(c.Tree, v, nil) {
			if kindOf(c.Tree, pair) != ps.Pair {
				return true // a splat inside the dict
			}
			k, _ := StringValue(c.Tree, childOf(c.Tree, pair, ps.FKey))
			if k == "revision" || k == "commit_id" || k == "commit_hash" {
				return true
			}
		}
	}
	return false
}

// LargeModel is a model load that states a large footprint: a parameter
// count in its identifier, device_map="auto", 8/4-bit loading, float32
// loading of a large model.
type LargeModel struct {
	Call *CallSite
	ID   string
	// Billions is the parameter count stated in the identifier (0 when
	// none).
	Billions float64
	// DeviceMapAuto, Quantized ("8bit", "4bit"), Float32 describe the load.
	DeviceMapAuto bool
	Quantized     string
	Float32       bool
}

// notModelPart matches loaders of a model's companions (tokenizer,
// configuration, processor), which carry the model's ID but not its
// weights.
var notModelPart = regexp.MustCompile(`(?i)(tokenizer|config|processor|featureextractor|feature_extractor|imageprocessor)`)

var paramCountRe = regexp.MustCompile(`(?i)(\d+(?:\.\d+)?)b(?:\b|-|_)`)

// ParamBillions reads the parameter count a model identifier states
// ("Llama-2-7b-hf" → 7, "Mixtral-8x7B" → 7, "phi-1.5b" → 1.5); 0 when
// none.
func ParamBillions(id string) float64 {
	name := id
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	best := 0.0
	for _, m := range paramCountRe.FindAllStringSubmatchIndex(name, -1) {
		// The number must start a token ("7b", not "gpt4b"… or a hash).
		if m[2] > 0 {
			prev := name[m[2]-1]
			if (prev >= 'a' && prev <= 'z' || prev >= 'A' && prev <= 'Z') && prev != 'x' && prev != 'X' {
				continue
			}
		}
		v, err := strconv.ParseFloat(name[m[2]:m[3]], 64)
		if err == nil && v > best {
			best = v
		}
	}
	return best
}

var largeModelsKey = lazyKey{"repro.largemodels"}

// LargeModels returns model loads with a stated footprint (RULES.md NB703).
func (n *Notebook) LargeModels() []LargeModel {
	return lazy(n, &largeModelsKey, func() []LargeModel {
		ix := n.reproIndex()
		var out []LargeModel
		for i := range ix.calls {
			cs := &ix.calls[i]
			id := ""
			isModel := false
			switch {
			case cs.Method == "from_pretrained" && cs.ReceiverNode != ps.NoNode && notModelPart.MatchString(cs.Callee):
				continue
			case cs.Method == "from_pretrained" && cs.ReceiverNode != ps.NoNode, cs.Qual == "transformers.pipeline",
				cs.Qual == "huggingface_hub.hf_hub_download", cs.Qual == "huggingface_hub.snapshot_download",
				cs.Qual == "sentence_transformers.SentenceTransformer":
				isModel = true
				a := cs.Arg(0, "pretrained_model_name_or_path")
				switch cs.Qual {
				case "transformers.pipeline":
					a = cs.Arg(1, "model")
				case "huggingface_hub.hf_hub_download", "huggingface_hub.snapshot_download":
					a = cs.Arg(0, "repo_id")
				}
				if a != ps.NoNode {
					if f := n.Fold(cs.Cell, a); f.Complete {
						id = f.Value
					}
				}
			case cs.Qual == "vllm.LLM":
				isModel = true
				if f := n.Fold(cs.Cell, cs.Arg(0, "model")); f.Complete {
					id = f.Value
				}
			}
			if !isModel {
				continue
			}
			lm := LargeModel{Call: cs, ID: id, Billions: ParamBillions(id)}
			if ok, _ := kwIs(n, cs, "device_map", "auto"); ok {
				lm.DeviceMapAuto = true
			}
			switch {
			case isTrueNode(cs.Cell.Tree, cs.Keyword("load_in_8bit")):
				lm.Quantized = "8bit"
			case isTrueNode(cs.Cell.Tree, cs.Keyword("load_in_4bit")):
				lm.Quantized = "4bit"
			case cs.Keyword("quantization_config") != ps.NoNode:
				txt := textOf(cs.Cell.Tree, cs.Keyword("quantization_config"))
				if strings.Contains(txt, "4bit") {
					lm.Quantized = "4bit"
				} else {
					lm.Quantized = "8bit"
				}
			}
			if a := cs.Keyword("torch_dtype"); a != ps.NoNode && strings.HasSuffix(textOf(cs.Cell.Tree, a), "float32") {
				lm.Float32 = true
			}
			if a := cs.Keyword("dtype"); a != ps.NoNode && strings.HasSuffix(textOf(cs.Cell.Tree, a), "float32") {
				lm.Float32 = true
			}
			if lm.Billions == 0 && !lm.DeviceMapAuto && lm.Quantized == "" {
				continue
			}
			out = append(out, lm)
		}
		return out
	})
}

// ---------------------------------------------------------------------------
// Per-row context (NB701, NB702)

// RowContext says how often a call runs relative to the data: once, or
// once per iteration of a loop, comprehension or mapped function.
type RowContext struct {
	// PerRow is set when the call runs once per iteration.
	PerRow bool
	// Kind is "for", "while", "comprehension" or "apply" (a function or
	// lambda passed to apply/map/progress_apply/…).
	Kind string
	// Cell, Node and Pos locate the loop or the mapping call.
	Cell int
	Node ps.NodeID
	Pos  Pos
	// Via are the notebook functions between the loop and the call, outer
	// first ("score_row", "ask").
	Via []string
	// Fixed is set when the loop goes over a fixed collection rather than
	// data rows: a literal list or tuple, range(<constant>), a file listing
	// (glob, listdir), or a name bound to a literal.
	Fixed bool
	// Batched is set when each iteration handles a batch (range with a
	// step, a slice argument, map(..., batched=True)).
	Batched bool
}

var mappingMethods = setOf(`apply map applymap progress_apply progress_map parallel_apply swifter_apply
	imap imap_unordered starmap starmap_async map_async`)

// RowContextOf returns the per-row context of a call: the innermost loop,
// comprehension or mapping call around it, following notebook functions
// to their callers (depth-limited).
func (n *Notebook) RowContextOf(cs *CallSite) RowContext {
	return n.rowContext(cs, 0, map[string]bool{})
}

func (n *Notebook) rowContext(cs *CallSite, depth int, visiting map[string]bool) RowContext {
	ix := n.reproIndex()
	c := cs.Cell
	t := c.Tree
	par := c.Parents()
	for p := par[cs.Node]; p != ps.NoNode; p = par[p] {
		switch kindOf(t, p) {
		case ps.ForStatement, ps.WhileStatement, ps.ListComprehension, ps.SetComprehension,
			ps.DictionaryComprehension, ps.GeneratorExpression:
			if inIterable(t, p, cs.Node) {
				continue
			}
			if kindOf(t, p) == ps.WhileStatement {
				if cond := childOf(t, p, ps.FCondition); cond != ps.NoNode && t.Contains(cond, cs.Node) {
					continue
				}
			}
			rc := RowContext{PerRow: true, Cell: c.Index, Node: p, Pos: c.NodePos(p)}
			switch kindOf(t, p) {
			case ps.ForStatement:
				rc.Kind = "for"
				rc.Fixed, rc.Batched = n.fixedIterable(c, childOf(t, p, ps.FRight))
			case ps.WhileStatement:
				rc.Kind = "while"
			default:
				rc.Kind = "comprehension"
				for k := firstChildOf(t, p); k != ps.NoNode; k = t.NextSibling(p, k) {
					if kindOf(t, k) == ps.ForInClause {
						rc.Fixed, rc.Batched = n.fixedIterable(c, childOf(t, k, ps.FRight))
						break
					}
				}
			}
			if !rc.Batched && argHasSlice(t, cs) {
				rc.Batched = true
			}
			return rc
		case ps.Lambda:
			// A lambda passed to a mapping call runs per element.
			if mc := mappingCallOf(ix, c, par, p); mc != nil {
				return mappingContext(n, mc)
			}
		case ps.FunctionDefinition:
			name := textOf(t, childOf(t, p, ps.FName))
			if depth > 5 || visiting[name] || enclosingDef(c, p) != ps.NoNode {
				return RowContext{}
			}
			visiting[name] = true
			defer delete(visiting, name)
			return n.functionRowContext(name, depth, visiting)
		case ps.ClassDefinition:
			return RowContext{}
		}
	}
	return RowContext{}
}

// functionRowContext returns the first per-row context among the places a
// notebook function is called or passed to a mapping call.
func (n *Notebook) functionRowContext(name string, depth int, visiting map[string]bool) RowContext {
	ix := n.reproIndex()
	var fixed *RowContext
	for i := range ix.calls {
		use := &ix.calls[i]
		var rc RowContext
		switch {
		case use.Callee == name && use.ReceiverNode == ps.NoNode:
			rc = n.rowContext(use, depth+1, visiting)
		case mappingMethods[use.Method] || use.Callee == "map" || use.Callee == "filter":
			passed := false
			for _, a := range use.Args {
				if a.Node != ps.NoNode && kindOf(use.Cell.Tree, a.Node) == ps.Identifier && pyName(textOf(use.Cell.Tree, a.Node)) == name {
					passed = true
				}
			}
			if !passed {
				continue
			}
			rc = mappingContext(n, use)
		default:
			continue
		}
		if !rc.PerRow {
			continue
		}
		// Via is outer first: the callers' functions, then this one.
		rc.Via = append(rc.Via, name)
		if !rc.Fixed && !rc.Batched {
			return rc
		}
		if fixed == nil {
			r := rc
			fixed = &r
		}
	}
	if fixed != nil {
		return *fixed
	}
	return RowContext{}
}

// mappingCallOf returns the mapping call whose argument is the lambda.
func mappingCallOf(ix *reproIndex, c *Cell, par []ps.NodeID, lambda ps.NodeID) *CallSite {
	p := par[lambda]
	if p != ps.NoNode && kindOf(c.Tree, p) == ps.KeywordArgument {
		p = par[p]
	}
	if p == ps.NoNode || kindOf(c.Tree, p) != ps.ArgumentList {
		return nil
	}
	call := par[p]
	if call == ps.NoNode {
		return nil
	}
	cs := ix.callAt(c, call)
	if cs == nil || !(mappingMethods[cs.Method] || cs.Callee == "map" || cs.Callee == "filter") {
		return nil
	}
	return cs
}

func mappingContext(n *Notebook, mc *CallSite) RowContext {
	rc := RowContext{PerRow: true, Kind: "apply", Cell: mc.Cell.Index, Node: mc.Node, Pos: mc.Pos}
	if isTrueNode(mc.Cell.Tree, mc.Keyword("batched")) {
		rc.Batched = true
	}
	return rc
}

// argHasSlice reports a slice among a call's arguments (texts[i:i+64]).
func argHasSlice(t *ps.Tree, cs *CallSite) bool {
	found := false
	for _, a := range cs.Args {
		if a.Node == ps.NoNode {
			continue
		}
		descend(t, a.Node, func(d ps.NodeID) bool {
			if kindOf(t, d) == ps.Slice {
				found = true
			}
			return !found
		})
	}
	return found
}

// fixedIterable classifies a loop's iterable: a fixed collection (literal,
// range(<constant>), a file listing, a name bound to a literal) or a batch
// stepper (range with a step).
func (n *Notebook) fixedIterable(c *Cell, it ps.NodeID) (fixed, batched bool) {
	t := c.Tree
	if it == ps.NoNode {
		return false, false
	}
	switch kindOf(t, it) {
	case ps.List, ps.Tuple, ps.Set, ps.Dictionary:
		return true, false
	case ps.ParenthesizedExpression:
		return n.fixedIterable(c, firstNamedOf(t, it))
	case ps.Identifier:
		name := pyName(textOf(t, it))
		if v, ok := c.constBefore(name, it); ok {
			k := kindOf(t, v)
			return k == ps.List || k == ps.Tuple || k == ps.Set || k == ps.Dictionary, false
		}
		if d := n.Definer(c.Index, name); d >= 0 {
			dc := n.Cell(d)
			if v, ok := dc.constBefore(name, ps.NoNode); ok {
				k := kindOf(dc.Tree, v)
				return k == ps.List || k == ps.Tuple || k == ps.Set || k == ps.Dictionary, false
			}
		}
	case ps.Call:
		cs := n.reproIndex().callAt(c, it)
		if cs == nil {
			return false, false
		}
		switch {
		case cs.Callee == "range":
			if len(cs.Args) >= 3 {
				return false, true
			}
			for _, a := range cs.Args {
				if kindOf(t, a.Node) != ps.Integer {
					return false, false
				}
			}
			return true, false
		case cs.Callee == "enumerate" || cs.Callee == "zip" || cs.Callee == "sorted" || cs.Callee == "reversed" ||
			cs.Callee == "list" || cs.Callee == "tqdm" || cs.Method == "tqdm":
			if a := cs.Positional(0); a != ps.NoNode {
				return n.fixedIterable(c, a)
			}
		case cs.Method == "items" || cs.Method == "keys" || cs.Method == "values":
			if cs.ReceiverNode != ps.NoNode {
				return n.fixedIterable(c, cs.ReceiverNode)
			}
		case cs.Qual == "glob.glob" || cs.Qual == "glob.iglob" || cs.Qual == "os.listdir" || cs.Qual == "os.scandir" ||
			cs.Method == "iterdir" || cs.Method == "rglob" || (cs.Method == "glob" && cs.ReceiverNode != ps.NoNode):
			return true, false
		}
	}
	return false, false
}

// ---------------------------------------------------------------------------
// Model loads (NB702)

// ModelLoad is a call that loads a model or a fitted artefact.
type ModelLoad struct {
	Call *CallSite
	// Loader is the loading function ("joblib.load", "from_pretrained",
	// "transformers.pipeline", "spacy.load", …).
	Loader string
	// Target is the path or identifier when constant ("" otherwise).
	Target string
	// Row is where the load repeats (PerRow unset when it runs once).
	Row RowContext
}

var modelLoadQuals = setOf(`tensorflow.keras.models.load_model keras.models.load_model keras.saving.load_model
	tensorflow.saved_model.load spacy.load fasttext.load_model sentence_transformers.SentenceTransformer
	sentence_transformers.CrossEncoder transformers.pipeline onnxruntime.InferenceSession torch.hub.load
	whisper.load_model ultralytics.YOLO stanza.Pipeline fastai.learner.load_learner fastai.basics.load_learner
	fastai.vision.all.load_learner fastai.tabular.all.load_learner fastai.text.all.load_learner
	gensim.models.Word2Vec.load gensim.models.KeyedVectors.load gensim.models.KeyedVectors.load_word2vec_format
	cv2.dnn.readNet cv2.dnn.readNetFromONNX cv2.dnn.readNetFromTensorflow cv2.dnn.readNetFromCaffe
	keras.models.model_from_json tensorflow.keras.models.model_from_json`)

// Generic deserialisers load a model only with evidence (the path or the
// bound name says so, or the value is used as a model).
var genericLoadQuals = setOf(`joblib.load pickle.load pickle.loads torch.load dill.load cloudpickle.load
	sklearn.externals.joblib.load`)

var modelWordRe = regexp.MustCompile(`(?i)(model|clf|classifier|regressor|estimator|pipeline|pipe\b|ckpt|checkpoint|weights|state_dict|\.pth?\b|\.h5\b|\.onnx\b|\.joblib\b|xgb|lgbm|forest|svm|knn|net\b|encoder|vectori[sz]er|scaler|tokenizer|learner|booster|predictor)`)

var modelLoadsKey = lazyKey{"repro.modelloads"}

// ModelLoads returns every model or artefact load with its per-row
// context (RULES.md NB702).
func (n *Notebook) ModelLoads() []ModelLoad {
	return lazy(n, &modelLoadsKey, func() []ModelLoad {
		ix := n.reproIndex()
		var out []ModelLoad
		for i := range ix.calls {
			cs := &ix.calls[i]
			loader := ""
			switch {
			case modelLoadQuals[cs.Qual]:
				loader = cs.Qual
			case cs.Method == "from_pretrained" && cs.ReceiverNode != ps.NoNode:
				loader = "from_pretrained"
			case cs.Method == "load_model" && headSegment(cs.Qual) != "":
				loader = cs.Callee
				if loader == "" {
					loader = "load_model"
				}
			case cs.Method == "load_learner" || cs.Method == "load_weights" || cs.Method == "load_state_dict":
				loader = cs.Method
			case cs.Qual == "timm.create_model" && isTrueNode(cs.Cell.Tree, cs.Keyword("pretrained")):
				loader = cs.Qual
			case genericLoadQuals[cs.Qual]:
				if !n.modelEvidence(cs) {
					continue
				}
				loader = cs.Qual
			default:
				continue
			}
			ml := ModelLoad{Call: cs, Loader: loader}
			if a := cs.Positional(0); a != ps.NoNode {
				if f := n.Fold(cs.Cell, a); f.Complete {
					ml.Target = f.Value
				}
			}
			ml.Row = n.RowContextOf(cs)
			out = append(out, ml)
		}
		return out
	})
}

// modelEvidence reports whether a generic deserialiser loads a model: its
// path (or the open() inside it) names one, or the name it is bound to.
func (n *Notebook) modelEvidence(cs *CallSite) bool {
	t := cs.Cell.Tree
	ix := n.reproIndex()
	if a := cs.Positional(0); a != ps.NoNode {
		if f := n.Fold(cs.Cell, a); f.Value != "" && modelWordRe.MatchString(f.Value) {
			return true
		}
		if modelWordRe.MatchString(textOf(t, a)) {
			return true
		}
		if kindOf(t, a) == ps.Call {
			if inner := ix.callAt(cs.Cell, a); inner != nil {
				if f := n.Fold(cs.Cell, inner.Positional(0)); f.Value != "" && modelWordRe.MatchString(f.Value) {
					return true
				}
			}
		}
	}
	par := cs.Cell.Parents()
	// A loop variable: for path in ["a_model.pkl", …] / glob("models/*").
	if a := cs.Positional(0); kindOf(t, a) == ps.Identifier {
		for p := par[cs.Node]; p != ps.NoNode; p = par[p] {
			if kindOf(t, p) == ps.ForStatement && textOf(t, childOf(t, p, ps.FLeft)) == textOf(t, a) {
				if modelWordRe.MatchString(textOf(t, childOf(t, p, ps.FRight))) {
					return true
				}
				break
			}
		}
	}
	if p := par[cs.Node]; p != ps.NoNode && kindOf(t, p) == ps.Assignment {
		if l := childOf(t, p, ps.FLeft); l != ps.NoNode && modelWordRe.MatchString(textOf(t, l)) {
			return true
		}
	}
	return false
}

// ---------------------------------------------------------------------------
// Paid API calls (NB701)

// PaidCall is a call to a metered API (LLM providers, cloud AI services,
// paid geocoders).
type PaidCall struct {
	Call *CallSite
	// Provider is "openai", "anthropic", "google", "cohere", "mistral",
	// "aws", "geocoder", "langchain", "litellm", "replicate", …
	Provider string
	// API is the endpoint as called ("chat.completions.create").
	API string
	// Cached is set when the call is inside a function with a caching
	// decorator (functools.lru_cache/cache, joblib Memory.cache, …).
	Cached bool
	// Function is the notebook function the call is in ("" at module
	// level).
	Function string
	// Row is where the call repeats.
	Row RowContext
}

// paidClientCtors maps client constructors to providers.
var paidClientCtors = map[string]string{
	"openai.OpenAI": "openai", "openai.AsyncOpenAI": "openai", "openai.AzureOpenAI": "azure-openai",
	"openai.AsyncAzureOpenAI": "azure-openai", "anthropic.Anthropic": "anthropic", "anthropic.AsyncAnthropic": "anthropic",
	"anthropic.AnthropicBedrock": "anthropic", "anthropic.AnthropicVertex": "anthropic",
	"cohere.Client": "cohere", "cohere.ClientV2": "cohere", "cohere.AsyncClient": "cohere",
	"google.generativeai.GenerativeModel": "google", "google.genai.Client": "google",
	"vertexai.generative_models.GenerativeModel": "google", "vertexai.preview.generative_models.GenerativeModel": "google",
	"vertexai.language_models.TextGenerationModel.from_pretrained": "google",
	"mistralai.Mistral": "mistral", "mistralai.client.MistralClient": "mistral", "groq.Groq": "groq",
	"together.Together": "together", "replicate.Client": "replicate",
	"geopy.geocoders.GoogleV3": "geocoder", "geopy.geocoders.Bing": "geocoder", "geopy.geocoders.AzureMaps": "geocoder",
	"geopy.geocoders.HereV7": "geocoder", "geopy.geocoders.Here": "geocoder", "geopy.geocoders.MapBox": "geocoder",
	"geopy.geocoders.OpenCage": "geocoder", "geopy.geocoders.GeocodeEarth": "geocoder", "geopy.geocoders.What3WordsV3": "geocoder",
	"googlemaps.Client":           "geocoder",
	"langchain_openai.ChatOpenAI": "langchain", "langchain_openai.OpenAI": "langchain", "langchain_openai.AzureChatOpenAI": "langchain",
	"langchain_openai.OpenAIEmbeddings": "langchain", "langchain_anthropic.ChatAnthropic": "langchain",
	"langchain_google_genai.ChatGoogleGenerativeAI": "langchain", "langchain.chat_models.ChatOpenAI": "langchain",
	"langchain.llms.OpenAI": "langchain", "langchain_community.chat_models.ChatOpenAI": "langchain",
	"langchain_cohere.ChatCohere": "langchain", "langchain_mistralai.ChatMistralAI": "langchain",
}

// paidBotoServices are AWS services metered per request.
var paidBotoServices = setOf(`bedrock-runtime comprehend translate rekognition textract polly comprehendmedical`)

// paidModuleCalls are module-level paid functions.
var paidModuleCalls = map[string]string{
	"openai.ChatCompletion.create": "openai", "openai.Completion.create": "openai", "openai.Embedding.create": "openai",
	"openai.Image.create": "openai", "openai.chat.completions.create": "openai", "openai.embeddings.create": "openai",
	"openai.completions.create": "openai", "openai.responses.create": "openai",
	"litellm.completion": "litellm", "litellm.embedding": "litellm", "litellm.acompletion": "litellm",
	"google.generativeai.generate_text": "google", "google.generativeai.embed_content": "google",
	"google.generativeai.chat": "google", "replicate.run": "replicate",
}

// paidMethods are the endpoints of clients, by their trailing attribute
// chain.
var paidMethods = []string{"chat.completions.create", "chat.completions.parse", "chat.completions.stream",
	"completions.create", "responses.create", "responses.parse", "responses.stream", "embeddings.create",
	"images.generate", "images.edit", "audio.transcriptions.create", "audio.translations.create", "audio.speech.create",
	"messages.create", "messages.stream", "messages.parse", "chat.complete", "chat.stream", "embeddings.create",
	"models.generate_content", "models.embed_content", "generate_content", "embed_content", "send_message", "predict",
	"chat", "generate", "embed", "rerank", "classify", "invoke_model", "invoke_model_with_response_stream", "converse",
	"converse_stream", "geocode", "reverse", "distance_matrix", "directions", "places", "translate_text",
	"detect_sentiment", "detect_entities", "detect_key_phrases", "detect_dominant_language", "detect_pii_entities",
	"detect_syntax", "detect_labels", "detect_text", "detect_faces", "detect_moderation_labels", "recognize_celebrities",
	"analyze_document", "detect_document_text", "analyze_expense", "synthesize_speech", "invoke", "ainvoke",
	"embed_query", "embed_documents", "run"}

// distinctive endpoints recognised without seeing the client, when the
// provider's package is imported.
var distinctivePaid = map[string]string{"chat.completions.create": "openai", "chat.completions.parse": "openai",
	"responses.create": "openai", "embeddings.create": "openai", "messages.create": "anthropic",
	"models.generate_content": "google", "generate_content": "google"}

var cachingDecoratorRe = regexp.MustCompile(`(^|\.)(lru_cache|cache|cached|memoize|memoized|cache_data|cache_resource)\b`)

var paidCallsKey = lazyKey{"repro.paid"}

// PaidCalls returns every metered API call with its per-row context
// (RULES.md NB701).
func (n *Notebook) PaidCalls() []PaidCall {
	return lazy(n, &paidCallsKey, func() []PaidCall {
		ix := n.reproIndex()
		clients := n.paidClients()
		var out []PaidCall
		for i := range ix.calls {
			cs := &ix.calls[i]
			prov, api, ok := n.paidCall(ix, cs, clients)
			if !ok {
				continue
			}
			pc := PaidCall{Call: cs, Provider: prov, API: api, Function: cs.Function}
			if def := ix.def[i]; def != ps.NoNode {
				for _, d := range decoratorsOf(cs.Cell.Tree, cs.Cell.Parents(), def) {
					if cachingDecoratorRe.MatchString(d) || strings.Contains(d, "Memory") {
						pc.Cached = true
					}
				}
			}
			pc.Row = n.RowContextOf(cs)
			if pc.Row.PerRow && len(pc.Row.Via) > 0 && !pc.Cached {
				// A cached function anywhere on the way caches the call.
				for _, f := range pc.Row.Via {
					for _, d := range ix.funcs[f] {
						for _, dec := range d.decorators {
							if cachingDecoratorRe.MatchString(dec) {
								pc.Cached = true
							}
						}
					}
				}
			}
			out = append(out, pc)
		}
		return out
	})
}

// paidClients maps names bound to paid API clients to their providers.
func (n *Notebook) paidClients() map[string]string {
	ix := n.reproIndex()
	out := map[string]string{}
	for _, c := range n.Code() {
		if c.Tree == nil {
			continue
		}
		for _, a := range c.Assigns() {
			if a.Name == "" || a.Value == ps.NoNode || kindOf(c.Tree, a.Value) != ps.Call {
				continue
			}
			cs := ix.callAt(c, a.Value)
			if cs == nil {
				continue
			}
			if p := n.clientProvider(cs); p != "" {
				out[a.Name] = p
			}
		}
	}
	return out
}

// clientProvider returns the provider of a client constructor call.
func (n *Notebook) clientProvider(cs *CallSite) string {
	if p, ok := paidClientCtors[cs.Qual]; ok {
		return p
	}
	if cs.Method == "client" && (cs.Qual == "boto3.client" || cs.ReceiverNode != ps.NoNode) {
		if v, ok := n.argString(cs, 0, "service_name"); ok && paidBotoServices[v] {
			return "aws"
		}
	}
	return ""
}

// attrChain returns the attribute names after the root of a callee
// ("client.chat.completions.create" → "chat.completions.create") and the
// root node.
func attrChain(t *ps.Tree, fn ps.NodeID) (string, ps.NodeID) {
	var parts []string
	n := fn
	for n != ps.NoNode && kindOf(t, n) == ps.Attribute {
		parts = append(parts, textOf(t, childOf(t, n, ps.FAttribute)))
		n = childOf(t, n, ps.FObject)
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, "."), n
}

func (n *Notebook) paidCall(ix *reproIndex, cs *CallSite, clients map[string]string) (provider, api string, ok bool) {
	if p, ok := paidModuleCalls[cs.Qual]; ok {
		return p, cs.Qual, true
	}
	t := cs.Cell.Tree
	fn := childOf(t, cs.Node, ps.FFunction)
	if fn == ps.NoNode {
		return "", "", false
	}
	// Calling a LangChain model object directly: llm("prompt").
	if kindOf(t, fn) == ps.Identifier {
		if p := clients[pyName(textOf(t, fn))]; p == "langchain" {
			return p, "__call__", true
		}
		return "", "", false
	}
	if kindOf(t, fn) != ps.Attribute {
		return "", "", false
	}
	chain, root := attrChain(t, fn)
	prov := ""
	switch kindOf(t, root) {
	case ps.Identifier:
		prov = clients[pyName(textOf(t, root))]
	case ps.Call:
		if rc := ix.callAt(cs.Cell, root); rc != nil {
			prov = n.clientProvider(rc)
		}
	}
	if prov != "" {
		for _, m := range paidMethods {
			if chain == m || strings.HasSuffix(chain, "."+m) {
				if strings.Contains(chain, "batches.") || strings.HasPrefix(chain, "batch") {
					return "", "", false
				}
				return prov, chain, true
			}
		}
		return "", "", false
	}
	for m, p := range distinctivePaid {
		if chain == m || strings.HasSuffix(chain, "."+m) {
			if strings.Contains(chain, "batches.") {
				return "", "", false
			}
			pkg := p
			if p == "google" {
				if ix.modules["google"] || ix.modules["vertexai"] {
					return p, chain, true
				}
				continue
			}
			if ix.modules[pkg] {
				return p, chain, true
			}
		}
	}
	return "", "", false
}

// ---------------------------------------------------------------------------
// Row-wise DataFrame iteration (NB704)

// RowIteration is a row-by-row loop over a DataFrame.
type RowIteration struct {
	Cell     int
	Node     ps.NodeID // the for statement, or the apply call
	Pos, End Pos
	// Kind is "iterrows", "itertuples", "apply-axis-1" or "range-len".
	Kind string
	// Frame is the DataFrame's name ("" when not a plain name).
	Frame string
}

var rowIterKey = lazyKey{"repro.rowiter"}

// RowIterations returns the row-wise DataFrame iterations (RULES.md
// NB704). Frames built from a small literal in the notebook are left out.
func (n *Notebook) RowIterations() []RowIteration {
	return lazy(n, &rowIterKey, func() []RowIteration {
		ix := n.reproIndex()
		var out []RowIteration
		for i := range ix.calls {
			cs := &ix.calls[i]
			t := cs.Cell.Tree
			par := cs.Cell.Parents()
			switch {
			case (cs.Method == "iterrows" || cs.Method == "itertuples") && cs.ReceiverNode != ps.NoNode && len(cs.Args) <= 2:
				loop := iteratingLoop(t, par, cs.Node)
				if loop == ps.NoNode || !loopDoesWork(t, loop) || n.literalFrame(cs.Cell, cs.Receiver, cs.Node) {
					continue
				}
				out = append(out, RowIteration{Cell: cs.Cell.Index, Node: loop, Pos: cs.Cell.NodePos(loop),
					End: cs.Cell.NodeEnd(loopHead(t, loop, cs.Node)), Kind: cs.Method, Frame: cs.Receiver})
			case cs.Method == "apply" && cs.ReceiverNode != ps.NoNode:
				ax := cs.Keyword("axis")
				if ax == ps.NoNode {
					continue
				}
				v := textOf(t, ax)
				if v != "1" && v != `"columns"` && v != `'columns'` {
					continue
				}
				if h := headSegment(cs.Qual); ix.modules[h] && h != cs.Receiver {
					continue
				}
				if n.literalFrame(cs.Cell, cs.Receiver, cs.Node) {
					continue
				}
				out = append(out, RowIteration{Cell: cs.Cell.Index, Node: cs.Node, Pos: cs.Pos, End: cs.End,
					Kind: "apply-axis-1", Frame: cs.Receiver})
			case cs.Callee == "range" && len(cs.Args) == 1:
				frame := lenOfName(t, cs.Positional(0))
				if frame == "" {
					continue
				}
				loop := iteratingLoop(t, par, cs.Node)
				if loop == ps.NoNode || kindOf(t, loop) != ps.ForStatement {
					continue
				}
				idx := childOf(t, loop, ps.FLeft)
				if idx == ps.NoNode || kindOf(t, idx) != ps.Identifier {
					continue
				}
				if !indexesRows(t, childOf(t, loop, ps.FBody), frame, textOf(t, idx)) || n.literalFrame(cs.Cell, frame, cs.Node) {
					continue
				}
				out = append(out, RowIteration{Cell: cs.Cell.Index, Node: loop, Pos: cs.Cell.NodePos(loop),
					End: cs.Cell.NodeEnd(loopHead(t, loop, cs.Node)), Kind: "range-len", Frame: frame})
			}
		}
		return out
	})
}

// iteratingLoop returns the for statement (or comprehension) whose
// iterable contains node, through enumerate/tqdm/zip wrappers.
func iteratingLoop(t *ps.Tree, par []ps.NodeID, node ps.NodeID) ps.NodeID {
	for p := par[node]; p != ps.NoNode; p = par[p] {
		switch kindOf(t, p) {
		case ps.ForStatement:
			if r := childOf(t, p, ps.FRight); r != ps.NoNode && t.Contains(r, node) {
				return p
			}
			return ps.NoNode
		case ps.ForInClause:
			if r := childOf(t, p, ps.FRight); r != ps.NoNode && t.Contains(r, node) {
				return par[p]
			}
			return ps.NoNode
		case ps.Call, ps.ArgumentList, ps.Attribute, ps.KeywordArgument:
			continue
		default:
			return ps.NoNode
		}
	}
	return ps.NoNode
}

// loopHead returns the node a finding on a loop ends at: the for
// statement's iterable, or the iterating call for comprehensions.
func loopHead(t *ps.Tree, loop, call ps.NodeID) ps.NodeID {
	if r := childOf(t, loop, ps.FRight); r != ps.NoNode {
		return r
	}
	return call
}

// loopDoesWork reports whether a loop body does per-row work (a call, an
// assignment), not just a print or a break.
func loopDoesWork(t *ps.Tree, loop ps.NodeID) bool {
	body := childOf(t, loop, ps.FBody)
	if kindOf(t, loop) != ps.ForStatement {
		return true // comprehension: building a value per row
	}
	if body == ps.NoNode {
		return false
	}
	work := false
	descend(t, body, func(d ps.NodeID) bool {
		switch kindOf(t, d) {
		case ps.Assignment, ps.AugmentedAssignment:
			work = true
		case ps.Call:
			switch textOf(t, childOf(t, d, ps.FFunction)) {
			case "print", "display", "pprint":
				return false // output only, arguments included
			}
			work = true
		}
		return !work
	})
	return work
}

// lenOfName returns X for len(X) where X is a plain name.
func lenOfName(t *ps.Tree, n ps.NodeID) string {
	if n == ps.NoNode || kindOf(t, n) != ps.Call {
		return ""
	}
	if fn := childOf(t, n, ps.FFunction); fn == ps.NoNode || textOf(t, fn) != "len" {
		return ""
	}
	args := childOf(t, n, ps.FArguments)
	if args == ps.NoNode {
		return ""
	}
	a := firstNamedOf(t, args)
	if a == ps.NoNode || kindOf(t, a) != ps.Identifier {
		return ""
	}
	return textOf(t, a)
}

// indexesRows reports frame.loc[i], frame.iloc[i], frame.at[i, …] or
// frame.iat[i, …] in body.
func indexesRows(t *ps.Tree, body ps.NodeID, frame, idx string) bool {
	if body == ps.NoNode {
		return false
	}
	found := false
	descend(t, body, func(d ps.NodeID) bool {
		if kindOf(t, d) != ps.Subscript {
			return true
		}
		v := childOf(t, d, ps.FValue)
		if v == ps.NoNode || kindOf(t, v) != ps.Attribute {
			return true
		}
		obj := childOf(t, v, ps.FObject)
		attr := textOf(t, childOf(t, v, ps.FAttribute))
		if obj == ps.NoNode || textOf(t, obj) != frame || (attr != "loc" && attr != "iloc" && attr != "at" && attr != "iat") {
			return true
		}
		for c := firstChildOf(t, d); c != ps.NoNode; c = t.NextSibling(d, c) {
			if t.FieldOf(c) != ps.FSubscript {
				continue
			}
			descend(t, c, func(k ps.NodeID) bool {
				if kindOf(t, k) == ps.Identifier && textOf(t, k) == idx {
					found = true
				}
				return !found
			})
		}
		return !found
	})
	return found
}

// literalFrame reports whether name is bound to pd.DataFrame(<literal>)
// (a small frame typed into the notebook).
func (n *Notebook) literalFrame(c *Cell, name string, at ps.NodeID) bool {
	if name == "" {
		return false
	}
	cell, v := c, ps.NoNode
	if x, ok := c.constBefore(name, at); ok {
		v = x
	} else if d := n.Definer(c.Index, name); d >= 0 {
		if dc := n.Cell(d); dc != nil {
			if x, ok := dc.constBefore(name, ps.NoNode); ok {
				cell, v = dc, x
			}
		}
	}
	if v == ps.NoNode || kindOf(cell.Tree, v) != ps.Call {
		return false
	}
	cs := n.reproIndex().callAt(cell, v)
	if cs == nil || lastSegment(cs.Qual) != "DataFrame" {
		return false
	}
	a := cs.Arg(0, "data")
	if a == ps.NoNode {
		return false
	}
	return isConstant(cell.Tree, a) || literalContainer(cell.Tree, a)
}

// literalContainer reports a dict or list literal whose leaves are
// constants.
func literalContainer(t *ps.Tree, n ps.NodeID) bool {
	switch kindOf(t, n) {
	case ps.Dictionary, ps.List, ps.Tuple, ps.Pair:
		for _, c := range namedOf(t, n, nil) {
			if !literalContainer(t, c) {
				return false
			}
		}
		return true
	case ps.Comment:
		return true
	}
	return isConstantExpr(t, n)
}
