package report

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/nbprod/nbprod/analyze"
)

func renderText(t *testing.T, res *analyze.Result, opts Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Text(&buf, res, opts); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

var findingLine = regexp.MustCompile(`^(.+?)(?::cell (\d+)(?::(\d+)(?::(\d+))?|:output (\d+)(?::(\d+))?)?)?: (NB\d{3}) \[(blocker|warning|info)\] (.*)$`)

// Every listed finding has the grep-friendly form, with N = cell + 1.
func TestTextFindingLines(t *testing.T) {
	res := fixtureResult()
	for _, showInfo := range []bool{false, true} {
		out := renderText(t, res, Options{ShowInfo: showInfo})
		listed := map[string]bool{}
		for _, line := range strings.Split(out, "\n") {
			m := findingLine.FindStringSubmatch(line)
			if m == nil || strings.HasPrefix(line, " ") {
				continue
			}
			f := fixtureFinding(res, m[7])
			listed[f.Rule] = true
			if m[1] != f.Path || m[8] != f.Severity.String() || m[9] != f.Message {
				t.Errorf("line %q does not match finding %+v", line, f)
			}
			switch {
			case f.Cell < 0:
				if m[2] != "" {
					t.Errorf("notebook-level finding with a cell: %q", line)
				}
			case f.Output != nil:
				if m[2] != strconv.Itoa(f.Cell+1) || m[5] != strconv.Itoa(f.Output.Index+1) || m[6] != strconv.Itoa(f.Output.Line) {
					t.Errorf("output location wrong: %q", line)
				}
			default:
				if m[2] != strconv.Itoa(f.Cell+1) || m[3] != strconv.Itoa(f.Line) || m[4] != strconv.Itoa(f.Column) {
					t.Errorf("cell location wrong (want cell %d): %q", f.Cell+1, line)
				}
			}
		}
		for _, f := range res.Findings {
			want := f.Active() && (showInfo || f.Severity != analyze.Info)
			if listed[f.Rule] != want {
				t.Errorf("ShowInfo=%v: %s listed = %v, want %v", showInfo, f.Rule, listed[f.Rule], want)
			}
		}
		hidden := strings.Contains(out, "2 info findings hidden (--show-info lists them)") &&
			strings.Contains(out, "1 info finding hidden (--show-info lists them)")
		if hidden == showInfo {
			t.Errorf("ShowInfo=%v: hidden-info lines present = %v", showInfo, hidden)
		}
		if !strings.Contains(out, "Found 4 blockers, 2 warnings and 3 info findings in 3 notebooks (2 suppressed, 1 baselined).\n") {
			t.Error("summary line missing")
		}
	}
}

func TestTextLayout(t *testing.T) {
	res := fixtureResult()
	out := renderText(t, res, Options{})
	lines := strings.Split(out, "\n")
	index := func(prefix string) int {
		for i, l := range lines {
			if strings.HasPrefix(l, prefix) {
				return i
			}
		}
		t.Fatalf("no line starting with %q in\n%s", prefix, out)
		return -1
	}
	// Header with the score before the notebook's findings.
	h := index(pathChurn + "  score 48/100")
	if first := index(pathChurn + ":cell"); first <= h {
		t.Error("header after findings")
	}
	if strings.Contains(out, pathClean) {
		t.Error("clean notebook has a section")
	}
	// NB301: snippet, underline of the 35-character string, fix, related.
	i := index(pathChurn + ":cell 5:2:18: NB301")
	want := []string{
		`  2 | df = pd.read_csv("C:/Users/anna/Downloads/sales.csv")`,
		`    |                  ` + strings.Repeat("^", 35),
		"  fix: pass it as a parameter: cfg.paths.sales",
		"  related: cell 5:2:32: personal folder 'Downloads'",
		"  related: notebook: the notebook has no config cell",
	}
	for k, w := range want {
		if lines[i+1+k] != w {
			t.Errorf("line %d after NB301 = %q, want %q", k+1, lines[i+1+k], w)
		}
	}
	// NB101: the tab before the column is copied into the underline.
	i = index(pathChurn + ":cell 7:3:2: NB101")
	if lines[i+2] != "    | \t^^^^^" {
		t.Errorf("tab underline = %q", lines[i+2])
	}
	// Secret and output findings show no source line.
	i = index(pathChurn + ":cell 2:2:11: NB401")
	if !strings.HasPrefix(lines[i+1], "  fix:") {
		t.Errorf("line after the secret finding = %q", lines[i+1])
	}
	// Errors come last.
	last := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if !strings.HasPrefix(last[len(last)-1], "internal error: "+pathDraft+": rule NB205") ||
		!strings.HasPrefix(last[len(last)-3], "Found ") {
		t.Errorf("tail = %q", last[len(last)-3:])
	}
}

func TestUnderline(t *testing.T) {
	f := func(col, endCol int) *analyze.Finding {
		return &analyze.Finding{Line: 1, Column: col, EndLine: 1, EndColumn: endCol}
	}
	for _, c := range []struct {
		code string
		f    *analyze.Finding
		want string
	}{
		{"x = 1", f(1, 2), "^"},
		{"x = 1", f(5, 5), "    ^"},  // empty range: one caret
		{"x = 1", f(5, 40), "    ^"}, // clipped to the line
		{"x = 1", f(6, 6), "     ^"}, // just past the end
		{"x = 1", f(9, 10), ""},      // outside the line
		{"x = 1", &analyze.Finding{Line: 1, Column: 1, EndLine: 2, EndColumn: 3}, ""}, // multi-line
		{"x = 1", &analyze.Finding{Line: 1}, ""},                                      // no column
		{"名前 = x", f(6, 7), "       ^"},                                               // wide runes take two cells
		{"\t\tx", f(3, 4), "\t\t^"},
		{"s = \"é\"", f(5, 8), "    ^^^"},
	} {
		if got := underline(c.code, c.f); got != c.want {
			t.Errorf("underline(%q, %d-%d) = %q, want %q", c.code, c.f.Column, c.f.EndColumn, got, c.want)
		}
	}
}

// Colour output is the plain output plus ANSI styling, and plain output has
// none.
func TestTextColor(t *testing.T) {
	res := fixtureResult()
	for _, opts := range []Options{{}, {ShowInfo: true}, {Statistics: true}} {
		plain := renderText(t, res, opts)
		if strings.Contains(plain, "\x1b") {
			t.Errorf("%+v: escape sequence in plain output", opts)
		}
		opts.Color = true
		color := renderText(t, res, opts)
		if !strings.Contains(color, "\x1b[") {
			t.Errorf("%+v: no styling in colour output", opts)
		}
		if got := ansi.Strip(color); got != plain {
			t.Errorf("%+v: colour output minus styling differs from plain:\n%s", opts, lineDiff(plain, got))
		}
	}
}

// Control characters in messages and snippets cannot reach the terminal.
func TestTextControlCharacters(t *testing.T) {
	res := &analyze.Result{Findings: []analyze.Finding{{
		Rule: "NB301", Name: "absolute-local-path", Severity: analyze.Blocker, Category: analyze.CatDataAccess,
		Path: "a.ipynb", Cell: 0, Line: 1, Column: 1, EndLine: 1, EndColumn: 2,
		Message: "bad \x1b]0;title\x07 and\r\nnext", Fix: "f\x1b[2J", Snippet: "x = '\x1b[31m'",
	}}}
	out := renderText(t, res, Options{})
	if strings.ContainsAny(out, "\x1b\x07") {
		t.Errorf("control characters written: %q", out)
	}
	if !strings.Contains(out, "[blocker] bad \ufffd]0;title\ufffd and next\n") {
		t.Errorf("message not sanitised on one line: %q", out)
	}
}

func TestTextStatistics(t *testing.T) {
	mk := func(rule, name string, sev analyze.Severity, n int) []analyze.Finding {
		var fs []analyze.Finding
		for i := 0; i < n; i++ {
			fs = append(fs, analyze.Finding{Rule: rule, Name: name, Severity: sev, Path: "a.ipynb", Cell: i, Line: 1, Column: 1})
		}
		return fs
	}
	var fs []analyze.Finding
	fs = append(fs, mk("NB101", "non-linear-execution", analyze.Warning, 1)...)
	fs = append(fs, mk("NB301", "absolute-local-path", analyze.Blocker, 3)...)
	fs = append(fs, mk("NB201", "unseeded-rng", analyze.Warning, 3)...)
	fs = append(fs, mk("NB105", "unexecuted-cells", analyze.Info, 2)...)
	fs = append(fs, mk("NB105", "unexecuted-cells", analyze.Warning, 10)...)
	sup := mk("NB999", "suppressed-rule", analyze.Blocker, 5)
	for i := range sup {
		sup[i].Suppressed = true
	}
	fs = append(fs, sup...)
	out := renderText(t, &analyze.Result{Findings: fs, Notebooks: []analyze.NotebookResult{{Path: "a.ipynb"}}}, Options{Statistics: true})
	want := "" +
		"12  NB105  unexecuted-cells      warning/info\n" +
		" 3  NB201  unseeded-rng          warning\n" +
		" 3  NB301  absolute-local-path   blocker\n" +
		" 1  NB101  non-linear-execution  warning\n" +
		"\n" +
		"Found 3 blockers, 14 warnings and 2 info findings in 1 notebook (5 suppressed).\n"
	if out != want {
		t.Errorf("statistics =\n%s\nwant\n%s", out, want)
	}
}

func TestSummarySentence(t *testing.T) {
	for _, c := range []struct {
		s    analyze.Summary
		want string
	}{
		{analyze.Summary{Notebooks: 5}, "No findings in 5 notebooks."},
		{analyze.Summary{Notebooks: 1, Suppressed: 2}, "No findings in 1 notebook (2 suppressed)."},
		{analyze.Summary{Notebooks: 2, Baselined: 1, BySeverity: map[analyze.Severity]int{analyze.Warning: 1}}, "Found 1 warning in 2 notebooks (1 baselined)."},
		{analyze.Summary{Notebooks: 2, Suppressed: 3, Baselined: 1, BySeverity: map[analyze.Severity]int{analyze.Blocker: 1, analyze.Warning: 4, analyze.Info: 9}},
			"Found 1 blocker, 4 warnings and 9 info findings in 2 notebooks (3 suppressed, 1 baselined)."},
		{analyze.Summary{Notebooks: 1, BySeverity: map[analyze.Severity]int{analyze.Blocker: 2, analyze.Info: 1}}, "Found 2 blockers and 1 info finding in 1 notebook."},
	} {
		if got := summarySentence(c.s); got != c.want {
			t.Errorf("summarySentence(%+v) = %q, want %q", c.s, got, c.want)
		}
	}
}

func TestTextUnreadable(t *testing.T) {
	res := &analyze.Result{
		Notebooks: []analyze.NotebookResult{{Path: "bad.ipynb", Unreadable: true, Score: 0,
			Counts: map[analyze.Severity]int{analyze.Blocker: 1}}},
		Findings: []analyze.Finding{{Rule: "NB001", Name: "unreadable-notebook", Severity: analyze.Blocker,
			Category: analyze.CatNbprod, Path: "bad.ipynb", Cell: -1, Message: "bad.ipynb: not JSON: unexpected end of input at byte 812"}},
	}
	out := renderText(t, res, Options{})
	want := "bad.ipynb  score 0/100 (unreadable)\n" +
		"bad.ipynb: NB001 [blocker] bad.ipynb: not JSON: unexpected end of input at byte 812\n" +
		"\n" +
		"Found 1 blocker in 1 notebook.\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}
