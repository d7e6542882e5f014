package rules

import (
	"fmt"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
)

// ShellEscape reports shell commands run from the notebook (!cmd, x = !cmd,
// %sx, %system, shell aliases such as %ls, get_ipython().system). Commands
// that only print something (!ls, !pwd, !nvidia-smi, !pip list) are grouped
// into one info finding per notebook; installs are NB603's.
var ShellEscape = &analyze.Rule{
	ID:       "NB602",
	Name:     "shell-escape",
	Category: analyze.CatEnvironment,
	Severity: analyze.Warning,
	Doc:      doc("NB602"),
	Run:      runShellEscape,
}

func runShellEscape(p *analyze.Pass) {
	var info []facts.MagicFact
	for _, m := range p.Facts.Magics() {
		if !m.Shell || m.Install {
			continue
		}
		m.Text = envRedact(p.Facts, m.Cell, m.Line, m.EndLine, m.Text)
		if m.Informational {
			info = append(info, m)
			continue
		}
		cmd := m.Name
		f := analyze.Finding{Cell: m.Cell, Line: m.Line, Column: m.Col, EndLine: m.EndLine, EndColumn: m.EndCol, Key: m.Text,
			Data: map[string]any{"command": cmd, "known": m.KnownCommand, "text": m.Text}}
		switch {
		case m.Kind == "cell-magic":
			f.Message = fmt.Sprintf("`%s` runs the cell body as shell commands: the package cannot run them as they are", shorten(m.Text, 80))
			f.Fix = "do the work in Python, or move the commands to a script in the repository"
		case cmd == "wget" || cmd == "curl":
			f.Message = fmt.Sprintf("`%s` downloads data from a shell escape: the package needs an explicit, configured ingest step", shorten(m.Text, 80))
			f.Fix = "download in Python (or a pipeline ingest step) from a configured URL, and check what was downloaded"
		case m.KnownCommand:
			f.Message = fmt.Sprintf("`%s` runs a shell command: it becomes subprocess.run([...], check=True) in the package", shorten(m.Text, 80))
			f.Fix = "do it in Python (os, shutil, pathlib, tarfile, zipfile) or move it to a script in the repository"
		default:
			f.Message = fmt.Sprintf("`%s` runs `%s`, a shell command nbprod does not translate: the package cannot run it as is", shorten(m.Text, 80), cmd)
			f.Fix = "do the work in Python, or move the command to a script or the deployment's setup"
		}
		p.Report(f)
	}
	if len(info) == 0 {
		return
	}
	var texts []string
	var places []envPlace
	var cells []int
	for _, m := range info {
		texts = append(texts, shorten(m.Text, 40))
		places = append(places, envPlace{m.Cell, m.Line, m.Col, m.Text})
		cells = append(cells, m.Cell)
	}
	first := info[0]
	p.Report(analyze.Finding{Cell: first.Cell, Line: first.Line, Column: first.Col, EndLine: first.EndLine, EndColumn: first.EndCol,
		Severity: analyze.Info, Key: "informational-shell",
		Message: fmt.Sprintf("%d informational shell %s dropped (%s): %s",
			len(info), plural(len(info), "command only prints something and is", "commands only print something and are"),
			envCellList(cells), envCounted(texts, 5)),
		Fix:  "nothing to do: the emitter removes them",
		Data: map[string]any{"commands": envPlaces(places)}})
}
