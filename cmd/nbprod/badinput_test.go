package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// runCLI runs nbprod in-process with captured streams.
func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	io := &ioStreams{In: strings.NewReader(""), Out: &out, Err: &errb, Getenv: func(k string) string {
		if k == "NO_COLOR" {
			return "1"
		}
		return ""
	}}
	code = run(args, io)
	return code, out.String(), errb.String()
}

type badCase struct {
	file       string
	generated  bool
	checkExit  int
	graphExit  int
	message    *regexp.Regexp
	sourceLine int
}

func loadBadCases(t *testing.T) []badCase {
	t.Helper()
	data, err := os.ReadFile("../../testdata/badinput/cases.txt")
	if err != nil {
		t.Fatal(err)
	}
	var out []badCase
	for i, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "|")
		if len(parts) != 4 {
			t.Fatalf("cases.txt:%d: want 4 fields", i+1)
		}
		name := strings.TrimSpace(parts[0])
		c := badCase{sourceLine: i + 1}
		c.file, c.generated = strings.CutSuffix(name, " (generated)")
		c.file = strings.TrimSpace(c.file)
		c.checkExit, _ = strconv.Atoi(strings.TrimSpace(parts[1]))
		c.graphExit, _ = strconv.Atoi(strings.TrimSpace(parts[2]))
		c.message = regexp.MustCompile(strings.TrimSpace(parts[3]))
		out = append(out, c)
	}
	return out
}

func notebookJSON(source string) string {
	return `{"cells": [{"cell_type": "code", "id": "a", "execution_count": 1, "metadata": {}, "outputs": [], "source": ` +
		source + `}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}`
}

// generateBad makes the cases that are not committed files.
func generateBad(t *testing.T, dir, name string) {
	t.Helper()
	p := filepath.Join(dir, name)
	write := func(s string) {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	quote := func(s string) string { return strconv.Quote(s) }
	switch name {
	case "binary.ipynb":
		write("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
	case "invalid-utf8.ipynb":
		write(notebookJSON("\"x = '\xff\xfe'\""))
	case "nul.ipynb":
		write(notebookJSON("\"x = 1\x00\""))
	case "deep.ipynb":
		write(`{"cells": [], "metadata": {"x": ` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + `}, "nbformat": 4, "nbformat_minor": 5}`)
	case "dir.ipynb":
		os.MkdirAll(p, 0o755)
	case "symlink-loop.ipynb":
		if err := os.Symlink(p, p); err != nil {
			t.Skipf("symlinks: %v", err)
		}
	case "unreadable.ipynb":
		write(notebookJSON(`"x = 1"`))
		os.Chmod(p, 0)
		if f, err := os.Open(p); err == nil {
			f.Close()
			t.Skip("running as root: an unreadable file cannot be made")
		}
	case "huge-cell.ipynb":
		write(notebookJSON(quote(strings.Repeat("x = 1\n", 50<<20/6))))
	case "long-lines.ipynb":
		write(notebookJSON(quote("s = '" + strings.Repeat("a", 1<<20) + "'\nt = s")))
	case "many-lines.ipynb":
		var b strings.Builder
		for i := 0; i < 100000; i++ {
			fmt.Fprintf(&b, "v%d = %d\n", i, i)
		}
		write(notebookJSON(quote(b.String())))
	case "many-cells.ipynb":
		var b strings.Builder
		b.WriteString(`{"cells": [`)
		for i := 0; i < 10000; i++ {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `{"cell_type": "code", "id": "c%d", "execution_count": %d, "metadata": {}, "outputs": [], "source": "v%d = %d"}`, i, i+1, i, i)
		}
		b.WriteString(`], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}`)
		write(b.String())
	case "deep-expression.ipynb":
		write(notebookJSON(quote("x = " + strings.Repeat("(", 100000) + "1" + strings.Repeat(")", 100000))))
	default:
		t.Fatalf("no generator for %s", name)
	}
}

// TestBadInputSuite runs check and graph on every bad input of
// testdata/badinput/cases.txt: each gets a message naming the file, the
// documented exit code, and never a panic.
func TestBadInputSuite(t *testing.T) {
	dir := t.TempDir()
	for _, c := range loadBadCases(t) {
		c := c
		t.Run(c.file, func(t *testing.T) {
			if testing.Short() && c.generated && (strings.HasPrefix(c.file, "huge") || strings.HasPrefix(c.file, "many")) {
				t.Skip("large input skipped in -short mode")
			}
			if c.generated {
				generateBad(t, dir, c.file)
			} else {
				data, err := os.ReadFile(filepath.Join("../../testdata/badinput", c.file))
				if err != nil {
					t.Fatal(err)
				}
				os.WriteFile(filepath.Join(dir, c.file), data, 0o644)
			}
			path := filepath.Join(dir, c.file)
			code, out, errs := runCLI("check", path)
			if code != c.checkExit {
				t.Errorf("check exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.checkExit, out, errs)
			}
			gcode, gout, gerrs := runCLI("graph", path)
			if gcode != c.graphExit {
				t.Errorf("graph exit %d, want %d\nstdout:\n%s\nstderr:\n%s", gcode, c.graphExit, gout, gerrs)
			}
			all := out + errs + gout + gerrs
			if !c.message.MatchString(all) {
				t.Errorf("cases.txt:%d: no match for %q in the outputs:\ncheck: %s%s\ngraph: %s", c.sourceLine, c.message, out, errs, gerrs)
			}
			for _, o := range []struct {
				code int
				text string
			}{{code, out + errs}, {gcode, gerrs}} {
				if o.code != 0 && !strings.Contains(o.text, c.file) {
					t.Errorf("the message does not name %s:\n%s", c.file, o.text)
				}
			}
			if strings.Contains(all, "panic") || strings.Contains(all, "goroutine ") || code == exitInternal || gcode == exitInternal {
				t.Errorf("internal error:\n%s", all)
			}
		})
	}
}

// TestBadTree: a directory walk over 10,000 notebooks, a symlink loop and a
// broken file reports each bad file by name and still checks the others.
func TestBadTree(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000-notebook tree skipped in -short mode")
	}
	dir := t.TempDir()
	tree := filepath.Join(dir, "tree")
	for i := 0; i < 10000; i++ {
		sub := filepath.Join(tree, fmt.Sprintf("d%03d", i/100))
		if i%100 == 0 {
			os.MkdirAll(sub, 0o755)
		}
		os.WriteFile(filepath.Join(sub, fmt.Sprintf("n%05d.ipynb", i)), []byte(notebookJSON(fmt.Sprintf(`"x%d = %d"`, i, i))), 0o644)
	}
	os.Symlink(filepath.Join(tree, "loop"), filepath.Join(tree, "loop"))
	os.Symlink(tree, filepath.Join(tree, "d000", "back")) // a directory symlink is not followed
	os.WriteFile(filepath.Join(tree, "zz-broken.ipynb"), []byte("{"), 0o644)
	code, out, errs := runCLI("check", "--format", "json", tree)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (the broken file)\n%s", code, errs)
	}
	if !strings.Contains(out, `"notebooks": 10001`) {
		t.Errorf("expected 10,000 notebooks plus the broken one:\n%.500s", out)
	}
	if !strings.Contains(out, "zz-broken.ipynb") || !strings.Contains(out, "unexpected end of file") {
		t.Errorf("the broken file is not named")
	}
}
