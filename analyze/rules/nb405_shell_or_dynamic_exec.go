package rules

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
	ps "github.com/nbprod/nbprod/analyze/pysyntax"
)

// ShellOrDynamicExec reports commands and code built at run time: shell=True,
// os.system, os.popen, eval, exec, and shell lines that interpolate Python
// values.
var ShellOrDynamicExec = &analyze.Rule{
	ID:       "NB405",
	Name:     "shell-or-dynamic-exec",
	Category: analyze.CatSecurity,
	Severity: analyze.Warning,
	Doc:      doc("NB405"),
	Run:      runShellOrDynamicExec,
}

var subprocessFuncs = []string{"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output", "subprocess.Popen"}

func runShellOrDynamicExec(p *analyze.Pass) {
	fx := p.Facts
	for _, cs := range fx.Calls() {
		cs := cs
		c := cs.Cell
		t := c.Tree
		var what string
		var cmd ps.NodeID = ps.NoNode
		switch {
		case cs.Is(subprocessFuncs...):
			sh := cs.Keyword("shell")
			if sh == ps.NoNode || t.Kind(sh) == ps.False || t.Kind(sh) == ps.None {
				continue
			}
			what, cmd = cs.Qual+"(..., shell=True)", cs.Arg(0, "args")
		case cs.Is("subprocess.getoutput", "subprocess.getstatusoutput", "os.system", "os.popen", "commands.getoutput", "os.popen2", "os.popen3"):
			what, cmd = cs.Qual, cs.Arg(0, "cmd")
		case (cs.Callee == "eval" || cs.Callee == "exec") && cs.ReceiverNode == ps.NoNode && !definedByNotebook(fx, cs.Callee):
			what, cmd = cs.Callee, cs.Arg(0, "source")
			if isOpenRead(fx, c, cmd) {
				continue // exec(open(f).read()) is NB607's notebook coupling
			}
		case cs.ReceiverNode != ps.NoNode && (cs.Method == "system" || cs.Method == "getoutput") && strings.Contains(t.Text(cs.ReceiverNode), "get_ipython"):
			what, cmd = "get_ipython()."+cs.Method, cs.Arg(0, "cmd")
		default:
			continue
		}
		constant := false
		if id := leftIdent(t, cmd); id != ps.NoNode && c.Shadowed(id, t.Text(id)) {
			cmd = ps.NoNode // a parameter or local: not the module-level constant of that name
		}
		if cmd != ps.NoNode {
			switch t.Kind(cmd) {
			case ps.List, ps.Tuple:
				constant = true
				for _, e := range t.NamedChildren(cmd, nil) {
					if f := fx.Fold(c, e); !f.Complete {
						constant = false
					}
				}
			default:
				constant = fx.Fold(c, cmd).Complete
			}
		}
		f := analyze.Finding{Cell: c.Index, Line: cs.Pos.Line, Column: cs.Pos.Col, EndLine: cs.End.Line, EndColumn: cs.End.Col,
			Data: map[string]any{"sink": what, "constant": constant}}
		isEval := cs.Callee == "eval" || cs.Callee == "exec"
		if constant {
			f.Severity = analyze.Info
			f.Message = fmt.Sprintf("%s runs a constant command string", what)
			if isEval {
				f.Message = fmt.Sprintf("%s runs constant code", what)
			}
		} else {
			f.Message = fmt.Sprintf("%s runs a command built at run time: values reaching it can inject shell commands", what)
			if isEval {
				f.Message = fmt.Sprintf("%s runs code built at run time: values reaching it can run arbitrary Python", what)
			}
		}
		f.Fix = "call subprocess.run([...], check=True) with an argument list and no shell"
		if isEval {
			f.Fix = "replace it with explicit code (ast.literal_eval for literals, a dispatch table for names)"
		}
		p.Report(f)
	}
	for _, c := range fx.Code() {
		for _, m := range c.Masked.Magics {
			shell := m.Kind == ps.ShellEscape || m.Kind == ps.ShellAssign ||
				((m.Kind == ps.LineMagic || m.Kind == ps.MagicAssign) && (m.Name == "sx" || m.Name == "system" || m.Name == "sc")) ||
				(m.Kind == ps.CellMagic && (m.Name == "bash" || m.Name == "sh" || m.Name == "script"))
			if !shell || len(m.Uses) == 0 {
				continue
			}
			uses := interpolatedNames(fx, m.Uses, m.Args)
			if len(uses) == 0 {
				continue
			}
			line := c.NB.Line(m.Line)
			col := utf8.RuneCountInString(line[:min(max(m.Col-1, 0), len(line))]) + 1
			p.Report(analyze.Finding{Cell: c.Index, Line: m.Line, Column: col, EndLine: m.Line, EndColumn: utf8.RuneCountInString(line) + 1,
				Message: fmt.Sprintf("shell line interpolates Python values (%s) into a command: a value with spaces, quotes or ; changes what runs",
					strings.Join(uses, ", ")),
				Fix:  "use subprocess.run([...], check=True) with the values as separate arguments",
				Data: map[string]any{"sink": "!" + m.Name, "names": uses}})
		}
	}
}

// definedByNotebook reports whether some cell binds name (a user function
// named eval).
func definedByNotebook(fx *facts.Notebook, name string) bool {
	for _, c := range fx.Code() {
		if c.DefinesName(name) {
			return true
		}
	}
	return false
}

// isOpenRead reports whether n is open(...).read() (or Path(...).read_text()).
func isOpenRead(fx *facts.Notebook, c *facts.Cell, n ps.NodeID) bool {
	t := c.Tree
	if n == ps.NoNode || t.Kind(n) != ps.Call {
		return false
	}
	fn := t.ChildByField(n, ps.FFunction)
	if t.Kind(fn) != ps.Attribute {
		return false
	}
	m := t.Text(t.ChildByField(fn, ps.FAttribute))
	obj := t.ChildByField(fn, ps.FObject)
	if (m == "read" || m == "read_text") && t.Kind(obj) == ps.Call {
		q := fx.Qualify(c.Index, facts.DottedName(t, t.ChildByField(obj, ps.FFunction)))
		return q == "open" || strings.HasSuffix(q, "Path") || q == "io.open"
	}
	return false
}

// interpolatedNames keeps the names a shell line interpolates that are
// Python values of this notebook: $HOME is the shell's own variable when
// no cell defines HOME, and {sys.executable} is the interpreter.
func interpolatedNames(fx *facts.Notebook, uses []string, args string) []string {
	g := fx.Graph()
	var out []string
	for _, u := range uses {
		if u == "sys" && (strings.Contains(args, "sys.executable") || strings.Contains(args, "sys.prefix")) {
			continue
		}
		if len(g.Definers[u]) == 0 {
			continue
		}
		out = append(out, u)
	}
	return out
}

// leftIdent returns n when it is a name, else NoNode.
func leftIdent(t *ps.Tree, n ps.NodeID) ps.NodeID {
	if n != ps.NoNode && t.Kind(n) == ps.Identifier {
		return n
	}
	return ps.NoNode
}
