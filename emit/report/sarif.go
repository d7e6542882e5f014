package report

// Notes on consumers (see staticcheck's lintcmd/sarif.go for the long
// version):
//
//   - GitHub code scanning strips Markdown from result messages, does not
//     show relatedLocations, ignores tool and help URIs, and ignores
//     result.suppressions and baselineState: a suppressed or baselined
//     result uploaded to it becomes an open alert. The contract keeps
//     suppressed findings in SARIF (auditable); a workflow that wants them
//     gone filters results with a non-empty suppressions array before
//     upload. Only "error" results fail its check by default.
//   - Related locations are kept for viewers that show them; the message is
//     not rewritten to link them, so it stays the same text as in JSON.
//   - rules[].help.markdown is the rule's whole documentation page; GitHub
//     renders it on the alert page.
//   - Regions are positions in the raw .ipynb file (CONTRACT.md §1) in
//     Unicode code points (columnKind). Only the start is given: the engine
//     has no file position for the end of a range, and the cell's end
//     column cannot be mapped onto the raw JSON string (escapes). The
//     cell-relative range is in properties.

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/emit/internal/textsafe"
)

const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
	// sarifFingerprintKey names nbprod's fingerprint in partialFingerprints.
	sarifFingerprintKey = "nbprodFingerprint/v1"
	// sarifSrcRoot is the uriBaseId of relative artifact paths; GitHub
	// resolves it to the repository root.
	sarifSrcRoot = "%SRCROOT%"
)

// Hand-written SARIF 2.1.0 structs: only what nbprod writes.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool        sarifTool         `json:"tool"`
		Invocations []sarifInvocation `json:"invocations"`
		ColumnKind  string            `json:"columnKind"`
		Results     []sarifResult     `json:"results"`
		Properties  *sarifRunProps    `json:"properties,omitempty"`
	}
	sarifRunProps struct {
		Notebooks []sarifNotebook `json:"notebooks"`
	}
	sarifNotebook struct {
		Path       string                `json:"path"`
		Score      int                   `json:"score"`
		Unreadable bool                  `json:"unreadable"`
		Counts     jsonCounts            `json:"counts"`
		ByCategory map[string]jsonCounts `json:"by_category"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version,omitempty"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string             `json:"id"`
		Name                 string             `json:"name,omitempty"`
		ShortDescription     sarifText          `json:"shortDescription"`
		FullDescription      *sarifText         `json:"fullDescription,omitempty"`
		Help                 *sarifMultiformat  `json:"help,omitempty"`
		HelpURI              string             `json:"helpUri"`
		DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
		Properties           sarifRuleProps     `json:"properties"`
	}
	sarifText struct {
		Text string `json:"text"`
	}
	sarifMultiformat struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown,omitempty"`
	}
	sarifConfiguration struct {
		Level string `json:"level"`
	}
	sarifRuleProps struct {
		Category         string        `json:"category,omitempty"`
		Tags             []string      `json:"tags"`
		SecuritySeverity string        `json:"security-severity,omitempty"`
		Options          []sarifOption `json:"options,omitempty"`
	}
	sarifOption struct {
		Name    string `json:"name"`
		Default any    `json:"default"`
		Help    string `json:"help,omitempty"`
	}
	sarifInvocation struct {
		ExecutionSuccessful        bool                `json:"executionSuccessful"`
		ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
	}
	sarifNotification struct {
		Level     string          `json:"level"`
		Message   sarifText       `json:"message"`
		Locations []sarifLocation `json:"locations,omitempty"`
	}
	sarifResult struct {
		RuleID              string             `json:"ruleId"`
		RuleIndex           int                `json:"ruleIndex"`
		Level               string             `json:"level"`
		Message             sarifText          `json:"message"`
		Locations           []sarifLocation    `json:"locations"`
		RelatedLocations    []sarifLocation    `json:"relatedLocations,omitempty"`
		PartialFingerprints map[string]string  `json:"partialFingerprints,omitempty"`
		BaselineState       string             `json:"baselineState,omitempty"`
		Suppressions        []sarifSuppression `json:"suppressions"`
		Properties          sarifResultProps   `json:"properties"`
	}
	sarifLocation struct {
		ID               *int                   `json:"id,omitempty"`
		PhysicalLocation *sarifPhysicalLocation `json:"physicalLocation,omitempty"`
		LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
		Message          *sarifText             `json:"message,omitempty"`
		Properties       *sarifRelatedProps     `json:"properties,omitempty"`
	}
	sarifPhysicalLocation struct {
		ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
		Region           *sarifRegion          `json:"region,omitempty"`
	}
	sarifArtifactLocation struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn,omitempty"`
	}
	sarifLogicalLocation struct {
		Name string `json:"name"`
		Kind string `json:"kind"`
	}
	sarifSuppression struct {
		Kind          string `json:"kind"`
		Status        string `json:"status,omitempty"`
		Justification string `json:"justification,omitempty"`
	}
	sarifResultProps struct {
		Severity  string         `json:"severity"`
		Category  string         `json:"category,omitempty"`
		Cell      *int           `json:"cell,omitempty"`
		CellID    string         `json:"cell_id,omitempty"`
		Line      *int           `json:"line,omitempty"`
		Column    *int           `json:"column,omitempty"`
		EndLine   *int           `json:"end_line,omitempty"`
		EndColumn *int           `json:"end_column,omitempty"`
		Output    *jsonOutput    `json:"output,omitempty"`
		Fix       string         `json:"fix,omitempty"`
		Data      map[string]any `json:"data,omitempty"`
		Baselined bool           `json:"baselined,omitempty"`
	}
	sarifRelatedProps struct {
		Cell   *int `json:"cell,omitempty"`
		Line   *int `json:"line,omitempty"`
		Column *int `json:"column,omitempty"`
	}
)

