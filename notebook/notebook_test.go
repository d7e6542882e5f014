package notebook

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"
)

func mustRead(t *testing.T, path string) *Notebook {
	t.Helper()
	nb, err := Read(path)
	if err != nil {
		t.Fatalf("Read(%s): %v", path, err)
	}
	return nb
}

func TestReadV4(t *testing.T) {
	nb := mustRead(t, "testdata/v4.ipynb")
	if nb.NBFormat != 4 || nb.NBFormatMinor != 5 || nb.Language != "python" || nb.LanguageVersion != "3.11.4" || nb.KernelName != "python3" {
		t.Fatalf("header: %+v", nb)
	}
	if len(nb.Cells) != 4 {
		t.Fatalf("cells: %d", len(nb.Cells))
	}
	md := nb.Cells[0]
	if md.Kind != Markdown || md.Source != "# Title\nSome text" || md.ID != "md-1" || len(md.Attachments) != 1 || md.Attachments[0] != "image.png" {
		t.Errorf("markdown cell: %+v", md)
	}
	c := nb.Cells[1]
	if c.Kind != Code || c.Index != 1 || c.ExecCount == nil || *c.ExecCount != 3 {
		t.Fatalf("code cell: %+v", c)
	}
	if want := "import pandas as pd\nx = \"café\" + 'q\\\"'\nx"; c.Source != want {
		t.Errorf("source = %q, want %q", c.Source, want)
	}
	if !c.HasTag("parameters") || !c.HasTag("nbprod:ignore=NB101") {
		t.Errorf("tags: %v", c.Tags)
	}
	if len(c.Outputs) != 4 {
		t.Fatalf("outputs: %d", len(c.Outputs))
	}
	if txt, ok := c.Outputs[0].Text("stream"); !ok || txt != "line one\nline two\n" || c.Outputs[0].StreamName != "stdout" {
		t.Errorf("stream output: %+v", c.Outputs[0])
	}
	disp := c.Outputs[1]
	png := disp.Data[0]
	if png.MIME != "image/png" || png.Kept || png.Text != "" || png.Size < 100 {
		t.Errorf("image payload must be skipped but sized: %+v", png)
	}
	if txt, ok := disp.Text("text/plain"); !ok || txt != "<Figure>" {
		t.Errorf("text/plain: %q", txt)
	}
	if r := c.Outputs[2]; r.Type != "execute_result" || r.ExecCount == nil || *r.ExecCount != 3 {
		t.Errorf("execute_result: %+v", r)
	}
	if e := c.Outputs[3]; e.Type != "error" || e.EName != "ValueError" || e.EValue != "bad" || len(e.Traceback) != 1 {
		t.Errorf("error output: %+v", e)
	}
	if c2 := nb.Cells[2]; c2.ExecCount != nil || c2.Source != "a = 1\nb = \"\\\"quoted\\\"\"\nc = 3" {
		t.Errorf("null count / string source: %+v %q", c2.ExecCount, c2.Source)
	}
	if nb.Cells[3].Kind != Raw {
		t.Errorf("raw cell kind %v", nb.Cells[3].Kind)
	}
	if nb.OutputBytes <= 0 || nb.Size <= nb.OutputBytes {
		t.Errorf("sizes: file %d outputs %d", nb.Size, nb.OutputBytes)
	}
}

