// Package pysyntax prepares notebook code cells for the Python parser.
//
// Mask neutralises IPython syntax (magics, shell escapes, help, automagic,
// prompts) line for line, the way IPython 8's input transformations and the
// project's reference oracle (shared/oracle/oracle.py, rules B1-B6) do, so
// that the result parses as Python and keeps the cell's line numbers.
package pysyntax

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MagicKind classifies one masked IPython construct.
type MagicKind uint8

const (
	LineMagic   MagicKind = iota + 1 // %name args
	CellMagic                        // %%name args on the first line of a cell
	ShellEscape                      // !cmd and !!cmd
	ShellAssign                      // x = !cmd
	MagicAssign                      // x = %name args
	Help                             // obj?, ?obj, obj??
	Automagic                        // single-line automagic such as `ls data/`, `pip install x`
	Autocall                         // /f x, ,f x, ;f x
)

// String returns the kind's stable name ("line-magic", "cell-magic", ...).
func (k MagicKind) String() string {
	switch k {
	case LineMagic:
		return "line-magic"
	case CellMagic:
		return "cell-magic"
	case ShellEscape:
		return "shell"
	case ShellAssign:
		return "shell-assign"
	case MagicAssign:
		return "magic-assign"
	case Help:
		return "help"
	case Automagic:
		return "automagic"
	case Autocall:
		return "autocall"
	}
	return "unknown"
}

// Magic is one masked construct, kept for the rules and the emitter.
type Magic struct {
	Kind MagicKind
	// Name is the magic name without % ("matplotlib", "time", "capture");
	// for shell kinds the command's first word ("pip", "wget"); for
	// automagic the magic/alias name ("ls", "pip"); for autocall the callee;
	// for Help the object text ("np.sum").
	Name string
	// Args is the rest of the line after the name, trimmed. Backslash-
	// continued lines are appended after a "\n", each trimmed and without
	// its trailing backslash. For a shell escape it is the whole command
	// after "!" or "!!" (e.g. "pip install x==1.2").
	Args string
	// Target is the LHS text for ShellAssign/MagicAssign ("x", "a, b"), and
	// NAME for `%%capture NAME` / `%%bigquery NAME`.
	Target string
	// Line is the 1-based cell line of the construct.
	Line int
	// EndLine is the last cell line it covers (backslash continuations; for
	// a cell magic the last line of the cell, not counting the empty line
	// after a final newline).
	EndLine int
	// Col is the 1-based byte column, in the original line, of the escape
	// character: the % or ! (also on the right of `x = !cmd`), the first ?
	// of `?obj`/`obj?`, the / , ; of an autocall; for automagic the first
	// letter of the name.
	Col int
	// Uses are the names referenced by IPython variable expansion in the
	// first physical line: $name, then every Name node of each {expr} that
	// parses as a Python expression (CPython ast.walk order, as the oracle
	// reports them; builtins are not filtered). Deduplicated.
	Uses []string
	// KeepsPython reports that the statement or body stays Python
	// (%time/%prun STMT, %timeit STMT, %%time/%%prun/%%capture/%%timeit).
	KeepsPython bool
}

// Masked is a cell source with IPython syntax neutralised.
type Masked struct {
	Source       string  // same number of lines as the input
	Magics       []Magic // in line order
	CellMagic    string  // name when the cell starts with %% ("" otherwise)
	PrivateScope bool    // %%timeit: the body runs in a private scope (the caller empties defines/deletes)
	// Shift is nil when no line moved; else per line (index line-1):
	// original byte column = masked byte column + Shift[line-1] for text
	// kept from the original line (leading indent removed, prompt removed,
	// `%time ` prefix removed; negative for the `def __ipy_timeit__(): `
	// prefix).
	Shift []int
}

// pyBodyCellMagics are the cell magics whose body is Python (rule B4).
func isPyBodyCellMagic(name string) bool {
	switch name {
	case "time", "prun", "capture", "timeit":
		return true
	}
	return false
}

// automagicNames are IPython 8's line magics and default POSIX aliases that
// automagic resolves (oracle AUTOMAGIC_NAMES). None of them is a Python
// builtin, so the oracle's "head not in BUILTINS" test never applies.
var automagicNames = map[string]struct{}{}

func init() {
	for _, n := range strings.Fields(`
alias alias_magic autoawait autocall automagic autosave bookmark cat cd clear
colors conda config connect_info cp debug dhist dirs doctest_mode ed edit env
gui hist history killbgscripts ldir less lf lk ll load load_ext loadpy logoff
logon logstart logstate logstop ls lsmagic lx macro magic mamba man matplotlib
micromamba mkdir more mv notebook page pastebin pdb pdef pdoc pfile pinfo
pinfo2 pip popd pprint precision prun psearch psource pushd pwd pycat pylab
qtconsole quickref recall rehashx reload_ext rep rerun reset reset_selective
rm rmdir run save sc set_env store sx system tb time timeit unalias
unload_ext who who_ls whos xdel xmode`) {
		automagicNames[n] = struct{}{}
	}
}

const timeitPrefix = "def __ipy_timeit__(): "

// Mask neutralises IPython syntax in src (already normalised to "\n" line endings).
// shadowed reports whether a name is bound by an earlier code cell (automagic rule B6); may be nil.
// isPython reports whether a snippet parses as Python (used for B6's "not valid Python" test and the %timeit fallback); may be nil (then treat as "does not parse" for automagic and "parses" for %timeit).
func Mask(src string, shadowed func(name string) bool, isPython func(code string) bool) Masked {
	if !needsWork(src) {
		return Masked{Source: src}
	}
	m := masker{shadowed: shadowed, isPython: isPython}
	return m.run(src)
}

// ---------------------------------------------------------------------------
// fast path
// ---------------------------------------------------------------------------

