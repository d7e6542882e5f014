// Package nbdiff compares two versions of a notebook the way a reviewer
// reads them: cell by cell, code and markdown only (outputs, execution
// counts and metadata when asked), and by the production blockers the
// change introduces or fixes.
//
// Cells are paired by nbformat id, else by content (Match); cells whose
// order changed are reported as moves (Moves); each paired cell's source is
// diffed line by line with go-diff (LineDiff). The checks run on both sides
// under one display path, and findings are paired by the baseline
// fingerprint's ingredients (rule, cell, normalised source line or key,
// occurrence) with the cell taken from the cell pairing, so a finding whose
// line only moved is unchanged.
//
// Every line put into a Result goes through the facts redaction: the
// sensitive spans of its side (facts.Notebook.RedactLine) for code, the
// personal values recognised in the text (facts.FindPersonalValues) for
// markdown, outputs and metadata, and every secret value either notebook
// holds (facts.Notebook.RedactSecrets); a line a secret-keyed finding
// points at that none of these changed is withheld whole. A change that
// adds a secret shows it redacted. Compare is pure: it reads nothing from disk and
// writes nothing.
package nbdiff

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
	"github.com/nbprod/nbprod/notebook"
)

// Status is what happened to a cell.
type Status string

const (
	Added     Status = "added"
	Deleted   Status = "deleted"
	Modified  Status = "modified"
	Moved     Status = "moved" // order changed; Modified tells whether it was also edited
	Unchanged Status = "unchanged"
)

// Statuses lists the statuses in summary order.
var Statuses = []Status{Modified, Moved, Added, Deleted, Unchanged}

// Options control a comparison.
type Options struct {
	// Outputs compares saved outputs and execution counts.
	Outputs bool
	// Metadata compares cell and notebook metadata.
	Metadata bool
	// Context is the number of unchanged lines around each change
	// (0: DefaultContext; negative: none).
	Context int
	// Settings are the resolved rules and severities run on both sides;
	// nil skips the findings comparison.
	Settings *analyze.Settings
	// Check, when set, runs the rules on one side instead of
	// analyze.CheckNotebook(nb, Settings): a caller with the notebook's
	// bytes can check it with the repository context of a file on disk
	// (analyze.Run with Input{Path, File, Data}), which rules about
	// manifests and data files need. It must check nb as given (same cells)
	// under the display path, and return every finding (suppressed ones
	// included). Settings must still be set.
	Check func(nb *notebook.Notebook, side Side) []analyze.Finding
	// Path is the display path both notebooks are checked under, so their
	// fingerprints compare ("" keeps the new notebook's Path, or the old's
	// when the new one is empty).
	Path string
	// OldLabel and NewLabel name the two sides in reports (a file, a
	// git:REF:path, /dev/null).
	OldLabel, NewLabel string
}

// Side names one of the two notebooks.
type Side uint8

const (
	OldSide Side = iota
	NewSide
)

// Result is the comparison of two notebooks.
type Result struct {
	Path               string
	OldLabel, NewLabel string
	OldCells, NewCells int
	// Outputs and Metadata record what was compared.
	Outputs, Metadata bool
	// Cells lists every cell in reading order: the new notebook's order,
	// with each deleted cell placed after the cell that preceded it.
	Cells []CellChange
	// NotebookMetadata is the diff of the notebook-level metadata
	// (Options.Metadata only).
	NotebookMetadata []Hunk
	// Checked is set when findings were compared (Options.Settings).
	Checked bool
	// Introduced are active findings of the new notebook with no
	// counterpart in the old (cell indexes of the new notebook); Fixed are
	// active findings of the old one with none in the new (cell indexes of
	// the old notebook). Both sorted as analyze.SortFindings.
	Introduced, Fixed []analyze.Finding
	// Unchanged counts the active findings present on both sides.
	Unchanged int
}

