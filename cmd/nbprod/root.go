package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/internal/gitx"
	"github.com/spf13/cobra"
)

// Exit codes (README "Exit codes"; CONTRACT.md §4).
const (
	exitOK       = 0 // nothing at or above --fail-on
	exitFindings = 1 // findings at or above --fail-on
	exitUsage    = 2 // bad flag or config, or a path that does not exist
	exitInternal = 3 // internal error (a recovered panic), reported with the file name
)

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	err  error // printed on stderr when set
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func usageErr(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

func newRootCmd(io *ioStreams) *cobra.Command {
	root := &cobra.Command{
		Use:   "nbprod",
		Short: "Find what stops a Jupyter notebook from going to production",
		Long: `nbprod reads Jupyter notebooks (.ipynb nbformat 3 and 4, and jupytext
percent-format .py scripts) and reports production blockers: hidden state
from out-of-order execution, hardcoded data paths, secrets, personal data,
magics, environment and reproducibility problems. See "nbprod rules".`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(io.Out)
	root.SetErr(io.Err)
	root.SetIn(io.In)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &exitError{code: exitUsage, err: fmt.Errorf("%w\nRun '%s --help' for usage.", err, c.CommandPath())}
	})
	root.AddCommand(
		newCheckCmd(io, nil),
		newGraphCmd(io),
		newDiffCmd(io),
		newRulesCmd(io),
		newExplainCmd(io),
		newVersionCmd(io),
	)
	registerCompletions(root)
	return root
}

// run executes the command line and returns the exit code.
func run(args []string, io *ioStreams) int {
	root := newRootCmd(io)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(io.Err, "nbprod: "+ee.err.Error())
		}
		return ee.code
	}
	var ce *analyze.ConfigError
	if errors.As(err, &ce) {
		fmt.Fprintln(io.Err, "nbprod: "+ce.Error())
		return exitUsage
	}
	var ge *gitx.Error
	if errors.As(err, &ge) {
		fmt.Fprintln(io.Err, "nbprod: "+ge.Error())
		return exitUsage
	}
	// cobra's own errors: unknown command, missing arguments.
	msg := err.Error()
	fmt.Fprintln(io.Err, "nbprod: "+msg)
	if strings.HasPrefix(msg, "unknown command") || strings.Contains(msg, "arg(s)") || strings.Contains(msg, "flag") {
		fmt.Fprintln(io.Err, "Run 'nbprod --help' for usage.")
	}
	return exitUsage
}
