package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/nbdiff"
	diffemit "github.com/nbprod/nbprod/emit/diff"
	"github.com/nbprod/nbprod/notebook"
	"github.com/spf13/cobra"
)

// diffOptions are the parsed flags of `nbprod diff`.
type diffOptions struct {
	IO        *ioStreams
	Args      []string
	Format    string
	Output    string
	FailOn    string
	FailOnSet bool
	Outputs   bool
	Metadata  bool
	ShowInfo  bool
	Context   int
	Config    string
	Select    []string
	SelectSet bool
	Ignore    []string
	IgnoreSet bool
}

func newDiffCmd(io *ioStreams) *cobra.Command {
	o := &diffOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Show the cell changes between two versions of a notebook and the findings they introduce or fix",
		Long: `Compare two versions of a notebook cell by cell: code and markdown changes
line by line, moved, added and deleted cells, and the findings the change
introduced and fixed. Outputs, execution counts and metadata are ignored
unless --outputs / --metadata.

OLD and NEW are notebook files (.ipynb, or percent-format .py), /dev/null
(an added or deleted notebook), or git:REF:PATH for the version of PATH at
REF (git:HEAD:nb.ipynb; git::nb.ipynb is the staged version). PATH is
relative to the current directory, like a file argument.

Cells are paired by nbformat id, else by content, so an edited cell is a
change, not a deletion and an addition. Findings are paired by the baseline
fingerprint, so a finding whose line only moved is neither introduced nor
fixed. Secrets in changed lines are shown redacted.

As git's external diff driver (git config diff.nbprod.command "nbprod
diff", and "*.ipynb diff=nbprod" in .gitattributes) it takes git's seven
arguments and always exits 0, so "git diff" carries on.

Exit codes: 0 nothing introduced at or above --fail-on, 1 the change
introduces findings at or above it, 2 bad flag, config, revision, path or
notebook, 3 internal error.`,
		Example: `  nbprod diff git:HEAD:analysis.ipynb analysis.ipynb
  nbprod diff --format markdown git:origin/main:nb.ipynb nb.ipynb > comment.md
  nbprod diff --outputs --metadata old.ipynb new.ipynb
  git config diff.nbprod.command "nbprod diff"    # with *.ipynb diff=nbprod in .gitattributes`,
		Args: func(cmd *cobra.Command, args []string) error {
			switch len(args) {
			case 2, 7, 9:
				return nil
			}
			return usageErr("diff takes OLD and NEW (got %d %s)\nRun 'nbprod diff --help' for usage.", len(args), plural(len(args), "argument", "arguments"))
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Args = args
			o.FailOnSet = cmd.Flags().Changed("fail-on")
			o.SelectSet = cmd.Flags().Changed("select")
			o.IgnoreSet = cmd.Flags().Changed("ignore")
			return runDiff(o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.Format, "format", "f", "text", "output format: "+strings.Join(diffemit.Formats, ", "))
	f.StringVarP(&o.Output, "output", "o", "", "write the diff to `FILE` instead of stdout")
	f.StringVar(&o.FailOn, "fail-on", "blocker", "exit 1 when the change introduces a finding at or above this severity: blocker, warning, info or never")
	f.BoolVar(&o.Outputs, "outputs", false, "also compare outputs and execution counts")
	f.BoolVar(&o.Metadata, "metadata", false, "also compare cell and notebook metadata")
	f.BoolVar(&o.ShowInfo, "show-info", false, "list info-level findings in the text diff (they are counted but hidden by default)")
	f.IntVarP(&o.Context, "unified", "U", nbdiff.DefaultContext, "lines of context around each change")
	f.StringVar(&o.Config, "config", "", "config `FILE` (default: nearest pyproject.toml with [tool.nbprod], or nbprod.toml)")
	f.StringSliceVar(&o.Select, "select", nil, "rules to run: IDs, ID prefixes (NB1), names or ALL (replaces the config's select)")
	f.StringSliceVar(&o.Ignore, "ignore", nil, "rules not to run (replaces the config's ignore)")
	return cmd
}

// diffSide is one side of a diff: a notebook read from a file, a git blob,
// or nothing (/dev/null).
type diffSide struct {
	label string // as shown in the report
	path  string // display path of the notebook ("" for /dev/null)
	file  string // the file on disk, when the side is one
	py    bool   // read as a percent-format script
	data  []byte // raw bytes, checked by the rules
	nb    *notebook.Notebook
	null  bool
}

const devNull = "/dev/null"

func runDiff(o *diffOptions) error {
	valid := false
	for _, f := range diffemit.Formats {
		valid = valid || f == o.Format
	}
	if !valid {
		return usageErr("unknown --format %q (want %s)", o.Format, strings.Join(diffemit.Formats, ", "))
	}
	if o.Context < 0 {
		return usageErr("--unified must be 0 or more")
	}
	if d, ok := parseGitDriverArgs(o.Args); ok {
		return runGitDriver(o, d)
	}
	if len(o.Args) != 2 {
		return usageErr("diff takes OLD and NEW (got %d arguments)", len(o.Args))
	}
	oldS, err := loadDiffSide(o.Args[0], "")
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	newS, err := loadDiffSide(o.Args[1], "")
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if oldS.null && newS.null {
		return usageErr("both sides are %s: nothing to compare", devNull)
	}
	path, envFile := newS.path, newS.file
	if newS.null {
		path, envFile = oldS.path, oldS.file
	}
	if envFile == "" {
		envFile = path
	}
	res, failOn, err := compareSides(o, oldS, newS, path, envFile)
	if err != nil {
		return err
	}
	if err := writeDiff(o, res, o.IO.color(o.IO.OutTTY)); err != nil {
		return err
	}
	if res.Failing(failOn) {
		return &exitError{code: exitFindings}
	}
	return nil
}

// compareSides resolves the settings and runs the comparison; a panic is an
// internal error (exit 3) naming the notebook. Both sides are checked under
// the display path with the repository context of envFile (the new file on
// disk, else the display path): rules about manifests and data files then
// see the same repository on both sides, so only the notebook's change
// shows.
func compareSides(o *diffOptions, oldS, newS *diffSide, path, envFile string) (res *nbdiff.Result, failOn analyze.Severity, err error) {
	settings, err := loadSettings(o.Config, []string{envFile}, analyze.Overrides{
		Select: setOrNil(o.SelectSet, o.Select),
		Ignore: setOrNil(o.IgnoreSet, o.Ignore),
		FailOn: strOrNil(o.FailOnSet, o.FailOn),
	})
	if err != nil {
		return nil, 0, err
	}
	var internal []string
	pathPy := isPyName(path)
	check := func(nb *notebook.Notebook, side nbdiff.Side) []analyze.Finding {
		s := oldS
		if side == nbdiff.NewSide {
			s = newS
		}
		if s.py != pathPy {
			// A percent script against an .ipynb: Run would parse the
			// bytes by the display path's extension; check the notebook
			// as read, without repository context.
			return analyze.CheckNotebook(nb, settings)
		}
		r := analyze.Run([]analyze.Input{{Path: path, File: envFile, Data: s.data}}, analyze.RunOptions{Settings: settings, Jobs: 1})
		for _, e := range r.Errors {
			internal = append(internal, firstLine(e.Msg))
		}
		return r.Findings
	}
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, &exitError{code: exitInternal, err: fmt.Errorf("%s: internal error: %v", path, p)}
		}
	}()
	res = nbdiff.Compare(oldS.nb, newS.nb, nbdiff.Options{
		Outputs: o.Outputs, Metadata: o.Metadata, Context: contextLines(o.Context),
		Settings: settings, Check: check, Path: path, OldLabel: oldS.label, NewLabel: newS.label,
	})
	if len(internal) > 0 {
		return nil, 0, &exitError{code: exitInternal, err: fmt.Errorf("%s: %s", path, internal[0])}
	}
	return res, settings.FailOn, nil
}

