package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/rules"
	"github.com/nbprod/nbprod/emit/report"
	"github.com/nbprod/nbprod/internal/gitx"
	"github.com/nbprod/nbprod/notebook"
	"github.com/spf13/cobra"
)

// checkOptions are the parsed flags of `nbprod check`.
type checkOptions struct {
	IO            *ioStreams
	Paths         []string
	Format        string
	Output        string
	FailOn        string
	FailOnSet     bool
	Jobs          int
	Select        []string
	SelectSet     bool
	Ignore        []string
	IgnoreSet     bool
	Exclude       []string
	Config        string
	IncludePy     bool
	Baseline      string
	WriteBaseline string
	ShowInfo      bool
	Statistics    bool
	Changed       string   // "" off, "auto" default base, else a git ref
	Staged        bool     // check the staged blobs
	Reports       []string // extra FORMAT=FILE reports from the same run
}

func newCheckCmd(io *ioStreams, runF func(*checkOptions) error) *cobra.Command {
	o := &checkOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "check [PATH...]",
		Short: "Report production blockers in notebooks",
		Long: `Check notebooks and report production blockers.

PATH is a notebook, a percent-format .py script, or a directory (walked
recursively for .ipynb files; .ipynb_checkpoints, .git, virtual
environments and node_modules are skipped). Without PATH, the current
directory is checked.

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it,
2 bad flag, config or path, 3 internal error.`,
		Example: `  nbprod check notebooks/
  nbprod check --format sarif --output nbprod.sarif .
  nbprod check --select NB1 --fail-on warning analysis.ipynb
  nbprod check --write-baseline .nbprod-baseline.json .
  nbprod check --baseline .nbprod-baseline.json .`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Paths = args
			o.FailOnSet = cmd.Flags().Changed("fail-on")
			o.SelectSet = cmd.Flags().Changed("select")
			o.IgnoreSet = cmd.Flags().Changed("ignore")
			if runF != nil {
				return runF(o)
			}
			return runCheck(o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.Format, "format", "f", "text", "output format: "+strings.Join(report.Formats, ", "))
	f.StringVarP(&o.Output, "output", "o", "", "write the report to `FILE` instead of stdout")
	f.StringVar(&o.FailOn, "fail-on", "blocker", "exit 1 when a finding is at or above this severity: blocker, warning, info or never")
	f.IntVarP(&o.Jobs, "jobs", "j", 0, "notebooks checked in parallel (0: all cores)")
	f.StringSliceVar(&o.Select, "select", nil, "rules to run: IDs, ID prefixes (NB1), names or ALL (replaces the config's select)")
	f.StringSliceVar(&o.Ignore, "ignore", nil, "rules not to run (replaces the config's ignore)")
	f.StringSliceVar(&o.Exclude, "exclude", nil, "path `GLOB`s not to check (added to the config's exclude)")
	f.StringVar(&o.Config, "config", "", "config `FILE` (default: nearest pyproject.toml with [tool.nbprod], or nbprod.toml)")
	f.BoolVar(&o.IncludePy, "include-py", false, "also check percent-format (# %%) .py files found in directories")
	f.StringVar(&o.Baseline, "baseline", "", "hide the findings recorded in baseline `FILE`; report only new ones")
	f.StringVar(&o.WriteBaseline, "write-baseline", "", "record the current findings in baseline `FILE` and exit 0")
	f.BoolVar(&o.ShowInfo, "show-info", false, "list info-level findings in the text report (they are counted but hidden by default)")
	f.BoolVar(&o.Statistics, "statistics", false, "text format: print the number of findings per rule instead of the findings")
	f.StringVar(&o.Changed, "changed", "", "check only notebooks that differ from git `REF` (added, modified, renamed, copied and untracked; deleted ones are ignored); without a value: the merge base with the remote's default branch, else HEAD")
	f.Lookup("changed").NoOptDefVal = "auto"
	f.BoolVar(&o.Staged, "staged", false, "check only notebooks staged in the git index, reading the staged content (for pre-commit)")
	f.StringArrayVar(&o.Reports, "report", nil, "also write a report in another format from the same run: `FORMAT=FILE` (repeatable), e.g. --report sarif=nbprod.sarif")
	return cmd
}