// TestFilePositions checks the map from cell (line, column) to the raw
// file's line and column, for list and single-string sources with escapes.
func TestFilePositions(t *testing.T) {
	raw, err := os.ReadFile("testdata/v4.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(raw), "\n")
	nb := mustRead(t, "testdata/v4.ipynb")
	at := func(fl, fc int) string {
		r := []rune(lines[fl-1])
		return string(r[fc-1:])
	}
	c := &nb.Cells[1]
	// Line 2, column 1 is `x` in the second source string.
	fl, fc := c.FilePos(2, 1)
	if got := at(fl, fc); !strings.HasPrefix(got, `x = \"caf`) {
		t.Errorf("line 2 col 1 -> %d:%d %q", fl, fc, got)
	}
	// Column 9 is `é`, written as \u00e9 in the file.
	fl, fc = c.FilePos(2, 9)
	if got := at(fl, fc); !strings.HasPrefix(got, `\u00e9`) {
		t.Errorf("line 2 col 10 -> %d:%d %q", fl, fc, got)
	}
	// Column 17 is the `"` after q and a backslash, written as \" after \\.
	fl, fc = c.FilePos(2, 17)
	if got := at(fl, fc); !strings.HasPrefix(got, `\"'`) {
		t.Errorf("line 2 col 18 -> %d:%d %q", fl, fc, got)
	}
	// A single-string source: every cell line sits on one file line.
	c2 := &nb.Cells[2]
	l1, _ := c2.FilePos(1, 1)
	fl, fc = c2.FilePos(3, 1)
	if fl != l1 || !strings.HasPrefix(at(fl, fc), "c = 3") {
		t.Errorf("string source line 3 -> %d:%d %q (line 1 at %d)", fl, fc, at(fl, fc), l1)
	}
	fl, fc = c2.FilePos(2, 6)
	if got := at(fl, fc); !strings.HasPrefix(got, `\\\"quoted`) {
		t.Errorf("string source line 2 col 6 -> %d:%d %q", fl, fc, got)
	}
	// Output text lines map to their file lines.
	md := c.Outputs[0].Data[0]
	if l := md.FileLine(2); l < 1 || !strings.Contains(lines[l-1], "line two") {
		t.Errorf("stream line 2 -> file line %d", l)
	}
}

func TestReadCRLF(t *testing.T) {
	src := `{"cells":[{"cell_type":"code","execution_count":1,"metadata":{},"outputs":[],"source":["a = 1\r\n","b = 2\r\n","c = 3"]}],` +
		`"metadata":{},"nbformat":4,"nbformat_minor":2}`
	nb, err := ReadIPYNB("crlf.ipynb", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	c := &nb.Cells[0]
	if c.Source != "a = 1\nb = 2\nc = 3" {
		t.Fatalf("source %q", c.Source)
	}
	if l, col := c.FilePos(3, 1); l != 1 || !strings.HasPrefix(src[col-1:], `c = 3`) {
		t.Errorf("line 3 -> %d:%d", l, col)
	}
}

func TestReadV3(t *testing.T) {
	nb := mustRead(t, "testdata/v3.ipynb")
	if nb.NBFormat != 3 || len(nb.Cells) != 3 || nb.Language != "python" {
		t.Fatalf("v3: %+v", nb)
	}
	h := nb.Cells[0]
	if h.Kind != Markdown || h.Source != "## Analysis" {
		t.Errorf("heading → markdown: %+v", h)
	}
	c := nb.Cells[1]
	if c.Kind != Code || c.Source != "print 'hi'\nx = 1" || c.ExecCount == nil || *c.ExecCount != 2 {
		t.Fatalf("v3 code cell: %+v", c)
	}
	if c.Outputs[0].Type != "stream" || c.Outputs[0].StreamName != "stdout" {
		t.Errorf("v3 stream: %+v", c.Outputs[0])
	}
	if txt, _ := c.Outputs[0].Text("stream"); txt != "hi\n" {
		t.Errorf("v3 stream text %q", txt)
	}
	r := c.Outputs[1]
	if r.Type != "execute_result" || r.ExecCount == nil || *r.ExecCount != 2 || !r.HasMIME("image/png") {
		t.Errorf("v3 pyout: %+v", r)
	}
	if txt, _ := r.Text("text/plain"); txt != "1" {
		t.Errorf("v3 pyout text %q", txt)
	}
	if e := c.Outputs[2]; e.Type != "error" || e.EName != "NameError" {
		t.Errorf("v3 pyerr: %+v", e)
	}
	if l, col := c.FilePos(2, 1); l == 0 || col == 0 {
		t.Errorf("v3 positions missing")
	}
}

func TestReadMinorVersions(t *testing.T) {
	for minor := 0; minor <= 5; minor++ {
		id := ""
		if minor >= 5 {
			id = `"id":"c1",`
		}
		src := fmt.Sprintf(`{"cells":[{"cell_type":"code",%s"execution_count":null,"metadata":{},"outputs":[],"source":"x = 1"}],"metadata":{},"nbformat":4,"nbformat_minor":%d}`, id, minor)
		nb, err := ReadIPYNB("v.ipynb", strings.NewReader(src))
		if err != nil {
			t.Fatalf("4.%d: %v", minor, err)
		}
		if nb.NBFormatMinor != minor || nb.Cells[0].Source != "x = 1" {
			t.Errorf("4.%d: %+v", minor, nb)
		}
	}
}

func TestReadPercent(t *testing.T) {
	nb := mustRead(t, "testdata/percent.py")
	if nb.Format != FormatPercent || nb.Language != "python" || nb.KernelName != "python3" {
		t.Fatalf("percent header: %+v", nb)
	}
	var kinds []string
	for _, c := range nb.Cells {
		kinds = append(kinds, c.Kind.String())
	}
	if got := strings.Join(kinds, ","); got != "code,markdown,code,code" {
		t.Fatalf("cells %s", got)
	}
	if nb.Cells[0].Source != "import os" {
		t.Errorf("text before the first marker: %q", nb.Cells[0].Source)
	}
	if nb.Cells[1].Source != "# A title\nSome *markdown*" {
		t.Errorf("markdown: %q", nb.Cells[1].Source)
	}
	c := nb.Cells[2]
	if c.Title != "Load the data" || !c.HasTag("parameters") {
		t.Errorf("title/tags: %q %v", c.Title, c.Tags)
	}
	if want := "%matplotlib inline\n!pip install pandas==2.1\nDATA = \"data/x.csv\""; c.Source != want {
		t.Errorf("commented magics not restored: %q", c.Source)
	}
	// Lines map one to one; restored magics shift the column by the "# ".
	if l, col := c.FilePos(1, 1); l != 16 || col != 3 {
		t.Errorf("magic line -> %d:%d, want 16:3", l, col)
	}
	if l, col := c.FilePos(3, 1); l != 18 || col != 1 {
		t.Errorf("code line -> %d:%d, want 18:1", l, col)
	}
	if !IsPercent([]byte("x = 1\n# %%\ny = 2\n")) || IsPercent([]byte("x = 1  # %% not a marker\n")) || IsPercent([]byte("# %%time\n")) {
		t.Error("IsPercent")
	}
}

// TestBadInput: every malformed file gives a ReadError that names the file
// and what is wrong (and the cell where it applies), never a panic.
func TestBadInput(t *testing.T) {
	cell := func(body string) string {
		return `{"cells":[{"cell_type":"code","execution_count":1,"metadata":{},"outputs":[],"source":"x"},` + body + `],"metadata":{},"nbformat":4,"nbformat_minor":5}`
	}
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	cases := []struct {
		name, src string
		cell      int
		want      string
	}{
		{"empty", "", -1, "empty file"},
		{"blank", "  \n\t\n", -1, "empty file"},
		{"truncated", `{"cells": [{"cell_type": "code", "source": "import pa`, 0, "truncated"},
		{"binary", "\x89PNG\r\n\x1a\n\x00\x00", -1, "not JSON"},
		{"text", "hello world", -1, "not a JSON object"},
		{"array", `[1, 2, 3]`, -1, "top-level JSON value is an array"},
		{"nbformat2", `{"cells": [], "metadata": {}, "nbformat": 2, "nbformat_minor": 0}`, -1, "unsupported nbformat 2"},
		{"nbformat5", `{"cells": [], "metadata": {}, "nbformat": 5, "nbformat_minor": 0}`, -1, "unsupported nbformat 5"},
		{"no nbformat", `{"cells": [], "metadata": {}}`, -1, `no "nbformat"`},
		{"no cells", `{"metadata": {}, "nbformat": 4, "nbformat_minor": 5}`, -1, `no "cells"`},
		{"cells object", `{"cells": {}, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}`, -1, "expected an array of cells, got an object"},
		{"source number", cell(`{"cell_type":"code","execution_count":1,"metadata":{},"outputs":[],"source":42}`), 1, "cells[1].source: expected a string or an array of strings, got a number"},
		{"count string", cell(`{"cell_type":"code","execution_count":"3","metadata":{},"outputs":[],"source":""}`), 1, "execution_count: expected an integer or null, got a string"},
		{"outputs object", cell(`{"cell_type":"code","execution_count":1,"metadata":{},"outputs":{},"source":""}`), 1, "outputs: expected an array of outputs"},
		{"output type missing", cell(`{"cell_type":"code","execution_count":1,"metadata":{},"outputs":[{"text":"x"}],"source":""}`), 1, `missing "output_type"`},
		{"cell type missing", cell(`{"metadata":{},"source":""}`), 1, `missing "cell_type"`},
		{"tags not list", cell(`{"cell_type":"code","execution_count":1,"metadata":{"tags":"a"},"outputs":[],"source":""}`), 1, "metadata.tags"},
		{"invalid utf8", cell("{\"cell_type\":\"code\",\"execution_count\":1,\"metadata\":{},\"outputs\":[],\"source\":\"a\xff\xfeb\"}"), 1, "invalid UTF-8"},
		{"nul byte", cell("{\"cell_type\":\"code\",\"execution_count\":1,\"metadata\":{},\"outputs\":[],\"source\":\"a\x00b\"}"), 1, "NUL byte"},
		{"raw newline", cell("{\"cell_type\":\"code\",\"execution_count\":1,\"metadata\":{},\"outputs\":[],\"source\":\"a\nb\"}"), 1, "control character"},
		{"deep metadata", `{"cells": [], "metadata": {"x": ` + deep + `}, "nbformat": 4, "nbformat_minor": 5}`, -1, "nested deeper"},
		{"deep unknown key", `{"cells": [], "junk": ` + deep + `, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}`, -2, ""},
		{"trailing data", `{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5} {}`, -1, "after the notebook"},
		{"bad escape", cell(`{"cell_type":"code","execution_count":1,"metadata":{},"outputs":[],"source":"a\q"}`), 1, "invalid escape"},
		{"missing comma", `{"cells": [] "metadata": {}}`, -1, "expected ',' or '}'"},
	}
	for _, c := range cases {
		nb, err := ReadIPYNB("bad.ipynb", strings.NewReader(c.src))
		if c.cell == -2 { // a deep value under an unknown key is skipped, not an error
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: no error (read %d cells)", c.name, len(nb.Cells))
			continue
		}
		var re *ReadError
		if !errors.As(err, &re) {
			t.Errorf("%s: error is %T, want *ReadError", c.name, err)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "bad.ipynb: ") || !strings.Contains(msg, c.want) {
			t.Errorf("%s: message %q does not name the file and contain %q", c.name, msg, c.want)
		}
		if re.Cell != c.cell {
			t.Errorf("%s: cell %d, want %d (%s)", c.name, re.Cell, c.cell, msg)
		}
		if c.cell >= 0 && !strings.Contains(msg, fmt.Sprintf("cell %d", c.cell+1)) {
			t.Errorf("%s: message %q does not name cell %d", c.name, msg, c.cell+1)
		}
	}
}

func TestNonFatalIssues(t *testing.T) {
	src := "\ufeff" + `{"cells":[` +
		`{"cell_type":"code","id":"same","execution_count":1,"metadata":{},"outputs":[{"output_type":"weird"}],"source":"a"},` +
		`{"cell_type":"code","id":"same","execution_count":2,"metadata":{},"outputs":[],"source":"b"},` +
		`{"cell_type":"sql","metadata":{},"source":"select 1"}` +
		`],"metadata":{},"nbformat":4,"nbformat_minor":5}`
	nb, err := ReadIPYNB("dup.ipynb", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, is := range nb.Issues {
		msgs = append(msgs, fmt.Sprintf("cell %d: %s", is.Cell, is.Msg))
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{`cell 0: output 1 has unknown output_type "weird"`, `cell 1: duplicate cell id "same"`, `cell 2: unknown cell_type "sql"`} {
		if !strings.Contains(all, want) {
			t.Errorf("issues %q lack %q", all, want)
		}
	}
}

func TestReadFileErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Read(dir); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("directory: %v", err)
	}
	if _, err := Read(filepath.Join(dir, "missing.ipynb")); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing: %v", err)
	}
	loop := filepath.Join(dir, "loop.ipynb")
	if err := os.Symlink(loop, loop); err == nil {
		if _, err := Read(loop); err == nil || !strings.Contains(err.Error(), "symbolic links") {
			t.Errorf("symlink loop: %v", err)
		}
	}
	bad := filepath.Join(dir, "bad.py")
	os.WriteFile(bad, []byte("x = '\xff'\n"), 0o644)
	if _, err := Read(bad); err == nil || !strings.Contains(err.Error(), "invalid UTF-8") {
		t.Errorf("percent invalid utf8: %v", err)
	}
}

// hugeReader streams a notebook with one output of n bytes of base64,
// without holding it in memory.
type hugeReader struct {
	parts []io.Reader
}

func newHuge(n int64) io.Reader {
	head := `{"cells":[{"cell_type":"code","execution_count":1,"metadata":{},"source":"plot()","outputs":[{"output_type":"display_data","metadata":{},"data":{"image/png":"`
	tail := `","text/plain":"<Figure>"}}]}],"metadata":{},"nbformat":4,"nbformat_minor":5}`
	return io.MultiReader(strings.NewReader(head), io.LimitReader(repeatReader{}, n), strings.NewReader(tail))
}

type repeatReader struct{}

func (repeatReader) Read(p []byte) (int, error) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := range p {
		p[i] = alphabet[i%len(alphabet)]
	}
	return len(p), nil
}

