package notebook

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// scanner is a streaming JSON tokenizer that tracks file lines and
// code-point columns. It keeps only a small window of the input in memory,
// so outputs of hundreds of megabytes can be skipped without being held.
type scanner struct {
	r    io.Reader
	buf  []byte
	pos  int   // next unread byte in buf
	base int64 // file offset of buf[0]
	eof  bool
	rerr error

	line      int   // 1-based line at the scan position (whitespace updates it)
	lineStart int64 // file offset of the current line's first byte
	cpOff     int64 // column checkpoint: file offset ...
	cpCol     int   // ... and its 1-based code-point column

	tmp []byte // scratch for decoded strings

	// Positions of the next quote and backslash, cached so that a long
	// string with many escapes (base64 payloads with "\n" every 76
	// characters) is searched once, not once per escape.
	quote, bslash search
}

// search caches the result of looking for one byte: found is the file
// offset of the next occurrence (-1 for none known) and scanned the offset
// up to which the input has been searched.
type search struct {
	found, scanned int64
}

// next returns the index (relative to the scan position) of the next c in
// the window, or -1 when the window holds none.
func (s *scanner) next(c byte, m *search) int {
	off := s.offset()
	if m.found >= off {
		return int(m.found - off)
	}
	from := off
	if m.scanned > from {
		from = m.scanned
	}
	end := s.base + int64(len(s.buf))
	if from < end {
		if i := bytes.IndexByte(s.buf[from-s.base:], c); i >= 0 {
			m.found, m.scanned = from+int64(i), from+int64(i)+1
			return int(m.found - off)
		}
	}
	m.found, m.scanned = -1, end
	return -1
}

const scanChunk = 256 << 10

// bufPool recycles scan windows between notebooks.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, scanChunk); return &b }}

func newScanner(r io.Reader) *scanner {
	bp := bufPool.Get().(*[]byte)
	return &scanner{r: r, buf: (*bp)[:0], line: 1, cpCol: 1,
		quote: search{found: -1}, bslash: search{found: -1}}
}

// errSyntax is returned (wrapped) for malformed JSON.
var errSyntax = errors.New("invalid JSON")

type syntaxError struct {
	msg  string
	line int
	col  int
	off  int64
}

func (e *syntaxError) Error() string { return e.msg }
func (e *syntaxError) Unwrap() error { return errSyntax }

// release returns the window to the pool; the scanner must not be used after.
func (s *scanner) release() {
	if cap(s.buf) == scanChunk {
		b := s.buf[:0]
		bufPool.Put(&b)
	}
	s.buf = nil
}

func (s *scanner) offset() int64 { return s.base + int64(s.pos) }

// fill makes at least n unread bytes available when the input has them.
// It returns false when fewer remain.
func (s *scanner) fill(n int) bool {
	for len(s.buf)-s.pos < n {
		if s.eof {
			return false
		}
		// Move the column checkpoint up to the scan position before the
		// consumed bytes are discarded.
		s.checkpoint(s.offset())
		if s.pos > 0 {
			copy(s.buf, s.buf[s.pos:])
			s.base += int64(s.pos)
			s.buf = s.buf[:len(s.buf)-s.pos]
			s.pos = 0
		}
		if cap(s.buf)-len(s.buf) < scanChunk/2 {
			nb := make([]byte, len(s.buf), 2*cap(s.buf)+scanChunk)
			copy(nb, s.buf)
			s.buf = nb
		}
		m, err := s.r.Read(s.buf[len(s.buf):cap(s.buf)])
		s.buf = s.buf[:len(s.buf)+m]
		if err != nil {
			s.eof = true
			if err != io.EOF {
				s.rerr = err
			}
		}
	}
	return true
}