// needsWork is a conservative byte scan: it returns false only when Mask
// would certainly return src unchanged with no magics, i.e. there is no
// escape character that could start a logical line or follow a top-level
// `=`, no line ending in `?`, no indented or prompted first line, and the
// cell is not a single line (automagic).
func needsWork(src string) bool {
	first := true
	for start := 0; start <= len(src); {
		end := strings.IndexByte(src[start:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += start
		}
		line := src[start:end]
		if p := skipPySpace(line, 0); p < len(line) {
			if first {
				first = false
				if p > 0 && (line[0] == ' ' || line[0] == '\t') {
					return true
				}
				if strings.HasPrefix(line, ">>>") || strings.HasPrefix(line, "In [") {
					return true
				}
				// single-line cell (possibly followed by one final newline)
				if end == len(src) || end+1 == len(src) {
					return true
				}
			}
			switch line[p] {
			case '%', '!', '?', '/', ',', ';':
				return true
			}
			if lineMayHaveMagic(line, p) {
				return true
			}
		}
		start = end + 1
	}
	return false
}

// lineMayHaveMagic reports whether a `%` or `!` follows `=` (magic/shell
// assignment) or a `?` ends the code of the line (help).
func lineMayHaveMagic(line string, p int) bool {
	for i := p; i < len(line); i++ {
		switch line[i] {
		case '%', '!':
			j := i - 1
			for j >= 0 && (line[j] == ' ' || line[j] == '\t' || line[j] == '\f' || line[j] == '\v' || (line[j] >= 0x1c && line[j] <= 0x1f)) {
				j--
			}
			if j < 0 || line[j] == '=' || line[j] >= 0x80 {
				return true
			}
		case '?':
			j := i + 1
			for j < len(line) && (line[j] == '?' || line[j] == ' ' || line[j] == '\t' || line[j] == '\f' || line[j] == '\v' || (line[j] >= 0x1c && line[j] <= 0x1f)) {
				j++
			}
			if j == len(line) || line[j] == '#' || line[j] >= 0x80 {
				return true
			}
			i = j - 1 // every ? before j would scan to the same j
		}
	}
	return false
}

// ---------------------------------------------------------------------------
// full masker
// ---------------------------------------------------------------------------

type masker struct {
	shadowed func(string) bool
	isPython func(string) bool

	orig  []string // the input lines
	lines []string // after indent and prompt removal
	out   []string
	shift []int // nil until a line moves
	res   Masked
	buf   []byte // scratch for masked code
}

func (m *masker) setShift(k, v int) {
	if v == 0 && m.shift == nil {
		return
	}
	if m.shift == nil {
		m.shift = make([]int, len(m.lines))
	}
	m.shift[k] = v
}

func (m *masker) shiftOf(k int) int {
	if m.shift == nil {
		return 0
	}
	return m.shift[k]
}

func (m *masker) run(src string) Masked {
	orig := strings.Split(src, "\n")
	first := -1
	for k, l := range orig {
		if !pyBlank(l) {
			first = k
			break
		}
	}
	if first < 0 {
		return Masked{Source: src}
	}
	m.orig = orig
	m.lines = make([]string, len(orig))
	copy(m.lines, orig)
	lines := m.lines

	// B2 leading_indent: the first non-blank line's [ \t]+ prefix is removed
	// from every line that starts with it.
	if sp := spaceTabPrefix(lines[first]); sp != "" {
		for k, l := range lines {
			if strings.HasPrefix(l, sp) {
				lines[k] = l[len(sp):]
				m.setShift(k, len(sp))
			}
		}
	}
	// B3 prompts.
	if hasDoctestPrompt(lines[first]) {
		for k, l := range lines {
			if n := doctestPromptLen(l); n > 0 {
				lines[k] = l[n:]
				m.setShift(k, m.shiftOf(k)+n)
			}
		}
	} else if ipythonInPromptLen(lines[first]) > 0 {
		for k, l := range lines {
			n := ipythonInPromptLen(l)
			if n < 0 {
				n = ipythonContPromptLen(l)
			}
			if n > 0 {
				lines[k] = l[n:]
				m.setShift(k, m.shiftOf(k)+n)
			}
		}
	}

	m.out = make([]string, len(lines))
	copy(m.out, lines)
	start := 0
	if strings.HasPrefix(lines[first], "%%") {
		if !m.cellMagic(first) {
			return m.finish(src)
		}
		start = first + 1
	}
	m.lineEscapes(start)
	m.automagic(src, first)
	return m.finish(src)
}

// finish assembles the result.
func (m *masker) finish(src string) Masked {
	changed := false
	for k, l := range m.out {
		if l != m.orig[k] {
			changed = true
			break
		}
	}
	if changed {
		m.res.Source = strings.Join(m.out, "\n")
	} else {
		m.res.Source = src
	}
	if m.shift != nil {
		for _, v := range m.shift {
			if v != 0 {
				m.res.Shift = m.shift
				break
			}
		}
	}
	return m.res
}

// cellMagic handles B4. It reports whether the body stays Python.
func (m *masker) cellMagic(first int) bool {
	line := m.lines[first]
	// %%\s*([\w.-]*)\s*(.*)
	i := skipPySpace(line, 2)
	j := i
	for j < len(line) {
		r, w := utf8.DecodeRuneInString(line[j:])
		if !isPyWordRune(r) && r != '.' && r != '-' {
			break
		}
		j += w
	}
	name := line[i:j]
	rest := line[skipPySpace(line, j):]
	m.res.CellMagic = name
	mg := Magic{
		Kind:    CellMagic,
		Name:    name,
		Args:    pyStrip(rest),
		Line:    first + 1,
		EndLine: lastCellLine(m.lines, first),
		Col:     m.shiftOf(first) + 1,
	}
	if isPyBodyCellMagic(name) {
		mg.KeepsPython = true
		m.out[first] = "pass"
		if name == "capture" {
			for _, t := range pyFields(rest) {
				if strings.HasPrefix(t, "-") {
					continue
				}
				if isPyIdent(t) {
					m.out[first] = t + " = None"
					mg.Target = t
				}
				break
			}
		}
		if name == "timeit" {
			m.res.PrivateScope = true
		}
		m.res.Magics = append(m.res.Magics, mg)
		return true
	}
	mg.Uses = dedupeNames(magicVarUses(rest))
	for k := range m.out {
		m.out[k] = ""
	}
	m.out[first] = "pass"
	if name == "bigquery" {
		if toks := pyFields(rest); len(toks) > 0 && !strings.HasPrefix(toks[0], "-") && isPyIdent(toks[0]) {
			m.out[first] = toks[0] + " = None"
			mg.Target = toks[0]
		}
	}
	m.res.Magics = append(m.res.Magics, mg)
	return false
}

// lastCellLine is the 1-based last line of the cell, not counting the empty
// line produced by a final newline.
func lastCellLine(lines []string, first int) int {
	n := len(lines)
	if n > first+1 && lines[n-1] == "" {
		n--
	}
	return n
}

// lineEscapes handles B5 on lines[start:].
func (m *masker) lineEscapes(start int) {
	var sc lineScanner
	skipCont := false
	cur := -1           // index in m.res.Magics of the construct being continued
	var pieces []string // its continuation lines, for Args
	flush := func() {
		if cur >= 0 && len(pieces) > 0 {
			mg := &m.res.Magics[cur]
			mg.Args += "\n" + strings.Join(pieces, "\n")
		}
		cur, pieces = -1, pieces[:0]
	}
	for k := start; k < len(m.lines); k++ {
		line := m.lines[k]
		if skipCont {
			m.out[k] = ""
			skipCont = strings.HasSuffix(pyRstrip(line), "\\")
			if cur >= 0 {
				mg := &m.res.Magics[cur]
				mg.EndLine = k + 1
				if mg.Kind != Help {
					piece := pyStrip(line)
					if skipCont {
						piece = pyStrip(strings.TrimSuffix(piece, "\\"))
					}
					pieces = append(pieces, piece)
				}
			}
			if !skipCont {
				flush()
			}
			continue
		}
		if sc.atLogicalStart() {
			if body := pyLstrip(line); body != "" {
				indent := line[:len(line)-len(body)]
				var mg Magic
				repl, ok := m.escapeLine(k, line, indent, body, &mg)
				if ok {
					m.out[k] = repl
					skipCont = strings.HasSuffix(pyRstrip(line), "\\")
					mg.Line, mg.EndLine = k+1, k+1
					m.res.Magics = append(m.res.Magics, mg)
					if skipCont {
						mg := &m.res.Magics[len(m.res.Magics)-1]
						mg.Args = pyStrip(strings.TrimSuffix(pyRstrip(mg.Args), "\\"))
						cur = len(m.res.Magics) - 1
					}
					continue
				}
			}
		}
		m.buf = sc.scan(line, m.buf[:0])
	}
	flush()
}

// escapeLine decides the replacement of a line at a logical-line start.
func (m *masker) escapeLine(k int, line, indent, body string, mg *Magic) (string, bool) {
	base := m.shiftOf(k)
	c0 := body[0]
	switch c0 {
	case '%', '!', '?', '/', ',', ';':
	default:
		return m.assignOrHelp(k, line, indent, mg)
	}
	mg.Col = base + len(indent) + 1
	repl := indent + "pass"
	switch c0 {
	case '%':
		mg.Kind = LineMagic
		// %+\s*(\w+)\s?(.*)
		i := 0
		for i < len(body) && body[i] == '%' {
			i++
		}
		i = skipPySpace(body, i)
		j := i
		for j < len(body) {
			r, w := utf8.DecodeRuneInString(body[j:])
			if !isPyWordRune(r) {
				break
			}
			j += w
		}
		var mname, rest string
		if j > i {
			mname = body[i:j]
			rest = body[j:]
			if r, w := utf8.DecodeRuneInString(rest); w > 0 && isPySpace(r) {
				rest = rest[w:]
			}
		}
		mg.Name = mname
		mg.Args = pyStrip(rest)
		// rest is a suffix of line; offsets are computed from suffix lengths.
		stmtAt := func(suffix string) (string, int) {
			t := pyLstrip(suffix)
			return pyRstrip(t), len(line) - len(t)
		}
		stmt, _ := stmtAt(rest)
		switch {
		case strings.HasPrefix(body, "%%"):
			mg.Kind = CellMagic
		case mname == "time" && stmt != "":
			s, off := stmtAt(rest)
			repl = indent + s
			mg.KeepsPython = true
			m.setShift(k, base+off-len(indent))
		case mname == "prun" && stmt != "":
			if s, off := stmtAt(stripOpts(rest, "DlsT", "rq")); s != "" {
				repl = indent + s
				mg.KeepsPython = true
				m.setShift(k, base+off-len(indent))
			}
		case mname == "timeit" && stmt != "":
			// An empty statement never parses, whatever isPython says.
			if s, off := stmtAt(stripOpts(rest, "nrp", "tcqo")); s != "" {
				cand := timeitPrefix + s
				if m.isPython == nil || m.isPython(cand) {
					repl = indent + cand
					mg.KeepsPython = true
					m.setShift(k, base+off-len(indent)-len(timeitPrefix))
				}
			}
		}
		if repl == indent+"pass" {
			mg.Uses = dedupeNames(magicVarUses(rest))
		}
	case '!':
		mg.Kind = ShellEscape
		cmd := body[1:]
		mg.Uses = dedupeNames(magicVarUses(cmd))
		cmd = pyStrip(strings.TrimPrefix(cmd, "!"))
		mg.Args = cmd
		mg.Name = firstPyField(cmd)
	case '?':
		mg.Kind = Help
		mg.Name = pyStrip(strings.TrimRight(strings.TrimLeft(pyStrip(body), "?"), "?"))
	default: // autocall / , ;
		mg.Kind = Autocall
		call := pyStrip(body[1:])
		mg.Name = firstPyField(call)
		mg.Args = pyStrip(call[len(mg.Name):])
	}
	return repl, true
}

// assignOrHelp handles `LHS = !cmd`, `LHS = %magic` and trailing `?`.
func (m *masker) assignOrHelp(k int, line, indent string, mg *Magic) (string, bool) {
	if strings.IndexByte(line, '!') < 0 && strings.IndexByte(line, '%') < 0 && strings.IndexByte(line, '?') < 0 {
		return "", false
	}
	base := m.shiftOf(k)
	var tmp lineScanner
	m.buf = tmp.scan(line, m.buf[:0])
	code := m.buf
	if ai := findAssign(code); ai >= 0 {
		after := line[ai+1:]
		rhs := pyLstrip(after)
		isShell := strings.HasPrefix(rhs, "!")
		if isShell || isMagicStart(rhs) {
			mg.Target = pyStrip(line[:ai])
			mg.Col = base + ai + 1 + len(after) - len(rhs) + 1
			mg.Uses = dedupeNames(magicVarUses(strings.TrimLeft(rhs, "!%")))
			if isShell {
				mg.Kind = ShellAssign
				cmd := pyStrip(strings.TrimPrefix(rhs[1:], "!"))
				mg.Args = cmd
				mg.Name = firstPyField(cmd)
			} else {
				mg.Kind = MagicAssign
				r := strings.TrimPrefix(rhs[1:], "%")
				j := 0
				for j < len(r) {
					c, w := utf8.DecodeRuneInString(r[j:])
					if !isPyWordRune(c) {
						break
					}
					j += w
				}
				mg.Name = r[:j]
				mg.Args = pyStrip(r[j:])
			}
			return line[:ai+1] + " None", true
		}
	}
	if tmp.depth == 0 && !tmp.inString() && !tmp.cont {
		cs := pyRstripBytes(code)
		if len(cs) > 0 && cs[len(cs)-1] == '?' {
			j := len(cs)
			for j > 0 && cs[j-1] == '?' {
				j--
			}
			mg.Kind = Help
			mg.Col = base + j + 1
			mg.Name = pyStrip(line[len(indent):j])
			return indent + "pass", true
		}
	}
	return "", false
}

// isMagicStart matches `%%?\w`.
func isMagicStart(s string) bool {
	if !strings.HasPrefix(s, "%") {
		return false
	}
	s = s[1:]
	if strings.HasPrefix(s, "%") {
		s = s[1:]
	}
	r, w := utf8.DecodeRuneInString(s)
	return w > 0 && isPyWordRune(r)
}

// automagic handles B6 (single-line cells only).
func (m *masker) automagic(src string, first int) {
	if !m.singleLine(src, first) || m.out[first] != m.lines[first] {
		return
	}
	line := m.lines[first]
	s := pyStrip(line)
	// ^([A-Za-z_][\w.]*)\s*(.*?)$
	if s == "" || !isASCIIIdentStart(s[0]) {
		return
	}
	j := 1
	for j < len(s) {
		r, w := utf8.DecodeRuneInString(s[j:])
		if !isPyWordRune(r) && r != '.' {
			break
		}
		j += w
	}
	ifun := s[:j]
	rest := s[skipPySpace(s, j):]
	if _, ok := automagicNames[ifun]; !ok {
		return
	}
	// ifun has no dot, so its head is ifun itself; no automagic name is a
	// Python builtin.
	if m.shadowed != nil && m.shadowed(ifun) {
		return
	}
	if (strings.HasPrefix(rest, "=") || strings.HasPrefix(rest, ",")) && !strings.HasPrefix(rest, "==") {
		return
	}
	if rest != "" && m.isPython != nil && m.isPython(s) {
		return
	}
	m.out[first] = "pass"
	m.res.Magics = append(m.res.Magics, Magic{
		Kind:    Automagic,
		Name:    ifun,
		Args:    rest,
		Line:    first + 1,
		EndLine: first + 1,
		Col:     m.shiftOf(first) + len(line) - len(pyLstrip(line)) + 1,
		Uses:    dedupeNames(magicVarUses(rest)),
	})
}

// singleLine mirrors the oracle's
// len(("\n".join(lines[first:]) + ("" if src.endswith("\n") else "\n")).splitlines()) == 1.
func (m *masker) singleLine(src string, first int) bool {
	tail := len(m.lines) - first
	switch {
	case tail == 1:
	case tail == 2 && strings.HasSuffix(src, "\n"):
	default:
		return false
	}
	l := m.lines[first]
	for i := 0; i < len(l); {
		r, w := utf8.DecodeRuneInString(l[i:])
		switch r {
		case '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
			return false
		case '\r':
			// "\r\n" is one break; "\r" at the very end joins the added "\n"
			if i+w != len(l) {
				return false
			}
		}
		i += w
	}
	return true
}

// ---------------------------------------------------------------------------
// line scanner (oracle LineScanner)
// ---------------------------------------------------------------------------

// lineScanner tracks bracket depth, open strings and backslash continuation
// across physical lines.
type lineScanner struct {
	depth  int
	quote  byte // open string quote character, 0 if none
	triple bool
	cont   bool
}

func (s *lineScanner) atLogicalStart() bool {
	return s.depth == 0 && s.quote == 0 && !s.cont
}

func (s *lineScanner) inString() bool { return s.quote != 0 }

// scan updates the state and appends to buf the line with string contents
// replaced by 'S' (byte for byte) and the comment removed.
func (s *lineScanner) scan(line string, buf []byte) []byte {
	q, triple := s.quote, s.triple
	n := len(line)
	for i := 0; i < n; {
		ch := line[i]
		if q != 0 {
			if ch == '\\' {
				// the backslash and the next character
				w := 1
				if i+1 < n {
					_, w2 := utf8.DecodeRuneInString(line[i+1:])
					w += w2
				}
				for x := 0; x < w; x++ {
					buf = append(buf, 'S')
				}
				i += w
				continue
			}
			if ch == q && (!triple || (i+2 < n && line[i+1] == q && line[i+2] == q)) {
				if triple {
					buf = append(buf, q, q, q)
					i += 3
				} else {
					buf = append(buf, q)
					i++
				}
				q, triple = 0, false
				continue
			}
			buf = append(buf, 'S')
			i++
			continue
		}
		if ch == '#' {
			break
		}
		if ch == '\'' || ch == '"' {
			q = ch
			if i+2 < n && line[i+1] == ch && line[i+2] == ch {
				triple = true
				buf = append(buf, ch, ch, ch)
				i += 3
			} else {
				triple = false
				buf = append(buf, ch)
				i++
			}
			continue
		}
		switch ch {
		case '(', '[', '{':
			s.depth++
		case ')', ']', '}':
			if s.depth > 0 {
				s.depth--
			}
		}
		buf = append(buf, ch)
		i++
	}
	endsBS := n > 0 && line[n-1] == '\\'
	if q != 0 && !triple && !endsBS {
		q = 0 // unterminated single-quoted string: a syntax error anyway
	}
	s.quote, s.triple = q, triple
	s.cont = q == 0 && endsBS && len(buf) > 0 && buf[len(buf)-1] == '\\'
	return buf
}

// findAssign is the index of the first top-level plain '=' in masked code,
// or -1 (oracle _find_assign, including its quirks: depth may go negative,
// a '=' at index 0 counts as preceded by an operator).
func findAssign(code []byte) int {
	depth := 0
	for i, ch := range code {
		switch ch {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		case '=':
			if depth != 0 {
				continue
			}
			nxtEq := i+1 < len(code) && code[i+1] == '='
			prvOp := i == 0 || strings.IndexByte("=<>!+-*/%&|^@:", code[i-1]) >= 0
			if nxtEq || prvOp {
				if nxtEq {
					return -1 // comparison before any assignment
				}
				continue
			}
			return i
		}
	}
	return -1
}

// stripOpts removes leading getopt-style -x options from a magic argument
// string (oracle _strip_opts); the result is a suffix of rest.
func stripOpts(rest, withArg, noArg string) string {
	toks := rest
	for {
		t := pyLstrip(toks)
		if !strings.HasPrefix(t, "-") {
			return t
		}
		// -(\w)(\S*)\s*
		r, w := utf8.DecodeRuneInString(t[1:])
		if w == 0 || !isPyWordRune(r) {
			return t
		}
		opt := t[1 : 1+w]
		e := 1 + w
		vStart := e
		for e < len(t) {
			r2, w2 := utf8.DecodeRuneInString(t[e:])
			if isPySpace(r2) {
				break
			}
			e += w2
		}
		hasVal := e > vStart
		e = skipPySpace(t, e)
		switch {
		case len(opt) == 1 && strings.Contains(withArg, opt):
			if hasVal {
				toks = t[e:]
			} else {
				t2 := t[e:]
				if t2 == "" {
					toks = ""
				} else {
					// \S+\s*
					f := 0
					for f < len(t2) {
						r2, w2 := utf8.DecodeRuneInString(t2[f:])
						if isPySpace(r2) {
							break
						}
						f += w2
					}
					toks = t2[skipPySpace(t2, f):]
				}
			}
		case len(opt) == 1 && strings.Contains(noArg, opt):
			toks = t[e:]
		default:
			return t
		}
	}
}

// ---------------------------------------------------------------------------
// prompts and whitespace (Python str semantics)
// ---------------------------------------------------------------------------

func spaceTabPrefix(l string) string {
	i := 0
	for i < len(l) && (l[i] == ' ' || l[i] == '\t') {
		i++
	}
	return l[:i]
}

// hasDoctestPrompt matches `>>>( |$)`.
func hasDoctestPrompt(l string) bool {
	return l == ">>>" || strings.HasPrefix(l, ">>> ")
}

// doctestPromptLen is the length of a `^(>>>|\.\.\.)( |$)` prefix, or 0.
func doctestPromptLen(l string) int {
	if strings.HasPrefix(l, ">>>") || strings.HasPrefix(l, "...") {
		if len(l) == 3 {
			return 3
		}
		if l[3] == ' ' {
			return 4
		}
	}
	return 0
}

// ipythonInPromptLen is the length of an `In \[\d+\]: ` prefix, or -1.
func ipythonInPromptLen(l string) int {
	if !strings.HasPrefix(l, "In [") {
		return -1
	}
	i := 4
	j := i
	for j < len(l) {
		r, w := utf8.DecodeRuneInString(l[j:])
		if !unicode.IsDigit(r) {
			break
		}
		j += w
	}
	if j == i || !strings.HasPrefix(l[j:], "]: ") {
		return -1
	}
	return j + 3
}

// ipythonContPromptLen is the length of a `\s*\.{3,}: ?` prefix, or -1.
func ipythonContPromptLen(l string) int {
	i := skipPySpace(l, 0)
	j := i
	for j < len(l) && l[j] == '.' {
		j++
	}
	if j-i < 3 || j >= len(l) || l[j] != ':' {
		return -1
	}
	j++
	if j < len(l) && l[j] == ' ' {
		j++
	}
	return j
}

// isPySpace reports str.isspace() for one rune.
func isPySpace(r rune) bool {
	switch {
	case r == ' ' || (r >= '\t' && r <= '\r') || (r >= 0x1c && r <= 0x1f):
		return true
	case r < 0x80:
		return false
	case r == utf8.RuneError:
		return false
	}
	return unicode.IsSpace(r)
}

// isPyWordRune is Python's re \w for str patterns.
func isPyWordRune(r rune) bool {
	if r < 0x80 {
		return r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
	}
	if r == utf8.RuneError {
		return false
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

func isASCIIIdentStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// isPyIdent matches `[A-Za-z_]\w*` in full.
func isPyIdent(s string) bool {
	if s == "" || !isASCIIIdentStart(s[0]) {
		return false
	}
	for _, r := range s[1:] {
		if !isPyWordRune(r) {
			return false
		}
	}
	return true
}

func skipPySpace(s string, i int) int {
	for i < len(s) {
		c := s[i]
		if c < 0x80 {
			if c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f) {
				i++
				continue
			}
			return i
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if !isPySpace(r) {
			return i
		}
		i += w
	}
	return i
}

func pyLstrip(s string) string { return s[skipPySpace(s, 0):] }

func pyRstrip(s string) string {
	for len(s) > 0 {
		c := s[len(s)-1]
		if c < 0x80 {
			if c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f) {
				s = s[:len(s)-1]
				continue
			}
			return s
		}
		r, w := utf8.DecodeLastRuneInString(s)
		if !isPySpace(r) {
			return s
		}
		s = s[:len(s)-w]
	}
	return s
}

func pyRstripBytes(s []byte) []byte {
	for len(s) > 0 {
		c := s[len(s)-1]
		if c < 0x80 {
			if c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f) {
				s = s[:len(s)-1]
				continue
			}
			return s
		}
		r, w := utf8.DecodeLastRune(s)
		if !isPySpace(r) {
			return s
		}
		s = s[:len(s)-w]
	}
	return s
}

func pyStrip(s string) string { return pyRstrip(pyLstrip(s)) }

func pyBlank(s string) bool { return skipPySpace(s, 0) == len(s) }

// pyFields is str.split() with no arguments.
func pyFields(s string) []string {
	var out []string
	i := skipPySpace(s, 0)
	for i < len(s) {
		j := i
		for j < len(s) {
			r, w := utf8.DecodeRuneInString(s[j:])
			if isPySpace(r) {
				break
			}
			j += w
		}
		out = append(out, s[i:j])
		i = skipPySpace(s, j)
	}
	return out
}

func firstPyField(s string) string {
	s = pyLstrip(s)
	for j := 0; j < len(s); {
		r, w := utf8.DecodeRuneInString(s[j:])
		if isPySpace(r) {
			return s[:j]
		}
		j += w
	}
	return s
}

func dedupeNames(names []string) []string {
	if len(names) == 0 {
		return nil
	}
	out := make([]string, 0, len(names))
	if len(names) <= 16 {
		for _, n := range names {
			dup := false
			for _, o := range out {
				if o == n {
					dup = true
					break
				}
			}
			if !dup {
				out = append(out, n)
			}
		}
		return out
	}
	seen := make(map[string]struct{}, len(names))
	for _, n := range names {
		if _, dup := seen[n]; !dup {
			seen[n] = struct{}{}
			out = append(out, n)
		}
	}
	return out
}

// ---------------------------------------------------------------------------
// IPython variable expansion (oracle magic_var_uses)
// ---------------------------------------------------------------------------

// magicVarUses returns the names of `$name` (not `$$`) references, then the
// Name nodes of every `{expr}` (not `{{`/`}}`) that parses as a Python
// expression, in ast.walk order. Duplicates are kept.
func magicVarUses(text string) []string {
	var names []string
	// (?<!\$)\$(?!\$)([A-Za-z_]\w*)
	for i := 0; i < len(text); i++ {
		if text[i] != '$' || (i > 0 && text[i-1] == '$') || i+1 >= len(text) || !isASCIIIdentStart(text[i+1]) {
			continue
		}
		j := i + 2
		for j < len(text) {
			r, w := utf8.DecodeRuneInString(text[j:])
			if !isPyWordRune(r) {
				break
			}
			j += w
		}
		names = append(names, text[i+1:j])
		i = j - 1
	}
	// (?<!\{)\{([^{}]+)\}(?!\})
	for i := 0; i < len(text); {
		if text[i] != '{' || (i > 0 && text[i-1] == '{') {
			i++
			continue
		}
		j := i + 1
		for j < len(text) && text[j] != '{' && text[j] != '}' {
			j++
		}
		if j == i+1 || j >= len(text) || text[j] != '}' || (j+1 < len(text) && text[j+1] == '}') {
			if j == i+1 {
				i++
			} else {
				i = j
			}
			continue
		}
		if ns, ok := exprNames(pyStrip(text[i+1 : j])); ok {
			names = append(names, ns...)
		}
		i = j + 1
	}
	return names
}

// ---------------------------------------------------------------------------
// Python expression names (ast.parse(s, mode="eval") + ast.walk)
// ---------------------------------------------------------------------------
//
// The text of a {expr} group never contains braces, so dict/set displays and
// f-string replacement fields cannot occur; what remains is a small
// recursive-descent parser for CPython 3.11's expression grammar that builds
// a tree mirroring the ast node shapes (field order), so that a breadth-
// first walk yields Name nodes in ast.walk order.

type exprKind uint8

const (
	ekOther exprKind = iota
	ekName
	ekAttr
	ekSubscript
	ekStarred
	ekTuple
	ekList
	ekNamedExpr
	ekGenExp
)

type exprNode struct {
	kind  exprKind
	paren bool
	name  string
	kids  []*exprNode
}

func mkExpr(kind exprKind, kids ...*exprNode) *exprNode {
	n := &exprNode{kind: kind}
	for _, k := range kids {
		if k != nil {
			n.kids = append(n.kids, k)
		}
	}
	return n
}

type exprTokKind uint8

const (
	etkEOF exprTokKind = iota
	etkName
	etkKeyword
	etkNumber
	etkString
	etkOp
)

type exprToken struct {
	kind  exprTokKind
	text  string
	bytes bool // bytes literal
}

var exprKeywords = map[string]bool{
	"False": true, "None": true, "True": true, "and": true, "as": true, "assert": true,
	"async": true, "await": true, "break": true, "class": true, "continue": true,
	"def": true, "del": true, "elif": true, "else": true, "except": true,
	"finally": true, "for": true, "from": true, "global": true, "if": true,
	"import": true, "in": true, "is": true, "lambda": true, "nonlocal": true,
	"not": true, "or": true, "pass": true, "raise": true, "return": true,
	"try": true, "while": true, "with": true, "yield": true,
}

type exprSyntaxError struct{}

// exprNames returns the Name ids of s parsed as a Python expression, in
// ast.walk (breadth-first) order; ok is false when s does not parse.
func exprNames(s string) (names []string, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			names, ok = nil, false
		}
	}()
	toks, ok := tokenizeExpr(s)
	if !ok {
		return nil, false
	}
	p := &exprParser{toks: toks}
	root := p.evalInput()
	queue := []*exprNode{root}
	for i := 0; i < len(queue); i++ {
		n := queue[i]
		if n.kind == ekName {
			names = append(names, n.name)
		}
		queue = append(queue, n.kids...)
	}
	return names, true
}

