package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// brokenPipe fails every write after the first n bytes, like a closed pipe.
type brokenPipe struct{ n int }

func (w *brokenPipe) Write(p []byte) (int, error) {
	if len(p) > w.n {
		w.n = 0
		return 0, errors.New("broken pipe")
	}
	w.n -= len(p)
	return len(p), nil
}

// streamNotebooks writes n small notebooks with findings into a new
// directory.
func streamNotebooks(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	for i := 0; i < n; i++ {
		src := fmt.Sprintf(`{"cells": [{"cell_type": "code", "id": "a", "execution_count": 2, "metadata": {}, "outputs": [], "source": ["print(v%d)\n", "df = open('/home/ana/d%d.csv')"]},
 {"cell_type": "code", "id": "b", "execution_count": 1, "metadata": {}, "outputs": [], "source": ["v%d = 1"]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}`, i, i, i)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("nb%02d.ipynb", i)), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runWith(out interface{ Write([]byte) (int, error) }, args ...string) (int, string) {
	var errb bytes.Buffer
	io := &ioStreams{In: strings.NewReader(""), Out: out, Err: &errb, Getenv: func(string) string { return "" }}
	return run(args, io), errb.String()
}

// A run whose stdout breaks midway exits 3 and leaves no report file, not
// even a partial or temporary one.
func TestCheckStreamErrorLeavesNoFile(t *testing.T) {
	nbs := streamNotebooks(t, 30)
	outDir := t.TempDir()
	code, stderr := runWith(&brokenPipe{n: 2000}, "check", "--jobs", "4", "--report", "json="+filepath.Join(outDir, "r.json"),
		"--report", "sarif="+filepath.Join(outDir, "r.sarif"), nbs)
	if code != exitInternal || !strings.Contains(stderr, "broken pipe") {
		t.Errorf("exit %d, stderr %q; want 3 and the write error", code, stderr)
	}
	if ents, _ := os.ReadDir(outDir); len(ents) != 0 {
		t.Errorf("%d files left in the report directory: %v", len(ents), ents)
	}
}

// Reports to files and stdout from one run are the same bytes as separate
// runs give, whatever the number of jobs.
func TestCheckReportsFanOut(t *testing.T) {
	nbs := streamNotebooks(t, 40)
	outDir := t.TempDir()
	separate := map[string]string{}
	for _, f := range []string{"text", "json", "sarif", "github", "markdown"} {
		var out bytes.Buffer
		if code, stderr := runWith(&out, "check", "--jobs", "1", "--format", f, nbs); code != exitFindings {
			t.Fatalf("%s: exit %d: %s", f, code, stderr)
		}
		separate[f] = out.String()
	}
	var out bytes.Buffer
	args := []string{"check", "--jobs", "8", "--format", "github"}
	for _, f := range []string{"text", "json", "sarif", "markdown"} {
		args = append(args, "--report", f+"="+filepath.Join(outDir, "r."+f))
	}
	if code, stderr := runWith(&out, append(args, nbs)...); code != exitFindings {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if out.String() != separate["github"] {
		t.Error("stdout differs from a run with that format alone")
	}
	for _, f := range []string{"text", "json", "sarif", "markdown"} {
		data, err := os.ReadFile(filepath.Join(outDir, "r."+f))
		if err != nil {
			t.Fatal(err)
		}
		if string(data) != separate[f] {
			t.Errorf("--report %s differs from --format %s", f, f)
		}
	}
	if ents, _ := os.ReadDir(outDir); len(ents) != 4 {
		t.Errorf("%d files in the report directory, want 4", len(ents))
	}
}

// A report file that cannot be created is a usage error, found before the
// notebooks are checked.
func TestCheckReportUnwritable(t *testing.T) {
	nbs := streamNotebooks(t, 2)
	missing := filepath.Join(t.TempDir(), "no", "r.json")
	for _, args := range [][]string{{"--output", missing}, {"--report", "json=" + missing}} {
		var out bytes.Buffer
		code, stderr := runWith(&out, append(append([]string{"check"}, args...), nbs)...)
		if code != exitUsage || !strings.Contains(stderr, "cannot write "+missing) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and cannot write", args, code, stderr)
		}
	}
}