// CellChange is one cell of either side and what happened to it.
type CellChange struct {
	Status Status
	// Old and New are the cell indexes (-1 when absent on that side).
	Old, New     int
	OldID, NewID string
	// Kind is the cell's kind in the new notebook (the old one's for a
	// deleted cell); OldKind differs from it when the kind changed.
	Kind, OldKind notebook.CellKind
	By            MatchKind // how the cell was paired ("" for added and deleted cells)
	Similarity    float64
	// Modified is set when the paired cell's source or kind changed (or,
	// when compared, its outputs, execution count or metadata).
	Modified bool
	// Source is the line diff of the source (all inserts for an added
	// cell, all deletes for a deleted one).
	Source []Hunk
	// Outputs is the line diff of the outputs' text form, ExecCount the
	// execution counts when they differ (Options.Outputs).
	Outputs   []Hunk
	ExecCount *CountChange
	// Metadata is the line diff of the cell metadata as indented JSON
	// (Options.Metadata).
	Metadata []Hunk
}

// CountChange is an execution count before and after (nil: not run).
type CountChange struct{ Old, New *int }

// Counts returns the number of cells per status.
func (r *Result) Counts() map[Status]int {
	m := map[Status]int{}
	for i := range r.Cells {
		m[r.Cells[i].Status]++
	}
	return m
}

// Changed reports whether any cell (or the notebook metadata) differs.
func (r *Result) Changed() bool {
	for i := range r.Cells {
		if r.Cells[i].Status != Unchanged {
			return true
		}
	}
	return len(r.NotebookMetadata) > 0
}

// Failing reports whether the change introduces an active finding at or
// above failOn (0: never).
func (r *Result) Failing(failOn analyze.Severity) bool {
	if failOn == 0 {
		return false
	}
	for i := range r.Introduced {
		if r.Introduced[i].Severity >= failOn {
			return true
		}
	}
	return false
}

// Compare compares two notebooks. A nil notebook is an empty one (an added
// or deleted file). The notebooks are not modified.
func Compare(oldNB, newNB *notebook.Notebook, o Options) *Result {
	oldIn, newIn := oldNB, newNB
	if oldNB == nil {
		oldNB = &notebook.Notebook{}
	}
	if newNB == nil {
		newNB = &notebook.Notebook{}
	}
	path := o.Path
	if path == "" {
		path = newNB.Path
		if path == "" {
			path = oldNB.Path
		}
	}
	// Shallow copies carry the common display path; cells are shared and
	// only read.
	oc, nc := *oldNB, *newNB
	oc.Path, nc.Path = path, path
	ctx := o.Context
	switch {
	case ctx == 0:
		ctx = DefaultContext
	case ctx < 0:
		ctx = 0
	}
	res := &Result{
		Path: path, OldLabel: o.OldLabel, NewLabel: o.NewLabel,
		OldCells: len(oc.Cells), NewCells: len(nc.Cells),
		Outputs: o.Outputs, Metadata: o.Metadata,
	}

	pairs := Match(oc.Cells, nc.Cells)
	var oldF, newF []analyze.Finding
	if o.Settings != nil {
		res.Checked = true
		check := o.Check
		if check == nil {
			check = func(nb *notebook.Notebook, _ Side) []analyze.Finding { return analyze.CheckNotebook(nb, o.Settings) }
		}
		// A nil side (an added or deleted file) has no findings.
		if oldIn != nil {
			oldF = check(&oc, OldSide)
		}
		if newIn != nil {
			newF = check(&nc, NewSide)
		}
		res.Introduced, res.Fixed, res.Unchanged = classify(&oc, &nc, oldF, newF, pairs)
	}

	w := facts.NewWorker()
	defer w.Close()
	olds, news := newSide(w, &oc, oldF), newSide(w, &nc, newF)
	// The engine's snippets went through the same facts redaction; a
	// secret it could not place is withheld here as in the hunks.
	for i := range res.Introduced {
		news.redactSnippet(&res.Introduced[i])
	}
	for i := range res.Fixed {
		olds.redactSnippet(&res.Fixed[i])
	}

	res.Cells = layout(&oc, &nc, pairs)
	for i := range res.Cells {
		fillCell(&res.Cells[i], olds, news, o, ctx)
	}
	if o.Metadata {
		res.NotebookMetadata = LineDiff(metadataText(oc.Metadata), metadataText(nc.Metadata), ctx)
		redactHunks(res.NotebookMetadata, olds, news, func(l Line) string { return redactPersonal(l.Text) })
	}
	return res
}

