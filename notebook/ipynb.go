package notebook

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// Limits on what is kept in memory while reading.
const (
	// MaxKeptText is the longest output or metadata string kept; longer ones
	// keep this prefix and are marked truncated.
	MaxKeptText = 4 << 20
	// MaxKeptOutputText bounds the output text kept per notebook; later
	// outputs keep only their sizes.
	MaxKeptOutputText = 64 << 20
	// MaxCellSource is the largest cell source analysed. Larger cells are
	// reported and left out.
	MaxCellSource = 16 << 20
)

// ReadError is a notebook that cannot be read. It names the file, the cell
// (when the problem is inside one), the JSON location and the file position.
type ReadError struct {
	Path   string
	Cell   int    // 0-based cell index, -1 when not inside a cell
	Where  string // JSON path such as cells[3].source ("" when unknown)
	Line   int    // 1-based file line, 0 when unknown
	Column int
	Msg    string
	Err    error // underlying I/O error, if any
}

func (e *ReadError) Error() string {
	var b strings.Builder
	b.WriteString(e.Path)
	b.WriteString(": ")
	b.WriteString(e.Detail())
	return b.String()
}

// Detail is the message without the file name.
func (e *ReadError) Detail() string {
	var b strings.Builder
	if e.Cell >= 0 {
		fmt.Fprintf(&b, "cell %d: ", e.Cell+1)
	}
	if e.Where != "" {
		b.WriteString(e.Where)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if e.Line > 0 {
		fmt.Fprintf(&b, " (line %d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ", column %d", e.Column)
		}
		b.WriteString(")")
	}
	return b.String()
}

func (e *ReadError) Unwrap() error { return e.Err }

// ReadIPYNB reads an nbformat 3 or 4 notebook from r. Output payloads are
// skipped while decoding; only their sizes and textual representations are
// kept.
func ReadIPYNB(path string, r io.Reader) (*Notebook, error) {
	d := &decoder{s: newScanner(r), nb: &Notebook{Path: path, Format: FormatIPYNB}, path: path, cell: -1}
	err := d.notebook()
	d.nb.Size = d.s.offset()
	d.s.release()
	if err != nil {
		return nil, d.wrap(err)
	}
	indexLines(d.nb)
	return d.nb, nil
}

type decoder struct {
	s     *scanner
	nb    *Notebook
	path  string
	where []string // JSON path segments
	cell  int      // current cell index, -1 outside cells

	keptOutput int64
	hasCells   bool
	hasWS      bool
	fmtSeen    bool

	// Scratch buffers for the text and fragment map of a cell's source or
	// an output's text, reused across cells.
	text  []byte
	frags []frag
}

func (d *decoder) push(seg string) { d.where = append(d.where, seg) }

// member wraps an object-member callback: the member name joins the JSON
// path, and an error is located (cell, path, position) where it happens.
func (d *decoder) member(fn func(key string) error) func(string) error {
	return func(key string) error {
		d.push(key)
		err := fn(key)
		if err != nil {
			err = d.wrap(err)
		}
		d.pop()
		return err
	}
}

// elem is member for array elements.
func (d *decoder) elem(fn func(i int) error) func(int) error {
	return func(i int) error {
		d.push("[" + strconv.Itoa(i) + "]")
		err := fn(i)
		if err != nil {
			err = d.wrap(err)
		}
		d.pop()
		return err
	}
}
func (d *decoder) pop() { d.where = d.where[:len(d.where)-1] }

func (d *decoder) wherePath() string {
	var b strings.Builder
	for _, seg := range d.where {
		if strings.HasPrefix(seg, "[") || b.Len() == 0 {
			b.WriteString(seg)
		} else {
			b.WriteString(".")
			b.WriteString(seg)
		}
	}
	return b.String()
}

// wrap turns scanner and type errors into a ReadError at the current place.
func (d *decoder) wrap(err error) error {
	var re *ReadError
	if errors.As(err, &re) {
		return re
	}
	e := &ReadError{Path: d.path, Cell: d.cell, Where: d.wherePath()}
	var se *syntaxError
	var te *typeError
	switch {
	case errors.As(err, &se):
		e.Msg = "invalid JSON: " + se.msg
		e.Line, e.Column = se.line, se.col
	case errors.As(err, &te):
		e.Msg = te.Error()
		e.Line = d.s.line
		e.Column = d.s.column(d.s.offset())
	default:
		e.Msg = err.Error()
		e.Err = err
	}
	return e
}

func (d *decoder) typeErr(want string) error {
	return &typeError{want: want, got: d.s.kind(), s: d.s}
}

func (d *decoder) fail(format string, args ...any) error {
	return &ReadError{Path: d.path, Cell: d.cell, Where: d.wherePath(), Line: d.s.line, Msg: fmt.Sprintf(format, args...)}
}

func (d *decoder) notebook() error {
	s := d.s
	// A UTF-8 byte-order mark is tolerated.
	if s.fill(3) && string(s.buf[s.pos:s.pos+3]) == "\xef\xbb\xbf" {
		s.pos += 3
	}
	switch c := s.skipSpace(); {
	case c == 0 && s.rerr != nil:
		return &ReadError{Path: d.path, Cell: -1, Msg: "cannot read file: " + s.rerr.Error(), Err: s.rerr}
	case c == 0:
		return &ReadError{Path: d.path, Cell: -1, Msg: "empty file: not a notebook"}
	case c == '[':
		return &ReadError{Path: d.path, Cell: -1, Line: s.line, Msg: "not a notebook: the top-level JSON value is an array, not an object"}
	case c != '{':
		if c < 0x20 || c >= 0x7f {
			return &ReadError{Path: d.path, Cell: -1, Line: s.line, Msg: fmt.Sprintf("not a notebook: the file is not JSON (it starts with byte 0x%02x)", c)}
		}
		return &ReadError{Path: d.path, Cell: -1, Line: s.line, Msg: fmt.Sprintf("not a notebook: the file is not a JSON object (it starts with %q)", c)}
	}
	var worksheets [][]Cell
	var wsMeta *Value
	nbf := -1
	err := s.object(d.member(func(key string) error {
		switch key {
		case "cells":
			d.hasCells = true
			if s.skipSpace() != '[' {
				return d.typeErr("an array of cells")
			}
			return s.array(d.elem(func(i int) error {
				d.cell = len(d.nb.Cells)
				c, err := d.readCell()
				if err != nil {
					err = d.wrap(err) // while the cell index is known
				}
				d.cell = -1
				if err != nil {
					return err
				}
				d.nb.Cells = append(d.nb.Cells, c)
				return nil
			}))
		case "worksheets":
			d.hasWS = true
			if s.skipSpace() != '[' {
				return d.typeErr("an array of worksheets")
			}
			return s.array(d.elem(func(i int) error {
				if s.skipSpace() != '{' {
					return d.typeErr("an object")
				}
				var cells []Cell
				err := s.object(func(k string) error {
					switch k {
					case "cells":
						d.push("cells")
						defer d.pop()
						if s.skipSpace() != '[' {
							return d.typeErr("an array of cells")
						}
						return s.array(d.elem(func(j int) error {
							d.cell = len(d.nb.Cells) + countCells(worksheets) + len(cells)
							c, err := d.readCell()
							if err != nil {
								err = d.wrap(err)
							}
							d.cell = -1
							if err != nil {
								return err
							}
							cells = append(cells, c)
							return nil
						}))
					case "metadata":
						if wsMeta == nil {
							v, err := s.readValue(0)
							wsMeta = v
							return err
						}
					}
					return s.skipValue()
				})
				worksheets = append(worksheets, cells)
				return err
			}))
		case "metadata":
			if s.skipSpace() != '{' {
				return d.typeErr("an object")
			}
			v, err := s.readValue(0)
			d.nb.Metadata = v
			return err
		case "nbformat":
			v, err := s.readIntOrNull()
			if err != nil {
				return err
			}
			if v == nil {
				return d.fail("expected an integer, got null")
			}
			nbf = *v
			d.fmtSeen = true
			return nil
		case "nbformat_minor":
			v, err := s.readIntOrNull()
			if err != nil {
				return err
			}
			if v != nil {
				d.nb.NBFormatMinor = *v
			}
			return nil
		}
		return s.skipValue()
	}))
	if err != nil {
		return err
	}
	if c := s.skipSpace(); c != 0 {
		return d.wrap(s.errorf("unexpected data after the notebook's closing brace"))
	}
	if s.rerr != nil {
		return &ReadError{Path: d.path, Cell: -1, Msg: "read error: " + s.rerr.Error(), Err: s.rerr}
	}
	switch {
	case !d.fmtSeen:
		return &ReadError{Path: d.path, Cell: -1, Msg: "not a notebook: no \"nbformat\" field"}
	case nbf == 4:
		if !d.hasCells {
			return &ReadError{Path: d.path, Cell: -1, Msg: "nbformat 4 notebook has no \"cells\" list"}
		}
	case nbf == 3:
		if !d.hasWS {
			return &ReadError{Path: d.path, Cell: -1, Msg: "nbformat 3 notebook has no \"worksheets\" list"}
		}
		for _, ws := range worksheets {
			d.nb.Cells = append(d.nb.Cells, ws...)
		}
		if d.nb.Metadata == nil {
			d.nb.Metadata = wsMeta
		}
	default:
		return &ReadError{Path: d.path, Cell: -1, Msg: fmt.Sprintf("unsupported nbformat %d: nbprod reads nbformat 3 and 4", nbf)}
	}
	d.nb.NBFormat = nbf
	for i := range d.nb.Cells {
		d.nb.Cells[i].Index = i
	}
	d.finish()
	return nil
}

func countCells(ws [][]Cell) int {
	n := 0
	for _, w := range ws {
		n += len(w)
	}
	return n
}

// finish derives notebook-level fields and checks that need all cells.
func (d *decoder) finish() {
	nb := d.nb
	md := nb.Metadata
	lang := ""
	for _, p := range [][]string{{"kernelspec", "language"}, {"language_info", "name"}, {"language"}} {
		if s, ok := md.Get(p...).String(); ok && s != "" {
			lang = s
			break
		}
	}
	if lang == "" {
		lang = "python"
	}
	nb.Language = strings.ToLower(lang)
	nb.LanguageVersion, _ = md.Get("language_info", "version").String()
	nb.KernelName, _ = md.Get("kernelspec", "name").String()
	seen := map[string]int{}
	for i := range nb.Cells {
		c := &nb.Cells[i]
		if c.ID == "" {
			continue
		}
		if j, dup := seen[c.ID]; dup {
			nb.Issues = append(nb.Issues, Issue{Cell: i, Line: c.FileLine,
				Msg: fmt.Sprintf("duplicate cell id %q (also cell %d); nbformat requires unique ids", c.ID, j+1)})
			continue
		}
		seen[c.ID] = i
	}
}

// readCell decodes one cell object (v3 or v4 fields).
func (d *decoder) readCell() (Cell, error) {
	s := d.s
	var c Cell
	c.FileLine = s.line
	if s.skipSpace() != '{' {
		return c, d.typeErr("a cell object")
	}
	kind := ""
	level := 0
	var srcErr error
	err := s.object(d.member(func(key string) error {
		switch key {
		case "cell_type":
			t, err := d.stringValue()
			kind = t
			return err
		case "id":
			t, err := d.stringValue()
			c.ID = t
			return err
		case "source", "input":
			if key == "input" || c.Source == "" {
				return d.readSource(&c)
			}
		case "execution_count", "prompt_number":
			v, err := s.readIntOrNull()
			if err != nil {
				return err
			}
			c.ExecCount = v
			return nil
		case "outputs":
			if s.skipSpace() != '[' {
				return d.typeErr("an array of outputs")
			}
			return s.array(d.elem(func(i int) error {
				o, err := d.readOutput(i)
				if err != nil {
					return err
				}
				c.Outputs = append(c.Outputs, o)
				return nil
			}))
		case "metadata":
			if s.skipSpace() != '{' {
				return d.typeErr("an object")
			}
			v, err := s.readValue(0)
			if err != nil {
				return err
			}
			c.Metadata = v
			if tags := v.Get("tags"); tags != nil {
				if tags.Kind != Array {
					srcErr = d.fail("metadata.tags: expected an array of strings")
				}
				for _, t := range tags.Items {
					if t.Kind != String {
						srcErr = d.fail("metadata.tags: expected an array of strings")
						continue
					}
					c.Tags = append(c.Tags, t.Str)
				}
			}
			return nil
		case "attachments":
			if s.skipSpace() != '{' {
				return d.typeErr("an object")
			}
			return s.object(func(name string) error {
				c.Attachments = append(c.Attachments, name)
				return s.skipValue()
			})
		case "level":
			v, err := s.readIntOrNull()
			if v != nil {
				level = *v
			}
			return err
		case "language":
			t, err := d.stringValue()
			c.Language = strings.ToLower(t)
			return err
		}
		return s.skipValue()
	}))
	if err != nil {
		return c, err
	}
	if srcErr != nil {
		return c, srcErr
	}
	switch kind {
	case "code":
		c.Kind = Code
	case "markdown":
		c.Kind = Markdown
	case "raw":
		c.Kind = Raw
	case "heading": // nbformat 3
		c.Kind = Markdown
		if level < 1 {
			level = 1
		}
		prefix := strings.Repeat("#", level) + " "
		c.Source = prefix + c.Source
		for i := range c.src.frags {
			c.src.frags[i].start += len(prefix)
		}
	case "":
		return c, d.fail("missing \"cell_type\"")
	default:
		c.Kind = Raw
		d.nb.Issues = append(d.nb.Issues, Issue{Cell: d.cell, Line: c.FileLine, Msg: fmt.Sprintf("unknown cell_type %q, read as a raw cell", kind)})
	}
	if c.Kind != Code {
		c.ExecCount = nil
	}
	if c.Language == "python" || c.Language == "ipython" {
		c.Language = ""
	}
	return c, nil
}

func (d *decoder) stringValue() (string, error) {
	if d.s.skipSpace() != '"' {
		return "", d.typeErr("a string")
	}
	t, err := d.s.readString(true, 1<<16)
	return t.text, err
}

// readSource reads a multiline string (a string or an array of strings) into
// the cell source with its position map.
func (d *decoder) readSource(c *Cell) error {
	s := d.s
	// The lines are decoded straight into the decoder's scratch buffers,
	// which are copied once, at their exact size, at the end.
	d.text, d.frags = d.text[:0], d.frags[:0]
	size := 0
	add := func() error {
		base := len(d.text)
		var t str
		var err error
		d.text, t, err = s.readStringTo(d.text, !c.TooLarge, MaxCellSource-base)
		if err != nil {
			return err
		}
		size += int(t.size)
		if c.TooLarge {
			return nil
		}
		if t.truncated || len(d.text) > MaxCellSource { // an escaped rune may overshoot by 3 bytes
			c.TooLarge = true
			return nil
		}
		d.frags = append(d.frags, frag{start: base, line: t.line, col: t.col, raw: t.raw})
		return nil
	}
	switch s.skipSpace() {
	case '"':
		if err := add(); err != nil {
			return err
		}
	case '[':
		err := s.array(func(i int) error {
			if s.skipSpace() != '"' {
				d.push("[" + strconv.Itoa(i) + "]")
				defer d.pop()
				return d.wrap(d.typeErr("a string"))
			}
			return add()
		})
		if err != nil {
			return err
		}
	default:
		return d.typeErr("a string or an array of strings")
	}
	c.SourceSize = size
	if c.TooLarge {
		c.Source, c.src = "", textMap{}
		d.nb.Issues = append(d.nb.Issues, Issue{Cell: d.cell, Line: c.FileLine,
			Msg: fmt.Sprintf("source of %d bytes is larger than the %d MB nbprod analyses; the cell is skipped", size, MaxCellSource>>20)})
		return nil
	}
	text := string(d.text)
	tm := textMap{frags: slices.Clone(d.frags)}
	if strings.IndexByte(text, '\r') >= 0 {
		text, tm = normaliseCR(text, tm)
	}
	c.Source, c.src = text, tm
	return nil
}

// normaliseCR turns "\r\n" and "\r" into "\n" and moves fragment starts.
func normaliseCR(text string, tm textMap) (string, textMap) {
	var b strings.Builder
	b.Grow(len(text))
	shift := make([]int, 0, len(tm.frags)) // removed bytes before each fragment start
	removed := 0
	fi := 0
	for i := 0; i < len(text); i++ {
		for fi < len(tm.frags) && tm.frags[fi].start == i {
			shift = append(shift, removed)
			fi++
		}
		if text[i] == '\r' {
			if i+1 < len(text) && text[i+1] == '\n' {
				removed++
				continue
			}
			b.WriteByte('\n')
			continue
		}
		b.WriteByte(text[i])
	}
	for fi < len(tm.frags) {
		shift = append(shift, removed)
		fi++
	}
	for i := range tm.frags {
		tm.frags[i].start -= shift[i]
	}
	return b.String(), tm
}

var v3Mime = map[string]string{
	"text": "text/plain", "html": "text/html", "png": "image/png", "jpeg": "image/jpeg",
	"svg": "image/svg+xml", "latex": "text/latex", "json": "application/json",
	"javascript": "application/javascript", "pdf": "application/pdf", "markdown": "text/markdown",
}

// keepMime reports whether the text of a representation is kept.
func keepMime(m string) bool {
	return m == "stream" || (strings.HasPrefix(m, "text/") && m != "text/vnd.plotly.v1+html") ||
		m == "application/json" || m == "application/javascript"
}

func (d *decoder) readOutput(i int) (Output, error) {
	s := d.s
	o := Output{Index: i, FileLine: s.line}
	start := s.offset()
	if s.skipSpace() != '{' {
		return o, d.typeErr("an output object")
	}
	err := s.object(d.member(func(key string) error {
		switch key {
		case "output_type":
			t, err := d.stringValue()
			o.Type = t
			return err
		case "execution_count", "prompt_number":
			v, err := s.readIntOrNull()
			o.ExecCount = v
			return err
		case "name", "stream":
			t, err := d.stringValue()
			o.StreamName = t
			return err
		case "text":
			// v4 stream text, or v3 text/plain.
			md, err := d.readMime("stream")
			if err != nil {
				return err
			}
			o.Data = append(o.Data, md)
			return nil
		case "data":
			if s.skipSpace() != '{' {
				return d.typeErr("an object of MIME types")
			}
			return s.object(d.member(func(mime string) error {
				md, err := d.readMime(mime)
				if err != nil {
					return err
				}
				o.Data = append(o.Data, md)
				return nil
			}))
		case "ename":
			t, err := d.stringValue()
			o.EName = t
			return err
		case "evalue":
			t, err := d.stringValue()
			o.EValue = t
			return err
		case "traceback":
			if s.skipSpace() != '[' {
				return d.typeErr("an array of strings")
			}
			return s.array(func(int) error {
				if s.skipSpace() != '"' {
					return d.typeErr("a string")
				}
				t, err := s.readString(true, MaxKeptText)
				o.Traceback = append(o.Traceback, t.text)
				return err
			})
		case "metadata":
			if s.skipSpace() != '{' {
				return d.typeErr("an object")
			}
			v, err := s.readValue(0)
			o.Metadata = v
			return err
		default:
			if m, ok := v3Mime[key]; ok {
				md, err := d.readMime(m)
				if err != nil {
					return err
				}
				o.Data = append(o.Data, md)
				return nil
			}
		}
		return s.skipValue()
	}))
	if err != nil {
		return o, err
	}
	o.Size = s.offset() - start
	d.nb.OutputBytes += o.Size
	switch o.Type {
	case "pyout":
		o.Type = "execute_result"
	case "pyerr":
		o.Type = "error"
	case "stream", "display_data", "execute_result", "error":
	case "":
		return o, d.fail("missing \"output_type\"")
	default:
		d.nb.Issues = append(d.nb.Issues, Issue{Cell: d.cell, Line: o.FileLine, Msg: fmt.Sprintf("output %d has unknown output_type %q", i+1, o.Type)})
	}
	if o.Type == "stream" {
		for j := range o.Data {
			if o.Data[j].MIME == "text/plain" {
				o.Data[j].MIME = "stream" // v3 streams carry "text"
			}
		}
	} else {
		for j := range o.Data {
			if o.Data[j].MIME == "stream" {
				o.Data[j].MIME = "text/plain" // v3 pyout/display_data "text"
			}
		}
	}
	sortMime(o.Data)
	return o, nil
}

// readMime reads one representation: a string, an array of strings, or (for
// JSON types) any JSON value.
func (d *decoder) readMime(mime string) (MimeData, error) {
	s := d.s
	md := MimeData{MIME: mime}
	keep := keepMime(mime) && d.keptOutput < MaxKeptOutputText
	start := s.offset()
	d.text, d.frags = d.text[:0], d.frags[:0]
	addStr := func() error {
		base := len(d.text)
		var t str
		var err error
		d.text, t, err = s.readStringTo(d.text, keep && !md.Truncated, MaxKeptText-base)
		if err != nil {
			return err
		}
		if keep && !md.Truncated {
			d.frags = append(d.frags, frag{start: base, line: t.line, col: t.col, raw: t.raw})
			if t.truncated {
				md.Truncated = true
			}
		}
		return nil
	}
	switch s.skipSpace() {
	case '"':
		if err := addStr(); err != nil {
			return md, err
		}
	case '[':
		isStrings := true
		err := s.array(func(int) error {
			if s.skipSpace() != '"' {
				isStrings = false
				if keep {
					v, err := s.readValue(0)
					if err == nil {
						d.text = append(d.text, v.JSON()...)
					}
					return err
				}
				return s.skipValue()
			}
			if !isStrings && keep {
				v, err := s.readValue(0)
				if err == nil {
					d.text = append(d.text, v.JSON()...)
				}
				return err
			}
			return addStr()
		})
		if err != nil {
			return md, err
		}
	case '{':
		if !strings.Contains(mime, "json") {
			return md, d.typeErr("a string or an array of strings")
		}
		if keep {
			v, err := s.readValue(0)
			if err != nil {
				return md, err
			}
			d.text = append(d.text, v.JSON()...)
		} else if err := s.skipValue(); err != nil {
			return md, err
		}
	default:
		if !strings.Contains(mime, "json") {
			return md, d.typeErr("a string or an array of strings")
		}
		if err := s.skipValue(); err != nil {
			return md, err
		}
	}
	md.Size = s.offset() - start
	if keep {
		md.Kept = true
		md.Text = string(d.text)
		if len(d.frags) > 0 {
			md.src = textMap{frags: slices.Clone(d.frags)}
		}
		if strings.IndexByte(md.Text, '\r') >= 0 {
			md.Text, md.src = normaliseCR(md.Text, md.src)
		}
		d.keptOutput += int64(len(md.Text))
	}
	return md, nil
}

// Read reads a notebook file: `.py` files as percent-format scripts, others
// as nbformat JSON.
func Read(path string) (*Notebook, error) {
	f, err := openFile(path)
	if err != nil {
		return nil, &ReadError{Path: path, Cell: -1, Msg: describeOpenError(err), Err: err}
	}
	defer f.Close()
	if strings.HasSuffix(strings.ToLower(path), ".py") {
		data, err := io.ReadAll(io.LimitReader(f, MaxCellSource*4+1))
		if err != nil {
			return nil, &ReadError{Path: path, Cell: -1, Msg: "cannot read file: " + err.Error(), Err: err}
		}
		if len(data) > MaxCellSource*4 {
			return nil, &ReadError{Path: path, Cell: -1, Msg: fmt.Sprintf("percent-format file larger than %d MB", MaxCellSource*4>>20)}
		}
		return ReadPercent(path, data)
	}
	return ReadIPYNB(path, f)
}
