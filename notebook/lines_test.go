package notebook

import (
	"strings"
	"testing"
)

// TestLineIndex checks that Line and FilePos give the same answers from a
// read cell's line index as from a scan, for every line of a long cell,
// and that a copy whose source changed falls back to scanning it.
func TestLineIndex(t *testing.T) {
	var src strings.Builder
	var lines []string
	for i := 0; i < 500; i++ {
		l := strings.Repeat("é", i%7) + "x = " + strings.Repeat("1", i%13)
		if i%50 == 0 {
			l = ""
		}
		lines = append(lines, l)
	}
	src.WriteString(strings.Join(lines, "\n"))
	nb, err := ReadIPYNB("long.ipynb", strings.NewReader(`{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
 {"cell_type": "code", "id": "a", "metadata": {}, "outputs": [], "execution_count": null,
  "source": `+jsonString(src.String())+`}]}`))
	if err != nil {
		t.Fatal(err)
	}
	c := &nb.Cells[0]
	if c.lines == nil {
		t.Fatal("a read cell has no line index")
	}
	for n := 0; n <= len(lines)+2; n++ {
		want := ""
		if n >= 1 && n <= len(lines) {
			want = lines[n-1]
		}
		if got := c.Line(n); got != want {
			t.Fatalf("Line(%d) = %q, want %q", n, got, want)
		}
		for _, col := range []int{1, 3, 100} {
			if got, want := c.offsetOf(n, col), lineColOffset(c.Source, n, col); got != want {
				t.Fatalf("offsetOf(%d, %d) = %d, want %d", n, col, got, want)
			}
		}
	}
	if fl, fc := c.FilePos(3, 1); fl != 3 || fc < 1 {
		t.Errorf("FilePos(3, 1) = %d:%d; want file line 3", fl, fc)
	}
	cp := *c
	cp.Source = "first\nsecond"
	if got := cp.Line(2); got != "second" {
		t.Errorf("copy with a new source: Line(2) = %q, want %q", got, "second")
	}
	if got := c.Line(2); got != lines[1] {
		t.Errorf("original after the copy changed: Line(2) = %q, want %q", got, lines[1])
	}
}

func jsonString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}