const maxExprNesting = 200 // CPython's tokenizer limit for brackets

func isPyIdentStart(r rune) bool {
	if r < 0x80 {
		return isASCIIIdentStart(byte(r))
	}
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.Is(unicode.Nl, r))
}

func isPyIdentCont(r rune) bool {
	if r < 0x80 {
		return isASCIIIdentStart(byte(r)) || (r >= '0' && r <= '9')
	}
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.In(r, unicode.Nl, unicode.Mn, unicode.Mc, unicode.Pc))
}

func tokenizeExpr(s string) ([]exprToken, bool) {
	var toks []exprToken
	level := 0
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\f':
			i++
			continue
		case c == '#':
			i = len(s)
			continue
		case c >= '0' && c <= '9', c == '.' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			e, ok := exprScanNumber(s, i)
			if !ok {
				return nil, false
			}
			toks = append(toks, exprToken{kind: etkNumber, text: s[i:e]})
			i = e
			continue
		case c == '\'' || c == '"':
			e, ok := exprScanString(s, i, false, false)
			if !ok {
				return nil, false
			}
			toks = append(toks, exprToken{kind: etkString, text: s[i:e]})
			i = e
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if isPyIdentStart(r) {
			j := i + w
			for j < len(s) {
				r2, w2 := utf8.DecodeRuneInString(s[j:])
				if !isPyIdentCont(r2) {
					break
				}
				j += w2
			}
			word := s[i:j]
			if j < len(s) && (s[j] == '\'' || s[j] == '"') {
				if raw, isBytes, ok := exprStringPrefix(word); ok {
					e, ok := exprScanString(s, j, raw, isBytes)
					if !ok {
						return nil, false
					}
					toks = append(toks, exprToken{kind: etkString, text: s[i:e], bytes: isBytes})
					i = e
					continue
				}
			}
			kind := etkName
			if exprKeywords[word] {
				kind = etkKeyword
			}
			toks = append(toks, exprToken{kind: kind, text: word})
			i = j
			continue
		}
		op := exprScanOp(s, i)
		if op == "" {
			return nil, false // $, ?, !, `, \, non-printable, ...
		}
		switch op {
		case "(", "[", "{":
			level++
			if level > maxExprNesting {
				return nil, false
			}
		case ")", "]", "}":
			level--
		}
		toks = append(toks, exprToken{kind: etkOp, text: op})
		i += len(op)
	}
	return append(toks, exprToken{kind: etkEOF}), true
}