// SARIF writes a SARIF 2.1.0 log with one run. tool.driver.rules lists
// every enabled rule (res.Rules) plus any rule a finding names that is not
// among them. Every finding is a result: suppressed ones carry an inSource
// suppression with the reason, baselined ones baselineState "unchanged".
// Internal errors become tool execution notifications, and the invocation
// is then unsuccessful. Run properties carry each notebook's score.
func SARIF(w io.Writer, res *analyze.Result, opts Options) error {
	return writeResult(w, "sarif", res, opts)
}

// sarifSink streams the SARIF log. The run's invocation (internal errors)
// and the results' baselineState (written when any finding is baselined)
// come before or with the results but are only known at the end, so the
// results go to a spool and the log is written at the end; per-notebook
// properties go to a second spool.
//
// While a baseline is in use and no finding has been baselined yet, each
// result is spooled twice, with and without baselineState "new"; the first
// baselined finding settles it and the copy without is dropped.
type sarifSink struct {
	w     *bufio.Writer
	opts  Options
	enc   jsonEnc
	rules []sarifRule
	index map[string]int
	// settled: whether any finding is baselined is known (anyBaselined).
	settled, anyBaselined bool
	results, plain        spool // plain: the copies without baselineState
	nResults              int
	notebooks             spool
	nNotebooks            int
	err                   error
}

func (s *sarifSink) begin(m Meta) {
	s.rules, s.index = sarifRules(m)
	s.settled = !m.Baseline
}

func (s *sarifSink) notebook(nb *analyze.NotebookResult, fs []analyze.Finding) error {
	if s.err != nil {
		return s.err
	}
	for i := range fs {
		f := &fs[i]
		idx, ok := s.index[f.Rule]
		if !ok {
			// Not an enabled rule (the engine never reports one): a
			// descriptor at the end of the list keeps ruleIndex right.
			idx = len(s.rules)
			s.index[f.Rule] = idx
			s.rules = append(s.rules, ruleDescriptor(&analyze.Rule{ID: f.Rule, Name: f.Name, Category: f.Category, Severity: f.Severity}, f.Severity))
		}
		if f.Baselined && !s.settled {
			s.settled, s.anyBaselined = true, true
			s.plain.close()
		} else if f.Baselined && !s.anyBaselined {
			s.err = fmt.Errorf("report: finding %s in %s is baselined but no baseline is in use (Meta.Baseline)", f.Rule, f.Path)
			return s.err
		}
		if !s.settled {
			if err := s.spoolResult(&s.plain, f, idx, false); err != nil {
				return err
			}
		}
		if err := s.spoolResult(&s.results, f, idx, !s.settled || s.anyBaselined); err != nil {
			return err
		}
		s.nResults++
	}
	if nb != nil {
		b, err := s.enc.encode(sarifNotebook{
			Path: nb.Path, Score: nb.Score, Unreadable: nb.Unreadable, Counts: countsOf(nb.Counts),
			ByCategory: categoryCounts(nb.ByCategory),
		}, 5)
		if err != nil {
			s.err = err
			return err
		}
		writeElem(&s.notebooks, s.nNotebooks, 5, b)
		s.nNotebooks++
	}
	return nil
}

func (s *sarifSink) spoolResult(sp *spool, f *analyze.Finding, idx int, anyBaselined bool) error {
	b, err := s.enc.encode(sarifResultOf(f, idx, anyBaselined), 4)
	if err != nil {
		s.err = err
		return err
	}
	writeElem(sp, s.nResults, 4, b)
	return nil
}

