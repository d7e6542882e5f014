package rules

import (
	"fmt"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
	ps "github.com/nbprod/nbprod/analyze/pysyntax"
)

// UnsafeDeserialization reports loaders that can run code from the file
// they read: pickle and friends, numpy with allow_pickle, torch.load
// without weights_only, yaml.load without a safe loader.
var UnsafeDeserialization = &analyze.Rule{
	ID:       "NB404",
	Name:     "unsafe-deserialization",
	Category: analyze.CatSecurity,
	Severity: analyze.Warning,
	Doc:      doc("NB404"),
	Run:      runUnsafeDeserialization,
}

// unsafeLoaders take a file object, bytes or a path as their first argument.
var unsafeLoaders = []string{"pickle.load", "pickle.loads", "pickle.Unpickler", "_pickle.load", "_pickle.loads",
	"cPickle.load", "cPickle.loads", "pandas.read_pickle", "pd.read_pickle", "joblib.load", "sklearn.externals.joblib.load",
	"dill.load", "dill.loads", "cloudpickle.load", "cloudpickle.loads", "shelve.open", "marshal.load", "marshal.loads",
	"yaml.unsafe_load", "yaml.unsafe_load_all", "jsonpickle.decode", "skops.io.load"}

var safeYAMLLoaders = []string{"SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"}

func runUnsafeDeserialization(p *analyze.Pass) {
	fx := p.Facts
	for _, cs := range fx.Calls() {
		cs := cs
		t := cs.Cell.Tree
		var why string
		switch {
		case cs.Is(unsafeLoaders...):
			if cs.Is("skops.io.load") {
				if v := cs.Keyword("trusted"); v == ps.NoNode || t.Kind(v) != ps.True {
					continue
				}
			}
			why = "unpickles"
		case cs.Is("numpy.load", "np.load"):
			if v := cs.Keyword("allow_pickle"); v == ps.NoNode || t.Kind(v) != ps.True {
				continue
			}
			why = "unpickles (allow_pickle=True)"
		case cs.Is("torch.load"):
			if v := cs.Keyword("weights_only"); v != ps.NoNode && t.Kind(v) == ps.True {
				continue
			}
			why = "unpickles (no weights_only=True)"
		case cs.Is("yaml.load", "yaml.load_all"):
			loader := cs.Arg(1, "Loader")
			if loader != ps.NoNode {
				txt := t.Text(loader)
				safe := false
				for _, l := range safeYAMLLoaders {
					if strings.HasSuffix(txt, l) {
						safe = true
					}
				}
				if safe {
					continue
				}
			}
			why = "constructs arbitrary Python objects (no SafeLoader)"
		case cs.Method == "load_model" && cs.Keyword("safe_mode") != ps.NoNode && t.Kind(cs.Keyword("safe_mode")) == ps.False:
			why = "runs serialized Python code (safe_mode=False)"
		default:
			continue
		}
		name := cs.Qual
		if name == "" {
			name = cs.Method
		}
		src, class := deserializationSource(fx, cs.Cell, cs.Arg(0, ""))
		msg := fmt.Sprintf("%s %s: loading a file runs whatever code it contains", name, why)
		f := analyze.Finding{Cell: cs.Cell.Index, Line: cs.Pos.Line, Column: cs.Pos.Col, EndLine: cs.End.Line, EndColumn: cs.End.Col,
			Message: msg, Data: map[string]any{"sink": name},
			Fix: "load only artefacts your pipeline produced; prefer safe formats (safetensors, ONNX, skops.io, json), torch.load(..., weights_only=True), yaml.safe_load"}
		if src != "" {
			f.Data["value"] = facts.RedactValue(src)
			f.Data["kind"] = string(class)
		}
		switch class {
		case facts.ClassHTTP, facts.ClassHTTPData, facts.ClassCloudHTTP, facts.ClassGSheet, facts.ClassTmp, facts.ClassPersonal:
			f.Severity = analyze.Blocker
			if src != "" {
				f.Message = fmt.Sprintf("%s %s from %s, a location others can write to: loading it runs whatever code it contains", name, why, quoteValue(src))
			} else {
				f.Message = fmt.Sprintf("%s %s from a network response: loading it runs whatever code the server sends", name, why)
			}
		}
		p.Report(f)
	}
}

