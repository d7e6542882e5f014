package rules

import (
	"fmt"
	"strings"

	"github.com/nbprod/nbprod/analyze"
)

// InNotebookInstall reports packages installed while the notebook runs:
// %pip install, !pip install, !conda install, !apt-get install, install
// lines of %%bash cells, and installs from Python (subprocess, os.system,
// pip.main). One finding per install command.
var InNotebookInstall = &analyze.Rule{
	ID:       "NB603",
	Name:     "in-notebook-install",
	Category: analyze.CatEnvironment,
	Severity: analyze.Warning,
	Doc:      doc("NB603"),
	Run:      runInNotebookInstall,
}

func runInNotebookInstall(p *analyze.Pass) {
	for _, in := range p.Facts.Installs() {
		in.Text = envRedact(p.Facts, in.Cell, in.Line, in.EndLine, in.Text)
		var pkgs []string
		for _, r := range in.Specs {
			pkgs = append(pkgs, envRedact(p.Facts, in.Cell, in.Line, in.EndLine, r.Spec))
		}
		what := strings.Join(pkgs, " ")
		if what == "" && len(in.Files) > 0 {
			what = "-r " + strings.Join(redactAll(p, in.Cell, in.Line, in.EndLine, in.Files), " ")
		}
		f := analyze.Finding{Cell: in.Cell, Line: in.Line, Column: in.Col, EndLine: in.EndLine, EndColumn: in.EndCol,
			Key: in.Text, Data: map[string]any{"tool": in.Tool, "via": in.Via, "packages": pkgs, "files": redactAll(p, in.Cell, in.Line, in.EndLine, in.Files)}}
		switch in.Tool {
		case "apt":
			f.Message = fmt.Sprintf("`%s` installs system packages at run time (%s): they belong in the image's Dockerfile",
				shorten(in.Text, 70), shorten(what, 60))
			f.Fix = "install them when the image is built (RUN apt-get install -y … in the Dockerfile) and remove the line"
		default:
			f.Message = fmt.Sprintf("`%s` installs packages while the notebook runs (%s): production installs dependencies before it starts",
				shorten(in.Text, 70), shorten(what, 60))
			f.Fix = "declare the packages, pinned, in requirements.txt / pyproject.toml / environment.yml and remove the line"
			if len(in.Files) > 0 && len(in.Specs) == 0 {
				f.Fix = "install the requirements file when the environment is built and remove the line"
			}
		}
		p.Report(f)
	}
}