// checkpoint advances the column checkpoint to file offset off, which must
// be inside the window and on the current line.
func (s *scanner) checkpoint(off int64) {
	if s.cpOff < s.lineStart {
		s.cpOff, s.cpCol = s.lineStart, 1
	}
	if off <= s.cpOff {
		return
	}
	from := int(s.cpOff - s.base)
	to := int(off - s.base)
	if from < 0 {
		from = 0
	}
	if to > len(s.buf) {
		to = len(s.buf)
	}
	if from < to {
		s.cpCol += utf8.RuneCount(s.buf[from:to])
	}
	s.cpOff = off
}

// column returns the 1-based code-point column of file offset off, which
// must be at or after the last checkpoint and inside the window.
func (s *scanner) column(off int64) int {
	s.checkpoint(off)
	return s.cpCol
}

func (s *scanner) errorf(format string, args ...any) error {
	off := s.offset()
	col := 0
	if off >= s.base && off <= s.base+int64(len(s.buf)) {
		col = s.column(off)
	}
	if s.rerr != nil {
		return fmt.Errorf("read error: %w", s.rerr)
	}
	return &syntaxError{msg: fmt.Sprintf(format, args...), line: s.line, col: col, off: off}
}

// skipSpace skips JSON whitespace and returns the next byte without
// consuming it (0 at end of input).
func (s *scanner) skipSpace() byte {
	for {
		if s.pos >= len(s.buf) && !s.fill(1) {
			return 0
		}
		c := s.buf[s.pos]
		switch c {
		case ' ', '\t', '\r':
			s.pos++
		case '\n':
			s.pos++
			s.line++
			s.lineStart = s.offset()
		default:
			return c
		}
	}
}

func (s *scanner) expect(c byte) error {
	got := s.skipSpace()
	if got != c {
		return s.unexpected(fmt.Sprintf("%q", c))
	}
	s.pos++
	return nil
}

func (s *scanner) unexpected(want string) error {
	if s.pos >= len(s.buf) && !s.fill(1) {
		return s.errorf("unexpected end of file (truncated JSON?), expected %s", want)
	}
	c := s.buf[s.pos]
	if c < 0x20 || c >= 0x7f {
		return s.errorf("unexpected byte 0x%02x, expected %s", c, want)
	}
	return s.errorf("unexpected %q, expected %s", c, want)
}

// kind returns the JSON kind name of the next value ("string", "object", …).
func (s *scanner) kind() string {
	switch s.skipSpace() {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	case 0:
		return "end of file"
	default:
		return "number"
	}
}

// object iterates over the members of an object; fn is called with the scanner
// positioned at each member's value and must consume it.
func (s *scanner) object(fn func(key string) error) error {
	if err := s.expect('{'); err != nil {
		return err
	}
	if s.skipSpace() == '}' {
		s.pos++
		return nil
	}
	for {
		if s.skipSpace() != '"' {
			return s.unexpected("a member name")
		}
		key, err := s.readString(true, 1<<16)
		if err != nil {
			return err
		}
		if err := s.expect(':'); err != nil {
			return err
		}
		if err := fn(key.text); err != nil {
			return err
		}
		switch s.skipSpace() {
		case ',':
			s.pos++
		case '}':
			s.pos++
			return nil
		default:
			return s.unexpected("',' or '}'")
		}
	}
}

// array iterates over an array; fn is called for each element with its index.
func (s *scanner) array(fn func(i int) error) error {
	if err := s.expect('['); err != nil {
		return err
	}
	if s.skipSpace() == ']' {
		s.pos++
		return nil
	}
	for i := 0; ; i++ {
		if err := fn(i); err != nil {
			return err
		}
		switch s.skipSpace() {
		case ',':
			s.pos++
		case ']':
			s.pos++
			return nil
		default:
			return s.unexpected("',' or ']'")
		}
	}
}

// str is a decoded JSON string with the position of its first character.
type str struct {
	text      string
	line, col int    // file position of the first content character
	raw       []byte // raw content when escapes other than a final \n change widths
	size      int64  // raw bytes of the content
	truncated bool   // text holds only the first max bytes
}

