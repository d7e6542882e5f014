package diff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/nbdiff"
	"github.com/nbprod/nbprod/emit/report"
)

// JSONVersion is the "version" of the diff JSON document.
const JSONVersion = 1

// The wire structs of the diff document. Keys are fixed here, lower-case
// with underscores like check's report; indexes are 0-based like check's
// "cell"; null marks what does not apply.
type (
	jsonDoc struct {
		Version          int               `json:"version"`
		Tool             jsonTool          `json:"tool"`
		Path             string            `json:"path"`
		Old              jsonSide          `json:"old"`
		New              jsonSide          `json:"new"`
		Compared         jsonCompared      `json:"compared"`
		Cells            []jsonCell        `json:"cells"`
		NotebookMetadata []jsonHunk        `json:"notebook_metadata"`
		Introduced       []json.RawMessage `json:"introduced"`
		Fixed            []json.RawMessage `json:"fixed"`
		Summary          jsonSummary       `json:"summary"`
	}
	jsonTool struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	}
	jsonSide struct {
		Label string `json:"label"`
		Cells int    `json:"cells"`
	}
	jsonCompared struct {
		Source   bool `json:"source"`
		Outputs  bool `json:"outputs"`
		Metadata bool `json:"metadata"`
		Findings bool `json:"findings"`
	}
	jsonCell struct {
		Status         string      `json:"status"`
		Kind           string      `json:"kind"`
		OldKind        *string     `json:"old_kind"`
		OldIndex       *int        `json:"old_index"`
		NewIndex       *int        `json:"new_index"`
		OldID          *string     `json:"old_id"`
		NewID          *string     `json:"new_id"`
		Match          *string     `json:"match"`
		Similarity     *float64    `json:"similarity"`
		Modified       bool        `json:"modified"`
		Hunks          []jsonHunk  `json:"hunks"`
		Outputs        []jsonHunk  `json:"outputs"`
		ExecutionCount *jsonCounts `json:"execution_count"`
		Metadata       []jsonHunk  `json:"metadata"`
	}
	jsonCounts struct {
		Old *int `json:"old"`
		New *int `json:"new"`
	}
	jsonHunk struct {
		OldStart int        `json:"old_start"`
		OldLines int        `json:"old_lines"`
		NewStart int        `json:"new_start"`
		NewLines int        `json:"new_lines"`
		Lines    []jsonLine `json:"lines"`
	}
	jsonLine struct {
		Op   string `json:"op"`
		Text string `json:"text"`
		Old  *int   `json:"old"`
		New  *int   `json:"new"`
	}
	jsonSummary struct {
		Cells             jsonCellCounts `json:"cells"`
		Introduced        jsonSeverities `json:"introduced"`
		Fixed             jsonSeverities `json:"fixed"`
		UnchangedFindings int            `json:"unchanged_findings"`
	}
	jsonCellCounts struct {
		Added     int `json:"added"`
		Deleted   int `json:"deleted"`
		Modified  int `json:"modified"`
		Moved     int `json:"moved"`
		Unchanged int `json:"unchanged"`
	}
	jsonSeverities struct {
		Blocker int `json:"blocker"`
		Warning int `json:"warning"`
		Info    int `json:"info"`
	}
)

