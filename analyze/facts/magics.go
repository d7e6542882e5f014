package facts

import (
	"strings"
	"unicode/utf8"

	ps "github.com/nbprod/nbprod/analyze/pysyntax"
)

// MagicClass is the class of an IPython construct in the magic translation
// table (RULES.md §5.3): what the emitter does with it.
type MagicClass string

const (
	// MagicRemovable constructs only affect the interactive session
	// (%matplotlib inline, %time, %%capture, obj?): the emitter drops the
	// line, or the wrapper around a body it keeps.
	MagicRemovable MagicClass = "removable"
	// MagicTranslatable constructs have a plain-Python equivalent (%cd →
	// os.chdir, %env → os.environ, %%writefile → a package asset, %pip →
	// requirements, !cmd → subprocess.run).
	MagicTranslatable MagicClass = "translatable"
	// MagicBlocker constructs cannot be translated (%load, %edit, %rerun,
	// unknown custom magics, get_ipython().events): rewrite by hand.
	MagicBlocker MagicClass = "blocker"
)

// Translation classes (MagicFact.Translation).
const (
	TrBackend   = "backend"     // %matplotlib, %pylab: set the Agg backend if plotting is kept
	TrExtension = "extension"   // %load_ext, %autoreload, %reload_ext
	TrSession   = "session"     // %config, %precision, %xmode, %pdb, %who, %history, %reset …
	TrTiming    = "timing"      // %time, %timeit, %prun, %%time, %%timeit: keep the statement or body
	TrCapture   = "capture"     // %%capture [var]: keep the body
	TrDisplay   = "display"     // %%html, %%javascript, %%latex, %%markdown, %%svg, %tensorboard
	TrHelp      = "help"        // obj?, ?obj, %pinfo
	TrPlatform  = "platform"    // %tensorflow_version (Colab)
	TrPip       = "pip-install" // %pip install, !pip install, pip automagic
	TrConda     = "conda-install"
	TrApt       = "apt-install" // !apt-get install: goes to the Dockerfile
	TrCd        = "cd"          // %cd, %pushd, %popd → os.chdir
	TrEnv       = "env"         // %env K=V, %set_env → os.environ
	TrWritefile = "writefile"   // %%writefile P, %%file P → a package asset
	TrRun       = "run"         // %run file.py / nb.ipynb
	TrStore     = "store"       // %store x / %store -r x
	TrSQL       = "sql"         // %sql, %%sql, %%bigquery
	TrBash      = "bash"        // %%bash, %%sh, %%script bash|sh
	TrScript    = "script"      // %%python3, %%perl, %%ruby, %%script <other>
	TrShell     = "shell"       // !cmd, x = !cmd, %sx, %system, shell aliases (%ls, %mkdir …)
	TrDel       = "del"         // %xdel x
	TrCwd       = "cwd"         // x = %pwd → os.getcwd()
	TrAutocall  = "autocall"    // /f x → f(x)
	TrIPython   = "ipython-check"
	TrUnknown   = "unknown" // blocker: no translation
)

// MagicFact is one IPython construct of a code cell, classified by the
// magic translation table (RULES.md §5.3). The emitter removes or
// translates each one according to Class and Translation.
type MagicFact struct {
	Cell int // cell index
	// Line/Col and EndLine/EndCol delimit the construct in the cell source
	// (1-based, columns in code points, end exclusive). A cell magic spans
	// only its first line here; its body runs to BodyEnd.
	Line, Col, EndLine, EndCol int
	// BodyEnd is the last line of a cell magic's body (0 otherwise).
	BodyEnd int
	// Kind is "line-magic", "cell-magic", "shell", "shell-assign",
	// "magic-assign", "automagic", "help", "autocall", or "get_ipython"
	// for get_ipython().run_line_magic/run_cell_magic/system/getoutput and
	// other direct get_ipython() use.
	Kind string
	// Name is the magic name without % ("matplotlib", "writefile"), or for
	// shell escapes the first word of the command ("pip", "wget").
	Name string
	// Args are the arguments as written (for shell escapes the whole
	// command after "!"); a trailing "# comment" is dropped.
	Args string
	// Target is the assigned name of `x = !cmd`, `x = %magic` or
	// `%%capture x`.
	Target string
	// Text is the construct as written on its first line, trimmed
	// ("%matplotlib inline", "!pip install x", "%%writefile train.py").
	Text  string
	Class MagicClass
	// Translation is the translation class (the Tr* constants).
	Translation string
	// Shell is set for shell commands (!cmd, %sx, %system, shell aliases,
	// get_ipython().system): NB602's business.
	Shell bool
	// Informational is set for shell commands that only print something
	// (ls, pwd, nvidia-smi, pip list …): removed, never translated.
	Informational bool
	// KnownCommand is set for shell commands the emitter knows how to
	// translate (ls, mkdir, cp, mv, rm, unzip, tar, wget, curl, git clone,
	// nvidia-smi, pip, conda, apt-get); other commands fail at emit time.
	KnownCommand bool
	// Install is set for package installs (%pip install, !pip install,
	// !conda install, !apt-get install): NB603's business.
	Install bool
	// Note explains a blocker or a special case for messages.
	Note string
	// Node is the call node for Kind "get_ipython" (NoNode otherwise).
	Node ps.NodeID
}

