package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/nbprod/nbprod/analyze"
)

// JSONVersion is the "version" of the JSON report document.
const JSONVersion = 1

// The wire structs of the JSON report (CONTRACT.md §5). Keys are fixed
// here, never derived from the analyze types. Pointers are null when a
// field does not apply.
type (
	jsonReport struct {
		Version   int            `json:"version"`
		Tool      jsonTool       `json:"tool"`
		Findings  []jsonFinding  `json:"findings"`
		Notebooks []jsonNotebook `json:"notebooks"`
		Summary   jsonSummary    `json:"summary"`
		Errors    []jsonError    `json:"errors"`
	}
	jsonTool struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	}
	jsonFinding struct {
		Rule              string         `json:"rule"`
		Name              string         `json:"name"`
		Severity          string         `json:"severity"`
		Category          string         `json:"category"`
		Path              string         `json:"path"`
		Cell              *int           `json:"cell"`
		CellID            *string        `json:"cell_id"`
		Line              *int           `json:"line"`
		Column            *int           `json:"column"`
		EndLine           *int           `json:"end_line"`
		EndColumn         *int           `json:"end_column"`
		FileLine          *int           `json:"file_line"`
		FileColumn        *int           `json:"file_column"`
		Output            *jsonOutput    `json:"output"`
		Message           string         `json:"message"`
		Fix               *string        `json:"fix"`
		Fingerprint       *string        `json:"fingerprint"`
		Suppressed        bool           `json:"suppressed"`
		SuppressionReason *string        `json:"suppression_reason"`
		Baselined         bool           `json:"baselined"`
		Data              map[string]any `json:"data"`
		Related           []jsonRelated  `json:"related"`
	}
	jsonOutput struct {
		Index int    `json:"index"`
		MIME  string `json:"mime"`
		Line  *int   `json:"line"`
	}
	jsonRelated struct {
		Cell    *int   `json:"cell"`
		Line    *int   `json:"line"`
		Column  *int   `json:"column"`
		Message string `json:"message"`
	}
	jsonNotebook struct {
		Path       string     `json:"path"`
		Cells      int        `json:"cells"`
		CodeCells  int        `json:"code_cells"`
		Language   *string    `json:"language"`
		Unreadable bool       `json:"unreadable"`
		Score      int        `json:"score"`
		Counts     jsonCounts `json:"counts"`
		// ByCategory counts active findings per category (categories with
		// findings only).
		ByCategory map[string]jsonCounts `json:"by_category"`
	}
	jsonCounts struct {
		Blocker int `json:"blocker"`
		Warning int `json:"warning"`
		Info    int `json:"info"`
	}
	jsonSummary struct {
		Notebooks  int            `json:"notebooks"`
		Findings   int            `json:"findings"`
		Suppressed int            `json:"suppressed"`
		Baselined  int            `json:"baselined"`
		BySeverity jsonCounts     `json:"by_severity"`
		ByRule     map[string]int `json:"by_rule"`
	}
	jsonError struct {
		Path    string `json:"path"`
		Message string `json:"message"`
	}
)

// JSON writes the versioned JSON report of CONTRACT.md §5. Every finding is
// listed, suppressed and baselined ones included ("suppressed", "baselined");
// the summary counts active findings, plus the suppressed and baselined
// ones separately. Beyond the contract's keys it adds "baselined" and
// "related" to findings, "unreadable" to notebooks, "suppressed" and
// "baselined" to the summary, and a top-level "errors" list of internal
// errors.
func JSON(w io.Writer, res *analyze.Result, opts Options) error {
	return writeResult(w, "json", res, opts)
}

// jsonSink streams the JSON document: the findings as they come, the
// notebook entries (which follow the findings) through a spool, the
// summary and errors at the end. The bytes are those of encoding/json
// indenting the whole jsonReport.
type jsonSink struct {
	w         *bufio.Writer
	opts      Options
	enc       jsonEnc
	findings  int
	notebooks spool
	nbCount   int
	tally     tally
	err       error
}

func (s *jsonSink) begin(Meta) {
	s.w.WriteString("{\n  \"version\": " + strconv.Itoa(JSONVersion) + ",\n  \"tool\": ")
	tool, err := s.enc.encode(jsonTool{Name: toolName, Version: s.opts.ToolVersion}, 1)
	if err != nil {
		s.err = err
		return
	}
	s.w.Write(tool)
	s.w.WriteString(",\n  \"findings\": [")
}

func (s *jsonSink) notebook(nb *analyze.NotebookResult, fs []analyze.Finding) error {
	if s.err != nil {
		return s.err
	}
	s.tally.add(nb, fs)
	for i := range fs {
		b, err := s.enc.encode(wireFinding(&fs[i]), 2)
		if err != nil {
			s.err = err
			return err
		}
		writeElem(s.w, s.findings, 2, b)
		s.findings++
	}
	if nb != nil {
		b, err := s.enc.encode(jsonNotebook{
			Path:       nb.Path,
			Cells:      nb.Cells,
			CodeCells:  nb.CodeCells,
			Language:   optString(nb.Language),
			Unreadable: nb.Unreadable,
			Score:      nb.Score,
			Counts:     countsOf(nb.Counts),
			ByCategory: categoryCounts(nb.ByCategory),
		}, 2)
		if err != nil {
			s.err = err
			return err
		}
		writeElem(&s.notebooks, s.nbCount, 2, b)
		s.nbCount++
	}
	return nil
}

