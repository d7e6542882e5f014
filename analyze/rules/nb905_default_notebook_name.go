package rules

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/nbprod/nbprod/analyze"
)

// DefaultNotebookName reports notebooks still carrying a default or copy
// name (Untitled3.ipynb, analysis-Copy1.ipynb, "Copy of x.ipynb") or a name
// with characters that are not portable. Colab's recorded name counts too.
var DefaultNotebookName = &analyze.Rule{
	ID:       "NB905",
	Name:     "default-notebook-name",
	Category: analyze.CatHygiene,
	Severity: analyze.Info,
	Doc:      doc("NB905"),
	Run:      runDefaultNotebookName,
}

var (
	untitledRe  = regexp.MustCompile(`(?i)^untitled\d*(\.[a-z]+)?$`)
	copyRe      = regexp.MustCompile(`(?i)(-Copy\d*|^Copy of .*)(\.[a-z]+)?$`)
	portableRe  = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)
	unportableR = regexp.MustCompile(`[^A-Za-z0-9_.-]`)
)

func runDefaultNotebookName(p *analyze.Pass) {
	base := path.Base(strings.ReplaceAll(p.Notebook.Path, `\`, "/"))
	if msg := nameProblem(base); msg != "" {
		p.Report(analyze.Finding{Cell: -1, Key: "name:" + base, Message: fmt.Sprintf("the notebook's file name %q %s", base, msg),
			Fix:  "rename it after what it does (e.g. churn_training.ipynb), using only letters, digits, '_', '-' and '.'",
			Data: map[string]any{"name": base, "source": "path"}})
		return
	}
	// Colab records the notebook's name in its metadata.
	if name, ok := p.Notebook.Metadata.Get("colab", "name").String(); ok && name != base {
		if untitledRe.MatchString(name) || copyRe.MatchString(name) {
			p.Report(analyze.Finding{Cell: -1, Key: "colab-name:" + name,
				Message: fmt.Sprintf("Colab records this notebook as %q (metadata.colab.name): it was never given a name of its own", name),
				Fix:     "rename it in Colab (File → Rename) after what it does, and save it again",
				Data:    map[string]any{"name": name, "source": "metadata.colab.name"}})
		}
	}
}

// nameProblem describes what is wrong with a notebook file name.
func nameProblem(base string) string {
	switch {
	case untitledRe.MatchString(base):
		return "is Jupyter's default name: it says nothing about what the notebook does"
	case copyRe.MatchString(base):
		return "is the name of a copy that was never renamed: which of the copies is the real one?"
	case !portableRe.MatchString(base):
		bad := unportableR.FindAllString(base, -1)
		var q []string
		for _, b := range bad {
			if b == " " {
				b = "space"
			}
			if !contains(q, b) {
				q = append(q, b)
			}
		}
		return fmt.Sprintf("contains characters that are not portable (%s): they break shell commands, URLs and module names", strings.Join(q, ", "))
	}
	return ""
}