var magicsKey = lazyKey{"magics"}

// Magics returns every IPython construct of the notebook's code cells, in
// cell and line order, classified by the magic translation table.
func (n *Notebook) Magics() []MagicFact {
	return lazy(n, &magicsKey, func() []MagicFact {
		var out []MagicFact
		for _, c := range n.Code() {
			out = append(out, cellMagics(n, c)...)
		}
		return out
	})
}

// MagicsIn returns the magic facts of one cell.
func (n *Notebook) MagicsIn(cell int) []MagicFact {
	ms := lazy(n, &magicsByCellKey, func() map[int][]MagicFact {
		m := map[int][]MagicFact{}
		for _, f := range n.Magics() {
			m[f.Cell] = append(m[f.Cell], f)
		}
		return m
	})[cell]
	return ms[:len(ms):len(ms)] // callers may append
}

var magicsByCellKey lazyKey

func cellMagics(n *Notebook, c *Cell) []MagicFact {
	var out []MagicFact
	lines := c.lines()
	for _, m := range c.Masked.Magics {
		if m.Kind == ps.Automagic && m.Name == "sc" && m.Args == "" {
			continue // a bare `sc`: the SparkContext of a Spark kernel, displayed
		}
		if m.Kind == ps.Autocall && !c.ParseOK {
			continue // `// comment` in a cell of another language (NB805's business)
		}
		f := MagicFact{Cell: c.Index, Line: m.Line, Kind: m.Kind.String(), Name: m.Name,
			Args: stripShellComment(m.Args), Target: m.Target, Node: ps.NoNode}
		text := ""
		if m.Line >= 1 && m.Line <= len(lines) {
			text = lines[m.Line-1]
		}
		f.Col = magicByteCol(text, m.Col-1)
		f.EndLine, f.EndCol = m.Line, utf8.RuneCountInString(strings.TrimRight(text, " \t"))+1
		if m.Kind != ps.CellMagic && m.EndLine > m.Line && m.EndLine <= len(lines) {
			f.EndLine = m.EndLine
			f.EndCol = utf8.RuneCountInString(strings.TrimRight(lines[m.EndLine-1], " \t")) + 1
		}
		if m.Kind == ps.CellMagic {
			f.BodyEnd = m.EndLine
		}
		if f.EndCol <= f.Col && f.EndLine == f.Line {
			f.EndCol = f.Col + 1
		}
		f.Text = strings.Join(strings.Fields(magicText(m, text)), " ")
		classifyMagic(&f, m.Kind, m.KeepsPython)
		if m.Kind == ps.CellMagic && (f.Translation == TrBash || f.Translation == TrShell) {
			// Install lines inside a %%bash body are installs of their own.
			out = append(out, f)
			out = append(out, bodyInstalls(c, m, lines)...)
			continue
		}
		out = append(out, f)
	}
	out = append(out, getIPythonMagics(n, c)...)
	sortMagicFacts(out)
	return out
}

func sortMagicFacts(fs []MagicFact) {
	for i := 1; i < len(fs); i++ {
		for j := i; j > 0 && (fs[j].Line < fs[j-1].Line || fs[j].Line == fs[j-1].Line && fs[j].Col < fs[j-1].Col); j-- {
			fs[j], fs[j-1] = fs[j-1], fs[j]
		}
	}
}