// JSON writes the versioned diff document:
//
//	{"version": 1, "tool": {...}, "path": "nb.ipynb",
//	 "old": {"label": "git:HEAD:nb.ipynb", "cells": 9}, "new": {...},
//	 "compared": {"source": true, "outputs": false, "metadata": false, "findings": true},
//	 "cells": [{"status": "modified", "kind": "code", "old_index": 1, "new_index": 1,
//	            "match": "id", "hunks": [{"old_start": 1, "old_lines": 2, ..., "lines":
//	            [{"op": "context"|"delete"|"insert", "text": "...", "old": 1, "new": 1}]}], ...}],
//	 "introduced": [finding...], "fixed": [finding...],
//	 "summary": {"cells": {...}, "introduced": {"blocker": 1, ...}, "fixed": {...}, "unchanged_findings": 3}}
//
// Every cell of both sides is listed, unchanged ones included, in reading
// order. "outputs", "execution_count" and "metadata" are null when not
// compared. Findings have exactly the shape of check's JSON findings; the
// cell indexes of "introduced" refer to the new notebook, those of "fixed"
// to the old one.
func JSON(w io.Writer, r *nbdiff.Result, opts Options) error {
	doc := jsonDoc{
		Version:  JSONVersion,
		Tool:     jsonTool{Name: "nbprod", Version: opts.ToolVersion},
		Path:     r.Path,
		Old:      jsonSide{Label: label(r.OldLabel, r.Path), Cells: r.OldCells},
		New:      jsonSide{Label: label(r.NewLabel, r.Path), Cells: r.NewCells},
		Compared: jsonCompared{Source: true, Outputs: r.Outputs, Metadata: r.Metadata, Findings: r.Checked},
		Cells:    make([]jsonCell, 0, len(r.Cells)),
	}
	if r.Metadata {
		doc.NotebookMetadata = wireHunks(r.NotebookMetadata)
	}
	counts := r.Counts()
	doc.Summary.Cells = jsonCellCounts{Added: counts[nbdiff.Added], Deleted: counts[nbdiff.Deleted],
		Modified: counts[nbdiff.Modified], Moved: counts[nbdiff.Moved], Unchanged: counts[nbdiff.Unchanged]}
	for i := range r.Cells {
		doc.Cells = append(doc.Cells, wireCell(&r.Cells[i], r))
	}
	var err error
	if doc.Introduced, err = wireFindings(r.Introduced, opts); err != nil {
		return err
	}
	if doc.Fixed, err = wireFindings(r.Fixed, opts); err != nil {
		return err
	}
	doc.Summary.Introduced = severityCountsOf(r.Introduced)
	doc.Summary.Fixed = severityCountsOf(r.Fixed)
	doc.Summary.UnchangedFindings = r.Unchanged

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("encode diff: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

func wireCell(c *nbdiff.CellChange, r *nbdiff.Result) jsonCell {
	j := jsonCell{
		Status:   string(c.Status),
		Kind:     kindName(c.Kind),
		OldIndex: optIndex(c.Old),
		NewIndex: optIndex(c.New),
		OldID:    optString(c.OldID),
		NewID:    optString(c.NewID),
		Modified: c.Modified,
		Hunks:    wireHunks(c.Source),
	}
	if c.Old >= 0 && c.New >= 0 {
		if c.OldKind != c.Kind && c.OldKind != 0 {
			k := kindName(c.OldKind)
			j.OldKind = &k
		}
		if c.By != "" {
			m := string(c.By)
			j.Match = &m
			s := math.Round(c.Similarity*1000) / 1000
			j.Similarity = &s
		}
	}
	if r.Outputs {
		j.Outputs = wireHunks(c.Outputs)
		if c.ExecCount != nil {
			j.ExecutionCount = &jsonCounts{Old: c.ExecCount.Old, New: c.ExecCount.New}
		}
	}
	if r.Metadata {
		j.Metadata = wireHunks(c.Metadata)
	}
	return j
}

func wireHunks(hs []nbdiff.Hunk) []jsonHunk {
	out := make([]jsonHunk, 0, len(hs))
	for _, h := range hs {
		jh := jsonHunk{OldStart: h.OldStart, OldLines: h.OldLines, NewStart: h.NewStart, NewLines: h.NewLines,
			Lines: make([]jsonLine, 0, len(h.Lines))}
		for _, l := range h.Lines {
			jh.Lines = append(jh.Lines, jsonLine{Op: l.Op.String(), Text: l.Text, Old: optLine(l.Old), New: optLine(l.New)})
		}
		out = append(out, jh)
	}
	return out
}

// wireFindings renders findings through check's JSON report, so they have
// its exact shape (and its ordering).
func wireFindings(fs []analyze.Finding, opts Options) ([]json.RawMessage, error) {
	out := []json.RawMessage{}
	if len(fs) == 0 {
		return out, nil
	}
	var buf bytes.Buffer
	if err := report.JSON(&buf, &analyze.Result{Findings: fs}, report.Options{ToolVersion: opts.ToolVersion}); err != nil {
		return nil, err
	}
	var doc struct {
		Findings []json.RawMessage `json:"findings"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		return nil, fmt.Errorf("encode findings: %w", err)
	}
	if doc.Findings != nil {
		out = doc.Findings
	}
	return out, nil
}

func severityCountsOf(fs []analyze.Finding) jsonSeverities {
	var c jsonSeverities
	for i := range fs {
		switch fs[i].Severity {
		case analyze.Blocker:
			c.Blocker++
		case analyze.Warning:
			c.Warning++
		case analyze.Info:
			c.Info++
		}
	}
	return c
}

func optIndex(i int) *int {
	if i < 0 {
		return nil
	}
	return &i
}

func optLine(n int) *int {
	if n <= 0 {
		return nil
	}
	return &n
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