// TestHugeOutputNotMaterialised reads a notebook whose output payload is
// 256 MB: it must be skipped while decoding, so the heap stays small.
func TestHugeOutputNotMaterialised(t *testing.T) {
	if testing.Short() {
		t.Skip("huge input skipped in -short mode")
	}
	const size = 256 << 20
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	nb, err := ReadIPYNB("huge.ipynb", newHuge(size))
	if err != nil {
		t.Fatal(err)
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	o := nb.Cells[0].Outputs[0]
	if !o.HasMIME("image/png") || o.Data[0].Size < size {
		t.Fatalf("payload size %d", o.Data[0].Size)
	}
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 32<<20 {
		t.Errorf("reading a %d MB payload allocated %d MB; payloads must be skipped, not materialised", size>>20, grown>>20)
	}
}

// TestLongTextOutputTruncated keeps a prefix of an oversized text output.
func TestLongTextOutputTruncated(t *testing.T) {
	big := strings.Repeat("x", MaxKeptText+1000)
	src := `{"cells":[{"cell_type":"code","execution_count":1,"metadata":{},"source":"","outputs":[{"output_type":"stream","name":"stdout","text":"` + big + `"}]}],"metadata":{},"nbformat":4,"nbformat_minor":5}`
	nb, err := ReadIPYNB("long.ipynb", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	md := nb.Cells[0].Outputs[0].Data[0]
	if !md.Truncated || len(md.Text) != MaxKeptText || md.Size < int64(len(big)) {
		t.Errorf("truncated=%v len=%d size=%d", md.Truncated, len(md.Text), md.Size)
	}
}

// TestMultibyteAcrossWindow makes sure a UTF-8 sequence split by the scan
// window edge is not reported as invalid.
func TestMultibyteAcrossWindow(t *testing.T) {
	for shift := 0; shift < 4; shift++ {
		pad := strings.Repeat("a", scanChunk-60+shift)
		text := pad + strings.Repeat("é€😀", 50)
		src := `{"cells":[{"cell_type":"code","execution_count":1,"metadata":{},"outputs":[],"source":"` + text + `"}],"metadata":{},"nbformat":4,"nbformat_minor":5}`
		nb, err := ReadIPYNB("mb.ipynb", bytes.NewReader([]byte(src)))
		if err != nil {
			t.Fatalf("shift %d: %v", shift, err)
		}
		if nb.Cells[0].Source != text || !utf8.ValidString(nb.Cells[0].Source) {
			t.Fatalf("shift %d: source corrupted", shift)
		}
	}
}

func BenchmarkReadIPYNB(b *testing.B) {
	data, err := os.ReadFile("testdata/v4.ipynb")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := ReadIPYNB("v4.ipynb", bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadHugeOutput(b *testing.B) {
	const size = 64 << 20
	b.SetBytes(size)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := ReadIPYNB("huge.ipynb", newHuge(size)); err != nil {
			b.Fatal(err)
		}
	}
}