// layout orders the cells for reading: new order, each deleted cell after
// the unmoved paired cell that preceded it in the old notebook.
func layout(oc, nc *notebook.Notebook, pairs []Pair) []CellChange {
	moved := Moves(pairs)
	oldPair := make([]int, len(oc.Cells)) // old index → position in pairs, or -1
	newPair := make([]int, len(nc.Cells))
	for i := range oldPair {
		oldPair[i] = -1
	}
	for i := range newPair {
		newPair[i] = -1
	}
	for k, p := range pairs {
		oldPair[p.Old] = k
		newPair[p.New] = k
	}
	type entry struct {
		pos, sub, idx int
		c             CellChange
	}
	var es []entry
	for j := range nc.Cells {
		c := CellChange{Old: -1, New: j, NewID: nc.Cells[j].ID, Kind: nc.Cells[j].Kind, OldKind: nc.Cells[j].Kind}
		if k := newPair[j]; k >= 0 {
			p := pairs[k]
			c.Old, c.OldID, c.OldKind = p.Old, oc.Cells[p.Old].ID, oc.Cells[p.Old].Kind
			c.By, c.Similarity = p.By, p.Similarity
			c.Status = Unchanged
			if moved[k] {
				c.Status = Moved
			}
		} else {
			c.Status = Added
		}
		es = append(es, entry{pos: j, sub: 0, idx: j, c: c})
	}
	anchor := -1 // new index of the last unmoved paired cell seen in old order
	for i := range oc.Cells {
		if k := oldPair[i]; k >= 0 {
			if !moved[k] {
				anchor = pairs[k].New
			}
			continue
		}
		c := CellChange{Status: Deleted, Old: i, New: -1, OldID: oc.Cells[i].ID, Kind: oc.Cells[i].Kind, OldKind: oc.Cells[i].Kind}
		es = append(es, entry{pos: anchor, sub: 1, idx: i, c: c})
	}
	sort.SliceStable(es, func(a, b int) bool {
		x, y := es[a], es[b]
		if x.pos != y.pos {
			return x.pos < y.pos
		}
		if x.sub != y.sub {
			return x.sub < y.sub
		}
		return x.idx < y.idx
	})
	out := make([]CellChange, len(es))
	for i := range es {
		out[i] = es[i].c
	}
	return out
}

// fillCell computes the hunks of one cell and settles Modified and Status.
func fillCell(c *CellChange, olds, news *side, o Options, ctx int) {
	var oc, nc *notebook.Cell
	if c.Old >= 0 {
		oc = &olds.nb.Cells[c.Old]
	}
	if c.New >= 0 {
		nc = &news.nb.Cells[c.New]
	}
	src := func(cl *notebook.Cell) string {
		if cl == nil {
			return ""
		}
		return cl.Source
	}
	c.Source = LineDiff(src(oc), src(nc), ctx)
	redactHunks(c.Source, olds, news, func(l Line) string {
		switch l.Op {
		case Delete:
			return olds.redactSource(c.Old, l.Old, l.Text)
		case Insert:
			return news.redactSource(c.New, l.New, l.Text)
		}
		if r := news.redactSource(c.New, l.New, l.Text); r != l.Text {
			return r
		}
		return olds.redactSource(c.Old, l.Old, l.Text)
	})
	modified := len(c.Source) > 0 || (oc != nil && nc != nil && oc.Kind != nc.Kind)
	if o.Outputs {
		ot, oloc := outputsText(oc)
		nt, nloc := outputsText(nc)
		c.Outputs = LineDiff(ot, nt, ctx)
		redactHunks(c.Outputs, olds, news, func(l Line) string {
			switch l.Op {
			case Delete:
				return olds.redactOutput(c.Old, oloc, l.Old, l.Text)
			case Insert:
				return news.redactOutput(c.New, nloc, l.New, l.Text)
			}
			if r := news.redactOutput(c.New, nloc, l.New, l.Text); r != l.Text {
				return r
			}
			return olds.redactOutput(c.Old, oloc, l.Old, l.Text)
		})
		var oe, ne *int
		if oc != nil {
			oe = oc.ExecCount
		}
		if nc != nil {
			ne = nc.ExecCount
		}
		if !sameCount(oe, ne) {
			c.ExecCount = &CountChange{Old: oe, New: ne}
		}
		modified = modified || len(c.Outputs) > 0 || c.ExecCount != nil
	}
	if o.Metadata {
		var om, nm *notebook.Value
		if oc != nil {
			om = oc.Metadata
		}
		if nc != nil {
			nm = nc.Metadata
		}
		c.Metadata = LineDiff(metadataText(om), metadataText(nm), ctx)
		redactHunks(c.Metadata, olds, news, func(l Line) string { return redactPersonal(l.Text) })
		modified = modified || len(c.Metadata) > 0
	}
	if oc != nil && nc != nil {
		c.Modified = modified
		if c.Status == Unchanged && modified {
			c.Status = Modified
		}
	}
}

