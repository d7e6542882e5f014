package rules

import (
	"fmt"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	ps "github.com/nbprod/nbprod/analyze/pysyntax"
)

// InteractiveInput reports code that waits for a person: input(),
// getpass(), ipywidgets interact, widget observers, plt.ginput, Colab file
// uploads, JavaScript prompts. tqdm.notebook is info.
var InteractiveInput = &analyze.Rule{
	ID:       "NB904",
	Name:     "interactive-input",
	Category: analyze.CatHygiene,
	Severity: analyze.Blocker,
	Doc:      doc("NB904"),
	Run:      runInteractiveInput,
}

func runInteractiveInput(p *analyze.Pass) {
	fx := p.Facts
	g := fx.Graph()
	widgets := false
	for _, im := range fx.ImportFacts() {
		if im.Top == "ipywidgets" {
			widgets = true
		}
	}
	for i := range fx.Calls() {
		cs := &fx.Calls()[i]
		what, fix := "", ""
		switch {
		case cs.Callee == "input" && len(g.Definers["input"]) == 0:
			what, fix = "`input()` waits for someone to type an answer", "make the value a CLI argument or config parameter"
		case cs.Callee == "raw_input" && len(g.Definers["raw_input"]) == 0:
			what, fix = "`raw_input()` waits for someone to type an answer", "make the value a CLI argument or config parameter"
		case cs.Is("getpass.getpass"):
			what, fix = "`getpass()` waits for someone to type a secret", "read the secret from an environment variable (or a secret manager)"
		case cs.Is("ipywidgets.interact", "ipywidgets.interactive", "ipywidgets.interact_manual", "ipywidgets.widgets.interact",
			"ipywidgets.widgets.interactive", "ipywidgets.widgets.interact_manual"):
			what, fix = fmt.Sprintf("`%s()` builds sliders and boxes whose values a person sets", cs.Method),
				"make the widget's values config parameters (with the widget's default as the default)"
		case widgets && cs.Method == "observe" && cs.ReceiverNode != ps.NoNode:
			what, fix = "a widget `.observe()` callback runs only when a person changes the widget", "call the function with values from config"
		case cs.Is("matplotlib.pyplot.ginput") || cs.Method == "ginput":
			what, fix = "`ginput()` waits for mouse clicks on a figure", "read the points from config or a file"
		case cs.Is("google.colab.files.upload"):
			what, fix = "`files.upload()` opens an upload dialog and waits for a person", "read the input from a configured path"
		default:
			continue
		}
		p.Report(analyze.Finding{Cell: cs.Cell.Index, Line: cs.Pos.Line, Column: cs.Pos.Col, EndLine: cs.End.Line, EndColumn: cs.End.Col,
			Key: cs.Callee, Message: what + ": a scheduled job has nobody to answer and hangs or fails", Fix: fix,
			Data: map[string]any{"call": cs.Qual}})
	}
	// @interact used as a bare decorator.
	for _, c := range envPythonCells(fx) {
		t := c.Tree
		for i := 0; i < t.Len(); i++ {
			n := ps.NodeID(i)
			if t.Kind(n) != ps.Decorator {
				continue
			}
			e := t.FirstNamed(n)
			if e == ps.NoNode || t.Kind(e) == ps.Call {
				continue // calls are reported above
			}
			q := fx.Qualify(c.Index, normSpace(t.Text(e)))
			if q == "ipywidgets.interact" || q == "ipywidgets.interact_manual" || q == "ipywidgets.widgets.interact" {
				pos, end := c.NodePos(n), c.NodeEnd(n)
				p.Report(analyze.Finding{Cell: c.Index, Line: pos.Line, Column: pos.Col, EndLine: end.Line, EndColumn: end.Col,
					Key: "@interact", Message: "`@interact` builds widgets whose values a person sets: a scheduled job has nobody to answer",
					Fix:  "make the function's arguments config parameters (with the widget defaults)",
					Data: map[string]any{"call": q}})
			}
		}
	}
	// JavaScript prompts in %%javascript cells.
	for _, m := range fx.Magics() {
		if m.Kind != "cell-magic" || (m.Name != "javascript" && m.Name != "js") {
			continue
		}
		src := p.Notebook.Cells[m.Cell].Source
		if strings.Contains(src, "prompt(") || strings.Contains(src, "confirm(") {
			p.Report(analyze.Finding{Cell: m.Cell, Line: m.Line, Column: m.Col, EndLine: m.EndLine, EndColumn: m.EndCol,
				Key: "js-prompt", Message: "the %%javascript cell prompts the person in the browser: a scheduled job has nobody to answer",
				Fix: "make the value a config parameter", Data: map[string]any{"call": "javascript prompt"}})
		}
	}
	// tqdm.notebook: a widget progress bar (info).
	for _, im := range fx.ImportFacts() {
		if im.Module == "tqdm.notebook" || im.Module == "tqdm" && contains(im.Names, "tqdm_notebook") {
			p.Report(analyze.Finding{Cell: im.Cell, Line: im.Line, Column: im.Col, EndLine: im.EndLine, EndColumn: im.EndCol,
				Severity: analyze.Info, Key: "tqdm.notebook",
				Message: "tqdm.notebook draws its progress bar as a Jupyter widget: outside Jupyter it prints markup or nothing",
				Fix:     "use tqdm.auto (it picks the right bar) or plain tqdm",
				Data:    map[string]any{"call": im.Module}})
			break
		}
	}
}