func (s *jsonSink) end(errs []analyze.InternalError) error {
	if s.err != nil {
		return s.err
	}
	closeArray(s.w, s.findings, 1)
	s.w.WriteString(",\n  \"notebooks\": [")
	if _, err := s.notebooks.WriteTo(s.w); err != nil {
		return err
	}
	closeArray(s.w, s.nbCount, 1)
	sum := s.tally.summary()
	js := jsonSummary{
		Notebooks:  sum.Notebooks,
		Findings:   sum.Findings,
		Suppressed: sum.Suppressed,
		Baselined:  sum.Baselined,
		BySeverity: countsOf(sum.BySeverity),
		ByRule:     map[string]int{},
	}
	for id, n := range sum.ByRule {
		js.ByRule[id] = n
	}
	b, err := s.enc.encode(js, 1)
	if err != nil {
		return err
	}
	s.w.WriteString(",\n  \"summary\": ")
	s.w.Write(b)
	je := make([]jsonError, 0, len(errs))
	for _, e := range errs {
		je = append(je, jsonError{Path: e.Path, Message: e.Msg})
	}
	if b, err = s.enc.encode(je, 1); err != nil {
		return err
	}
	s.w.WriteString(",\n  \"errors\": ")
	s.w.Write(b)
	s.w.WriteString("\n}\n")
	return nil
}

func (s *jsonSink) close() { s.notebooks.close() }

// jsonEnc encodes values as the reports need them (indented by two spaces,
// no HTML escaping, so "<redacted …>" stays readable; encoding/json sorts
// map keys, so the bytes are stable) as they appear at a nesting depth of a larger
// document: every line after the first is indented by depth levels.
type jsonEnc struct {
	buf bytes.Buffer
	enc *json.Encoder
}

// encode returns the encoding of v without the final newline; the bytes
// are valid until the next call.
func (e *jsonEnc) encode(v any, depth int) ([]byte, error) {
	if e.enc == nil {
		e.enc = json.NewEncoder(&e.buf)
		e.enc.SetEscapeHTML(false)
	}
	e.buf.Reset()
	e.enc.SetIndent(strings.Repeat("  ", depth), "  ")
	if err := e.enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encode report: %w", err)
	}
	b := e.buf.Bytes()
	return b[:len(b)-1], nil
}

// writeElem writes the n-th element (from 0) of an array whose elements
// sit at the given depth: a comma after the previous one, a new line, the
// indentation and the element's encoding at that depth.
func writeElem(w io.Writer, n, depth int, elem []byte) {
	sep := "\n"
	if n > 0 {
		sep = ",\n"
	}
	io.WriteString(w, sep+strings.Repeat("  ", depth))
	w.Write(elem)
}

// closeArray ends an array opened with "[" whose key or parent is at the
// given depth: "]" when it is empty, else a new line, the indentation and
// "]".
func closeArray(w io.Writer, n, depth int) {
	if n == 0 {
		io.WriteString(w, "]")
		return
	}
	io.WriteString(w, "\n"+strings.Repeat("  ", depth)+"]")
}

func wireFinding(f *analyze.Finding) jsonFinding {
	j := jsonFinding{
		Rule:        f.Rule,
		Name:        f.Name,
		Severity:    f.Severity.String(),
		Category:    string(f.Category),
		Path:        f.Path,
		FileLine:    optInt(f.FileLine),
		FileColumn:  optInt(f.FileColumn),
		Message:     f.Message,
		Fix:         optString(f.Fix),
		Fingerprint: optString(f.Fingerprint),
		Suppressed:  f.Suppressed,
		Baselined:   f.Baselined,
		Data:        wireData(f.Data),
		Related:     make([]jsonRelated, 0, len(f.Related)),
	}
	if f.Suppressed {
		j.SuppressionReason = optString(f.SuppressionReason)
	}
	if hasCell(f) {
		cell := f.Cell
		j.Cell = &cell
		j.CellID = optString(f.CellID)
		j.Line, j.Column = optInt(f.Line), optInt(f.Column)
		j.EndLine, j.EndColumn = optInt(f.EndLine), optInt(f.EndColumn)
		if f.Output != nil {
			j.Output = &jsonOutput{Index: f.Output.Index, MIME: f.Output.MIME, Line: optInt(f.Output.Line)}
		}
	} else {
		// Notebook level: no cell, no position (CONTRACT.md §1).
		j.FileLine, j.FileColumn = nil, nil
	}
	for _, r := range f.Related {
		jr := jsonRelated{Message: r.Message}
		if r.Cell >= 0 {
			cell := r.Cell
			jr.Cell = &cell
			jr.Line, jr.Column = optInt(r.Line), optInt(r.Column)
		}
		j.Related = append(j.Related, jr)
	}
	return j
}

// wireData copies Data (nil or empty → null).
func wireData(d map[string]any) map[string]any {
	if len(d) == 0 {
		return nil
	}
	out := make(map[string]any, len(d))
	for k, v := range d {
		out[k] = v
	}
	return out
}

func countsOf(m map[analyze.Severity]int) jsonCounts {
	return jsonCounts{Blocker: m[analyze.Blocker], Warning: m[analyze.Warning], Info: m[analyze.Info]}
}

// optInt is nil for zero (positions are 1-based; zero means "not
// applicable").
func optInt(n int) *int {
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

// categoryCounts turns per-category counts into wire form (encoding/json
// sorts the keys).
func categoryCounts(m map[analyze.Category]map[analyze.Severity]int) map[string]jsonCounts {
	out := map[string]jsonCounts{}
	for cat, c := range m {
		out[string(cat)] = countsOf(c)
	}
	return out
}
