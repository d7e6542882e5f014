package analyze

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"unicode/utf8"

	"github.com/nbprod/nbprod/analyze/facts"
	"github.com/nbprod/nbprod/notebook"
)

// RunOptions configure a check run.
type RunOptions struct {
	Settings *Settings
	// Jobs is the number of notebooks checked in parallel (0: all cores).
	Jobs int
	// FingerprintDir is the directory fingerprint paths are relative to
	// (the baseline file's directory; "" for the current directory).
	FingerprintDir string
	Baseline       *Baseline
	// Progress, when set, is called after each notebook (from one goroutine
	// at a time) with the number done and the total.
	Progress func(done, total int)
	// CollectBaseline makes Stream keep the baseline entries of the
	// unsuppressed findings (Totals.Baseline) for --write-baseline.
	CollectBaseline bool
}

// Run checks the inputs and collects every notebook and finding into one
// Result. Output is deterministic whatever Jobs is. A long run should use
// Stream instead: Run's memory grows with the number of findings.
func Run(inputs []Input, o RunOptions) *Result {
	res := &Result{}
	t, _ := Stream(inputs, o, func(nb NotebookResult, fs []Finding) error {
		res.Notebooks = append(res.Notebooks, nb)
		res.Findings = append(res.Findings, fs...)
		return nil
	})
	res.Rules, res.Severity, res.Errors = t.Rules, t.Severity, t.Errors
	// Stream hands the notebooks over in path order with their findings
	// sorted, so this only reorders the findings of inputs that share a
	// path.
	SortFindings(res.Findings)
	return res
}

type nbOutcome struct {
	skip     bool
	nb       NotebookResult
	findings []Finding
	errors   []InternalError
}

// pythonLanguages are the kernel languages nbprod analyses.
var pythonLanguages = map[string]bool{"python": true, "python2": true, "python3": true, "ipython": true, "pyspark": true, "": true}

// CheckNotebook checks one notebook already in memory (tests, docs
// examples, tools that build notebooks) and returns its findings.
func CheckNotebook(nb *notebook.Notebook, s *Settings) []Finding {
	w := facts.NewWorker()
	defer w.Close()
	o := &RunOptions{Settings: s}
	out := checkOne(w, Input{Path: nb.Path}, o, nb)
	return out.findings
}

// IsPython reports whether a kernel language is one nbprod analyses.
func IsPython(lang string) bool { return pythonLanguages[lang] }