// readString reads a string token. When keep is false the content is
// validated and skipped without being stored. At most max decoded bytes are
// kept; the rest is skipped and reported as truncated.
func (s *scanner) readString(keep bool, max int) (str, error) {
	var out str
	var err error
	s.tmp, out, err = s.readStringTo(s.tmp[:0], keep, max)
	if err == nil && keep {
		out.text = string(s.tmp)
	}
	return out, err
}

// readStringTo is readString appending the decoded content to dst (at most
// max bytes of this string) instead of returning it in str.text: a cell's
// source lines go straight into one buffer.
func (s *scanner) readStringTo(dst []byte, keep bool, max int) ([]byte, str, error) {
	var out str
	if s.skipSpace() != '"' {
		return dst, out, s.unexpected("a string")
	}
	s.pos++
	start := s.offset()
	out.line = s.line
	if keep {
		out.col = s.column(start)
	}
	base := len(dst)
	limit := base + max
	if max < 0 || limit < base {
		limit = base
	}
	buf := dst
	rawEsc := false // saw an escape that is not a final "\n"
	var raw []byte
	for {
		if s.pos >= len(s.buf) && !s.fill(1) {
			return buf, out, s.errorf("unexpected end of file inside a string (truncated JSON?)")
		}
		win := s.buf[s.pos:]
		seg := win
		q := s.next('"', &s.quote)
		if q >= 0 {
			seg = win[:q]
		}
		bs := -1
		if q != 0 {
			bs = s.next('\\', &s.bslash)
		}
		if bs >= 0 && (q < 0 || bs < q) {
			seg = seg[:bs]
		} else {
			bs = -1
		}
		held := false
		if q < 0 && bs < 0 && !s.eof {
			// The window ends inside the string: hold back a rune cut in two.
			if cut := incompleteTail(seg); cut > 0 {
				held = true
				seg = seg[:len(seg)-cut]
				if len(seg) == 0 {
					s.fill(len(win) + utf8.UTFMax)
					if len(s.buf)-s.pos == len(win) {
						// No more input: let validation report it. fill may
						// have moved the window to the start of the buffer.
						seg = s.buf[s.pos:]
					} else {
						continue
					}
				}
			}
		}
		if err := s.checkText(seg, keep); err != nil {
			return buf, out, err
		}
		if keep {
			if len(buf) < limit {
				room := limit - len(buf)
				if room > len(seg) {
					room = len(seg)
				} else if room < len(seg) {
					out.truncated = true
				}
				buf = append(buf, seg[:room]...)
			} else if len(seg) > 0 {
				out.truncated = true
			}
			if rawEsc {
				raw = append(raw, seg...)
			}
		}
		s.pos += len(seg)
		if held || s.pos >= len(s.buf) {
			continue // need more input (to complete the rune held back)
		}
		if s.buf[s.pos] == '"' {
			s.pos++
			out.size = s.offset() - 1 - start
			if keep && rawEsc {
				out.raw = raw
			}
			return buf, out, nil
		}
		// An escape sequence.
		if !s.fill(2) {
			return buf, out, s.errorf("unexpected end of file inside a string (truncated JSON?)")
		}
		e := s.buf[s.pos+1]
		if e == 'u' && !s.fill(6) {
			return buf, out, s.errorf("unexpected end of file inside a string (truncated JSON?)")
		}
		if e == 'u' {
			s.fill(12) // a surrogate pair needs both halves in the window
		}
		switch e {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		case 'u':
			if _, ok := hex4(s.buf[s.pos+2 : s.pos+6]); !ok {
				return buf, out, s.errorf("invalid \\u escape in string")
			}
		default:
			return buf, out, s.errorf("invalid escape %q in string", "\\"+string(e))
		}
		r, n := decodeEscape(s.buf[s.pos:], 0)
		if e == '"' || e == '\\' || e == '/' {
			r = rune(e)
		}
		if keep {
			// A "\n" that ends the string is the common case in notebook
			// sources and does not disturb column mapping.
			final := e == 'n' && s.fill(3) && s.buf[s.pos+2] == '"'
			if !final && !rawEsc {
				rawEsc = true
				raw = append(raw, buf[base:]...) // no escapes so far: raw == decoded
			}
			if rawEsc {
				raw = append(raw, s.buf[s.pos:s.pos+n]...)
			}
			if len(buf) < limit {
				buf = utf8.AppendRune(buf, r)
			} else {
				out.truncated = true
			}
		}
		s.pos += n
	}
}

