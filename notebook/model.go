package notebook

import (
	"math"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// Format is the on-disk format a notebook was read from.
type Format uint8

const (
	// FormatIPYNB is nbformat JSON (v3 or v4).
	FormatIPYNB Format = iota + 1
	// FormatPercent is a jupytext percent-format Python script (`# %%` cells).
	FormatPercent
)

func (f Format) String() string {
	switch f {
	case FormatIPYNB:
		return "ipynb"
	case FormatPercent:
		return "percent"
	}
	return "unknown"
}

// CellKind is the type of a cell.
type CellKind uint8

const (
	Code CellKind = iota + 1
	Markdown
	Raw
)

func (k CellKind) String() string {
	switch k {
	case Code:
		return "code"
	case Markdown:
		return "markdown"
	case Raw:
		return "raw"
	}
	return "unknown"
}

// Notebook is a parsed notebook. It holds no Python semantics.
type Notebook struct {
	Path          string // as given by the caller
	Format        Format
	NBFormat      int
	NBFormatMinor int
	// Language is the kernel language, lower-cased ("python" when the
	// notebook does not say). LanguageVersion is language_info.version.
	Language        string
	LanguageVersion string
	KernelName      string
	Metadata        *Value // notebook metadata (nil when absent)
	Cells           []Cell
	Size            int64 // bytes in the file
	OutputBytes     int64 // bytes of the file taken by cell outputs
	// Issues are problems that did not stop the notebook from being read
	// (duplicate cell ids, unknown output types, cells too large to keep).
	Issues []Issue
}

// Issue is a non-fatal reading problem.
type Issue struct {
	Cell int // cell index, -1 for the notebook
	Line int // file line, 0 when unknown
	Msg  string
}

// Cell is one notebook cell.
type Cell struct {
	Index int    // 0-based position among all cells
	ID    string // nbformat >= 4.5 cell id ("" when absent)
	Kind  CellKind
	// Source is the joined source with "\r\n" and "\r" normalised to "\n".
	Source string
	// ExecCount is the execution count (prompt_number in v3); nil is null.
	ExecCount *int
	Outputs   []Output
	Tags      []string
	Metadata  *Value
	// Attachments lists the names of markdown attachments.
	Attachments []string
	// Language is set for percent cells and v3 cells that name a language
	// other than the notebook's (e.g. a `# %% [sql]` cell); "" otherwise.
	Language string
	// Title is the percent-format cell title (text after `# %%`).
	Title string
	// TooLarge is set when the source exceeded MaxCellSource and was
	// dropped; Source is empty then.
	TooLarge   bool
	SourceSize int
	// FileLine is the file line where the cell object starts.
	FileLine int

	src   textMap
	lines *lineIndex // shared by copies of the cell; nil for cells built in memory
}

// HasTag reports whether the cell carries the tag.
func (c *Cell) HasTag(tag string) bool {
	for _, t := range c.Tags {
		if t == tag {
			return true
		}
	}
	return false
}

// Lines returns the source split into lines (without "\n").
func (c *Cell) Lines() []string { return strings.Split(c.Source, "\n") }

// Line returns line n (1-based) of the source, or "" when out of range.
func (c *Cell) Line(n int) string {
	if n < 1 {
		return ""
	}
	off := c.lineOffset(n)
	if off < 0 {
		return ""
	}
	s := c.Source[off:]
	if j := strings.IndexByte(s, '\n'); j >= 0 {
		s = s[:j]
	}
	return s
}

// lineIndex holds the byte offsets where a cell's lines start, found on
// first use, so that positions deep in a 100,000-line cell cost a lookup
// rather than a scan from the top. The readers give each cell one; copies
// of the cell share it.
type lineIndex struct {
	once   sync.Once
	src    string // the source the starts belong to
	starts []int32
}

// lineOffset returns the byte offset where 1-based line n of the source
// starts, or -1 when the source has fewer lines.
func (c *Cell) lineOffset(n int) int {
	if li := c.lines; li != nil && len(c.Source) < math.MaxInt32 {
		li.once.Do(func() {
			li.src = c.Source
			li.starts = make([]int32, 1, strings.Count(c.Source, "\n")+1)
			for i := 0; i < len(c.Source); i++ {
				if c.Source[i] == '\n' {
					li.starts = append(li.starts, int32(i+1))
				}
			}
		})
		if li.src == c.Source {
			if n > len(li.starts) {
				return -1
			}
			return int(li.starts[n-1])
		}
	}
	off := 0
	for l := 1; l < n; l++ {
		j := strings.IndexByte(c.Source[off:], '\n')
		if j < 0 {
			return -1
		}
		off += j + 1
	}
	return off
}

// FilePos maps a 1-based line and 1-based column (in code points) of the
// cell source to the 1-based line and column (in code points of the raw
// text) in the original file. It returns (0, 0) when the cell has no
// position map (e.g. notebooks built in memory).
func (c *Cell) FilePos(line, col int) (int, int) {
	off := c.offsetOf(line, col)
	if off < 0 {
		return 0, 0
	}
	return c.src.pos(c.Source, off)
}

// Output is one saved cell output. Binary payloads are not kept: only
// their size is.
type Output struct {
	Index      int
	Type       string // stream, display_data, execute_result, error (v3 names are mapped)
	ExecCount  *int   // execute_result's execution_count
	StreamName string // stdout / stderr
	Data       []MimeData
	EName      string
	EValue     string
	Traceback  []string
	Metadata   *Value
	FileLine   int   // file line of the output object
	Size       int64 // bytes of the output in the file
}

// MimeData is one representation of an output. Text is kept for textual
// types (text/*, application/json, application/javascript and the stream
// text, stored under the pseudo type "stream"); binary and rich JSON
// payloads (images, PDFs, widget views) keep only their size.
type MimeData struct {
	MIME      string
	Text      string
	Size      int64 // bytes in the file
	Kept      bool  // Text holds the content
	Truncated bool  // the content was longer than MaxKeptText; Text is a prefix

	src textMap
}

// FileLine maps a 1-based line of the kept text to the file line, 0 when
// unknown.
func (m *MimeData) FileLine(line int) int {
	off := lineColOffset(m.Text, line, 1)
	if off < 0 {
		return 0
	}
	l, _ := m.src.pos(m.Text, off)
	return l
}

// Text returns the kept text of the output for a MIME type ("stream" for
// stream text), and whether it is present.
func (o *Output) Text(mime string) (string, bool) {
	for i := range o.Data {
		if o.Data[i].MIME == mime && o.Data[i].Kept {
			return o.Data[i].Text, true
		}
	}
	return "", false
}

// HasMIME reports whether the output has a representation of that type.
func (o *Output) HasMIME(mime string) bool {
	for i := range o.Data {
		if o.Data[i].MIME == mime {
			return true
		}
	}
	return false
}

func sortMime(d []MimeData) {
	sort.SliceStable(d, func(i, j int) bool { return d[i].MIME < d[j].MIME })
}

// offsetOf converts a 1-based line and 1-based code-point column into
// a byte offset of the source; -1 when the line does not exist. Columns past the end
// of the line are clamped to the line end.
func (c *Cell) offsetOf(line, col int) int {
	if line < 1 {
		return -1
	}
	s := c.Source
	off := c.lineOffset(line)
	if off < 0 {
		return -1
	}
	end := len(s)
	if j := strings.IndexByte(s[off:], '\n'); j >= 0 {
		end = off + j
	}
	for c := 1; c < col && off < end; c++ {
		_, n := utf8.DecodeRuneInString(s[off:])
		off += n
	}
	return off
}

// lineColOffset is offsetOf for a text without a line index.
func lineColOffset(s string, line, col int) int {
	if line < 1 {
		return -1
	}
	off := 0
	for l := 1; l < line; l++ {
		j := strings.IndexByte(s[off:], '\n')
		if j < 0 {
			return -1
		}
		off += j + 1
	}
	end := len(s)
	if j := strings.IndexByte(s[off:], '\n'); j >= 0 {
		end = off + j
	}
	for c := 1; c < col && off < end; c++ {
		_, n := utf8.DecodeRuneInString(s[off:])
		off += n
	}
	return off
}

// indexLines gives every cell of a notebook just read its line index.
func indexLines(nb *Notebook) {
	for i := range nb.Cells {
		nb.Cells[i].lines = &lineIndex{}
	}
}

// textMap maps byte offsets of a decoded (and newline-normalised) text back
// to file positions. Each fragment is one JSON string (or one line of a
// percent file); JSON strings never span file lines.
type textMap struct {
	frags []frag
}

type frag struct {
	start int    // byte offset in the decoded text where the fragment starts
	line  int    // file line of the fragment's first character
	col   int    // file column (code points) of the fragment's first character
	raw   []byte // raw JSON text of the fragment when it holds escapes that change widths; nil otherwise
}

func (m *textMap) add(start, line, col int, raw []byte) {
	m.frags = append(m.frags, frag{start: start, line: line, col: col, raw: raw})
}

func (m *textMap) pos(text string, off int) (int, int) {
	if len(m.frags) == 0 {
		return 0, 0
	}
	i := sort.Search(len(m.frags), func(i int) bool { return m.frags[i].start > off }) - 1
	if i < 0 {
		i = 0
	}
	f := &m.frags[i]
	if off < f.start {
		off = f.start
	}
	if f.raw == nil {
		end := off
		if end > len(text) {
			end = len(text)
		}
		return f.line, f.col + utf8.RuneCountInString(text[f.start:end])
	}
	return f.line, f.col + rawColumns(f.raw, off-f.start)
}

// rawColumns returns how many code points of raw JSON string text encode
// the first n bytes of its decoded, newline-normalised form.
func rawColumns(raw []byte, n int) int {
	cols, dec, i := 0, 0, 0
	for i < len(raw) && dec < n {
		if raw[i] != '\\' {
			_, w := utf8.DecodeRune(raw[i:])
			dec += w
			cols++
			i += w
			continue
		}
		r, adv := decodeEscape(raw, i)
		if r == '\r' {
			if r2, _ := decodeEscape(raw, i+adv); r2 == '\n' {
				// "\r\n" is normalised to one "\n": the \r adds no byte.
				cols += adv
				i += adv
				continue
			}
			r = '\n'
		}
		dec += utf8.RuneLen(r)
		cols += adv
		i += adv
	}
	return cols
}
