package report

import (
	"crypto/sha256"
	"fmt"

	"github.com/nbprod/nbprod/analyze"
)

// Paths of the fixture notebooks. The second one has a space, a comma and
// a colon, which SARIF must percent-encode and GitHub commands escape.
const (
	pathChurn = "notebooks/churn.ipynb"
	pathDraft = "notebooks/q1 draft, v2:final.ipynb"
	pathClean = "notebooks/clean.ipynb"
)

// rawSecret is what an engine that failed to redact would leave in a
// snippet. It is assembled at run time (RULES.md §2: no literal tokens in
// the repository); no report may contain it.
var rawSecret = "AKIA" + "IOSFODNN7" + "EXAMPLE"

// fixtureDoc is a rule documentation page in the shape of
// analyze/rules/docs/NBxxx.md.
func fixtureDoc(id, name, what, conf string) analyze.Doc {
	md := fmt.Sprintf("# %s (%s)\n\n## What it does\n%s\n\n## Why is this bad?\nIt breaks in production.\n\n"+
		"## Example\n```python\nbad()\n```\n\n## Use instead\n```python\ngood()\n```\n", name, id, what)
	if conf != "" {
		md += "\n## Configuration\n" + conf + "\n"
	}
	return analyze.ParseDoc(md)
}

func fixtureRule(id, name string, cat analyze.Category, sev analyze.Severity, what string, opts ...analyze.Option) *analyze.Rule {
	conf := ""
	for _, o := range opts {
		conf += fmt.Sprintf("- `%s` (default `%v`): %s\n", o.Name, o.Default, o.Help)
	}
	return &analyze.Rule{
		ID: id, Name: name, Category: cat, Severity: sev,
		Doc:     fixtureDoc(id, name, what, conf),
		Options: opts,
		Run:     func(*analyze.Pass) {},
	}
}

