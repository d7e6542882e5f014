package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runDiffCmd runs `nbprod ARGS...` with captured streams.
func runDiffCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	io := &ioStreams{In: strings.NewReader(""), Out: &out, Err: &errb, Getenv: func(string) string { return "" }}
	code = run(args, io)
	return code, out.String(), errb.String()
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const diffCleanNB = `{"cells": [
 {"cell_type": "code", "execution_count": 1, "id": "a", "metadata": {}, "outputs": [], "source": ["total = sum([1, 2, 3])"]}
], "metadata": {"kernelspec": {"language": "python", "name": "python3"}}, "nbformat": 4, "nbformat_minor": 5}`

// TestDiffBadNotebook: a binary, corrupt or empty notebook on either side
// is one line on stderr naming the file and the problem, exit 2.
func TestDiffBadNotebook(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.ipynb", []byte(diffCleanNB))
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0, 1, 2, 255}, 64)...)
	cases := []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"binary", "image.ipynb", png, "image.ipynb: a binary file, not a notebook"},
		{"truncated JSON", "cut.ipynb", []byte(diffCleanNB[:60]), "cut.ipynb: not a readable notebook: "},
		{"not a notebook object", "list.ipynb", []byte(`[1, 2, 3]`), "list.ipynb: not a readable notebook: "},
		{"empty file", "empty.ipynb", nil, "empty.ipynb: not a readable notebook: "},
	}
	for _, c := range cases {
		bad := writeFile(t, dir, c.file, c.data)
		for _, args := range [][]string{{"diff", bad, good}, {"diff", good, bad}} {
			t.Run(c.name+"/"+filepath.Base(args[1]), func(t *testing.T) {
				code, stdout, stderr := runDiffCmd(t, args...)
				if code != exitUsage {
					t.Errorf("exit %d, want %d (stderr %q)", code, exitUsage, stderr)
				}
				if stdout != "" {
					t.Errorf("stdout not empty: %q", stdout)
				}
				if !strings.Contains(stderr, c.want) || strings.Count(stderr, "\n") != 1 {
					t.Errorf("stderr = %q, want one line containing %q", stderr, c.want)
				}
			})
		}
	}
}

// TestDiffNewSecretRedacted: a diff that adds a password shows it redacted
// in every format and lists the finding as introduced.
func TestDiffNewSecretRedacted(t *testing.T) {
	dir := t.TempDir()
	secret := "Tr0ub4" + "dor&3x" // built at run time
	cell, _ := json.Marshal("password = \"" + secret + "\"")
	newNB := strings.Replace(diffCleanNB, `["total = sum([1, 2, 3])"]}`,
		`["total = sum([1, 2, 3])"]},
 {"cell_type": "code", "execution_count": 2, "id": "s", "metadata": {}, "outputs": [], "source": [`+string(cell)+`]}`, 1)
	oldPath := writeFile(t, dir, "old.ipynb", []byte(diffCleanNB))
	newPath := writeFile(t, dir, "new.ipynb", []byte(newNB))
	for _, format := range []string{"text", "json", "markdown"} {
		code, stdout, stderr := runDiffCmd(t, "diff", "--format", format, "--outputs", "--metadata", oldPath, newPath)
		if code != exitFindings {
			t.Errorf("%s: exit %d, want 1 (a new blocker); stderr %q", format, code, stderr)
		}
		if strings.Contains(stdout+stderr, secret) || strings.Contains(stdout, "Tr0ub4") {
			t.Errorf("%s: the secret appears in the output:\n%s", format, stdout)
		}
		if !strings.Contains(stdout, "redacted") {
			t.Errorf("%s: no redacted line in the output:\n%s", format, stdout)
		}
		if !strings.Contains(stdout, "NB401") {
			t.Errorf("%s: the hardcoded password is not listed as introduced:\n%s", format, stdout)
		}
	}
	// Removing it: fixed, and the removed line is redacted too.
	code, stdout, _ := runDiffCmd(t, "diff", newPath, oldPath)
	if code != exitOK || strings.Contains(stdout, secret) || !strings.Contains(stdout, "Fixed findings:") {
		t.Errorf("removal: exit %d, output:\n%s", code, stdout)
	}
}