func (s *sarifSink) end(errs []analyze.InternalError) error {
	if s.err != nil {
		return s.err
	}
	results := &s.results
	if !s.settled {
		// No finding was baselined: no result has a baselineState.
		results = &s.plain
	}
	inv := sarifInvocation{ExecutionSuccessful: len(errs) == 0}
	for _, e := range errs {
		n := sarifNotification{Level: "error", Message: sarifText{Text: "internal error: " + e.Msg}}
		if e.Path != "" {
			n.Locations = []sarifLocation{{PhysicalLocation: &sarifPhysicalLocation{ArtifactLocation: artifactLocation(e.Path)}}}
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
	}
	// The fields of sarifLog and sarifRun, in their order.
	s.w.WriteString("{\n  \"$schema\": \"" + sarifSchema + "\",\n  \"version\": \"" + sarifVersion + "\",\n  \"runs\": [\n    {\n      \"tool\": ")
	b, err := s.enc.encode(sarifTool{Driver: sarifDriver{
		Name:           toolName,
		Version:        s.opts.ToolVersion,
		InformationURI: toolURI,
		Rules:          s.rules,
	}}, 3)
	if err != nil {
		return err
	}
	s.w.Write(b)
	s.w.WriteString(",\n      \"invocations\": ")
	if b, err = s.enc.encode([]sarifInvocation{inv}, 3); err != nil {
		return err
	}
	s.w.Write(b)
	s.w.WriteString(",\n      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": [")
	if _, err := results.WriteTo(s.w); err != nil {
		return err
	}
	closeArray(s.w, s.nResults, 3)
	if s.nNotebooks > 0 {
		s.w.WriteString(",\n      \"properties\": {\n        \"notebooks\": [")
		if _, err := s.notebooks.WriteTo(s.w); err != nil {
			return err
		}
		closeArray(s.w, s.nNotebooks, 4)
		s.w.WriteString("\n      }")
	}
	s.w.WriteString("\n    }\n  ]\n}\n")
	return nil
}

func (s *sarifSink) close() {
	s.results.close()
	s.plain.close()
	s.notebooks.close()
}

// sarifRules builds tool.driver.rules sorted by ID and the index of each
// ID: every enabled rule, and the rules findings name that are not enabled
// (hand-built Results).
func sarifRules(m Meta) ([]sarifRule, map[string]int) {
	byID := map[string]sarifRule{}
	for _, r := range m.Rules {
		if r == nil {
			continue
		}
		if _, dup := byID[r.ID]; !dup {
			byID[r.ID] = ruleDescriptor(r, ruleSeverity(m.Severity, r))
		}
	}
	// Findings of a rule that is not in the enabled list still need a
	// descriptor for ruleIndex to point at.
	for _, r := range m.extra {
		if _, ok := byID[r.ID]; !ok {
			byID[r.ID] = ruleDescriptor(r, r.Severity)
		}
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	rules := make([]sarifRule, len(ids))
	index := make(map[string]int, len(ids))
	for i, id := range ids {
		rules[i] = byID[id]
		index[id] = i
	}
	return rules, index
}

func ruleDescriptor(r *analyze.Rule, sev analyze.Severity) sarifRule {
	short := textsafe.OneLine(r.Doc.Summary)
	if short == "" {
		short = r.Name
	}
	if short == "" {
		short = r.ID
	}
	d := sarifRule{
		ID:                   r.ID,
		ShortDescription:     sarifText{Text: short},
		HelpURI:              RuleDocURL(r.ID),
		DefaultConfiguration: sarifConfiguration{Level: sarifLevel(sev)},
		Properties:           sarifRuleProps{Category: string(r.Category), Tags: []string{toolName}},
	}
	// SARIF forbids a name equal to the ID.
	if r.Name != r.ID {
		d.Name = r.Name
	}
	if full := strings.Join(strings.Fields(r.Doc.Sections["What it does"]), " "); full != "" {
		d.FullDescription = &sarifText{Text: full}
	}
	if r.Doc.Markdown != "" {
		d.Help = &sarifMultiformat{Text: r.Doc.Markdown, Markdown: r.Doc.Markdown}
	}
	if r.Category != "" && string(r.Category) != toolName {
		d.Properties.Tags = append(d.Properties.Tags, string(r.Category))
	}
	// GitHub files results of rules tagged "security" as security alerts
	// and ranks them by security-severity.
	if r.Category == analyze.CatSecurity || r.Category == analyze.CatPersonalData {
		if r.Category != analyze.CatSecurity {
			d.Properties.Tags = append(d.Properties.Tags, "security")
		}
		d.Properties.SecuritySeverity = securitySeverity(sev)
	}
	for _, o := range r.Options {
		d.Properties.Options = append(d.Properties.Options, sarifOption{Name: o.Name, Default: o.Default, Help: o.Help})
	}
	return d
}

func sarifLevel(s analyze.Severity) string {
	switch s {
	case analyze.Blocker:
		return "error"
	case analyze.Warning:
		return "warning"
	}
	return "note"
}

func securitySeverity(s analyze.Severity) string {
	switch s {
	case analyze.Blocker:
		return "8.0"
	case analyze.Warning:
		return "5.0"
	}
	return "2.0"
}

func sarifResultOf(f *analyze.Finding, ruleIndex int, anyBaselined bool) sarifResult {
	region := &sarifRegion{StartLine: 1}
	if hasCell(f) && f.FileLine > 0 {
		region.StartLine = f.FileLine
		if f.FileColumn > 0 {
			region.StartColumn = f.FileColumn
		}
	}
	loc := sarifLocation{PhysicalLocation: &sarifPhysicalLocation{
		ArtifactLocation: artifactLocation(f.Path),
		Region:           region,
	}}
	if hasCell(f) {
		loc.LogicalLocations = []sarifLogicalLocation{{Name: fmt.Sprintf("cell %d", f.Cell+1), Kind: "module"}}
	}
	msg := f.Message
	if f.Fix != "" {
		msg += "\nfix: " + f.Fix
	}
	r := sarifResult{
		RuleID:       f.Rule,
		RuleIndex:    ruleIndex,
		Level:        sarifLevel(f.Severity),
		Message:      sarifText{Text: msg},
		Locations:    []sarifLocation{loc},
		Suppressions: []sarifSuppression{},
		Properties: sarifResultProps{
			Severity:  f.Severity.String(),
			Category:  string(f.Category),
			Fix:       f.Fix,
			Data:      wireData(f.Data),
			Baselined: f.Baselined,
		},
	}
	if f.Fingerprint != "" {
		r.PartialFingerprints = map[string]string{sarifFingerprintKey: f.Fingerprint}
	}
	if hasCell(f) {
		cell := f.Cell
		r.Properties.Cell = &cell
		r.Properties.CellID = f.CellID
		r.Properties.Line, r.Properties.Column = optInt(f.Line), optInt(f.Column)
		r.Properties.EndLine, r.Properties.EndColumn = optInt(f.EndLine), optInt(f.EndColumn)
		if f.Output != nil {
			r.Properties.Output = &jsonOutput{Index: f.Output.Index, MIME: f.Output.MIME, Line: optInt(f.Output.Line)}
		}
	}
	if f.Suppressed {
		r.Suppressions = []sarifSuppression{{Kind: "inSource", Status: "accepted", Justification: f.SuppressionReason}}
	}
	if anyBaselined {
		r.BaselineState = "new"
		if f.Baselined {
			r.BaselineState = "unchanged"
		}
	}
	for i, rel := range f.Related {
		id := i + 1
		l := sarifLocation{
			ID:               &id,
			PhysicalLocation: &sarifPhysicalLocation{ArtifactLocation: artifactLocation(f.Path)},
		}
		if rel.Message != "" {
			l.Message = &sarifText{Text: rel.Message}
		}
		if rel.Cell >= 0 {
			cell := rel.Cell
			l.LogicalLocations = []sarifLogicalLocation{{Name: fmt.Sprintf("cell %d", rel.Cell+1), Kind: "module"}}
			l.Properties = &sarifRelatedProps{Cell: &cell, Line: optInt(rel.Line), Column: optInt(rel.Column)}
		}
		r.RelatedLocations = append(r.RelatedLocations, l)
	}
	return r
}

// artifactLocation turns a report path into a URI reference: relative
// paths are percent-encoded and based on %SRCROOT%, absolute ones become
// file URIs.
func artifactLocation(path string) sarifArtifactLocation {
	p := strings.ReplaceAll(path, `\`, "/")
	switch {
	case strings.HasPrefix(p, "/"):
		return sarifArtifactLocation{URI: "file://" + encodeURIPath(p, false)}
	case len(p) >= 3 && isASCIILetter(p[0]) && p[1] == ':' && p[2] == '/':
		// A Windows drive path: keep the drive colon.
		return sarifArtifactLocation{URI: "file:///" + p[:2] + encodeURIPath(p[2:], false)}
	}
	return sarifArtifactLocation{URI: encodeURIPath(p, true), URIBaseID: sarifSrcRoot}
}

func isASCIILetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

// encodeURIPath percent-encodes every byte outside RFC 3986's unreserved
// set, "/" and the sub-delims that are safe in a path. ":" is encoded in
// relative references so that a first segment like "c:x" is not read as a
// scheme.
func encodeURIPath(p string, relative bool) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case isASCIILetter(c), c >= '0' && c <= '9', strings.IndexByte("-._~/!$&'()*+,;=@", c) >= 0:
			b.WriteByte(c)
		case c == ':' && !relative:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}
