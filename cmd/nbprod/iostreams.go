package main

import (
	"io"
	"os"

	"github.com/charmbracelet/x/term"
)

// ioStreams carries the process's streams and terminal facts, so commands
// never reach for os.Stdout or the environment directly (gh's IOStreams).
type ioStreams struct {
	In     io.Reader
	Out    io.Writer
	Err    io.Writer
	OutTTY bool // stdout is a terminal
	ErrTTY bool // stderr is a terminal
	Getenv func(string) string
}

func systemIO() *ioStreams {
	return &ioStreams{
		In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		OutTTY: term.IsTerminal(os.Stdout.Fd()),
		ErrTTY: term.IsTerminal(os.Stderr.Fd()),
		Getenv: os.Getenv,
	}
}

// color reports whether output to a terminal stream should be styled:
// NO_COLOR (any value) turns styling off.
func (s *ioStreams) color(tty bool) bool {
	return tty && s.Getenv("NO_COLOR") == "" && s.Getenv("TERM") != "dumb"
}
