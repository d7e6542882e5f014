package report

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/nbprod/nbprod/analyze"
)

func TestGitHubEscaping(t *testing.T) {
	for _, c := range []struct{ in, data, prop string }{
		{"plain", "plain", "plain"},
		{"100%", "100%25", "100%25"},
		{"a\nb\r\nc", "a%0Ab%0D%0Ac", "a%0Ab%0D%0Ac"},
		{"a:b,c", "a:b,c", "a%3Ab%2Cc"},
		{"%0A", "%250A", "%250A"}, // already-escaped text is escaped again
		{"::error::x", "::error::x", "%3A%3Aerror%3A%3Ax"},
	} {
		if got := escapeData(c.in); got != c.data {
			t.Errorf("escapeData(%q) = %q, want %q", c.in, got, c.data)
		}
		if got := escapeProperty(c.in); got != c.prop {
			t.Errorf("escapeProperty(%q) = %q, want %q", c.in, got, c.prop)
		}
	}
}

// unescapeCommand parses "::name k=v,…::message" back, undoing the toolkit
// escaping, so the test checks round trips instead of strings.
func unescapeCommand(t *testing.T, line string) (name string, props map[string]string, msg string) {
	t.Helper()
	if !strings.HasPrefix(line, "::") {
		t.Fatalf("not a workflow command: %q", line)
	}
	rest := line[2:]
	i := strings.Index(rest, "::")
	if i < 0 {
		t.Fatalf("no message separator: %q", line)
	}
	head, body := rest[:i], rest[i+2:]
	name, list, _ := strings.Cut(head, " ")
	unesc := strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%")
	props = map[string]string{}
	if list != "" {
		for _, kv := range strings.Split(list, ",") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				t.Fatalf("bad property %q in %q", kv, line)
			}
			props[k] = unesc.Replace(v)
		}
	}
	return name, props, unesc.Replace(body)
}

func TestGitHubCommands(t *testing.T) {
	res := fixtureResult()
	var buf bytes.Buffer
	if err := GitHub(&buf, res, Options{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	active := fixtureActive(res)
	wantLines := active[analyze.Blocker] + active[analyze.Warning] + active[analyze.Info] + len(res.Errors) + len(res.Notebooks)
	if len(lines) != wantLines {
		t.Fatalf("%d commands, want %d (active findings, a readiness notice per notebook, internal errors):\n%s", len(lines), wantLines, buf.String())
	}
	notices := 0
	for _, line := range lines {
		if strings.Contains(line, "title=nbprod readiness::production-readiness score ") {
			notices++
		}
	}
	if notices != len(res.Notebooks) {
		t.Errorf("%d readiness notices, want one per notebook (%d)", notices, len(res.Notebooks))
	}
	seen := map[string]bool{}
	for _, line := range lines {
		if strings.ContainsAny(line, "\r") {
			t.Errorf("raw carriage return in %q", line)
		}
		name, props, msg := unescapeCommand(t, line)
		if props["title"] == "nbprod internal error" || props["title"] == "nbprod readiness" {
			continue
		}
		rule, _, _ := strings.Cut(props["title"], " ")
		f := fixtureFinding(res, rule)
		seen[rule] = true
		if want := map[analyze.Severity]string{analyze.Blocker: "error", analyze.Warning: "warning", analyze.Info: "notice"}[f.Severity]; name != want {
			t.Errorf("%s: command %q, want %q", rule, name, want)
		}
		if props["file"] != f.Path {
			t.Errorf("%s: file %q, want %q", rule, props["file"], f.Path)
		}
		if props["title"] != f.Rule+" "+f.Name {
			t.Errorf("%s: title %q", rule, props["title"])
		}
		wantLine := "1"
		if f.Cell >= 0 {
			wantLine = strconv.Itoa(f.FileLine)
		}
		if props["line"] != wantLine {
			t.Errorf("%s: line %q, want %q", rule, props["line"], wantLine)
		}
		if f.FileColumn > 0 && props["col"] != strconv.Itoa(f.FileColumn) {
			t.Errorf("%s: col %q, want %d", rule, props["col"], f.FileColumn)
		}
		want := f.Message
		if f.Fix != "" {
			want += "\nfix: " + f.Fix
		}
		if msg != want {
			t.Errorf("%s: message round trip %q, want %q", rule, msg, want)
		}
	}
	for _, f := range res.Findings {
		if seen[f.Rule] == f.Active() {
			continue
		}
		t.Errorf("%s: annotated = %v, active = %v", f.Rule, seen[f.Rule], f.Active())
	}
	out := buf.String()
	// The path with a comma and a colon, and the message with % and a newline.
	if !strings.Contains(out, "file=notebooks/q1 draft%2C v2%3Afinal.ipynb,") {
		t.Error("file property not escaped")
	}
	if !strings.Contains(out, "run 50%25 later, see: cells 7,8%0Afix: run the cells in order:%0ARestart") {
		t.Error("message not escaped as data")
	}
}