func checkOne(w *facts.Worker, in Input, o *RunOptions, preread ...*notebook.Notebook) (out nbOutcome) {
	out.nb = NotebookResult{Path: in.Path}
	defer func() {
		if p := recover(); p != nil {
			out.errors = append(out.errors, InternalError{Path: in.Path, Msg: fmt.Sprintf("internal error: %v\n%s", p, firstFrames(debug.Stack()))})
		}
	}()
	s := o.Settings
	ignored := s.IgnoredFor(s.RelToRoot(in.Path))
	enabled := map[string]bool{}
	for _, r := range s.Rules {
		if !ignored[r.ID] {
			enabled[r.ID] = true
		}
	}
	var nb *notebook.Notebook
	var err error
	if len(preread) > 0 {
		nb = preread[0]
	} else {
		nb, err = readInput(in)
	}
	if errors.Is(err, errNotPercent) {
		out.skip = true
		return out
	}
	var findings []Finding
	report := func(ruleID string, f Finding) {
		if !enabled[ruleID] {
			return
		}
		r := ruleByID(s.all, ruleID)
		p := &Pass{Rule: r, Notebook: nb, Path: in.Path, findings: &findings}
		if nb == nil {
			p.Notebook = &notebook.Notebook{}
		}
		p.Report(f)
	}
	if err != nil {
		out.nb.Unreadable = true
		f := Finding{Cell: -1, Message: err.Error()}
		var re *notebook.ReadError
		if errors.As(err, &re) {
			f.Message = "cannot read notebook: " + re.Detail()
			f.FileLine = re.Line
		}
		report("NB001", f)
		if len(findings) > 0 {
			findings[len(findings)-1].FileLine = f.FileLine
		}
		out.findings = finish(nil, nil, findings, in, o, &out.nb)
		return out
	}
	out.nb.Cells = len(nb.Cells)
	out.nb.Language = nb.Language
	for i := range nb.Cells {
		if nb.Cells[i].Kind == notebook.Code {
			out.nb.CodeCells++
		}
	}
	for _, is := range nb.Issues {
		f := Finding{Cell: is.Cell, Severity: Warning, Message: is.Msg}
		report("NB001", f)
		if len(findings) > 0 && is.Line > 0 && findings[len(findings)-1].Cell < 0 {
			findings[len(findings)-1].FileLine = is.Line
		}
	}
	if !pythonLanguages[nb.Language] {
		report("NB002", Finding{Cell: -1, Message: fmt.Sprintf("kernel language is %s, not Python: the notebook is not analysed", nb.Language)})
		out.findings = finish(nb, nil, findings, in, o, &out.nb)
		return out
	}
	fx := w.New(nb, envFor(in))
	for _, r := range s.Rules {
		if !enabled[r.ID] {
			continue
		}
		p := &Pass{Rule: r, Notebook: nb, Facts: fx, Path: in.Path, options: s.Options[r.ID], findings: &findings}
		func() {
			defer func() {
				if rec := recover(); rec != nil {
					out.errors = append(out.errors, InternalError{Path: in.Path,
						Msg: fmt.Sprintf("internal error in rule %s: %v\n%s", r.ID, rec, firstFrames(debug.Stack()))})
				}
			}()
			r.Run(p)
		}()
	}
	sups := ParseSuppressions(nb, s.all)
	for _, f := range applySuppressions(sups, findings, enabled) {
		report(f.Rule, f)
	}
	out.findings = finish(nb, fx, findings, in, o, &out.nb)
	return out
}

var errNotPercent = errors.New("not a percent-format notebook")

func readInput(in Input) (*notebook.Notebook, error) {
	if in.PercentOnly {
		data, err := os.ReadFile(in.File)
		if err != nil {
			return notebook.Read(in.File)
		}
		if !notebook.IsPercent(data) {
			return nil, errNotPercent
		}
		return notebook.ReadPercent(in.Path, data)
	}
	if in.Data != nil {
		if strings.HasSuffix(strings.ToLower(in.Path), ".py") {
			return notebook.ReadPercent(in.Path, in.Data)
		}
		return notebook.ReadIPYNB(in.Path, bytes.NewReader(in.Data))
	}
	nb, err := notebook.Read(in.File)
	if nb != nil {
		nb.Path = in.Path
	}
	var re *notebook.ReadError
	if errors.As(err, &re) {
		re.Path = in.Path
	}
	return nb, err
}

// envFor finds the repository root above the notebook: the nearest
// directory holding .git, nbprod.toml or a pyproject.toml.
func envFor(in Input) facts.Env {
	if in.File == "" {
		return facts.Env{}
	}
	abs, err := filepath.Abs(in.File)
	if err != nil {
		return facts.Env{}
	}
	env := facts.Env{Dir: filepath.Dir(abs)}
	for d := env.Dir; ; d = filepath.Dir(d) {
		for _, marker := range []string{".git", "nbprod.toml", "pyproject.toml"} {
			if _, err := os.Stat(filepath.Join(d, marker)); err == nil {
				env.Root = d
				return env
			}
		}
		if filepath.Dir(d) == d {
			return env
		}
	}
}

