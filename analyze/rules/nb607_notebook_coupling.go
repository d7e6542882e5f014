package rules

import (
	"fmt"
	"path"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
	ps "github.com/nbprod/nbprod/analyze/pysyntax"
)

// NotebookCoupling reports code that couples the notebook to other
// notebooks or to the author's directory layout: %run, %store, notebook
// importers (import_ipynb, ipynb.fs, nbimporter), exec(open(…).read()) and
// sys.path hacks. %run of a .py file inside the repository is info.
var NotebookCoupling = &analyze.Rule{
	ID:       "NB607",
	Name:     "notebook-coupling",
	Category: analyze.CatEnvironment,
	Severity: analyze.Warning,
	Doc:      doc("NB607"),
	Run:      runNotebookCoupling,
}

func runNotebookCoupling(p *analyze.Pass) {
	fx := p.Facts
	for _, m := range fx.Magics() {
		m.Text = envRedact(fx, m.Cell, m.Line, m.EndLine, m.Text)
		f := analyze.Finding{Cell: m.Cell, Line: m.Line, Column: m.Col, EndLine: m.EndLine, EndColumn: m.EndCol, Key: m.Text}
		switch m.Translation {
		case facts.TrRun:
			target := envRedact(fx, m.Cell, m.Line, m.EndLine, runTarget(m.Args))
			f.Data = map[string]any{"kind": "run", "target": target}
			switch {
			case strings.HasSuffix(target, ".ipynb"):
				f.Message = fmt.Sprintf("`%s` runs another notebook in this kernel: its variables appear here with no visible definition", shorten(m.Text, 70))
				f.Fix = "move the shared code into a module both notebooks import (the emitter converts the referenced notebook into one)"
			case strings.HasSuffix(target, ".py") && inRepo(target):
				f.Severity = analyze.Info
				f.Message = fmt.Sprintf("`%s` runs a script of the repository in this kernel: the emitter turns it into an import", shorten(m.Text, 70))
				f.Fix = "import the functions you need from the module instead of running it"
			default:
				f.Message = fmt.Sprintf("`%s` runs code from outside the notebook in this kernel: its names appear here with no visible definition", shorten(m.Text, 70))
				f.Fix = "import what you need from a module in the repository"
			}
		case facts.TrStore:
			if strings.TrimSpace(m.Args) == "" {
				continue // a bare %store lists what is stored
			}
			f.Data = map[string]any{"kind": "store"}
			if strings.Contains(" "+m.Args+" ", " -r") {
				f.Message = fmt.Sprintf("`%s` reads variables another notebook stored in the IPython profile: they exist only on the author's machine", shorten(m.Text, 70))
			} else {
				f.Message = fmt.Sprintf("`%s` hands variables to other notebooks through the IPython profile, outside the repository", shorten(m.Text, 70))
			}
			f.Fix = "write the value to an explicit artefact file (path from config) and read it back where it is needed"
		default:
			continue
		}
		p.Report(f)
	}
	for _, im := range fx.ImportFacts() {
		switch {
		case im.Top == "import_ipynb" || im.Top == "nbimporter" || im.Top == "ipynb" || im.Top == "importnb":
		default:
			continue
		}
		p.Report(analyze.Finding{Cell: im.Cell, Line: im.Line, Column: im.Col, EndLine: im.EndLine, EndColumn: im.EndCol,
			Key: "import:" + im.Module, Data: map[string]any{"kind": "notebook-import", "module": im.Module},
			Message: fmt.Sprintf("`%s` imports code from other notebooks: the package cannot import an .ipynb file", im.Module),
			Fix:     "move the shared code into a .py module and import that"})
	}
	for i := range fx.Calls() {
		cs := &fx.Calls()[i]
		t := cs.Cell.Tree
		f := analyze.Finding{Cell: cs.Cell.Index, Line: cs.Pos.Line, Column: cs.Pos.Col, EndLine: cs.End.Line, EndColumn: cs.End.Col}
		switch {
		case cs.Is("sys.path.append", "sys.path.insert", "sys.path.extend", "site.addsitedir"):
			arg := cs.Positional(0)
			if cs.Method == "insert" {
				arg = cs.Positional(1)
			}
			val := ""
			if arg != ps.NoNode {
				if fd := fx.Fold(cs.Cell, arg); fd.Complete {
					val = fd.Value
				} else {
					val = shorten(normSpace(t.Text(arg)), 50)
				}
			}
			val = envRedact(fx, cs.Cell.Index, cs.Pos.Line, cs.End.Line, val)
			f.Key = "sys.path:" + val
			f.Data = map[string]any{"kind": "sys-path", "value": val}
			f.Message = fmt.Sprintf("`%s(…)` adds %q to the import path: imports then depend on the working directory and layout of the author's machine", cs.Callee, shorten(val, 50))
			f.Fix = "make the code an installable package (pip install -e .) or move the module next to the notebook"
		case cs.Callee == "exec" && execOfFile(fx, cs):
			f.Key = "exec-file"
			f.Data = map[string]any{"kind": "exec-file"}
			f.Message = "`exec(open(…).read())` runs a file's code in the notebook's namespace: its names appear here with no visible definition"
			f.Fix = "import the module instead"
		case cs.Is("runpy.run_path"):
			f.Key = "run_path"
			f.Data = map[string]any{"kind": "run-path"}
			f.Severity = analyze.Info
			f.Message = "`runpy.run_path()` runs a script from the notebook: the package should import it"
			f.Fix = "import the functions you need from the module"
		default:
			continue
		}
		p.Report(f)
	}
}

// runTarget returns the file a %run line runs (options skipped).
func runTarget(args string) string {
	for _, w := range strings.Fields(args) {
		if strings.HasPrefix(w, "-") {
			continue
		}
		return strings.TrimRight(strings.Trim(w, `"'`), ";")
	}
	return ""
}

// inRepo reports a relative path that does not climb out of the notebook's
// tree (no leading "..", not absolute, no home directory).
func inRepo(p string) bool {
	if p == "" || strings.HasPrefix(p, "/") || strings.HasPrefix(p, "~") || strings.Contains(p, ":") || strings.ContainsAny(p, "{$") {
		return false
	}
	return !strings.HasPrefix(path.Clean(p), "..")
}

// execOfFile recognises exec(open(f).read()) and exec(compile(open(f).read(), …)).
func execOfFile(fx *facts.Notebook, cs *facts.CallSite) bool {
	a := cs.Positional(0)
	if a == ps.NoNode {
		return false
	}
	t := cs.Cell.Tree
	found := false
	t.Descendants(a, func(n ps.NodeID) bool {
		if t.Kind(n) == ps.Call {
			fn := t.ChildByField(n, ps.FFunction)
			name := facts.DottedName(t, fn)
			if name == "open" || strings.HasSuffix(name, ".read_text") || name == "io.open" || name == "codecs.open" {
				found = true
			}
		}
		return !found
	})
	return found
}