// incompleteTail returns how many bytes at the end of b start a UTF-8
// sequence that is not complete yet.
func incompleteTail(b []byte) int {
	for i := 1; i <= utf8.UTFMax-1 && i <= len(b); i++ {
		c := b[len(b)-i]
		if c < 0x80 {
			return 0
		}
		if utf8.RuneStart(c) {
			if utf8.FullRune(b[len(b)-i:]) {
				return 0
			}
			return i
		}
	}
	return 0
}

// checkText validates raw string content: no control characters and valid
// UTF-8. ASCII-only runs take the fast path.
//
// Skipped payloads (strict false) are only checked for UTF-8, which runs
// eight bytes at a time; control characters there are not worth a byte loop.
func (s *scanner) checkText(seg []byte, strict bool) error {
	// The first problem in the string is reported, whatever the segment
	// boundaries (which depend on how the input was read).
	if !strict {
		if utf8.Valid(seg) {
			return nil
		}
		return s.firstInvalid(seg, false)
	}
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		if c < 0x20 {
			s.pos += i
			return s.controlError(c)
		}
		if c >= 0x80 {
			if utf8.Valid(seg[i:]) {
				return s.checkControl(seg[i:], i)
			}
			s.pos += i
			return s.firstInvalid(seg[i:], true)
		}
	}
	return nil
}

// firstInvalid reports the first invalid UTF-8 byte of seg (which holds
// one), or with controls the first control character if that comes first;
// s.pos is at seg[0].
func (s *scanner) firstInvalid(seg []byte, controls bool) error {
	for j := 0; j < len(seg); {
		if controls && seg[j] < 0x20 {
			s.pos += j
			return s.controlError(seg[j])
		}
		r, w := utf8.DecodeRune(seg[j:])
		if r == utf8.RuneError && w == 1 {
			s.pos += j
			return s.errorf("invalid UTF-8 (byte 0x%02x)", seg[j])
		}
		j += w
	}
	return nil
}

func (s *scanner) controlError(c byte) error {
	if c == 0 {
		return s.errorf("NUL byte inside a string")
	}
	return s.errorf("control character 0x%02x inside a string (must be escaped)", c)
}

func (s *scanner) checkControl(seg []byte, base int) error {
	for i, c := range seg {
		if c < 0x20 {
			s.pos += base + i
			return s.controlError(c)
		}
	}
	return nil
}

func hex4(b []byte) (uint16, bool) {
	v, err := strconv.ParseUint(string(b), 16, 16)
	return uint16(v), err == nil
}

// decodeEscape decodes the JSON escape at raw[i] (which must be '\\') and
// returns the rune and the number of raw bytes it takes. It returns (0, 0)
// when raw[i] is not an escape.
func decodeEscape(raw []byte, i int) (rune, int) {
	if i+1 >= len(raw) || raw[i] != '\\' {
		return 0, 0
	}
	switch e := raw[i+1]; e {
	case 'b':
		return '\b', 2
	case 'f':
		return '\f', 2
	case 'n':
		return '\n', 2
	case 'r':
		return '\r', 2
	case 't':
		return '\t', 2
	case 'u':
		if i+6 > len(raw) {
			return utf8.RuneError, len(raw) - i
		}
		v, ok := hex4(raw[i+2 : i+6])
		if !ok {
			return utf8.RuneError, 6
		}
		r := rune(v)
		if utf16.IsSurrogate(r) && i+12 <= len(raw) && raw[i+6] == '\\' && raw[i+7] == 'u' {
			if v2, ok := hex4(raw[i+8 : i+12]); ok {
				if d := utf16.DecodeRune(r, rune(v2)); d != utf8.RuneError {
					return d, 12
				}
			}
		}
		if utf16.IsSurrogate(r) {
			return utf8.RuneError, 6
		}
		return r, 6
	default:
		return rune(e), 2
	}
}