func exprStringPrefix(w string) (raw, isBytes, ok bool) {
	if len(w) > 2 {
		return false, false, false
	}
	var r, b, f, u int
	for i := 0; i < len(w); i++ {
		switch w[i] {
		case 'r', 'R':
			r++
		case 'b', 'B':
			b++
		case 'f', 'F':
			f++
		case 'u', 'U':
			u++
		default:
			return false, false, false
		}
	}
	if r > 1 || b > 1 || f > 1 || u > 1 || (u == 1 && len(w) > 1) || (b == 1 && f == 1) {
		return false, false, false
	}
	return r == 1, b == 1, true
}

func isHexByte(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// exprScanString scans a string literal whose quote is at s[i]; it returns the
// end offset.
func exprScanString(s string, i int, raw, isBytes bool) (int, bool) {
	q := s[i]
	triple := i+2 < len(s) && s[i+1] == q && s[i+2] == q
	if triple {
		i += 3
	} else {
		i++
	}
	for i < len(s) {
		c := s[i]
		if c >= 0x80 && isBytes {
			return 0, false // bytes can only contain ASCII literal characters
		}
		if c == '\\' {
			if i+1 >= len(s) {
				return 0, false
			}
			if !raw {
				need := 0
				switch s[i+1] {
				case 'x':
					need = 2
				case 'u':
					if !isBytes {
						need = 4
					}
				case 'U':
					if !isBytes {
						need = 8
					}
				case 'N':
					if !isBytes {
						return 0, false // \N{...} needs braces, which cannot occur here
					}
				}
				for k := 0; k < need; k++ {
					if i+2+k >= len(s) || !isHexByte(s[i+2+k]) {
						return 0, false
					}
				}
				if need == 8 && strings.ToLower(s[i+2:i+10]) > "0010ffff" {
					return 0, false
				}
			}
			_, w := utf8.DecodeRuneInString(s[i+1:])
			i += 1 + w
			continue
		}
		if c == q {
			if !triple {
				return i + 1, true
			}
			if i+2 < len(s) && s[i+1] == q && s[i+2] == q {
				return i + 3, true
			}
		}
		i++
	}
	return 0, false
}

// exprScanNumber scans a numeric literal at s[i] (CPython 3.11 tokenizer rules,
// simplified); it returns the end offset.
func exprScanNumber(s string, i int) (int, bool) {
	digits := func(j int, ok func(byte) bool) (int, bool) {
		// digit (_? digit)*
		if j >= len(s) || !ok(s[j]) {
			return j, false
		}
		for j < len(s) {
			if ok(s[j]) {
				j++
				continue
			}
			if s[j] == '_' && j+1 < len(s) && ok(s[j+1]) {
				j += 2
				continue
			}
			break
		}
		return j, true
	}
	dec := func(c byte) bool { return c >= '0' && c <= '9' }
	j := i
	if s[i] == '0' && i+1 < len(s) && strings.IndexByte("xXoObB", s[i+1]) >= 0 {
		var ok func(byte) bool
		switch s[i+1] {
		case 'x', 'X':
			ok = isHexByte
		case 'o', 'O':
			ok = func(c byte) bool { return c >= '0' && c <= '7' }
		default:
			ok = func(c byte) bool { return c == '0' || c == '1' }
		}
		j = i + 2
		if j < len(s) && s[j] == '_' {
			j++
		}
		var good bool
		if j, good = digits(j, ok); !good {
			return 0, false
		}
		if j < len(s) && (dec(s[j]) || s[j] == '_') {
			return 0, false
		}
		return exprEndOfNumber(s, j)
	}
	if s[j] != '.' {
		start := j
		j, _ = digits(j, dec)
		intPart := s[start:j]
		if j < len(s) && s[j] == '_' {
			return 0, false
		}
		if j < len(s) && s[j] == '.' {
			j++
			if j < len(s) && dec(s[j]) {
				j, _ = digits(j, dec)
			}
		} else if len(intPart) > 1 && intPart[0] == '0' && strings.Trim(intPart, "0_") != "" &&
			!(j < len(s) && strings.IndexByte("eEjJ", s[j]) >= 0) {
			return 0, false // leading zeros in decimal integer literals
		}
	} else {
		j, _ = digits(j+1, dec)
	}
	if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
		k := j + 1
		if k < len(s) && (s[k] == '+' || s[k] == '-') {
			k++
			if k >= len(s) || !dec(s[k]) {
				return 0, false
			}
		}
		if k < len(s) && dec(s[k]) {
			j, _ = digits(k, dec)
		} else if !strings.HasPrefix(s[j:], "else") {
			return 0, false
		} else {
			return j, true
		}
	}
	if j < len(s) && (s[j] == 'j' || s[j] == 'J') {
		j++
	}
	return exprEndOfNumber(s, j)
}