func TestParseGitDriverArgs(t *testing.T) {
	hex := "0123456789abcdef0123456789abcdef01234567"
	tests := []struct {
		args []string
		ok   bool
		want gitDriverArgs
	}{
		{[]string{"nb.ipynb", "/tmp/x_nb.ipynb", hex, "100644", "nb.ipynb", hex, "100644"}, true,
			gitDriverArgs{path: "nb.ipynb", oldFile: "/tmp/x_nb.ipynb", newFile: "nb.ipynb", newPath: "nb.ipynb"}},
		{[]string{"new.ipynb", "/dev/null", ".", ".", "new.ipynb", hex, "100644"}, true,
			gitDriverArgs{path: "new.ipynb", oldFile: "/dev/null", newFile: "new.ipynb", newPath: "new.ipynb"}},
		{[]string{"a.ipynb", "/tmp/a", hex, "100644", "/tmp/b", hex, "100644", "b.ipynb", "similarity index 90%\nrename from a.ipynb\n"}, true,
			gitDriverArgs{path: "a.ipynb", oldFile: "/tmp/a", newFile: "/tmp/b", newPath: "b.ipynb"}},
		{[]string{"old.ipynb", "new.ipynb"}, false, gitDriverArgs{}},
		// seven arguments that are not git's: no hex, no modes
		{[]string{"a", "b", "c", "d", "e", "f", "g"}, false, gitDriverArgs{}},
	}
	for _, tt := range tests {
		got, ok := parseGitDriverArgs(tt.args)
		if ok != tt.ok || got != tt.want {
			t.Errorf("parseGitDriverArgs(%q) = %+v, %v; want %+v, %v", tt.args, got, ok, tt.want, tt.ok)
		}
	}
	// Seven arguments that are not git's are a usage error, not a driver call.
	code, _, stderr := runDiffCmd(t, "diff", "a", "b", "c", "d", "e", "f", "g")
	if code != exitUsage || !strings.Contains(stderr, "diff takes OLD and NEW") {
		t.Errorf("7 odd arguments: exit %d, stderr %q", code, stderr)
	}
}

// TestDiffOddNotebooksNeverPanic compares pairs of unusual but valid
// notebooks: no internal error, exit 0 or 1.
func TestDiffOddNotebooksNeverPanic(t *testing.T) {
	dir := t.TempDir()
	nbs := map[string]string{
		"nocells.ipynb":   `{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}`,
		"empty.ipynb":     `{"cells": [{"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": []}, {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": []}], "metadata": {}, "nbformat": 4, "nbformat_minor": 4}`,
		"dupids.ipynb":    `{"cells": [{"cell_type": "code", "id": "x", "execution_count": null, "metadata": {}, "outputs": [], "source": ["a = 1"]}, {"cell_type": "code", "id": "x", "execution_count": null, "metadata": {}, "outputs": [], "source": ["b = a"]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}`,
		"v3.ipynb":        `{"worksheets": [{"cells": [{"cell_type": "code", "input": ["print(1)"], "language": "python", "outputs": [{"output_type": "pyout", "prompt_number": 1, "text": ["1"]}], "prompt_number": 1}]}], "metadata": {}, "nbformat": 3, "nbformat_minor": 0}`,
		"r.ipynb":         `{"cells": [{"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [], "source": ["x <- c(1, 2)"]}], "metadata": {"kernelspec": {"language": "R", "name": "ir"}}, "nbformat": 4, "nbformat_minor": 4}`,
		"control.ipynb":   `{"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["\u001b[31mred\u001b[0m \r\n tab\there"]}, {"cell_type": "raw", "metadata": {}, "source": ["` + "```" + `"]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 4}`,
		"syntaxerr.ipynb": `{"cells": [{"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [{"output_type": "error", "ename": "E", "evalue": "v\nw", "traceback": []}], "source": ["def f(:\n  pass"]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 4}`,
	}
	var paths []string
	for name, data := range nbs {
		paths = append(paths, writeFile(t, dir, name, []byte(data)))
	}
	for _, a := range paths {
		for _, b := range paths {
			code, stdout, stderr := runDiffCmd(t, "diff", "--outputs", "--metadata", "--format", "json", a, b)
			if code != exitOK && code != exitFindings {
				t.Errorf("diff %s %s: exit %d, stderr %q", filepath.Base(a), filepath.Base(b), code, stderr)
			}
			var doc map[string]any
			if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
				t.Errorf("diff %s %s: invalid JSON: %v", filepath.Base(a), filepath.Base(b), err)
			}
		}
	}
}