// readLiteral consumes true, false or null.
func (s *scanner) readLiteral() (string, error) {
	for _, lit := range []string{"true", "false", "null"} {
		if s.fill(len(lit)) && string(s.buf[s.pos:s.pos+len(lit)]) == lit {
			s.pos += len(lit)
			return lit, nil
		}
	}
	return "", s.unexpected("a value")
}

// readNumber consumes a JSON number and returns its text.
func (s *scanner) readNumber() (string, error) {
	s.skipSpace()
	var b []byte
	for {
		if s.pos >= len(s.buf) && !s.fill(1) {
			break
		}
		c := s.buf[s.pos]
		if (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' {
			b = append(b, c)
			s.pos++
			if len(b) > 64 {
				return "", s.errorf("number too long")
			}
			continue
		}
		break
	}
	if len(b) == 0 {
		return "", s.unexpected("a value")
	}
	if _, err := strconv.ParseFloat(string(b), 64); err != nil {
		return "", s.errorf("invalid number %q", b)
	}
	return string(b), nil
}

// readIntOrNull reads an integer or null.
func (s *scanner) readIntOrNull() (*int, error) {
	switch s.skipSpace() {
	case 'n':
		if _, err := s.readLiteral(); err != nil {
			return nil, err
		}
		return nil, nil
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		t, err := s.readNumber()
		if err != nil {
			return nil, err
		}
		v, err := strconv.Atoi(t)
		if err != nil {
			return nil, s.errorf("expected an integer, got %s", t)
		}
		return &v, nil
	}
	return nil, &typeError{want: "an integer or null", got: s.kind(), s: s}
}

// skipValue consumes any JSON value without recursion: nesting depth costs
// one byte of stack per level.
func (s *scanner) skipValue() error {
	var stack []byte // '{' or '['
	for {
		switch c := s.skipSpace(); c {
		case '{', '[':
			s.pos++
			n := s.skipSpace()
			if (c == '{' && n == '}') || (c == '[' && n == ']') {
				s.pos++
				break // an empty container is a complete value
			}
			stack = append(stack, c)
			if c == '{' {
				if err := s.memberName(); err != nil {
					return err
				}
			}
			continue
		case '"':
			if _, err := s.readString(false, 0); err != nil {
				return err
			}
		case 't', 'f', 'n':
			if _, err := s.readLiteral(); err != nil {
				return err
			}
		case 0, '}', ']', ',', ':':
			return s.unexpected("a value")
		default:
			if _, err := s.readNumber(); err != nil {
				return err
			}
		}
		// A value is complete: close containers or move to the next element.
	next:
		for {
			if len(stack) == 0 {
				return nil
			}
			top := stack[len(stack)-1]
			switch c := s.skipSpace(); {
			case c == ',':
				s.pos++
				if top == '{' {
					if err := s.memberName(); err != nil {
						return err
					}
				}
				break next
			case (top == '{' && c == '}') || (top == '[' && c == ']'):
				s.pos++
				stack = stack[:len(stack)-1]
			default:
				return s.unexpected("',' or a closing bracket")
			}
		}
	}
}

func (s *scanner) memberName() error {
	if s.skipSpace() != '"' {
		return s.unexpected("a member name")
	}
	if _, err := s.readString(false, 0); err != nil {
		return err
	}
	return s.expect(':')
}

// typeError reports a JSON value of the wrong kind.
type typeError struct {
	want, got string
	s         *scanner
}

func (e *typeError) Error() string {
	if e.got == "end of file" {
		return "unexpected end of file (truncated JSON?), expected " + e.want
	}
	return "expected " + e.want + ", got " + aOrAn(e.got)
}

func aOrAn(kind string) string {
	switch kind {
	case "object", "array":
		return "an " + kind
	case "null", "end of file":
		return kind
	}
	return "a " + kind
}