// exprEndOfNumber rejects a number glued to a name, except the keywords the 3.11
// tokenizer tolerates (with a warning).
func exprEndOfNumber(s string, j int) (int, bool) {
	if j >= len(s) {
		return j, true
	}
	r, _ := utf8.DecodeRuneInString(s[j:])
	if !isPyIdentCont(r) {
		return j, true
	}
	for _, kw := range []string{"and", "else", "for", "if", "in", "is", "not", "or"} {
		if strings.HasPrefix(s[j:], kw) {
			return j, true
		}
	}
	return 0, false
}

var exprOps3 = []string{"**=", "//=", ">>=", "<<=", "..."}
var exprOps2 = []string{"!=", "%=", "&=", "**", "*=", "+=", "-=", "->", "//", "/=", ":=", "<<", "<=", "<>", "==", ">=", ">>", "@=", "^=", "|="}

func exprScanOp(s string, i int) string {
	for _, op := range exprOps3 {
		if strings.HasPrefix(s[i:], op) {
			return op
		}
	}
	for _, op := range exprOps2 {
		if strings.HasPrefix(s[i:], op) {
			return op
		}
	}
	if strings.IndexByte("()[]{},:.;@=+-*/%&|^~<>", s[i]) >= 0 {
		return s[i : i+1]
	}
	return ""
}