func runCheck(o *checkOptions) error {
	if !validFormat(o.Format) {
		return usageErr("unknown --format %q (want %s)", o.Format, strings.Join(report.Formats, ", "))
	}
	if o.Jobs < 0 {
		return usageErr("--jobs must be 0 (all cores) or more")
	}
	if len(o.Paths) == 0 {
		o.Paths = []string{"."}
	}
	settings, err := loadSettings(o.Config, o.Paths, analyze.Overrides{
		Select:  setOrNil(o.SelectSet, o.Select),
		Ignore:  setOrNil(o.IgnoreSet, o.Ignore),
		Exclude: o.Exclude,
		FailOn:  strOrNil(o.FailOnSet, o.FailOn),
	})
	if err != nil {
		return err
	}
	extra, err := parseReports(o.Reports)
	if err != nil {
		return err
	}
	var inputs []analyze.Input
	if o.Changed != "" || o.Staged {
		inputs, err = changedInputs(o, settings)
	} else {
		inputs, err = analyze.Discover(o.Paths, o.IncludePy, settings)
	}
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	ro := analyze.RunOptions{Settings: settings, Jobs: o.Jobs}
	if o.Baseline != "" {
		b, err := analyze.ReadBaseline(o.Baseline)
		if err != nil {
			return err
		}
		ro.Baseline = b
		ro.FingerprintDir = b.Dir
	}
	if o.WriteBaseline != "" {
		ro.FingerprintDir = filepath.Dir(o.WriteBaseline)
		ro.Baseline = nil
	}
	prog := newProgress(o.IO, len(inputs))
	ro.Progress = prog.update

	if o.WriteBaseline != "" {
		ro.CollectBaseline = true
		tot, _ := analyze.Stream(inputs, ro, nil)
		prog.done()
		b := tot.Baseline
		if err := writeFileAtomic(o.WriteBaseline, b.Encode()); err != nil {
			return &exitError{code: exitUsage, err: err}
		}
		fmt.Fprintf(o.IO.Err, "nbprod: wrote %d %s to %s\n", len(b.Findings), plural(len(b.Findings), "finding", "findings"), o.WriteBaseline)
		if len(tot.Errors) > 0 {
			return &exitError{code: exitInternal}
		}
		return nil
	}

	// Every report is written while the notebooks are checked, in one
	// pass: memory is bounded by the largest notebook, not by the run.
	opts := report.Options{ShowInfo: o.ShowInfo, ToolVersion: version(), Statistics: o.Statistics}
	var streams []report.Stream
	var files []*report.AtomicFile
	defer func() {
		for _, f := range files {
			f.Abort() // nothing after Commit
		}
	}()
	add := func(w io.Writer, format string, opts report.Options) {
		s, err := report.NewStream(w, format, opts)
		if err != nil {
			panic(err) // formats are validated above
		}
		streams = append(streams, s)
	}
	if o.Output == "" {
		opts.Color = o.IO.color(o.IO.OutTTY)
		add(prog.writer(o.IO.Out), o.Format, opts)
	} else {
		f, err := report.CreateAtomic(o.Output)
		if err != nil {
			return &exitError{code: exitUsage, err: err}
		}
		files = append(files, f)
		add(f, o.Format, opts)
	}
	for _, x := range extra {
		f, err := report.CreateAtomic(x.file)
		if err != nil {
			return &exitError{code: exitUsage, err: err}
		}
		files = append(files, f)
		xo := opts
		xo.Color = false
		add(f, x.format, xo)
	}
	out := report.Multi(streams...)
	defer out.Close()
	err = out.Begin(report.Meta{Rules: settings.Rules, Severity: analyze.RuleSeverities(settings), Baseline: ro.Baseline != nil})
	var tot *analyze.Totals
	if err == nil {
		tot, err = analyze.Stream(inputs, ro, func(nb analyze.NotebookResult, fs []analyze.Finding) error {
			return out.Notebook(&nb, fs)
		})
	}
	prog.done()
	if err == nil {
		err = out.End(tot.Errors)
	}
	for _, f := range files {
		if err != nil {
			break
		}
		err = f.Commit()
	}
	if err != nil {
		var fe *report.FileError
		if errors.As(err, &fe) {
			return &exitError{code: exitUsage, err: err}
		}
		return &exitError{code: exitInternal, err: err}
	}
	switch {
	case len(tot.Errors) > 0:
		for _, e := range tot.Errors {
			fmt.Fprintf(o.IO.Err, "nbprod: %s: %s\n", e.Path, firstLine(e.Msg))
		}
		return &exitError{code: exitInternal}
	case tot.Failing(settings.FailOn):
		return &exitError{code: exitFindings}
	}
	return nil
}

type extraReport struct{ format, file string }

