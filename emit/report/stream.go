package report

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/nbprod/nbprod/analyze"
)

// Meta is what a report stream needs before the first notebook.
type Meta struct {
	Rules []*analyze.Rule // the enabled rules (analyze.Totals.Rules)
	// Severity is the effective severity of each enabled rule, keyed by ID
	// (analyze.RuleSeverities).
	Severity map[string]analyze.Severity
	// Baseline tells that a baseline is in use, so that findings may be
	// Baselined. When it is false no finding may be: SARIF then knows from
	// the start that no result carries a baselineState.
	Baseline bool

	// extra are rules that findings name but Rules lacks (hand-built
	// Results only; the engine reports enabled rules only), so that SARIF
	// lists them in rule order.
	extra []*analyze.Rule
}

// Stream writes a report while a run goes on, one notebook at a time, so
// that memory does not grow with the number of notebooks (analyze.Stream
// feeds it). Call Begin once, Notebook for each notebook in path order,
// then End; Close releases temporary storage whatever happened and may be
// deferred. The bytes are those Write produces for the collected Result.
//
// What a format has to write before the data it depends on is known is
// kept in a spool, in memory up to a small limit and then in a temporary
// file (JSON keeps the notebook entries that follow the findings; SARIF
// all results, since the run's invocation, with internal errors, and the
// baseline state come first; Markdown its sections, since the summary line
// comes first; GitHub the readiness notices that follow the annotations).
type Stream interface {
	Begin(m Meta) error
	// Notebook adds one notebook and its findings. nb is nil for findings
	// whose path has no notebook result (only hand-built Results have
	// them). fs is not kept or modified.
	Notebook(nb *analyze.NotebookResult, fs []analyze.Finding) error
	// End writes what follows the last notebook: totals and internal
	// errors.
	End(errs []analyze.InternalError) error
	Close() error
}

// sink is one format's streaming writer. Findings arrive sorted
// (sortedFindings) and errors sorted by path and message.
type sink interface {
	begin(m Meta)
	notebook(nb *analyze.NotebookResult, fs []analyze.Finding) error
	end(errs []analyze.InternalError) error
	close()
}

// NewStream returns a streaming writer of the named format on w.
func NewStream(w io.Writer, format string, opts Options) (Stream, error) {
	s := &stream{ew: &errWriter{w: w}}
	s.bw = bufio.NewWriterSize(s.ew, 64<<10)
	switch format {
	case "text":
		s.sink = newTextSink(s.bw, w, opts)
	case "json":
		s.sink = &jsonSink{w: s.bw, opts: opts}
	case "sarif":
		s.sink = &sarifSink{w: s.bw, opts: opts}
	case "markdown":
		s.sink = &markdownSink{w: s.bw}
	case "github":
		s.sink = &githubSink{w: s.bw}
	default:
		return nil, fmt.Errorf("unknown report format %q (want %s)", format, strings.Join(Formats, ", "))
	}
	return s, nil
}

// stream wraps a sink: it sorts, buffers the output and keeps the first
// write error.
type stream struct {
	sink       sink
	ew         *errWriter
	bw         *bufio.Writer
	begun, end bool
}

func (s *stream) Begin(m Meta) error {
	if s.begun {
		return errors.New("report: Begin called twice")
	}
	s.begun = true
	s.sink.begin(m)
	return s.ew.err
}

func (s *stream) Notebook(nb *analyze.NotebookResult, fs []analyze.Finding) error {
	return s.notebookSorted(nb, sortedFindings(fs))
}

// notebookSorted adds a notebook whose findings are already sorted.
func (s *stream) notebookSorted(nb *analyze.NotebookResult, fs []analyze.Finding) error {
	if !s.begun || s.end {
		return errors.New("report: Notebook called outside Begin and End")
	}
	if err := s.sink.notebook(nb, fs); err != nil {
		return err
	}
	// One write per notebook: a terminal or a pipe sees the report grow.
	s.bw.Flush()
	return s.ew.err
}

func (s *stream) End(errs []analyze.InternalError) error {
	if !s.begun || s.end {
		return errors.New("report: End called outside Begin")
	}
	s.end = true
	if err := s.sink.end(sortedErrors(errs)); err != nil {
		return err
	}
	s.bw.Flush()
	return s.ew.err
}

func (s *stream) Close() error {
	s.sink.close()
	return nil
}

// errWriter keeps the first error of the underlying writer.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	if err != nil {
		e.err = err
	}
	return n, err
}