// byteToCol converts a 0-based byte offset in line to a 1-based code-point
// column.
func magicByteCol(line string, b int) int {
	if b < 0 {
		b = 0
	}
	if b > len(line) {
		return utf8.RuneCountInString(line) + 1 + (b - len(line))
	}
	return utf8.RuneCountInString(line[:b]) + 1
}

func magicText(m ps.Magic, line string) string {
	switch m.Kind {
	case ps.LineMagic:
		return strings.TrimSpace("%" + m.Name + " " + stripShellComment(m.Args))
	case ps.CellMagic:
		return strings.TrimSpace("%%" + m.Name + " " + stripShellComment(m.Args))
	case ps.ShellEscape:
		return "!" + magicFirstLine(stripShellComment(m.Args))
	case ps.ShellAssign:
		return m.Target + " = !" + magicFirstLine(stripShellComment(m.Args))
	case ps.MagicAssign:
		return strings.TrimSpace(m.Target + " = %" + m.Name + " " + stripShellComment(m.Args))
	}
	return strings.TrimSpace(stripShellComment(line))
}

func magicFirstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}

// stripShellComment drops a trailing " # comment" (outside quotes).
func stripShellComment(s string) string {
	var q byte
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case q != 0:
			if ch == q {
				q = 0
			} else if ch == '\\' && q == '"' {
				i++
			}
		case ch == '\'' || ch == '"':
			q = ch
		case ch == '\\':
			i++
		case ch == '#' && (i == 0 || s[i-1] == ' ' || s[i-1] == '\t'):
			return strings.TrimRight(s[:i], " \t")
		}
	}
	return strings.TrimSpace(s)
}

// Line magics and cell magics of the §5.3 table, by class.
var (
	removableMagics = map[string]string{
		"matplotlib": TrBackend, "pylab": TrBackend,
		"autoreload": TrExtension, "aimport": TrExtension, "reload_ext": TrExtension, "unload_ext": TrExtension,
		"config": TrSession, "precision": TrSession, "xmode": TrSession, "pdb": TrSession, "debug": TrSession,
		"who": TrSession, "whos": TrSession, "who_ls": TrSession, "lsmagic": TrSession, "pwd": TrSession,
		"history": TrSession, "hist": TrSession, "magic": TrSession, "quickref": TrSession, "colors": TrSession,
		"autosave": TrSession, "automagic": TrSession, "autocall": TrSession, "autoawait": TrSession,
		"doctest_mode": TrSession, "clear": TrSession, "dhist": TrSession, "dirs": TrSession, "page": TrSession,
		"pprint": TrSession, "logstart": TrSession, "logstop": TrSession, "logon": TrSession, "logoff": TrSession,
		"logstate": TrSession, "reset": TrSession, "reset_selective": TrSession, "gui": TrSession,
		"notebook": TrSession, "tb": TrSession, "code_wrap": TrSession, "watermark": TrSession,
		"time": TrTiming, "timeit": TrTiming, "prun": TrTiming, "memit": TrTiming, "mprun": TrTiming,
		"lprun": TrTiming, "capture": TrCapture,
		"html": TrDisplay, "HTML": TrDisplay, "javascript": TrDisplay, "js": TrDisplay, "latex": TrDisplay,
		"markdown": TrDisplay, "svg": TrDisplay, "SVG": TrDisplay, "tensorboard": TrDisplay,
		"pinfo": TrHelp, "pinfo2": TrHelp, "pdef": TrHelp, "pdoc": TrHelp, "pfile": TrHelp, "psource": TrHelp,
		"psearch": TrHelp, "pycat": TrHelp, "man": TrHelp,
		"tensorflow_version": TrPlatform,
	}
	translatableMagics = map[string]string{
		"cd": TrCd, "pushd": TrCd, "popd": TrCd, "bookmark_cd": TrCd,
		"env": TrEnv, "set_env": TrEnv,
		"writefile": TrWritefile, "file": TrWritefile,
		"run": TrRun, "store": TrStore,
		"sql": TrSQL, "bigquery": TrSQL,
		"bash": TrBash, "sh": TrBash,
		"python": TrScript, "python2": TrScript, "python3": TrScript, "pypy": TrScript, "perl": TrScript,
		"ruby": TrScript, "script": TrScript,
		"sx": TrShell, "system": TrShell, "!": TrShell,
		"xdel": TrDel,
	}
	blockerMagics = map[string]string{
		"load":   "%load pastes code into the cell from a file or URL at run time",
		"loadpy": "%loadpy pastes code into the cell at run time",
		"edit":   "%edit opens an editor", "ed": "%ed opens an editor",
		"recall": "%recall re-runs input history", "rep": "%rep re-runs input history",
		"rerun": "%rerun re-runs input history", "macro": "%macro records input history",
		"save": "%save writes input history to a file", "alias": "%alias defines shell aliases for the session",
		"unalias": "%unalias changes the session's aliases", "alias_magic": "%alias_magic defines magics",
		"bookmark": "%bookmark stores directories in the IPython profile", "rehashx": "%rehashx changes the session's aliases",
		"killbgscripts": "%killbgscripts manages session processes", "connect_info": "%connect_info is kernel plumbing",
		"qtconsole": "%qtconsole opens a console", "pastebin": "%pastebin uploads input history",
		"sc": "%sc is a deprecated shell capture", "R": "%R runs R code (rpy2)", "RR": "%R runs R code (rpy2)",
		"Rpush": "%Rpush moves data into R (rpy2)", "Rpull": "%Rpull moves data out of R (rpy2)",
		"Rget": "%Rget reads data from R (rpy2)", "cython": "%%cython compiles code in the session",
		"spark": "sparkmagic talks to a remote Livy session", "local": "sparkmagic %%local runs on the notebook host",
		"info": "sparkmagic %%info inspects the Livy session", "configure": "sparkmagic %%configure sets up the Livy session",
		"send_to_spark": "sparkmagic moves data to the Livy session", "cleanup": "sparkmagic manages Livy sessions",
		"logs": "sparkmagic reads Livy logs",
	}
	// shellAliases are IPython's default POSIX aliases and the line magics
	// that run a shell command.
	shellAliases = setOf(`ls ll lf lk ldir lx cat less more mkdir rmdir cp mv rm`)
	// knownExtensions are extensions whose loading only changes the
	// session (or enables magics the table already handles).
	knownExtensions = setOf(`autoreload watermark memory_profiler line_profiler nb_black lab_black jupyter_black
		blackcellmagic tensorboard sql google.cloud.bigquery bigquery_magics rpy2.ipython Cython cython
		sparkmagic.magics dotenv ipython_autotime autotime snakeviz heat jupyter_ai jupyter_ai_magics
		pycodestyle_magic pycodestyle flake8 nbextensions itikz ipytest`)
)

