package rules

import (
	"fmt"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
)

// IPythonMagic reports IPython magics, classified by the magic translation
// table (RULES.md §5.3): removable magics in one info finding per notebook,
// translatable ones as warnings, untranslatable ones as blockers. Shell
// escapes are NB602's, installs NB603's, %run and %store NB607's.
var IPythonMagic = &analyze.Rule{
	ID:       "NB601",
	Name:     "ipython-magic",
	Category: analyze.CatEnvironment,
	Severity: analyze.Warning,
	Doc:      doc("NB601"),
	Run:      runIPythonMagic,
}

func runIPythonMagic(p *analyze.Pass) {
	var removable []facts.MagicFact
	for _, m := range p.Facts.Magics() {
		if m.Shell || m.Install || m.Translation == facts.TrRun || m.Translation == facts.TrStore {
			continue
		}
		m.Text = envRedact(p.Facts, m.Cell, m.Line, m.EndLine, m.Text)
		data := map[string]any{"magic": m.Text, "class": string(m.Class), "translation": m.Translation}
		f := analyze.Finding{Cell: m.Cell, Line: m.Line, Column: m.Col, EndLine: m.EndLine, EndColumn: m.EndCol,
			Key: m.Text, Data: data}
		switch m.Class {
		case facts.MagicRemovable:
			if m.Translation == facts.TrExtension && m.Note != "" {
				f.Message = fmt.Sprintf("`%s` loads an IPython extension: %s, which the package cannot run", m.Text, m.Note)
				f.Fix = "drop the extension, and rewrite any magic it provides as plain Python"
				p.Report(f)
				continue
			}
			removable = append(removable, m)
		case facts.MagicTranslatable:
			f.Message, f.Fix = translatableMessage(m)
			p.Report(f)
		case facts.MagicBlocker:
			f.Severity = analyze.Blocker
			f.Message = fmt.Sprintf("`%s` cannot be translated to plain Python: %s", m.Text, m.Note)
			f.Fix = "rewrite it by hand as plain Python (or remove it)"
			p.Report(f)
		}
	}
	if len(removable) == 0 {
		return
	}
	var texts []string
	var places []envPlace
	var cells []int
	for _, m := range removable {
		texts = append(texts, m.Text)
		places = append(places, envPlace{m.Cell, m.Line, m.Col, m.Text})
		cells = append(cells, m.Cell)
	}
	first := removable[0]
	p.Report(analyze.Finding{Cell: first.Cell, Line: first.Line, Column: first.Col, EndLine: first.EndLine, EndColumn: first.EndCol,
		Severity: analyze.Info, Key: "removable-magics",
		Message: fmt.Sprintf("%d %s the interactive session and %s dropped from the package (%s): %s",
			len(removable), plural(len(removable), "IPython magic only affects", "IPython magics only affect"),
			plural(len(removable), "is", "are"), envCellList(cells), envCounted(texts, 6)),
		Fix:  "nothing to do: the emitter removes them (a %time/%%capture body is kept)",
		Data: map[string]any{"class": string(facts.MagicRemovable), "magics": envPlaces(places)}})
}

// translatableMessage explains a translatable magic and its translation.
func translatableMessage(m facts.MagicFact) (msg, fix string) {
	switch m.Translation {
	case facts.TrCd:
		return fmt.Sprintf("`%s` changes the kernel's working directory: it becomes os.chdir() in the package", m.Text),
			"resolve paths against a configured base directory instead of changing directory (see NB308)"
	case facts.TrEnv:
		return fmt.Sprintf("`%s` sets an environment variable from the notebook: it becomes an os.environ assignment", m.Text),
			"set the variable in the deployment environment (or read it from config); never put a secret here"
	case facts.TrWritefile:
		return fmt.Sprintf("`%s` writes a file when the cell runs: the emitter turns it into a package asset written at build time", m.Text),
			"keep the file in the repository and read it from there"
	case facts.TrSQL:
		return fmt.Sprintf("`%s` runs SQL through an IPython SQL magic: it becomes a SQLAlchemy/client call with bound parameters", m.Text),
			"run the query with the database client in Python (sqlalchemy.text with bound parameters)"
	case facts.TrBash:
		return fmt.Sprintf("`%s` runs the cell as a shell script: it becomes subprocess.run([\"bash\", \"-c\", …], check=True) or a scripts/*.sh file", m.Text),
			"move the commands to a script in the repository, or do the work in Python"
	case facts.TrScript:
		return fmt.Sprintf("`%s` runs the cell body in another interpreter: it becomes a script run with subprocess", m.Text),
			"move the body to a script in the repository, or inline it as Python"
	case facts.TrDel:
		return fmt.Sprintf("`%s` deletes a variable through a magic: it becomes a del statement", m.Text), "write `del name`"
	case facts.TrCwd:
		return fmt.Sprintf("`%s` reads the working directory through a magic: it becomes os.getcwd()", m.Text), "use os.getcwd() or a configured base directory"
	case facts.TrAutocall:
		return fmt.Sprintf("`%s` uses IPython's autocall syntax: it becomes an ordinary call", m.Text), "write the call with parentheses"
	case facts.TrIPython:
		return fmt.Sprintf("`%s` tests whether the code runs in IPython: outside IPython the name does not exist (NameError); the emitter replaces the test with False", m.Text),
			"drop the IPython branch, or guard it with a configuration flag"
	}
	return fmt.Sprintf("`%s` is an IPython magic (translation: %s)", m.Text, m.Translation), "rewrite it as plain Python"
}