// contextLines maps the flag (0 = none) to nbdiff's option (0 = default).
func contextLines(n int) int {
	if n == 0 {
		return -1
	}
	return n
}

func writeDiff(o *diffOptions, res *nbdiff.Result, color bool) error {
	opts := diffemit.Options{ShowInfo: o.ShowInfo, ToolVersion: version()}
	if o.Output == "" {
		opts.Color = color
		var buf bytes.Buffer
		if err := diffemit.Write(&buf, o.Format, res, opts); err != nil {
			return &exitError{code: exitInternal, err: err}
		}
		_, err := o.IO.Out.Write(buf.Bytes())
		return err
	}
	var buf bytes.Buffer
	if err := diffemit.Write(&buf, o.Format, res, opts); err != nil {
		return &exitError{code: exitInternal, err: err}
	}
	if err := writeFileAtomic(o.Output, buf.Bytes()); err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	return nil
}

// loadDiffSide reads OLD or NEW: /dev/null, git:REF:PATH, or a file. kind
// names the file whose extension decides the format when it is not the
// argument itself (git's temporary files).
func loadDiffSide(arg, kind string) (*diffSide, error) {
	if arg == devNull {
		return &diffSide{label: devNull, null: true}, nil
	}
	if rest, ok := strings.CutPrefix(arg, "git:"); ok {
		ref, path, ok := strings.Cut(rest, ":")
		if !ok || path == "" {
			return nil, fmt.Errorf("%s: want git:REF:PATH (git:HEAD:nb.ipynb; git::nb.ipynb for the staged version)", arg)
		}
		data, err := gitBlob(ref, path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", arg, err)
		}
		s := &diffSide{label: arg, path: displayPath(filepath.Clean(path)), data: data}
		return s, s.parse(arg, path)
	}
	data, err := readRegular(arg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", arg, err)
	}
	if kind == "" {
		kind = arg
	}
	s := &diffSide{label: displayPath(arg), path: displayPath(filepath.Clean(arg)), file: arg, data: data}
	return s, s.parse(s.label, kind)
}