// classify fills Class, Translation, Shell, Informational, KnownCommand,
// Install and Note.
func classifyMagic(f *MagicFact, kind ps.MagicKind, keepsPython bool) {
	switch kind {
	case ps.Help:
		f.Class, f.Translation = MagicRemovable, TrHelp
		return
	case ps.Autocall:
		f.Class, f.Translation = MagicTranslatable, TrAutocall
		return
	case ps.ShellEscape, ps.ShellAssign:
		classifyShell(f, f.Args)
		return
	}
	name := f.Name
	args := f.Args
	if kind == ps.Automagic && shellAliases[name] || (kind == ps.LineMagic || kind == ps.MagicAssign) && shellAliases[name] {
		classifyShell(f, strings.TrimSpace(name+" "+args))
		return
	}
	if (kind == ps.LineMagic || kind == ps.MagicAssign || kind == ps.Automagic) && (name == "sx" || name == "system") {
		classifyShell(f, args)
		return
	}
	switch name {
	case "pip", "conda", "mamba", "micromamba", "uv":
		cmd := strings.TrimSpace(name + " " + args)
		if inst, ok := ParseInstall(cmd); ok {
			f.Install = true
			f.Class = MagicTranslatable
			f.Translation = installTranslation(inst.Tool)
			return
		}
		// %pip list / %pip show / %conda info: informational.
		f.Class, f.Translation = MagicRemovable, TrSession
		if isInformational(shellWords(cmd)) {
			f.Informational = true
		} else {
			f.Class, f.Translation = MagicTranslatable, TrShell
			f.Shell = true
		}
		return
	case "load_ext":
		f.Class, f.Translation = MagicRemovable, TrExtension
		ext := strings.TrimSpace(args)
		if ext != "" && !knownExtensions[ext] {
			f.Note = "the extension " + ext + " may define magics used later"
		}
		return
	case "script":
		f.Class, f.Translation = MagicTranslatable, TrScript
		if w := shellWords(args); len(w) > 0 {
			switch shellBase(w[0]) {
			case "bash", "sh", "zsh":
				f.Translation = TrBash
			}
		}
		return
	}
	if kind == ps.CellMagic && name == "!" {
		f.Class, f.Translation, f.Shell = MagicTranslatable, TrShell, true
		return
	}
	if tr, ok := removableMagics[name]; ok {
		f.Class, f.Translation = MagicRemovable, tr
		if kind == ps.MagicAssign {
			switch name {
			case "pwd":
				f.Class, f.Translation = MagicTranslatable, TrCwd
			case "time", "timeit", "prun":
				f.Note = "the value of %" + name + " is used"
			default:
				f.Class, f.Translation = MagicBlocker, TrUnknown
				f.Note = "the value of %" + name + " exists only in IPython"
			}
		}
		if name == "pylab" {
			f.Note = "%pylab also star-imports numpy and matplotlib names"
		}
		return
	}
	if tr, ok := translatableMagics[name]; ok {
		f.Class, f.Translation = MagicTranslatable, tr
		if tr == TrShell {
			f.Shell = true
			markCommand(f, args)
		}
		return
	}
	if note, ok := blockerMagics[name]; ok {
		f.Class, f.Translation, f.Note = MagicBlocker, TrUnknown, note
		return
	}
	f.Class, f.Translation = MagicBlocker, TrUnknown
	if kind == ps.CellMagic {
		f.Note = "unknown cell magic %%" + name + " (a custom or extension magic)"
	} else {
		f.Note = "unknown magic %" + name + " (a custom or extension magic)"
	}
}