func sameCount(a, b *int) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// redactHunks rewrites every line of hs: fn (the side's own redaction),
// then, as a safety net, every secret value either notebook holds (in
// code, markdown, outputs or metadata: facts.Notebook.RedactSecrets), so a
// value found on one side never shows through a line of the other.
func redactHunks(hs []Hunk, olds, news *side, fn func(Line) string) {
	for h := range hs {
		for i := range hs[h].Lines {
			l := &hs[h].Lines[i]
			l.Text = olds.fx.RedactSecrets(news.fx.RedactSecrets(fn(*l)))
		}
	}
}

// redactPersonal replaces the personal values (emails, phone numbers,
// card numbers, IBANs …) recognised in a line of text that the facts do
// not place (markdown, outputs, metadata) with their redacted forms.
func redactPersonal(text string) string {
	vs := facts.FindPersonalValues(text, false)
	if len(vs) == 0 {
		return text
	}
	sort.SliceStable(vs, func(i, j int) bool { return len(vs[i].Value()) > len(vs[j].Value()) })
	for i := range vs {
		if v := vs[i].Value(); v != "" {
			text = strings.ReplaceAll(text, v, vs[i].Redacted)
		}
	}
	return text
}

// side is one notebook with what its redaction needs.
type side struct {
	nb *notebook.Notebook
	fx *facts.Notebook
	// secretLines maps cell → line → rule of findings keyed by a secret
	// or personal value (analyze.SecretKey); secretOutputs maps cell →
	// "index mime" → lines (0: the whole output).
	secretLines   map[int]map[int]string
	secretOutputs map[int]map[string]map[int]string
}

func newSide(w *facts.Worker, nb *notebook.Notebook, fs []analyze.Finding) *side {
	s := &side{nb: nb, fx: w.New(nb, facts.Env{}), secretLines: map[int]map[int]string{}, secretOutputs: map[int]map[string]map[int]string{}}
	for i := range fs {
		f := &fs[i]
		if !strings.HasPrefix(f.Key, "secret:") || f.Cell < 0 {
			continue
		}
		if f.Output != nil {
			k := outKey(f.Output.Index, f.Output.MIME)
			if s.secretOutputs[f.Cell] == nil {
				s.secretOutputs[f.Cell] = map[string]map[int]string{}
			}
			if s.secretOutputs[f.Cell][k] == nil {
				s.secretOutputs[f.Cell][k] = map[int]string{}
			}
			s.secretOutputs[f.Cell][k][f.Output.Line] = f.Rule
			continue
		}
		if f.Line < 1 {
			continue
		}
		if s.secretLines[f.Cell] == nil {
			s.secretLines[f.Cell] = map[int]string{}
		}
		for l := f.Line; l <= max(f.Line, f.EndLine); l++ {
			s.secretLines[f.Cell][l] = f.Rule
		}
	}
	return s
}

