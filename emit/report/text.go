package report

import (
	"bufio"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/emit/internal/textsafe"
)

// paint styles one piece of single-line text.
type paint func(string) string

func noPaint(s string) string { return s }

// styles is the palette of the text report. plainStyles leaves text as it
// is; colorStyles renders through a lipgloss renderer bound to the output
// writer with an explicit ANSI profile, so nothing depends on global
// renderer state or terminal detection.
type styles struct {
	path, location, rule, gutter, fixLabel, dim, summary, errLabel paint
	severity                                                       map[analyze.Severity]paint
	scoreGood, scoreFair, scorePoor                                paint
}

func plainStyles() styles {
	return styles{
		path: noPaint, location: noPaint, rule: noPaint, gutter: noPaint, fixLabel: noPaint,
		dim: noPaint, summary: noPaint, errLabel: noPaint,
		severity:  map[analyze.Severity]paint{analyze.Blocker: noPaint, analyze.Warning: noPaint, analyze.Info: noPaint},
		scoreGood: noPaint, scoreFair: noPaint, scorePoor: noPaint,
	}
}

// Palette: ANSI colour numbers, so the user's terminal theme decides the
// actual shade.
const (
	colRed    = lipgloss.Color("1")
	colGreen  = lipgloss.Color("2")
	colYellow = lipgloss.Color("3")
	colBlue   = lipgloss.Color("4")
	colCyan   = lipgloss.Color("6")
)

func colorStyles(w io.Writer) styles {
	r := lipgloss.NewRenderer(w, termenv.WithProfile(termenv.ANSI))
	r.SetColorProfile(termenv.ANSI)
	r.SetHasDarkBackground(true) // never query the terminal
	st := func() lipgloss.Style { return r.NewStyle().TabWidth(lipgloss.NoTabConversion) }
	p := func(s lipgloss.Style) paint {
		return func(text string) string {
			if text == "" {
				return ""
			}
			return s.Render(text)
		}
	}
	return styles{
		path:     p(st().Bold(true)),
		location: p(st().Foreground(colCyan)),
		rule:     p(st().Bold(true)),
		gutter:   p(st().Foreground(colBlue)),
		fixLabel: p(st().Foreground(colGreen).Bold(true)),
		dim:      p(st().Faint(true)),
		summary:  p(st().Bold(true)),
		errLabel: p(st().Foreground(colRed).Bold(true)),
		severity: map[analyze.Severity]paint{
			analyze.Blocker: p(st().Foreground(colRed).Bold(true)),
			analyze.Warning: p(st().Foreground(colYellow)),
			analyze.Info:    p(st().Foreground(colBlue)),
		},
		scoreGood: p(st().Foreground(colGreen).Bold(true)),
		scoreFair: p(st().Foreground(colYellow).Bold(true)),
		scorePoor: p(st().Foreground(colRed).Bold(true)),
	}
}

func (s styles) sev(sev analyze.Severity) paint {
	if p, ok := s.severity[sev]; ok {
		return p
	}
	return noPaint
}

func (s styles) score(n int) paint {
	// analyze.ScoreDoc: 100 is clean, 70-99 has no blocker, below 70 has
	// blockers (or is unreadable).
	switch {
	case n >= 100:
		return s.scoreGood
	case n >= 70:
		return s.scoreFair
	}
	return s.scorePoor
}

// Text writes the human report: findings grouped by notebook under a header
// with the readiness score, then a summary line and any internal errors.
// With opts.Statistics it writes a per-rule count table instead of the
// findings.
func Text(w io.Writer, res *analyze.Result, opts Options) error {
	return writeResult(w, "text", res, opts)
}

// textSink streams the text report: each notebook's group as it comes,
// the summary line and internal errors at the end. With Statistics it
// only counts, and writes the table at the end.
type textSink struct {
	w     *bufio.Writer
	opts  Options
	st    styles
	tally tally
	stats map[string]*statRow
	b     strings.Builder
}

// newTextSink writes to w; out is the caller's writer, which colour
// styles are bound to.
func newTextSink(w *bufio.Writer, out io.Writer, opts Options) *textSink {
	s := &textSink{w: w, opts: opts, st: plainStyles(), stats: map[string]*statRow{}}
	if opts.Color {
		s.st = colorStyles(out)
	}
	return s
}

func (s *textSink) begin(Meta) {}