func sortedErrors(in []analyze.InternalError) []analyze.InternalError {
	errs := append([]analyze.InternalError(nil), in...)
	sort.SliceStable(errs, func(i, j int) bool {
		a, b := errs[i], errs[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Msg < b.Msg
	})
	return errs
}

// Multi writes several reports from one pass over the notebooks (the main
// output and every --report file). Findings are sorted once for all of
// them. Every stream gets End and Close even when another fails; the first
// error is returned.
func Multi(streams ...Stream) Stream { return multi(streams) }

type multi []Stream

func (m multi) Begin(meta Meta) error {
	var first error
	for _, s := range m {
		if err := s.Begin(meta); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (m multi) Notebook(nb *analyze.NotebookResult, fs []analyze.Finding) error {
	var sorted []analyze.Finding
	for _, s := range m {
		var err error
		if own, ok := s.(*stream); ok {
			if sorted == nil {
				sorted = sortedFindings(fs)
			}
			err = own.notebookSorted(nb, sorted)
		} else {
			err = s.Notebook(nb, fs)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (m multi) End(errs []analyze.InternalError) error {
	var first error
	for _, s := range m {
		if err := s.End(errs); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (m multi) Close() error {
	var first error
	for _, s := range m {
		if err := s.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// writeResult renders a collected Result through a stream. The output is
// built in memory and written at the end, so that an error (data that
// cannot be encoded) writes nothing.
func writeResult(w io.Writer, format string, res *analyze.Result, opts Options) error {
	var buf bytes.Buffer
	s, err := NewStream(&buf, format, opts)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := feed(s.(*stream), res); err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// feed hands a collected Result to a stream the way analyze.Stream would:
// one call per notebook in path order, with the findings of its path;
// findings whose path has no notebook come with a nil notebook, and a
// second notebook with the same path comes with none.
func feed(s *stream, res *analyze.Result) error {
	v := newView(res)
	meta := metaOf(v)
	if err := s.Begin(meta); err != nil {
		return err
	}
	fs, nbs := v.findings, v.notebooks
	fi := 0
	run := func(path string) []analyze.Finding {
		j := fi
		for j < len(fs) && fs[j].Path == path {
			j++
		}
		out := fs[fi:j:j]
		fi = j
		return out
	}
	for ni := 0; ni < len(nbs) || fi < len(fs); {
		if fi < len(fs) && (ni == len(nbs) || fs[fi].Path < nbs[ni].Path) {
			if err := s.notebookSorted(nil, run(fs[fi].Path)); err != nil {
				return err
			}
			continue
		}
		nb := &nbs[ni]
		ni++
		if err := s.notebookSorted(nb, run(nb.Path)); err != nil {
			return err
		}
	}
	return s.End(v.errors)
}

// metaOf is the Meta of a collected result: its rules, plus those its
// findings name that are not among them.
func metaOf(v *view) Meta {
	meta := Meta{Rules: v.res.Rules, Severity: v.res.Severity, Baseline: v.sum.Baselined > 0}
	known := map[string]bool{}
	for _, r := range meta.Rules {
		if r != nil {
			known[r.ID] = true
		}
	}
	for i := range v.findings {
		f := &v.findings[i]
		if !known[f.Rule] {
			known[f.Rule] = true
			meta.extra = append(meta.extra, &analyze.Rule{ID: f.Rule, Name: f.Name, Category: f.Category, Severity: f.Severity})
		}
	}
	return meta
}

// tally counts what the summary line and the JSON summary need, the same
// way analyze.Result.Summarize does.
type tally struct{ sum analyze.Summary }

func (t *tally) add(nb *analyze.NotebookResult, fs []analyze.Finding) {
	if t.sum.BySeverity == nil {
		t.sum.BySeverity, t.sum.ByRule = map[analyze.Severity]int{}, map[string]int{}
	}
	if nb != nil {
		t.sum.Notebooks++
	}
	for i := range fs {
		f := &fs[i]
		switch {
		case f.Suppressed:
			t.sum.Suppressed++
		case f.Baselined:
			t.sum.Baselined++
		default:
			t.sum.Findings++
			t.sum.BySeverity[f.Severity]++
			t.sum.ByRule[f.Rule]++
		}
	}
}

func (t *tally) summary() analyze.Summary {
	t.add(nil, nil)
	return t.sum
}

// groupOf is the notebookGroup of one streamed notebook.
func groupOf(nb *analyze.NotebookResult, fs []analyze.Finding) notebookGroup {
	g := notebookGroup{nb: nb, findings: make([]*analyze.Finding, len(fs))}
	for i := range fs {
		g.findings[i] = &fs[i]
	}
	switch {
	case nb != nil:
		g.path = nb.Path
	case len(fs) > 0:
		g.path = fs[0].Path
	}
	return g
}