// readRegular reads a regular file; a directory or device is refused.
func readRegular(path string) ([]byte, error) {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, errors.New("no such file")
	case errors.Is(err, fs.ErrPermission):
		return nil, errors.New("permission denied")
	case err != nil:
		return nil, err
	case st.IsDir():
		return nil, errors.New("is a directory, not a notebook file")
	case !st.Mode().IsRegular():
		return nil, errors.New("not a regular file")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil, pe.Err
		}
		return nil, err
	}
	return data, nil
}

// parse reads the side's bytes as a notebook: percent format when kind
// ends in .py, nbformat JSON otherwise.
func (s *diffSide) parse(name, kind string) error {
	if looksBinary(s.data) {
		return fmt.Errorf("%s: a binary file, not a notebook", name)
	}
	var nb *notebook.Notebook
	var err error
	s.py = isPyName(kind)
	if s.py {
		nb, err = notebook.ReadPercent(s.path, s.data)
	} else {
		nb, err = notebook.ReadIPYNB(s.path, bytes.NewReader(s.data))
	}
	if err != nil {
		var re *notebook.ReadError
		if errors.As(err, &re) {
			return fmt.Errorf("%s: not a readable notebook: %s", name, firstLine(re.Detail()))
		}
		return fmt.Errorf("%s: not a readable notebook: %s", name, firstLine(err.Error()))
	}
	s.nb = nb
	return nil
}

func isPyName(name string) bool { return strings.HasSuffix(strings.ToLower(name), ".py") }

// looksBinary reports a NUL byte in the first 8000 bytes (git's test).
func looksBinary(data []byte) bool {
	return bytes.IndexByte(data[:min(len(data), 8000)], 0) >= 0
}

// gitBlob reads PATH at REF with git (REF "" is the index). PATH is
// relative to the current directory; git checks that it names a file of
// the repository at REF.
func gitBlob(ref, path string) ([]byte, error) {
	rel := filepath.ToSlash(path)
	if filepath.IsAbs(path) {
		wd, err := os.Getwd()
		if err != nil {
			return nil, err
		}
		r, err := filepath.Rel(wd, path)
		if err != nil {
			return nil, fmt.Errorf("%s is outside the repository", path)
		}
		rel = filepath.ToSlash(r)
	}
	if !strings.HasPrefix(rel, "./") && !strings.HasPrefix(rel, "../") && rel != ".." {
		rel = "./" + rel
	}
	spec := ref + ":" + rel
	kind, err := runGit("cat-file", "-t", spec)
	if err != nil {
		return nil, describeGitError(err, ref, path)
	}
	if t := strings.TrimSpace(string(kind)); t != "blob" {
		if t == "tree" {
			return nil, fmt.Errorf("%s is a directory in %s, not a notebook", path, refName(ref))
		}
		return nil, fmt.Errorf("%s is a %s in %s, not a notebook", path, t, refName(ref))
	}
	data, err := runGit("show", "--no-textconv", spec)
	if err != nil {
		return nil, describeGitError(err, ref, path)
	}
	return data, nil
}

func refName(ref string) string {
	if ref == "" {
		return "the index"
	}
	return ref
}

// gitError is git's own message (its first "fatal:" line).
type gitError struct{ msg string }

func (e *gitError) Error() string { return e.msg }

func runGit(args ...string) ([]byte, error) {
	cmd := exec.Command("git", args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return nil, errors.New("git is not installed (git:REF:PATH needs the git command)")
		}
		var msg string
		for _, l := range strings.Split(stderr.String(), "\n") {
			if m, ok := strings.CutPrefix(strings.TrimSpace(l), "fatal: "); ok {
				msg = m
				break
			}
		}
		if msg == "" {
			msg = strings.TrimSpace(firstLine(stderr.String()))
		}
		if msg == "" {
			msg = err.Error()
		}
		return nil, &gitError{msg: msg}
	}
	return stdout.Bytes(), nil
}