type exprParser struct {
	toks  []exprToken
	pos   int
	depth int
}

func (p *exprParser) fail() { panic(exprSyntaxError{}) }

func (p *exprParser) tok() exprToken { return p.toks[p.pos] }

func (p *exprParser) next() exprToken {
	t := p.toks[p.pos]
	if p.pos < len(p.toks)-1 {
		p.pos++
	}
	return t
}

func (p *exprParser) peekAt(k int) exprToken {
	if p.pos+k < len(p.toks) {
		return p.toks[p.pos+k]
	}
	return exprToken{kind: etkEOF}
}

func (p *exprParser) isOp(s string) bool {
	t := p.tok()
	return t.kind == etkOp && t.text == s
}

func (p *exprParser) isKw(s string) bool {
	t := p.tok()
	return t.kind == etkKeyword && t.text == s
}

func (p *exprParser) expectOp(s string) {
	if !p.isOp(s) {
		p.fail()
	}
	p.next()
}

func (p *exprParser) enter() {
	p.depth++
	if p.depth > 1000 {
		p.fail()
	}
}

func (p *exprParser) leave() { p.depth-- }

// evalInput: expressions NEWLINE* ENDMARKER
func (p *exprParser) evalInput() *exprNode {
	e := p.expression()
	if p.isOp(",") {
		elts := []*exprNode{e}
		for p.isOp(",") {
			p.next()
			if p.tok().kind == etkEOF {
				break
			}
			elts = append(elts, p.expression())
		}
		e = mkExpr(ekTuple, elts...)
	}
	if p.tok().kind != etkEOF {
		p.fail()
	}
	return e
}

