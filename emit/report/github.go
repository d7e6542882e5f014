package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/nbprod/nbprod/analyze"
)

// GitHub writes one GitHub Actions workflow command per active finding:
//
//	::error file=nb.ipynb,line=57,col=9,title=NB301 absolute-local-path::message
//
// blocker → error, warning → warning, info → notice. Positions are in the
// .ipynb file (file_line, file_column); notebook-level findings point at
// line 1. The fix, when there is one, is a second line of the message.
// No end position is given (see the SARIF notes). Internal errors become
// "::error" commands titled "nbprod internal error". Suppressed and
// baselined findings are left out.
func GitHub(w io.Writer, res *analyze.Result, opts Options) error {
	return writeResult(w, "github", res, opts)
}

// githubSink streams the annotations; the readiness notices, which follow
// all of them, go through a spool.
type githubSink struct {
	w       *bufio.Writer
	notices spool
	b       strings.Builder
}

func (s *githubSink) begin(Meta) {}

func (s *githubSink) notebook(nb *analyze.NotebookResult, fs []analyze.Finding) error {
	s.b.Reset()
	for i := range fs {
		f := &fs[i]
		if !f.Active() {
			continue
		}
		line := 1
		if hasCell(f) && f.FileLine > 0 {
			line = f.FileLine
		}
		props := [][2]string{{"file", f.Path}, {"line", strconv.Itoa(line)}}
		if hasCell(f) && f.FileLine > 0 && f.FileColumn > 0 {
			props = append(props, [2]string{"col", strconv.Itoa(f.FileColumn)})
		}
		title := f.Rule
		if f.Name != "" {
			title += " " + f.Name
		}
		props = append(props, [2]string{"title", title})
		msg := f.Message
		if f.Fix != "" {
			msg += "\nfix: " + f.Fix
		}
		writeCommand(&s.b, githubCommand(f.Severity), props, msg)
	}
	s.w.WriteString(s.b.String())
	if nb != nil {
		// One notice per notebook with its production-readiness score, so
		// a team sees (and can trend) it in the workflow run.
		msg := fmt.Sprintf("production-readiness score %d/100 (%d blockers, %d warnings, %d info)", nb.Score,
			nb.Counts[analyze.Blocker], nb.Counts[analyze.Warning], nb.Counts[analyze.Info])
		if nb.Unreadable {
			msg = "production-readiness score 0/100 (unreadable notebook)"
		}
		s.b.Reset()
		writeCommand(&s.b, "notice", [][2]string{{"file", nb.Path}, {"title", "nbprod readiness"}}, msg)
		s.notices.WriteString(s.b.String())
	}
	return nil
}

func (s *githubSink) end(errs []analyze.InternalError) error {
	if _, err := s.notices.WriteTo(s.w); err != nil {
		return err
	}
	s.b.Reset()
	for _, e := range errs {
		var props [][2]string
		if e.Path != "" {
			props = append(props, [2]string{"file", e.Path})
		}
		props = append(props, [2]string{"title", "nbprod internal error"})
		writeCommand(&s.b, "error", props, e.Msg)
	}
	s.w.WriteString(s.b.String())
	return nil
}

func (s *githubSink) close() { s.notices.close() }

func githubCommand(s analyze.Severity) string {
	switch s {
	case analyze.Blocker:
		return "error"
	case analyze.Warning:
		return "warning"
	}
	return "notice"
}

// writeCommand writes "::name k=v,k=v::message" with the escaping of
// @actions/core (toolkit command.ts).
func writeCommand(b *strings.Builder, name string, props [][2]string, msg string) {
	b.WriteString("::" + name)
	for i, p := range props {
		if i == 0 {
			b.WriteByte(' ')
		} else {
			b.WriteByte(',')
		}
		b.WriteString(p[0] + "=" + escapeProperty(p[1]))
	}
	b.WriteString("::" + escapeData(msg) + "\n")
}

var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// escapeData escapes a command's message.
func escapeData(s string) string { return dataEscaper.Replace(s) }

// escapeProperty escapes a command property value.
func escapeProperty(s string) string { return propertyEscaper.Replace(s) }