// fixtureResult builds a Result that exercises every formatter path:
// three notebooks (one clean), findings of each severity at notebook,
// cell and output level, a suppressed finding with a reason and one
// suppressed by a tag (no reason), a baselined one, Data with a path and
// with a redacted secret, related locations, a rule with options, a
// severity override, a finding of a rule that is not in the enabled list
// (NB003), and an internal error.
func fixtureResult() *analyze.Result {
	rules := []*analyze.Rule{
		fixtureRule("NB101", "non-linear-execution", analyze.CatHiddenState, analyze.Warning,
			"Flags cells whose execution counts are out of document order. Such notebooks only work when run by hand."),
		fixtureRule("NB107", "execution-count-gap", analyze.CatHiddenState, analyze.Info,
			"Flags gaps in the execution counts."),
		fixtureRule("NB201", "unseeded-rng", analyze.CatReproducible, analyze.Warning,
			"Flags random number generators used without a seed."),
		fixtureRule("NB301", "absolute-local-path", analyze.CatDataAccess, analyze.Blocker,
			"Flags absolute paths to local files. They exist only on the author's machine.",
			analyze.Option{Name: "allowed-prefixes", Default: []string{"/data/", "/mnt/shared/"}, Help: "path prefixes that are mounted in production"},
			analyze.Option{Name: "escalate-personal", Default: true, Help: "report personal folders as blockers"}),
		fixtureRule("NB401", "hardcoded-secret", analyze.CatSecurity, analyze.Blocker,
			"Flags credentials written into the notebook source."),
		fixtureRule("NB503", "personal-data-in-outputs", analyze.CatPersonalData, analyze.Blocker,
			"Flags personal data (emails, phone numbers, …) in saved outputs."),
		fixtureRule("NB604", "unpinned-or-undeclared-dependency", analyze.CatEnvironment, analyze.Blocker,
			"Flags installs without a pinned version and imports missing from the requirements."),
		fixtureRule("NB703", "large-model-footprint", analyze.CatCost, analyze.Info,
			"Flags models that need a large machine."),
		fixtureRule("NB802", "oversized-cell-or-notebook", analyze.CatCodeStructure, analyze.Info,
			"Flags very long cells and notebooks."),
		fixtureRule("NB804", "imports-not-at-top", analyze.CatCodeStructure, analyze.Info,
			"Flags imports after the first code cell."),
		fixtureRule("NB805", "invalid-python-syntax", analyze.CatCodeStructure, analyze.Blocker,
			"Flags cells that do not parse as Python 3."),
		fixtureRule("NB905", "default-notebook-name", analyze.CatHygiene, analyze.Info,
			"Flags notebooks still called Untitled."),
	}
	sev := map[string]analyze.Severity{}
	for _, r := range rules {
		sev[r.ID] = r.Severity
	}
	sev["NB604"] = analyze.Warning // [tool.nbprod.severity] override

	mk := func(r *analyze.Rule, path string, cell int, f analyze.Finding) analyze.Finding {
		f.Rule, f.Name, f.Category = r.ID, r.Name, r.Category
		if f.Severity == 0 {
			f.Severity = r.Severity
			if s, ok := sev[r.ID]; ok {
				f.Severity = s
			}
		}
		f.Path, f.Cell = path, cell
		if f.Fingerprint == "" {
			f.Fingerprint = fmt.Sprintf("sha256:%x", sha256.Sum256([]byte(fmt.Sprintf("%s|%s|%d|%d|%s", r.ID, path, cell, f.Line, f.Message))))
		}
		return f
	}
	byID := map[string]*analyze.Rule{}
	for _, r := range rules {
		byID[r.ID] = r
	}
	nb003 := &analyze.Rule{ID: "NB003", Name: "unused-suppression", Category: analyze.CatNbprod, Severity: analyze.Warning}

	findings := []analyze.Finding{
		mk(byID["NB107"], pathChurn, -1, analyze.Finding{
			Message: "execution counts jump from 4 to 9: cells were run, then deleted or re-run",
			Data:    map[string]any{"from": 4, "to": 9},
		}),
		mk(byID["NB401"], pathChurn, 1, analyze.Finding{
			CellID: "c0ffee01", Line: 2, Column: 11, EndLine: 2, EndColumn: 33, FileLine: 30, FileColumn: 19,
			Message: "AWS access key AKIA… (20 chars) assigned to aws_key",
			Fix:     `read it from os.environ["AWS_ACCESS_KEY_ID"] and rotate the key`,
			Data: map[string]any{
				"kind": "aws-access-key-id", "env_var": "AWS_ACCESS_KEY_ID",
				"redacted": "AKIA… (aws-access-key-id, 20 chars)",
			},
			Snippet: `aws_key = "` + rawSecret + `"`,
		}),
		mk(byID["NB301"], pathChurn, 4, analyze.Finding{
			CellID: "a1b2", Line: 2, Column: 18, EndLine: 2, EndColumn: 53, FileLine: 57, FileColumn: 9,
			Message: "absolute path 'C:/Users/anna/Downloads/sales.csv' passed to pd.read_csv: it exists only on the author's machine",
			Fix:     "pass it as a parameter: cfg.paths.sales",
			Data: map[string]any{
				"value": "C:/Users/anna/Downloads/sales.csv", "kind": "windows-drive", "config_key": "paths.sales",
			},
			Related: []analyze.Related{
				{Cell: 4, Line: 2, Column: 32, Message: "personal folder 'Downloads'"},
				{Cell: -1, Message: "the notebook has no config cell"},
			},
			Snippet: `df = pd.read_csv("C:/Users/anna/Downloads/sales.csv")`,
		}),
		mk(byID["NB201"], pathChurn, 5, analyze.Finding{
			CellID: "5eed", Line: 1, Column: 1, EndLine: 1, EndColumn: 20, FileLine: 80, FileColumn: 6,
			Message:   "np.random.shuffle is used before any seed is set",
			Snippet:   "np.random.shuffle(x)",
			Baselined: true,
		}),
		mk(byID["NB101"], pathChurn, 6, analyze.Finding{
			CellID: "d00d", Line: 3, Column: 2, EndLine: 3, EndColumn: 7, FileLine: 95, FileColumn: 7,
			Message: "`model` was fitted in cell 9 | run 50% later, see: cells 7,8",
			Fix:     "run the cells in order:\nRestart & Run All (100% of cells)",
			Snippet: "\tmodel.fit(X, y)  # retrain",
		}),
		mk(byID["NB503"], pathChurn, 8, analyze.Finding{
			CellID: "e8", Output: &analyze.OutputRef{Index: 0, MIME: "text/plain", Line: 3}, FileLine: 140,
			Message: "email address <redacted email, 17 chars> in a saved output, cc @anna",
			Fix:     "clear the output before committing",
			Data:    map[string]any{"kind": "email", "redacted": "<redacted email, 17 chars>"},
		}),
		mk(byID["NB604"], pathChurn, 0, analyze.Finding{
			CellID: "f00", Line: 1, Column: 1, EndLine: 1, EndColumn: 20, FileLine: 20, FileColumn: 6,
			Message:           "%pip install pandas without a version",
			Fix:               "pin it: %pip install pandas==2.2.2",
			Snippet:           "%pip install pandas",
			Suppressed:        true,
			SuppressionReason: "pinned in the Docker image",
		}),
		mk(byID["NB804"], pathChurn, 10, analyze.Finding{
			CellID: "i10", Line: 1, Column: 1, EndLine: 1, EndColumn: 22, FileLine: 170, FileColumn: 6,
			Message: "import of seaborn after the first code cell",
			Snippet: "import seaborn as sns",
		}),
		mk(nb003, pathChurn, 11, analyze.Finding{
			CellID: "u11", Line: 1, Column: 3, EndLine: 1, EndColumn: 31, FileLine: 180, FileColumn: 8,
			Message: "suppression of NB303 matches nothing",
			Snippet: "# nbprod: ignore[NB303] -- old",
		}),
		mk(byID["NB802"], pathDraft, -1, analyze.Finding{
			Message:    "the notebook has 412 lines of code in 3 cells",
			Suppressed: true, // by a cell tag: no reason
		}),
		mk(byID["NB805"], pathDraft, 2, analyze.Finding{
			Line: 1, Column: 1, EndLine: 1, EndColumn: 14, FileLine: 33, FileColumn: 8,
			Message: "Python 2 print statement",
			Snippet: `print "hello"`,
		}),
		mk(byID["NB703"], pathDraft, 3, analyze.Finding{
			Line: 1, Column: 9, EndLine: 1, EndColumn: 47, FileLine: 40, FileColumn: 16,
			Message: "model weights of about 13 GB are loaded into memory",
			Snippet: `model = AutoModel.from_pretrained("llama-13b")`,
		}),
	}
	analyze.SortFindings(findings)

	return &analyze.Result{
		Notebooks: []analyze.NotebookResult{
			{
				Path: pathClean, Cells: 4, CodeCells: 2, Language: "python", Score: 100,
				Counts: map[analyze.Severity]int{}, ByCategory: map[analyze.Category]map[analyze.Severity]int{},
			},
			{
				Path: pathChurn, Cells: 12, CodeCells: 9, Language: "python", Score: 48,
				Counts: map[analyze.Severity]int{analyze.Blocker: 3, analyze.Warning: 2, analyze.Info: 2},
				ByCategory: map[analyze.Category]map[analyze.Severity]int{
					analyze.CatNbprod:        {analyze.Warning: 1},
					analyze.CatHiddenState:   {analyze.Warning: 1, analyze.Info: 1},
					analyze.CatDataAccess:    {analyze.Blocker: 1},
					analyze.CatSecurity:      {analyze.Blocker: 1},
					analyze.CatPersonalData:  {analyze.Blocker: 1},
					analyze.CatCodeStructure: {analyze.Info: 1},
				},
			},
			{
				Path: pathDraft, Cells: 5, CodeCells: 3, Language: "python", Score: 69,
				Counts: map[analyze.Severity]int{analyze.Blocker: 1, analyze.Info: 1},
				ByCategory: map[analyze.Category]map[analyze.Severity]int{
					analyze.CatCodeStructure: {analyze.Blocker: 1},
					analyze.CatCost:          {analyze.Info: 1},
				},
			},
		},
		Findings: findings,
		Rules:    rules,
		Severity: sev,
		Errors: []analyze.InternalError{
			{Path: pathDraft, Msg: "rule NB205 panicked: index out of range [3] with length 3"},
			{Path: pathChurn, Msg: "rule NB702 panicked: nil map write"},
		},
	}
}

// activeFindings counts the fixture's findings that are neither suppressed
// nor baselined, by severity, straight from the fixture (independently of
// Summarize).
func fixtureActive(res *analyze.Result) map[analyze.Severity]int {
	m := map[analyze.Severity]int{}
	for _, f := range res.Findings {
		if !f.Suppressed && !f.Baselined {
			m[f.Severity]++
		}
	}
	return m
}

// fixtureFinding returns the fixture finding of a rule.
func fixtureFinding(res *analyze.Result, rule string) *analyze.Finding {
	for i := range res.Findings {
		if res.Findings[i].Rule == rule {
			return &res.Findings[i]
		}
	}
	panic("no fixture finding for " + rule)
}