// redactSource redacts one source line: in a code cell, the facts'
// sensitive spans (secrets and personal values); in markdown and raw
// cells, the personal values recognised in the text. When that leaves the
// line as it is but a finding keyed by a secret points at it, the whole
// line is withheld.
func (s *side) redactSource(cell, line int, text string) string {
	if cell < 0 || line < 1 || cell >= len(s.nb.Cells) {
		return text
	}
	red := text
	if s.nb.Cells[cell].Kind == notebook.Code {
		red = s.fx.RedactLine(cell, line, text)
	} else {
		red = redactPersonal(text)
	}
	if red == s.fx.RedactSecrets(red) && red == text {
		if rule, ok := s.secretLines[cell][line]; ok {
			return withheld(rule)
		}
	}
	return red
}

func (s *side) redactSnippet(f *analyze.Finding) {
	if f.Snippet == "" || f.Cell < 0 || f.Cell >= len(s.nb.Cells) {
		return
	}
	f.Snippet = s.redactSource(f.Cell, f.Line, s.nb.Cells[f.Cell].Line(f.Line))
}

// redactOutput redacts one line of an output's text form: personal values
// recognised in it, else the whole line when a finding keyed by a secret
// points at it.
func (s *side) redactOutput(cell int, locs []outLoc, line int, text string) string {
	if red := redactPersonal(text); red != text {
		return red
	}
	if cell < 0 || line < 1 || line > len(locs) {
		return text
	}
	loc := locs[line-1]
	m := s.secretOutputs[cell][outKey(loc.Index, loc.MIME)]
	if m == nil || s.fx.RedactSecrets(text) != text {
		return text
	}
	if rule, ok := m[loc.Line]; ok && loc.Line > 0 {
		return withheld(rule)
	}
	if rule, ok := m[0]; ok {
		return withheld(rule)
	}
	return text
}

func withheld(rule string) string {
	return "<line withheld: " + rule + " found a secret or personal value on it>"
}

func outKey(index int, mime string) string { return strconv.Itoa(index) + " " + mime }

// outLoc locates one line of outputsText in the cell's outputs.
type outLoc struct {
	Index int
	MIME  string
	Line  int // 1-based line within that representation's text; 0 for a header
}

// outputsText renders a cell's outputs as comparable text: a header line
// per output ("[output 1: stream stdout]"), then its kept text/plain or
// stream text; other representations as "<image/png, 1234 bytes>"; errors
// as "ename: evalue" (tracebacks left out: they hold terminal colour codes
// and paths).
func outputsText(c *notebook.Cell) (string, []outLoc) {
	if c == nil || len(c.Outputs) == 0 {
		return "", nil
	}
	var lines []string
	var locs []outLoc
	add := func(text string, loc outLoc) {
		lines = append(lines, text)
		locs = append(locs, loc)
	}
	for i := range c.Outputs {
		out := &c.Outputs[i]
		head := fmt.Sprintf("[output %d: %s", i+1, out.Type)
		if out.StreamName != "" {
			head += " " + out.StreamName
		}
		switch out.Type {
		case "error":
			add(head+"] "+out.EName+": "+firstLine(out.EValue), outLoc{Index: out.Index, MIME: "error"})
			continue
		}
		add(head+"]", outLoc{Index: out.Index})
		for _, md := range out.Data {
			if md.Kept && (md.MIME == "stream" || md.MIME == "text/plain") {
				for n, l := range strings.Split(strings.TrimSuffix(md.Text, "\n"), "\n") {
					add(l, outLoc{Index: out.Index, MIME: md.MIME, Line: n + 1})
				}
				if md.Truncated {
					add("<… truncated>", outLoc{Index: out.Index, MIME: md.MIME})
				}
				continue
			}
			add(fmt.Sprintf("<%s, %d bytes>", md.MIME, md.Size), outLoc{Index: out.Index, MIME: md.MIME})
		}
	}
	return strings.Join(lines, "\n"), locs
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// metadataText renders metadata as indented JSON with sorted keys ("" for
// none or an empty object).
func metadataText(v *notebook.Value) string {
	if v == nil || (v.Kind == notebook.Object && len(v.Keys) == 0) {
		return ""
	}
	b, err := json.MarshalIndent(v.Any(), "", "  ")
	if err != nil {
		return ""
	}
	return string(b)
}
