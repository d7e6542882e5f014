package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/nbprod/nbprod/analyze"
)

// cells splits a Markdown table row on the pipes GFM treats as cell
// separators (not backslash-escaped).
func cells(row string) []string {
	var out []string
	var cur strings.Builder
	for i := 0; i < len(row); i++ {
		switch {
		case row[i] == '\\' && i+1 < len(row):
			cur.WriteByte(row[i])
			cur.WriteByte(row[i+1])
			i++
		case row[i] == '|':
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(row[i])
		}
	}
	out = append(out, cur.String())
	// "| a | b |" → "", " a ", " b ", "": drop the outer empties.
	return out[1 : len(out)-1]
}

// unescapedBackticks counts backticks not preceded by a backslash.
func unescapedBackticks(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if s[i] == '`' {
			n++
		}
	}
	return n
}

func renderMarkdown(t *testing.T, res *analyze.Result) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Markdown(&buf, res, Options{}); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestMarkdownTables(t *testing.T) {
	res := fixtureResult()
	out := renderMarkdown(t, res)
	if !strings.HasPrefix(out, "## ") {
		t.Errorf("no heading: %q", out[:20])
	}
	var findingRows int
	width := 0 // cells in the current table's header row
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "|") {
			width = 0
			continue
		}
		c := cells(line)
		if width == 0 {
			width = len(c)
			if line != "| Severity | Rule | Location | Message |" && line != "| Notebook | Score | Blockers | Warnings | Info |" {
				t.Errorf("unexpected table header %q", line)
			}
		}
		if len(c) != width {
			t.Errorf("row has %d cells, its header %d: %q", len(c), width, line)
		}
		if width == 4 {
			if strings.Contains(line, "[NB") {
				findingRows++
				// The message cell: no unescaped backtick, no raw HTML.
				if n := unescapedBackticks(c[3]); n != 0 {
					t.Errorf("message cell has %d unescaped backticks: %q", n, c[3])
				}
				if strings.Contains(strings.ReplaceAll(c[3], "<br>", ""), "<") {
					t.Errorf("raw < in message cell: %q", c[3])
				}
			}
		}
	}
	active := fixtureActive(res)
	if want := active[analyze.Blocker] + active[analyze.Warning] + active[analyze.Info]; findingRows != want {
		t.Errorf("%d finding rows, want the %d active findings", findingRows, want)
	}
	// The row of the message with "|" and backticks.
	if !strings.Contains(out, "\\`model\\` was fitted in cell 9 \\| run 50% later") {
		t.Error("NB101 message not escaped as expected")
	}
	if !strings.Contains(out, "&lt;redacted email, 17 chars&gt;") {
		t.Error("< > not escaped")
	}
	if !strings.Contains(out, "cc @\u200banna") {
		t.Error("@mention not neutralised")
	}
	for _, rule := range []string{"NB604", "NB201", "NB802"} {
		if strings.Contains(out, "["+rule+"]") {
			t.Errorf("suppressed or baselined %s is listed", rule)
		}
	}
	// Info findings sit inside <details> blocks.
	for _, rule := range []string{"NB107", "NB804", "NB703"} {
		i := strings.Index(out, "["+rule+"]")
		open := strings.LastIndex(out[:i], "<details>")
		closed := strings.LastIndex(out[:i], "</details>")
		if i < 0 || open < 0 || closed > open {
			t.Errorf("info finding %s is not collapsed", rule)
		}
	}
	// Ends with the readiness table, one row per notebook.
	tail := out[strings.LastIndex(out, "| Notebook | Score | Blockers | Warnings | Info |"):]
	rows := strings.Split(strings.TrimSpace(tail), "\n")
	if len(rows) != 2+len(res.Notebooks) {
		t.Fatalf("readiness table:\n%s", tail)
	}
	if got := cells(rows[2]); strings.TrimSpace(got[0]) != "`"+pathChurn+"`" || strings.TrimSpace(got[1]) != "48" || strings.TrimSpace(got[2]) != "3" {
		t.Errorf("readiness row = %q", rows[2])
	}
	if !strings.Contains(out, "Found 4 blockers, 2 warnings and 3 info findings in 3 notebooks (2 suppressed, 1 baselined).") {
		t.Error("summary line missing")
	}
}

func TestMarkdownEscaping(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"a | b", `a \| b`},
		{"`x`", "\\`x\\`"},
		{"a\\|b", `a\\\|b`},
		{"**bold** _it_ [link](u) ~s~", `\*\*bold\*\* \_it\_ \[link\](u) \~s\~`},
		{"<img src=x> & co", "&lt;img src=x&gt; &amp; co"},
		{"line\nbreak\r\n", "line<br>break<br>"},
		{"ping @octocat, mail a@b.c", "ping @\u200boctocat, mail a@b.c"},
		{"esc \x1b[31m", "esc \ufffd\\[31m"},
	} {
		if got := mdText(c.in); got != c.want {
			t.Errorf("mdText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	for _, c := range []struct{ in, want string }{
		{"nb.ipynb", "`nb.ipynb`"},
		{"a|b.ipynb", "`a\\|b.ipynb`"},
		{"a`b.ipynb", "``a`b.ipynb``"},
		{"`a``.ipynb`", "``` `a``.ipynb` ```"},
	} {
		if got := mdCode(c.in); got != c.want {
			t.Errorf("mdCode(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// A notebook with many blockers and warnings is collapsed; one with few is
// not.
func TestMarkdownManyFindings(t *testing.T) {
	var fs []analyze.Finding
	for i := 0; i < mdManyFindings+1; i++ {
		fs = append(fs, analyze.Finding{Rule: "NB301", Name: "absolute-local-path", Severity: analyze.Blocker,
			Path: "big.ipynb", Cell: i, Line: 1, Column: 1, Message: fmt.Sprintf("path %d", i)})
	}
	fs = append(fs, analyze.Finding{Rule: "NB301", Name: "absolute-local-path", Severity: analyze.Blocker,
		Path: "small.ipynb", Cell: 0, Line: 1, Column: 1, Message: "one path"})
	out := renderMarkdown(t, &analyze.Result{Findings: fs})
	big := out[strings.Index(out, "`big.ipynb`"):strings.Index(out, "`small.ipynb`")]
	if !strings.Contains(big, "<summary>21 blockers</summary>") {
		t.Errorf("big notebook not collapsed:\n%s", big)
	}
	if strings.Contains(out[strings.Index(out, "`small.ipynb`"):], "<details>") {
		t.Error("small notebook collapsed")
	}
}