func installTranslation(tool string) string {
	switch tool {
	case "conda":
		return TrConda
	case "apt":
		return TrApt
	}
	return TrPip
}

// classifyShell classifies a shell command line.
func classifyShell(f *MagicFact, cmd string) {
	f.Shell = true
	f.Class, f.Translation = MagicTranslatable, TrShell
	if inst, ok := ParseInstall(cmd); ok {
		f.Install = true
		f.Translation = installTranslation(inst.Tool)
		return
	}
	markCommand(f, cmd)
	if f.Informational {
		f.Class = MagicRemovable
	}
}

func markCommand(f *MagicFact, cmd string) {
	segs := shellSegments(cmd)
	if len(segs) == 0 {
		return
	}
	info, known := true, true
	for _, s := range segs {
		if !isInformational(s.Words) || s.Redirect {
			info = false
		}
		if !isKnownCommand(s.Words) {
			known = false
		}
	}
	f.Informational = info
	f.KnownCommand = known || info
}

// informationalCommands print something and change nothing.
var informationalCommands = setOf(`ls ll la dir pwd nvidia-smi nvcc cat head tail wc du df echo which whoami
	hostname uname free nproc lscpu lsb_release top htop ps printenv date tree file stat id groups
	pygmentize less more grep egrep fgrep find locate md5sum sha256sum sha1sum uptime gpustat
	java javac nproc ulimit history`)

// isInformational reports whether a command only prints (ls, pwd,
// nvidia-smi, pip list, python --version, git status …).
func isInformational(words []string) bool {
	words = stripCommandPrefix(words)
	if len(words) == 0 {
		return false
	}
	cmd := shellBase(words[0])
	sub := ""
	if len(words) > 1 {
		sub = words[1]
	}
	switch cmd {
	case "pip", "pip3", "conda", "mamba", "uv":
		if cmd == "uv" && sub == "pip" && len(words) > 2 {
			sub = words[2]
		}
		switch sub {
		case "list", "freeze", "show", "info", "--version", "-V", "check", "search", "config", "debug":
			return true
		case "env":
			return len(words) > 2 && words[2] == "list"
		}
		return false
	case "python", "python3", "python2":
		return sub == "--version" || sub == "-V" || sub == "-c" && len(words) > 2 && strings.Contains(words[2], "print(") && !strings.Contains(words[2], "open(")
	case "git":
		switch sub {
		case "status", "log", "diff", "show", "branch", "rev-parse", "describe", "--version", "remote":
			return true
		}
		return false
	case "java", "javac":
		return sub == "-version" || sub == "--version"
	case "aws":
		// aws <service> describe-*/list-*/get-*, aws s3 ls: read-only listings.
		if len(words) > 2 {
			op := words[2]
			return words[1] == "s3" && op == "ls" || words[1] != "s3" && (strings.HasPrefix(op, "describe-") ||
				strings.HasPrefix(op, "list-") || op == "get-caller-identity")
		}
		return sub == "--version"
	case "hdfs", "hadoop":
		for _, w := range words[1:] {
			switch w {
			case "-ls", "-cat", "-du", "-count", "-stat", "-tail", "-df", "-test":
				return true
			}
		}
		return false
	case "gsutil":
		return sub == "ls" || sub == "du" || sub == "cat" || sub == "stat"
	case "kubectl":
		return sub == "get" || sub == "describe" || sub == "logs" || sub == "version"
	case "docker":
		return sub == "images" || sub == "ps" || sub == "version" || sub == "info"
	case "sed":
		for _, w := range words[1:] {
			if w == "-i" || strings.HasPrefix(w, "-i") || strings.HasPrefix(w, "--in-place") {
				return false
			}
		}
		return true
	case "find":
		for _, w := range words {
			if w == "-delete" || w == "-exec" || w == "-execdir" {
				return false
			}
		}
		return true
	}
	return informationalCommands[cmd]
}