// deserializationSource finds the path or URL a loader reads: a literal,
// open(p), a name bound by `with open(p) as f` or `f = open(p)`, or a
// network response (urlopen(...).read(), requests.get(...).content).
func deserializationSource(fx *facts.Notebook, c *facts.Cell, arg ps.NodeID) (string, facts.PathClass) {
	if arg == ps.NoNode || c.Tree == nil {
		return "", facts.ClassNone
	}
	t := c.Tree
	node := arg
	for depth := 0; depth < 4 && node != ps.NoNode; depth++ {
		switch t.Kind(node) {
		case ps.Call:
			fn := t.ChildByField(node, ps.FFunction)
			q := fx.Qualify(c.Index, facts.DottedName(t, fn))
			switch {
			case q == "open" || q == "io.open" || q == "gzip.open" || q == "bz2.open" || q == "lzma.open":
				return classifySource(fx, c, firstArg(t, node))
			case strings.HasPrefix(q, "urllib.request.urlopen") || strings.HasPrefix(q, "requests.") || strings.HasPrefix(q, "httpx."):
				v, _ := classifySource(fx, c, firstArg(t, node))
				return v, facts.ClassHTTP
			case t.Kind(fn) == ps.Attribute:
				// urlopen(u).read(), BytesIO(resp.content)
				node = t.ChildByField(fn, ps.FObject)
				continue
			case strings.HasSuffix(q, "BytesIO"):
				node = firstArg(t, node)
				continue
			}
			return "", facts.ClassNone
		case ps.Attribute:
			// requests.get(u).content
			node = t.ChildByField(node, ps.FObject)
			continue
		case ps.Identifier:
			name := t.Text(node)
			if v := withOpenTarget(t, name); v != ps.NoNode {
				node = v
				continue
			}
			for _, a := range c.Assigns() {
				if a.Name == name && a.Node < node && a.Value != ps.NoNode && t.Kind(a.Value) == ps.Call {
					node = a.Value
				}
			}
			if t.Kind(node) == ps.Identifier {
				return classifySource(fx, c, node)
			}
			continue
		default:
			return classifySource(fx, c, node)
		}
	}
	return "", facts.ClassNone
}

func classifySource(fx *facts.Notebook, c *facts.Cell, n ps.NodeID) (string, facts.PathClass) {
	if n == ps.NoNode {
		return "", facts.ClassNone
	}
	f := fx.Fold(c, n)
	if f.Value == "" {
		return "", facts.ClassNone
	}
	return f.Value, facts.ClassifyPath(f.Value, f.Complete, true)
}

func firstArg(t *ps.Tree, call ps.NodeID) ps.NodeID {
	args := t.ChildByField(call, ps.FArguments)
	if args == ps.NoNode {
		return ps.NoNode
	}
	for _, a := range t.NamedChildren(args, nil) {
		if t.Kind(a) != ps.KeywordArgument && t.Kind(a) != ps.Comment {
			return a
		}
	}
	return ps.NoNode
}

// withOpenTarget finds `with open(p) as name` in the tree and returns the
// open(...) call.
func withOpenTarget(t *ps.Tree, name string) ps.NodeID {
	found := ps.NoNode
	t.Descendants(t.Root(), func(n ps.NodeID) bool {
		if found != ps.NoNode {
			return false
		}
		if t.Kind(n) == ps.AsPattern {
			val := t.FirstNamed(n)
			alias := t.ChildByField(n, ps.FAlias)
			if alias != ps.NoNode && strings.TrimSpace(t.Text(alias)) == name && val != ps.NoNode && t.Kind(val) == ps.Call {
				found = val
			}
		}
		return true
	})
	return found
}