var (
	reInvalidRef = regexp.MustCompile(`invalid object name|unknown revision|bad revision|ambiguous argument`)
	reOutside    = regexp.MustCompile(`outside repository`)
	reNotInRef   = regexp.MustCompile(`does not exist in|exists on disk, but not in|exists, but not|neither on disk nor in the index|does not exist \(`)
	reNotRepo    = regexp.MustCompile(`not a git repository`)
)

// describeGitError turns git's message into one line naming what is wrong.
func describeGitError(err error, ref, path string) error {
	var ge *gitError
	if !errors.As(err, &ge) {
		return err
	}
	switch {
	case reNotRepo.MatchString(ge.msg):
		return errors.New("not inside a git repository (git:REF:PATH reads from the repository of the current directory)")
	case reOutside.MatchString(ge.msg):
		return fmt.Errorf("%s is outside the repository", path)
	case reNotInRef.MatchString(ge.msg):
		return fmt.Errorf("%s does not exist in %s", path, refName(ref))
	case reInvalidRef.MatchString(ge.msg):
		return fmt.Errorf("unknown revision %q", ref)
	}
	return errors.New(strings.TrimSuffix(ge.msg, "."))
}

// gitDriverArgs are git's external diff arguments: path old-file old-hex
// old-mode new-file new-hex new-mode [new-path rename-info].
type gitDriverArgs struct {
	path, oldFile, newFile string
	newPath                string // for a rename
}

var (
	reHex  = regexp.MustCompile(`^([0-9a-f]{7,64}|\.)$`)
	reMode = regexp.MustCompile(`^([0-7]{6}|\.)$`)
)

// parseGitDriverArgs recognises git's 7-argument (9 for a rename) external
// diff call.
func parseGitDriverArgs(args []string) (gitDriverArgs, bool) {
	if len(args) != 7 && len(args) != 9 {
		return gitDriverArgs{}, false
	}
	if !reHex.MatchString(args[2]) || !reMode.MatchString(args[3]) || !reHex.MatchString(args[5]) || !reMode.MatchString(args[6]) {
		return gitDriverArgs{}, false
	}
	d := gitDriverArgs{path: args[0], oldFile: args[1], newFile: args[4], newPath: args[0]}
	if len(args) == 9 {
		d.newPath = args[7]
	}
	return d, true
}

// runGitDriver serves `git diff`: labels a/PATH and b/PATH, colour when
// git's pager is in use, and exit 0 whatever happens (git stops at a
// non-zero external diff). When a side cannot be compared (not a readable
// notebook, a bad config), the reason is printed under the file header
// instead of the diff: never the raw file, which could hold a secret the
// notebook analysis would have redacted.
func runGitDriver(o *diffOptions, d gitDriverArgs) error {
	oldS, oerr := loadDriverSide(d.oldFile, d.path, "a/")
	newS, nerr := loadDriverSide(d.newFile, d.newPath, "b/")
	color := o.IO.color(o.IO.OutTTY || o.IO.Getenv("GIT_PAGER_IN_USE") == "true")
	fail := func(err error) error {
		msg := firstLine(err.Error())
		fmt.Fprintf(o.IO.Out, "--- %s\n+++ %s\nnbprod: cannot compare: %s (git diff --no-ext-diff shows the raw change)\n",
			oldS.label, newS.label, msg)
		fmt.Fprintf(o.IO.Err, "nbprod: %s\n", msg)
		return nil
	}
	if oerr != nil {
		return fail(oerr)
	}
	if nerr != nil {
		return fail(nerr)
	}
	res, _, err := compareSides(o, oldS, newS, d.newPath, d.newPath)
	if err != nil {
		return fail(err)
	}
	if err := writeDiff(o, res, color); err != nil {
		fmt.Fprintln(o.IO.Err, "nbprod: "+firstLine(err.Error()))
	}
	return nil
}

// loadDriverSide reads one of git's files; the format follows the
// repository path's extension (git's temporary files keep it, but the
// path is what the user named).
func loadDriverSide(file, path, prefix string) (*diffSide, error) {
	if file == devNull {
		return &diffSide{label: devNull, null: true}, nil
	}
	data, err := readRegular(file)
	s := &diffSide{label: prefix + displayPath(path), path: displayPath(path), data: data}
	if err != nil {
		return s, fmt.Errorf("%s: %w", s.label, err)
	}
	return s, s.parse(s.label, path)
}