var knownCommands = setOf(`ls mkdir cp mv rm unzip tar wget curl nvidia-smi pip pip3 conda apt-get apt gunzip gzip
	zip touch cat head tail echo pwd rmdir ln chmod`)

func isKnownCommand(words []string) bool {
	words = stripCommandPrefix(words)
	if len(words) == 0 {
		return false
	}
	cmd := shellBase(words[0])
	if cmd == "git" {
		return len(words) > 1 && words[1] == "clone"
	}
	return knownCommands[cmd]
}

func shellBase(s string) string {
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// ShellSegment is one simple command of a shell line (split at &&, ||, ;,
// | and &).
type ShellSegment struct {
	Words []string
	// Redirect is set when the command writes its output to a file.
	Redirect bool
}

// shellSegments splits a command line into simple commands. Quotes are
// removed; a word starting with # ends the line.
func shellSegments(cmd string) []ShellSegment {
	var out []ShellSegment
	var cur ShellSegment
	var word strings.Builder
	inWord := false
	flush := func() {
		if inWord {
			w := word.String()
			if w == ">" || w == ">>" || strings.HasPrefix(w, ">") || strings.HasPrefix(w, "1>") || strings.HasPrefix(w, "&>") {
				cur.Redirect = true
			}
			cur.Words = append(cur.Words, w)
			word.Reset()
			inWord = false
		}
	}
	endSeg := func() {
		flush()
		if len(cur.Words) > 0 {
			out = append(out, cur)
		}
		cur = ShellSegment{}
	}
	for i := 0; i < len(cmd); i++ {
		ch := cmd[i]
		switch {
		case ch == '\'' || ch == '"':
			inWord = true
			j := i + 1
			for j < len(cmd) && cmd[j] != ch {
				if ch == '"' && cmd[j] == '\\' && j+1 < len(cmd) {
					j++
				}
				word.WriteByte(cmd[j])
				j++
			}
			i = j
		case ch == '\\' && i+1 < len(cmd):
			i++
			if cmd[i] != '\n' {
				word.WriteByte(cmd[i])
				inWord = true
			}
		case ch == ' ' || ch == '\t' || ch == '\n':
			flush()
		case ch == '#' && !inWord:
			endSeg()
			return out
		case ch == ';' || ch == '|' || ch == '&':
			if ch == '&' && i+1 < len(cmd) && cmd[i+1] == '>' {
				flush()
				cur.Redirect = true
				i++
				continue
			}
			if ch == '|' && word.Len() == 0 && !inWord && len(cur.Words) == 0 && len(out) == 0 {
				continue
			}
			endSeg()
			if i+1 < len(cmd) && (cmd[i+1] == ch) {
				i++
			}
		case ch == '>':
			flush()
			cur.Redirect = true
			// skip the target word
			for i+1 < len(cmd) && (cmd[i+1] == '>' || cmd[i+1] == ' ') {
				i++
			}
			for i+1 < len(cmd) && cmd[i+1] != ' ' && cmd[i+1] != ';' && cmd[i+1] != '&' && cmd[i+1] != '|' {
				i++
			}
		default:
			word.WriteByte(ch)
			inWord = true
		}
	}
	endSeg()
	return out
}

// shellWords returns the words of the first simple command of a line.
func shellWords(cmd string) []string {
	segs := shellSegments(cmd)
	if len(segs) == 0 {
		return nil
	}
	return segs[0].Words
}

// stripCommandPrefix drops sudo, environment assignments, `time`, `nohup`
// and `python -m` in front of a command.
func stripCommandPrefix(words []string) []string {
	for len(words) > 0 {
		w := words[0]
		switch {
		case w == "sudo":
			words = words[1:]
			for len(words) > 0 && strings.HasPrefix(words[0], "-") {
				words = words[1:]
			}
		case w == "time" || w == "nohup" || w == "exec" || w == "command":
			words = words[1:]
		case isEnvAssign(w):
			words = words[1:]
		case isPythonExe(w) && len(words) > 2 && words[1] == "-m":
			words = words[2:]
		default:
			return words
		}
	}
	return words
}

func isEnvAssign(w string) bool {
	i := strings.IndexByte(w, '=')
	if i <= 0 {
		return false
	}
	for _, r := range w[:i] {
		if !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// isPythonExe recognises the interpreter in `python -m pip`,
// `{sys.executable} -m pip`, `$PYTHON -m pip`, `/usr/bin/python3 -m pip`.
func isPythonExe(w string) bool {
	w = strings.Trim(w, "{}$")
	if w == "sys.executable" || w == "PYTHON" || w == "python_executable" {
		return true
	}
	b := shellBase(w)
	if b == "py" {
		return true
	}
	if !strings.HasPrefix(b, "python") {
		return false
	}
	rest := strings.TrimPrefix(b, "python")
	for _, r := range rest {
		if !(r >= '0' && r <= '9' || r == '.') {
			return false
		}
	}
	return true
}

// bodyInstalls finds install commands in the body of a %%bash / %%sh /
// %%script cell.
func bodyInstalls(c *Cell, m ps.Magic, lines []string) []MagicFact {
	var out []MagicFact
	for ln := m.Line + 1; ln <= m.EndLine && ln <= len(lines); ln++ {
		text := lines[ln-1]
		// Join backslash continuations.
		full := text
		end := ln
		for strings.HasSuffix(strings.TrimRight(full, " \t"), "\\") && end < len(lines) && end < m.EndLine {
			full = strings.TrimSuffix(strings.TrimRight(full, " \t"), "\\") + " " + strings.TrimSpace(lines[end])
			end++
		}
		cmd := strings.TrimSpace(full)
		if cmd == "" || strings.HasPrefix(cmd, "#") {
			ln = end
			continue
		}
		if inst, ok := ParseInstall(cmd); ok {
			indent := len(text) - len(strings.TrimLeft(text, " \t"))
			f := MagicFact{Cell: c.Index, Line: ln, Col: magicByteCol(text, indent), EndLine: end,
				EndCol: utf8.RuneCountInString(strings.TrimRight(lines[end-1], " \t")) + 1,
				Kind:   "shell", Name: shellFirstWord(cmd), Args: stripShellComment(cmd), Text: stripShellComment(cmd),
				Class: MagicTranslatable, Translation: installTranslation(inst.Tool), Shell: true, Install: true,
				Note: "in the %%" + m.Name + " cell body", Node: ps.NoNode}
			out = append(out, f)
		}
		ln = end
	}
	return out
}

func shellFirstWord(s string) string {
	w := stripCommandPrefix(shellWords(s))
	if len(w) == 0 {
		return ""
	}
	return shellBase(w[0])
}

// ipythonMethods are the get_ipython() methods nbconvert --to script
// emits for magics and shell escapes.
var ipythonMethods = map[string]bool{"run_line_magic": true, "run_cell_magic": true, "magic": true,
	"system": true, "getoutput": true}

// getIPythonMagics classifies get_ipython() calls: run_line_magic /
// run_cell_magic / magic / system / getoutput like the magic they run,
// other direct uses (events.register, push, user_ns, kernel) as blockers,
// and IPython detection (get_ipython() is None, str(get_ipython())) as
// translatable.
func getIPythonMagics(n *Notebook, c *Cell) []MagicFact {
	t := c.Tree
	if t == nil || !strings.Contains(c.NB.Source, "get_ipython") {
		return nil
	}
	if _, ok := n.ImportOf(c.Index, "get_ipython"); !ok && len(n.Graph().Definers["get_ipython"]) > 0 {
		return nil // a notebook function of that name
	}
	par := c.Parents()
	var out []MagicFact
	for i := 0; i < t.Len(); i++ {
		id := ps.NodeID(i)
		if t.Kind(id) != ps.Call {
			continue
		}
		fn := t.ChildByField(id, ps.FFunction)
		if fn == ps.NoNode || t.Kind(fn) != ps.Identifier || t.Text(fn) != "get_ipython" {
			continue
		}
		// id is the get_ipython() call; look at how it is used.
		p := par[id]
		f := MagicFact{Cell: c.Index, Kind: "get_ipython", Node: id}
		start, end := c.NodePos(id), c.NodeEnd(id)
		if p != ps.NoNode && t.Kind(p) == ps.Attribute && t.ChildByField(p, ps.FObject) == id {
			attr := t.Text(t.ChildByField(p, ps.FAttribute))
			call := par[p]
			if ipythonMethods[attr] && call != ps.NoNode && t.Kind(call) == ps.Call && t.ChildByField(call, ps.FFunction) == p {
				start, end = c.NodePos(call), c.NodeEnd(call)
				f.Node = call
				args := callArgs(t, call)
				str := func(i int) string {
					k := 0
					for _, a := range args {
						if a.Name == "" && !a.Splat {
							if k == i {
								s, _ := StringValue(t, a.Node)
								return s
							}
							k++
						}
					}
					return ""
				}
				switch attr {
				case "system", "getoutput":
					f.Name = shellFirstWord(str(0))
					f.Args = str(0)
					f.Text = "get_ipython()." + attr + "(" + ipyQuote(str(0)) + ")"
					classifyShell(&f, str(0))
				case "magic":
					line := str(0)
					name, rest, _ := strings.Cut(strings.TrimLeft(line, "%"), " ")
					f.Name, f.Args = name, strings.TrimSpace(rest)
					f.Text = "get_ipython().magic(" + ipyQuote(line) + ")"
					classifyMagic(&f, ps.LineMagic, false)
				default:
					f.Name, f.Args = str(0), str(1)
					kind := ps.LineMagic
					if attr == "run_cell_magic" {
						kind = ps.CellMagic
						f.Args = magicFirstLine(str(1))
					}
					f.Text = "get_ipython()." + attr + "(" + ipyQuote(f.Name) + ", …)"
					classifyMagic(&f, kind, false)
				}
				f.Line, f.Col, f.EndLine, f.EndCol = start.Line, start.Col, end.Line, end.Col
				out = append(out, f)
				continue
			}
			f.Name = attr
			f.Text = "get_ipython()." + attr
			f.Class, f.Translation = MagicBlocker, TrUnknown
			f.Note = "get_ipython()." + attr + " reaches into the IPython kernel"
			end = c.NodeEnd(p)
		} else if isIPythonCheck(t, par, id) {
			f.Name = "get_ipython"
			f.Text = "get_ipython()"
			f.Class, f.Translation = MagicTranslatable, TrIPython
			f.Note = "an IPython detection test: outside IPython it is always false"
		} else {
			f.Name = "get_ipython"
			f.Text = "get_ipython()"
			f.Class, f.Translation = MagicBlocker, TrUnknown
			f.Note = "direct use of the IPython shell object"
		}
		f.Line, f.Col, f.EndLine, f.EndCol = start.Line, start.Col, end.Line, end.Col
		out = append(out, f)
	}
	return out
}

// isIPythonCheck recognises `get_ipython() is None`, `str(get_ipython())`,
// `type(get_ipython())`, `"x" in str(get_ipython())`, `if get_ipython():`.
func isIPythonCheck(t *ps.Tree, par []ps.NodeID, id ps.NodeID) bool {
	p := par[id]
	for p != ps.NoNode && t.Kind(p) == ps.ArgumentList {
		p = par[p]
	}
	if p == ps.NoNode {
		return false
	}
	switch t.Kind(p) {
	case ps.ComparisonOperator, ps.NotOperator, ps.BooleanOperator:
		return true
	case ps.IfStatement, ps.ConditionalExpression:
		return true
	case ps.Call:
		fn := t.ChildByField(p, ps.FFunction)
		switch t.Text(fn) {
		case "str", "type", "repr", "bool", "isinstance":
			return true
		}
	}
	return false
}

func ipyQuote(s string) string {
	r := []rune(magicFirstLine(s))
	if len(r) > 40 {
		s = string(r[:39]) + "…"
	} else {
		s = string(r)
	}
	return "\"" + s + "\""
}