func (s *textSink) notebook(nb *analyze.NotebookResult, fs []analyze.Finding) error {
	s.tally.add(nb, fs)
	if s.opts.Statistics {
		countStatistics(s.stats, fs)
		return nil
	}
	s.b.Reset()
	writeGroup(&s.b, groupOf(nb, fs), s.st, s.opts)
	s.w.WriteString(s.b.String())
	return nil
}

func (s *textSink) end(errs []analyze.InternalError) error {
	var b strings.Builder
	if s.opts.Statistics {
		writeStatistics(&b, s.stats, s.st)
	}
	b.WriteString(s.st.summary(summarySentence(s.tally.summary())))
	b.WriteByte('\n')
	for _, e := range errs {
		b.WriteString(s.st.errLabel("internal error:"))
		b.WriteString(" " + textsafe.OneLine(e.Path) + ": " + textsafe.OneLine(e.Msg) + "\n")
	}
	s.w.WriteString(b.String())
	return nil
}

func (s *textSink) close() {}

// writeGroup writes one notebook's header, listed findings and the count
// of hidden info findings; nothing when it has nothing to show.
func writeGroup(b *strings.Builder, g notebookGroup, st styles, opts Options) {
	var listed []*analyze.Finding
	hidden := 0
	for _, f := range g.findings {
		switch {
		case !f.Active():
		case f.Severity == analyze.Info && !opts.ShowInfo:
			hidden++
		default:
			listed = append(listed, f)
		}
	}
	if len(listed) == 0 && hidden == 0 {
		return
	}
	writeHeader(b, g, st)
	for _, f := range listed {
		writeFinding(b, f, st)
	}
	if hidden > 0 {
		b.WriteString("  " + st.dim(severityCount(analyze.Info, hidden)+" hidden (--show-info lists them)") + "\n")
	}
	b.WriteByte('\n')
}

// writeHeader writes "path  score 72/100  (data-access: 1 blocker;
// hygiene: 2 warnings, 1 info)".
func writeHeader(b *strings.Builder, g notebookGroup, st styles) {
	b.WriteString(st.path(textsafe.OneLine(g.path)))
	if g.nb == nil {
		b.WriteByte('\n')
		return
	}
	b.WriteString("  ")
	b.WriteString(st.score(g.nb.Score)("score " + strconv.Itoa(g.nb.Score) + "/100"))
	if g.nb.Unreadable {
		b.WriteString(" (unreadable)")
	}
	var cats []string
	for _, c := range sortedCategories(g.nb.ByCategory) {
		var counts []string
		for _, sev := range severities {
			if n := g.nb.ByCategory[c][sev]; n > 0 {
				if sev == analyze.Info {
					counts = append(counts, strconv.Itoa(n)+" info")
				} else {
					counts = append(counts, severityCount(sev, n))
				}
			}
		}
		if len(counts) > 0 {
			cats = append(cats, string(c)+": "+strings.Join(counts, ", "))
		}
	}
	if len(cats) > 0 {
		b.WriteString("  " + st.dim("("+strings.Join(cats, "; ")+")"))
	}
	b.WriteByte('\n')
}

// writeFinding writes "path:cell N:line:col: NB301 [blocker] message", the
// code line with a caret underline, the fix and related locations.
func writeFinding(b *strings.Builder, f *analyze.Finding, st styles) {
	sev := st.sev(f.Severity)
	b.WriteString(st.path(textsafe.OneLine(f.Path)))
	if loc := CellLocation(f); loc != "" {
		b.WriteString(":" + st.location(loc))
	}
	b.WriteString(": ")
	b.WriteString(st.rule(textsafe.OneLine(f.Rule)))
	b.WriteString(" " + sev("["+f.Severity.String()+"]"))
	b.WriteString(" " + textsafe.OneLine(f.Message) + "\n")
	if showsSnippet(f) {
		writeSnippet(b, f, st)
	}
	if f.Fix != "" {
		b.WriteString("  " + st.fixLabel("fix:") + " " + textsafe.OneLine(f.Fix) + "\n")
	}
	for _, r := range f.Related {
		b.WriteString("  " + st.dim("related:") + " " + relatedLocation(r))
		if r.Message != "" {
			b.WriteString(": " + textsafe.OneLine(r.Message))
		}
		b.WriteByte('\n')
	}
}