func (p *exprParser) expression() *exprNode {
	p.enter()
	defer p.leave()
	if p.isKw("lambda") {
		return p.lambdef()
	}
	d := p.disjunction()
	if p.isKw("if") {
		p.next()
		test := p.disjunction()
		if !p.isKw("else") {
			p.fail()
		}
		p.next()
		orelse := p.expression()
		return mkExpr(ekOther, test, d, orelse)
	}
	return d
}

func (p *exprParser) boolChain(kw string, sub func() *exprNode) *exprNode {
	a := sub()
	if !p.isKw(kw) {
		return a
	}
	kids := []*exprNode{a}
	for p.isKw(kw) {
		p.next()
		kids = append(kids, sub())
	}
	return mkExpr(ekOther, kids...)
}

func (p *exprParser) disjunction() *exprNode { return p.boolChain("or", p.conjunction) }
func (p *exprParser) conjunction() *exprNode { return p.boolChain("and", p.inversion) }

func (p *exprParser) inversion() *exprNode {
	if p.isKw("not") {
		p.enter()
		defer p.leave()
		p.next()
		return mkExpr(ekOther, p.inversion())
	}
	return p.comparison()
}

func (p *exprParser) compOp() bool {
	t := p.tok()
	switch {
	case t.kind == etkOp:
		switch t.text {
		case "==", "!=", "<", "<=", ">", ">=":
			p.next()
			return true
		}
	case t.kind == etkKeyword:
		switch t.text {
		case "in":
			p.next()
			return true
		case "not":
			if n := p.peekAt(1); n.kind == etkKeyword && n.text == "in" {
				p.next()
				p.next()
				return true
			}
		case "is":
			p.next()
			if p.isKw("not") {
				p.next()
			}
			return true
		}
	}
	return false
}

func (p *exprParser) comparison() *exprNode {
	a := p.bitwiseOr()
	var kids []*exprNode
	for p.compOp() {
		kids = append(kids, p.bitwiseOr())
	}
	if kids == nil {
		return a
	}
	return mkExpr(ekOther, append([]*exprNode{a}, kids...)...)
}

func (p *exprParser) binary(ops []string, sub func() *exprNode) *exprNode {
	a := sub()
	for {
		t := p.tok()
		found := false
		if t.kind == etkOp {
			for _, o := range ops {
				if t.text == o {
					found = true
					break
				}
			}
		}
		if !found {
			return a
		}
		p.next()
		a = mkExpr(ekOther, a, sub())
	}
}

func (p *exprParser) bitwiseOr() *exprNode  { return p.binary([]string{"|"}, p.bitwiseXor) }
func (p *exprParser) bitwiseXor() *exprNode { return p.binary([]string{"^"}, p.bitwiseAnd) }
func (p *exprParser) bitwiseAnd() *exprNode { return p.binary([]string{"&"}, p.shiftExpr) }
func (p *exprParser) shiftExpr() *exprNode  { return p.binary([]string{"<<", ">>"}, p.sum) }
func (p *exprParser) sum() *exprNode        { return p.binary([]string{"+", "-"}, p.term) }
func (p *exprParser) term() *exprNode {
	return p.binary([]string{"*", "/", "//", "%", "@"}, p.factor)
}

func (p *exprParser) factor() *exprNode {
	if p.isOp("+") || p.isOp("-") || p.isOp("~") {
		p.enter()
		defer p.leave()
		p.next()
		return mkExpr(ekOther, p.factor())
	}
	return p.power()
}

func (p *exprParser) power() *exprNode {
	var a *exprNode
	if p.isKw("await") {
		p.next()
		a = mkExpr(ekOther, p.primary())
	} else {
		a = p.primary()
	}
	if p.isOp("**") {
		p.enter()
		defer p.leave()
		p.next()
		return mkExpr(ekOther, a, p.factor())
	}
	return a
}

func (p *exprParser) primary() *exprNode {
	a := p.atom()
	for {
		switch {
		case p.isOp("."):
			p.next()
			if p.tok().kind != etkName {
				p.fail()
			}
			p.next()
			a = mkExpr(ekAttr, a)
		case p.isOp("("):
			a = p.call(a)
		case p.isOp("["):
			p.next()
			s := p.slices()
			p.expectOp("]")
			a = mkExpr(ekSubscript, a, s)
		default:
			return a
		}
	}
}

func (p *exprParser) atom() *exprNode {
	p.enter()
	defer p.leave()
	t := p.tok()
	switch t.kind {
	case etkName:
		p.next()
		return &exprNode{kind: ekName, name: t.text}
	case etkNumber:
		p.next()
		return mkExpr(ekOther)
	case etkString:
		isBytes := t.bytes
		for p.tok().kind == etkString {
			if p.tok().bytes != isBytes {
				p.fail() // cannot mix bytes and nonbytes literals
			}
			p.next()
		}
		return mkExpr(ekOther)
	case etkKeyword:
		switch t.text {
		case "True", "False", "None":
			p.next()
			return mkExpr(ekOther)
		}
	case etkOp:
		switch t.text {
		case "...":
			p.next()
			return mkExpr(ekOther)
		case "(":
			return p.parenAtom()
		case "[":
			return p.listAtom()
		}
	}
	p.fail()
	return nil
}

func (p *exprParser) atCompFor() bool {
	if p.isKw("for") {
		return true
	}
	if p.isKw("async") {
		n := p.peekAt(1)
		return n.kind == etkKeyword && n.text == "for"
	}
	return false
}

func (p *exprParser) parenAtom() *exprNode {
	p.next() // (
	if p.isOp(")") {
		p.next()
		return mkExpr(ekTuple)
	}
	if p.isKw("yield") {
		y := p.yieldExpr()
		p.expectOp(")")
		return y
	}
	first := p.starNamedExpr()
	if p.atCompFor() {
		if first.kind == ekStarred {
			p.fail()
		}
		g := mkExpr(ekGenExp, append([]*exprNode{first}, p.forIfClauses()...)...)
		g.paren = true
		p.expectOp(")")
		return g
	}
	if p.isOp(",") {
		elts := []*exprNode{first}
		for p.isOp(",") {
			p.next()
			if p.isOp(")") {
				break
			}
			elts = append(elts, p.starNamedExpr())
		}
		p.expectOp(")")
		return mkExpr(ekTuple, elts...)
	}
	p.expectOp(")")
	if first.kind == ekStarred {
		p.fail() // cannot use starred expression here
	}
	first.paren = true
	return first
}

