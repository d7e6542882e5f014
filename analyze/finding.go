package analyze

import (
	"fmt"
	"sort"
	"strings"
)

// Severity orders findings: Info < Warning < Blocker.
type Severity uint8

const (
	Info Severity = iota + 1
	Warning
	Blocker
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Blocker:
		return "blocker"
	}
	return "unknown"
}

// ParseSeverity parses "blocker", "warning" or "info".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "blocker", "error":
		return Blocker, nil
	case "warning", "warn":
		return Warning, nil
	case "info", "note":
		return Info, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want blocker, warning or info)", s)
}

// Category groups rules by theme (RULES.md §0.1).
type Category string

const (
	CatNbprod        Category = "nbprod"
	CatHiddenState   Category = "hidden-state"
	CatReproducible  Category = "reproducibility"
	CatDataAccess    Category = "data-access"
	CatSecurity      Category = "security"
	CatPersonalData  Category = "personal-data"
	CatEnvironment   Category = "environment"
	CatCost          Category = "cost"
	CatCodeStructure Category = "code-structure"
	CatHygiene       Category = "hygiene"
)

// Categories lists the categories in ID order (NB0xx … NB9xx).
var Categories = []Category{CatNbprod, CatHiddenState, CatReproducible, CatDataAccess, CatSecurity,
	CatPersonalData, CatEnvironment, CatCost, CatCodeStructure, CatHygiene}

// OutputRef locates a finding inside a saved output of its cell.
type OutputRef struct {
	Index int    // output index within the cell
	MIME  string // "stream" for stream text, "error" for a traceback
	Line  int    // 1-based line within that output's text (0 when unknown)
}

// Related is a secondary location of a finding (SARIF relatedLocations).
type Related struct {
	Cell    int // -1 for notebook level
	Line    int
	Column  int
	Message string
}

// Finding is one reported problem. Positions inside a cell are 1-based
// (columns in Unicode code points); zero means "not applicable".
type Finding struct {
	Rule     string // NB101
	Name     string // non-linear-execution
	Category Category
	Severity Severity

	Path   string // slash-separated, as given on the command line joined with the walked path
	Cell   int    // 0-based index among all cells; -1 for a notebook-level finding
	CellID string

	Line, Column, EndLine, EndColumn int
	FileLine, FileColumn             int
	Output                           *OutputRef

	Message string
	Fix     string
	// Data carries rule-specific facts for machines (a path's value, kind
	// and config key; a secret's kind, env var and redacted form). It must
	// never hold a secret or personal value.
	Data map[string]any
	// Key is the normalised snippet the fingerprint uses instead of the
	// source text: a name, or a salted hash for secret and personal values.
	Key     string
	Related []Related
	// Snippet is the source line the finding starts on, with secret and
	// personal values redacted, for text output ("" for notebook-level and
	// output findings).
	Snippet string

	Fingerprint       string
	Suppressed        bool
	SuppressionReason string
	// Baselined is set for findings hidden by --baseline.
	Baselined bool

	fpPath string // path the fingerprint was computed with
}

// Active reports whether the finding counts (not suppressed, not baselined).
func (f *Finding) Active() bool { return !f.Suppressed && !f.Baselined }

// SortFindings orders findings deterministically: path, cell (notebook
// level first), line, column, rule, message.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := &fs[i], &fs[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Cell != b.Cell {
			return a.Cell < b.Cell
		}
		ao, bo := outputOrder(a), outputOrder(b)
		if ao != bo {
			return ao < bo
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Message < b.Message
	})
}

// outputOrder puts source findings before output findings, outputs by index.
func outputOrder(f *Finding) int {
	if f.Output == nil {
		return -1
	}
	return f.Output.Index*1_000_000 + f.Output.Line
}