func parseReports(specs []string) ([]extraReport, error) {
	var out []extraReport
	for _, s := range specs {
		format, file, ok := strings.Cut(s, "=")
		if !ok || file == "" || !validFormat(format) {
			return nil, usageErr("--report wants FORMAT=FILE with FORMAT one of %s, got %q", strings.Join(report.Formats, ", "), s)
		}
		out = append(out, extraReport{format, file})
	}
	return out, nil
}

// loadSettings reads the config (explicit, or the nearest one above the
// first path) and resolves it against the rule registry.
func loadSettings(file string, paths []string, ov analyze.Overrides) (*analyze.Settings, error) {
	var cfg *analyze.Config
	var err error
	if file != "" {
		cfg, err = analyze.LoadConfig(file)
	} else {
		start := "."
		if len(paths) > 0 {
			start = paths[0]
			if st, serr := os.Stat(start); serr == nil && !st.IsDir() {
				start = filepath.Dir(start)
			} else if serr != nil {
				start = "."
			}
		}
		cfg, err = analyze.FindConfig(start)
	}
	if err != nil {
		return nil, err
	}
	return cfg.Resolve(rules.All(), ov)
}

func validFormat(f string) bool {
	for _, x := range report.Formats {
		if x == f {
			return true
		}
	}
	return false
}

func setOrNil(set bool, v []string) []string {
	if !set {
		return nil
	}
	if v == nil {
		return []string{}
	}
	return v
}

func strOrNil(set bool, v string) *string {
	if !set {
		return nil
	}
	return &v
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// writeFileAtomic writes data to a temporary file next to path and renames
// it into place, so a reader never sees a half-written file.
func writeFileAtomic(path string, data []byte) error {
	f, err := report.CreateAtomic(path)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Commit()
}

// changedInputs lists the notebooks that differ from the --changed ref (or
// are staged, with --staged), restricted to the path arguments. Paths are
// relative to the repository root, as in a full run from there.
func changedInputs(o *checkOptions, settings *analyze.Settings) ([]analyze.Input, error) {
	repo, err := gitx.Open(".")
	if err != nil {
		return nil, err
	}
	paths := o.Paths
	ref := o.Changed
	// `--changed REF` (with a space): pflag gives "auto" and REF as the first
	// path; take it as the ref when it is not a path but a commit.
	// A word that is no file is taken as the ref too unless it looks like a
	// notebook path, so that a ref missing from a shallow clone gets the
	// "fetch more history" message, not "no such file".
	if ref == "auto" && len(paths) > 0 {
		if _, statErr := os.Stat(paths[0]); statErr != nil {
			_, rerr := repo.Resolve(paths[0])
			lower := strings.ToLower(paths[0])
			if rerr == nil || !(strings.HasSuffix(lower, ".ipynb") || strings.HasSuffix(lower, ".py")) {
				ref, paths = paths[0], paths[1:]
			}
		}
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	var scopes []string
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			return nil, &analyze.PathError{Path: p}
		}
		rel, ok := repo.Rel(p)
		if !ok {
			return nil, &gitx.Error{Msg: fmt.Sprintf("%s is outside the git repository %s", p, repo.Root)}
		}
		scopes = append(scopes, rel)
	}
	var files []string
	if o.Staged {
		files, err = repo.Staged()
	} else {
		if ref == "auto" {
			if ref, err = repo.DefaultBase(); err != nil {
				return nil, err
			}
		}
		files, err = repo.Changed(ref)
	}
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []analyze.Input
	for _, f := range files {
		lower := strings.ToLower(f)
		isNB := strings.HasSuffix(lower, ".ipynb")
		isPy := o.IncludePy && strings.HasSuffix(lower, ".py")
		if !isNB && !isPy || !inScope(f, scopes) {
			continue
		}
		abs := filepath.Join(repo.Root, filepath.FromSlash(f))
		if settings.Excluded(settings.RelToRoot(abs)) {
			continue
		}
		in := analyze.Input{Path: f, File: abs, PercentOnly: isPy}
		if o.Staged {
			data, err := repo.Show("", f)
			if err != nil {
				return nil, err
			}
			if isPy && !notebook.IsPercent(data) {
				continue
			}
			in.Data, in.PercentOnly = data, false
		}
		out = append(out, in)
	}
	return out, nil
}

func inScope(f string, scopes []string) bool {
	for _, s := range scopes {
		if s == "." || f == s || strings.HasPrefix(f, strings.TrimSuffix(s, "/")+"/") {
			return true
		}
	}
	return false
}
