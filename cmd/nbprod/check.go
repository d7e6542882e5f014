package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/rules"
	"github.com/nbprod/nbprod/emit/report"
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
	inputs, err := analyze.Discover(o.Paths, o.IncludePy, settings)
	if err != nil {
		var pe *analyze.PathError
		if errors.As(err, &pe) {
			return &exitError{code: exitUsage, err: err}
		}
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
	res := analyze.Run(inputs, ro)
	prog.done()

	if o.WriteBaseline != "" {
		b := analyze.NewBaseline(res)
		if err := writeFileAtomic(o.WriteBaseline, b.Encode()); err != nil {
			return &exitError{code: exitUsage, err: err}
		}
		fmt.Fprintf(o.IO.Err, "nbprod: wrote %d %s to %s\n", len(b.Findings), plural(len(b.Findings), "finding", "findings"), o.WriteBaseline)
		if len(res.Errors) > 0 {
			return &exitError{code: exitInternal}
		}
		return nil
	}

	opts := report.Options{ShowInfo: o.ShowInfo, ToolVersion: version(), Statistics: o.Statistics}
	if o.Output == "" {
		opts.Color = o.IO.color(o.IO.OutTTY)
		if err := report.Write(o.IO.Out, o.Format, res, opts); err != nil {
			return &exitError{code: exitInternal, err: err}
		}
	} else {
		var buf bytes.Buffer
		if err := report.Write(&buf, o.Format, res, opts); err != nil {
			return &exitError{code: exitInternal, err: err}
		}
		if err := writeFileAtomic(o.Output, buf.Bytes()); err != nil {
			return &exitError{code: exitUsage, err: err}
		}
	}
	switch {
	case len(res.Errors) > 0:
		for _, e := range res.Errors {
			fmt.Fprintf(o.IO.Err, "nbprod: %s: %s\n", e.Path, firstLine(e.Msg))
		}
		return &exitError{code: exitInternal}
	case res.Failing(settings.FailOn):
		return &exitError{code: exitFindings}
	}
	return nil
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
// it into place, so a reader never sees a half-written report.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	name := tmp.Name()
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(name)
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(name)
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := os.Chmod(name, 0o644); err != nil {
		os.Remove(name)
		return err
	}
	if err := os.Rename(name, path); err != nil {
		os.Remove(name)
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}