func (p *exprParser) listAtom() *exprNode {
	p.next() // [
	if p.isOp("]") {
		p.next()
		return mkExpr(ekList)
	}
	first := p.starNamedExpr()
	if p.atCompFor() {
		if first.kind == ekStarred {
			p.fail()
		}
		c := mkExpr(ekOther, append([]*exprNode{first}, p.forIfClauses()...)...)
		p.expectOp("]")
		return c
	}
	elts := []*exprNode{first}
	for p.isOp(",") {
		p.next()
		if p.isOp("]") {
			break
		}
		elts = append(elts, p.starNamedExpr())
	}
	p.expectOp("]")
	return mkExpr(ekList, elts...)
}

func (p *exprParser) starNamedExpr() *exprNode {
	if p.isOp("*") {
		p.next()
		return mkExpr(ekStarred, p.bitwiseOr())
	}
	return p.namedExpr()
}

func (p *exprParser) namedExpr() *exprNode {
	if t := p.tok(); t.kind == etkName {
		if n := p.peekAt(1); n.kind == etkOp && n.text == ":=" {
			p.next()
			p.next()
			return mkExpr(ekNamedExpr, &exprNode{kind: ekName, name: t.text}, p.expression())
		}
	}
	e := p.expression()
	if p.isOp(":=") {
		p.fail()
	}
	return e
}

func (p *exprParser) forIfClauses() []*exprNode {
	var gens []*exprNode
	for p.atCompFor() {
		if p.isKw("async") {
			p.next()
		}
		p.next() // for
		target := p.starTargets()
		if !p.isKw("in") {
			p.fail()
		}
		p.next()
		kids := []*exprNode{target, p.disjunction()}
		for p.isKw("if") {
			p.next()
			kids = append(kids, p.disjunction())
		}
		gens = append(gens, mkExpr(ekOther, kids...))
	}
	return gens
}

func (p *exprParser) starTargets() *exprNode {
	t := p.starTarget()
	if !p.isOp(",") {
		return t
	}
	elts := []*exprNode{t}
	for p.isOp(",") {
		p.next()
		if p.isKw("in") {
			break
		}
		elts = append(elts, p.starTarget())
	}
	return mkExpr(ekTuple, elts...)
}

func (p *exprParser) starTarget() *exprNode {
	p.enter()
	defer p.leave()
	if p.isOp("*") {
		p.next()
		if p.isOp("*") {
			p.fail()
		}
		return mkExpr(ekStarred, p.starTarget())
	}
	t := p.primary()
	if !validTarget(t) {
		p.fail()
	}
	return t
}

func validTarget(n *exprNode) bool {
	switch n.kind {
	case ekName, ekAttr, ekSubscript:
		return true
	case ekStarred:
		return validTarget(n.kids[0])
	case ekTuple, ekList:
		for _, k := range n.kids {
			if !validTarget(k) {
				return false
			}
		}
		return true
	}
	return false
}

func (p *exprParser) call(fn *exprNode) *exprNode {
	p.next() // (
	var args, kws []*exprNode
	seenKw, seenDStar := false, false
	for !p.isOp(")") {
		switch {
		case p.isOp("*"):
			p.next()
			if seenDStar {
				p.fail()
			}
			args = append(args, mkExpr(ekStarred, p.expression()))
		case p.isOp("**"):
			p.next()
			kws = append(kws, mkExpr(ekOther, p.expression()))
			seenDStar = true
		case p.tok().kind == etkName && p.peekAt(1).kind == etkOp && p.peekAt(1).text == "=":
			p.next()
			p.next()
			kws = append(kws, mkExpr(ekOther, p.expression()))
			seenKw = true
		default:
			e := p.namedExpr()
			if p.atCompFor() {
				e = mkExpr(ekGenExp, append([]*exprNode{e}, p.forIfClauses()...)...)
				if len(args) > 0 || len(kws) > 0 || !p.isOp(")") {
					p.fail() // generator expression must be parenthesized
				}
			}
			if seenKw || seenDStar || p.isOp("=") {
				p.fail()
			}
			args = append(args, e)
		}
		if !p.isOp(",") {
			break
		}
		p.next()
	}
	p.expectOp(")")
	kids := append([]*exprNode{fn}, args...)
	return mkExpr(ekOther, append(kids, kws...)...)
}

func (p *exprParser) slices() *exprNode {
	if p.isOp("]") {
		p.fail()
	}
	first := p.slice()
	if !p.isOp(",") {
		return first
	}
	elts := []*exprNode{first}
	for p.isOp(",") {
		p.next()
		if p.isOp("]") {
			break
		}
		elts = append(elts, p.slice())
	}
	return mkExpr(ekTuple, elts...)
}

func (p *exprParser) slice() *exprNode {
	if p.isOp("*") {
		p.next()
		return mkExpr(ekStarred, p.expression())
	}
	var lower *exprNode
	if !p.isOp(":") {
		e := p.namedExpr()
		if e.kind == ekNamedExpr && !e.paren || !p.isOp(":") {
			return e
		}
		lower = e
	}
	p.next() // :
	var upper, step *exprNode
	if !p.isOp(":") && !p.isOp("]") && !p.isOp(",") {
		upper = p.expression()
	}
	if p.isOp(":") {
		p.next()
		if !p.isOp("]") && !p.isOp(",") {
			step = p.expression()
		}
	}
	return mkExpr(ekOther, lower, upper, step)
}

func (p *exprParser) lambdef() *exprNode {
	p.next() // lambda
	var kwDefaults, defaults []*exprNode
	nParams, nKwOnly := 0, 0
	seenDefault, seenStar, bareStar, seenSlash, seenDStar := false, false, false, false, false
	for !p.isOp(":") {
		switch {
		case p.isOp("/"):
			if nParams == 0 || seenSlash || seenStar {
				p.fail()
			}
			seenSlash = true
			p.next()
		case p.isOp("*"):
			if seenStar {
				p.fail()
			}
			seenStar = true
			p.next()
			if p.tok().kind == etkName {
				p.next()
			} else {
				bareStar = true
			}
		case p.isOp("**"):
			p.next()
			if p.tok().kind != etkName {
				p.fail()
			}
			p.next()
			seenDStar = true
		case p.tok().kind == etkName:
			p.next()
			if seenStar {
				nKwOnly++
			} else {
				nParams++
			}
			if p.isOp("=") {
				p.next()
				d := p.expression()
				if seenStar {
					kwDefaults = append(kwDefaults, d)
				} else {
					defaults = append(defaults, d)
					seenDefault = true
				}
			} else if !seenStar && seenDefault {
				p.fail() // non-default argument follows default argument
			}
		default:
			p.fail()
		}
		if !p.isOp(",") {
			break
		}
		p.next()
		if seenDStar && !p.isOp(":") {
			p.fail()
		}
	}
	if bareStar && nKwOnly == 0 {
		p.fail() // named arguments must follow bare *
	}
	p.expectOp(":")
	args := mkExpr(ekOther, append(kwDefaults, defaults...)...)
	return mkExpr(ekOther, args, p.expression())
}

func (p *exprParser) yieldExpr() *exprNode {
	p.next() // yield
	if p.isKw("from") {
		p.next()
		return mkExpr(ekOther, p.expression())
	}
	if p.isOp(")") {
		return mkExpr(ekOther)
	}
	star := func() *exprNode {
		if p.isOp("*") {
			p.next()
			return mkExpr(ekStarred, p.bitwiseOr())
		}
		return p.expression()
	}
	v := star()
	if p.isOp(",") {
		elts := []*exprNode{v}
		for p.isOp(",") {
			p.next()
			if p.isOp(")") {
				break
			}
			elts = append(elts, star())
		}
		v = mkExpr(ekTuple, elts...)
	}
	return mkExpr(ekOther, v)
}