// finish sorts a notebook's findings, adds snippets and fingerprints, and
// fills the notebook summary.
func finish(nb *notebook.Notebook, fx *facts.Notebook, fs []Finding, in Input, o *RunOptions, sum *NotebookResult) []Finding {
	// A severity set in the config applies to every finding of the rule,
	// escalated ones included: the user's choice wins.
	for i := range fs {
		f := &fs[i]
		if r := ruleByID(o.Settings.all, f.Rule); r != nil && o.Settings.Severity[f.Rule] != r.Severity {
			f.Severity = o.Settings.Severity[f.Rule]
		}
	}
	SortFindings(fs)
	for i := range fs {
		f := &fs[i]
		if nb != nil && fx != nil && f.Cell >= 0 && f.Output == nil && f.Line > 0 && f.Cell < len(nb.Cells) {
			// The code line is shown under the finding; secrets and
			// personal values on it are redacted.
			f.Snippet = ownSnippet(fx.RedactLine(f.Cell, f.Line, nb.Cells[f.Cell].Line(f.Line)))
		}
	}
	var redactLine func(cell, line int, text string) string
	if fx != nil {
		redactLine = fx.RedactLine
		// Safety net: whatever a rule wrote, no secret value it quotes
		// reaches an output. The strings are copied too: a name a rule
		// quotes is often a slice of the cell source, and findings outlive
		// the notebook (a run over 50,000 notebooks must not keep their
		// sources alive).
		own := func(s string) string { return strings.Clone(fx.RedactText(s)) }
		for i := range fs {
			redactFinding(&fs[i], own)
		}
	}
	fingerprint(nb, fs, fingerprintPath(in, o.FingerprintDir), redactLine)
	summarize(sum, fs)
	return fs
}

func fingerprintPath(in Input, dir string) string {
	p := in.File
	if p == "" {
		p = in.Path
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return in.Path
	}
	base := dir
	if base == "" {
		base = "."
	}
	absBase, err := filepath.Abs(base)
	if err != nil {
		return in.Path
	}
	rel, err := filepath.Rel(absBase, abs)
	if err != nil {
		return in.Path
	}
	return filepath.ToSlash(rel)
}

func summarize(sum *NotebookResult, fs []Finding) {
	sum.Counts = map[Severity]int{}
	sum.ByCategory = map[Category]map[Severity]int{}
	for i := range fs {
		f := &fs[i]
		if !f.Active() {
			continue
		}
		sum.Counts[f.Severity]++
		if sum.ByCategory[f.Category] == nil {
			sum.ByCategory[f.Category] = map[Severity]int{}
		}
		sum.ByCategory[f.Category][f.Severity]++
	}
	sum.Score = Score(sum.Counts[Blocker], sum.Counts[Warning], sum.Counts[Info], sum.Unreadable)
}

func firstFrames(stack []byte) string {
	lines := strings.Split(string(stack), "\n")
	if len(lines) > 16 {
		lines = lines[:16]
	}
	return strings.Join(lines, "\n")
}

// redactFinding passes every text of a finding through redact.
// maxSnippet bounds the code line kept with a finding (a minified line can
// be megabytes long).
const maxSnippet = 400

// ownSnippet copies a snippet out of the cell source, cut to maxSnippet
// bytes at a character boundary.
func ownSnippet(s string) string {
	if len(s) > maxSnippet {
		cut := maxSnippet
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return s[:cut] + " …"
	}
	return strings.Clone(s)
}

func redactFinding(f *Finding, redact func(string) string) {
	f.Message = redact(f.Message)
	f.Fix = redact(f.Fix)
	for i := range f.Related {
		f.Related[i].Message = redact(f.Related[i].Message)
	}
	for k, v := range f.Data {
		f.Data[k] = redactAny(v, redact)
	}
}

func redactAny(v any, redact func(string) string) any {
	switch x := v.(type) {
	case string:
		return redact(x)
	case []string:
		out := make([]string, len(x))
		for i, s := range x {
			out[i] = redact(s)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = redactAny(s, redact)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, s := range x {
			out[k] = redactAny(s, redact)
		}
		return out
	}
	return v
}