// writeSnippet writes
//
//	2 | df = pd.read_csv("C:/data.csv")
//	  |                  ^^^^^^^^^^^^^
//
// The underline is drawn when the range starts and ends on the snippet's
// line; tabs before it are copied so that it lines up.
func writeSnippet(b *strings.Builder, f *analyze.Finding, st styles) {
	code, _, _ := strings.Cut(f.Snippet, "\n")
	code = textsafe.OneLine(strings.TrimRight(code, "\r"))
	num := strconv.Itoa(f.Line)
	b.WriteString("  " + st.gutter(num+" |") + " " + code + "\n")
	under := underline(code, f)
	if under == "" {
		return
	}
	pad, carets, _ := strings.Cut(under, "^")
	carets = "^" + carets
	b.WriteString("  " + st.gutter(strings.Repeat(" ", len(num))+" |") + " " + pad + st.sev(f.Severity)(carets) + "\n")
}

// underline returns the padding and carets under code for f's column range
// (end column exclusive, at least one caret), or "" when the range is not
// on this one line or falls outside it.
func underline(code string, f *analyze.Finding) string {
	if f.Column <= 0 || (f.EndLine != 0 && f.EndLine != f.Line) {
		return ""
	}
	runes := []rune(code)
	start := f.Column - 1
	if start > len(runes) {
		return ""
	}
	end := f.EndColumn - 1
	if f.EndLine == 0 || end <= start {
		end = start + 1
	}
	if end > len(runes) {
		end = len(runes)
	}
	if end <= start { // pointing just past the end of the line
		end = start + 1
	}
	var b strings.Builder
	for _, r := range runes[:start] {
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteString(strings.Repeat(" ", runeWidth(r)))
		}
	}
	width := 0
	for i := start; i < end; i++ {
		if i < len(runes) {
			width += runeWidth(runes[i])
		} else {
			width++
		}
	}
	if width < 1 {
		width = 1
	}
	b.WriteString(strings.Repeat("^", width))
	return b.String()
}

// runeWidth is the number of terminal cells r takes (0 for combining marks,
// 2 for wide characters). Tabs count 1 here; the caller copies them.
func runeWidth(r rune) int {
	if r == utf8.RuneError {
		return 1
	}
	return lipgloss.Width(string(r))
}

// statRow is one line of the --statistics table.
type statRow struct {
	id, name string
	count    int
	sevs     map[analyze.Severity]bool
}

// countStatistics adds the active findings of one notebook to the rows.
func countStatistics(rows map[string]*statRow, fs []analyze.Finding) {
	for i := range fs {
		f := &fs[i]
		if !f.Active() {
			continue
		}
		r := rows[f.Rule]
		if r == nil {
			r = &statRow{id: f.Rule, name: f.Name, sevs: map[analyze.Severity]bool{}}
			rows[f.Rule] = r
		}
		if r.name == "" {
			r.name = f.Name
		}
		r.count++
		r.sevs[f.Severity] = true
	}
}

// writeStatistics writes ruff's --statistics table: count, rule ID, name and
// severity of the active findings, by count descending then ID.
func writeStatistics(b *strings.Builder, rows map[string]*statRow, st styles) {
	if len(rows) == 0 {
		return
	}
	list := make([]*statRow, 0, len(rows))
	for _, r := range rows {
		list = append(list, r)
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].count != list[j].count {
			return list[i].count > list[j].count
		}
		return list[i].id < list[j].id
	})
	wCount, wID, wName := 0, 0, 0
	for _, r := range list {
		wCount = max(wCount, len(strconv.Itoa(r.count)))
		wID = max(wID, utf8.RuneCountInString(r.id))
		wName = max(wName, utf8.RuneCountInString(r.name))
	}
	for _, r := range list {
		var sevs []string
		top := analyze.Severity(0)
		for _, s := range severities {
			if r.sevs[s] {
				sevs = append(sevs, s.String())
				if top == 0 {
					top = s
				}
			}
		}
		n := strconv.Itoa(r.count)
		b.WriteString(strings.Repeat(" ", wCount-len(n)) + n + "  ")
		b.WriteString(st.rule(textsafe.OneLine(r.id)) + strings.Repeat(" ", wID-utf8.RuneCountInString(r.id)) + "  ")
		b.WriteString(textsafe.OneLine(r.name) + strings.Repeat(" ", wName-utf8.RuneCountInString(r.name)) + "  ")
		b.WriteString(st.sev(top)(strings.Join(sevs, "/")) + "\n")
	}
	b.WriteByte('\n')
}
