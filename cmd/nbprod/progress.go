package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// progress draws a bar with counts on stderr when stderr is a terminal and
// the run is long enough to need one; it prints nothing when piped.
type progress struct {
	io      *ioStreams
	total   int
	enabled bool
	start   time.Time

	mu    sync.Mutex // update runs on the workers, clear on the report writer
	last  time.Time
	drawn bool
}

func newProgress(io *ioStreams, total int) *progress {
	return &progress{io: io, total: total, enabled: io.ErrTTY && total > 1, start: time.Now()}
}

func (p *progress) update(done, total int) {
	if !p.enabled {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	// Stay quiet for quick runs; then redraw at most ten times a second.
	if now.Sub(p.start) < 300*time.Millisecond || (now.Sub(p.last) < 100*time.Millisecond && done < total) {
		return
	}
	p.last = now
	const width = 30
	filled := width * done / total
	fmt.Fprintf(p.io.Err, "\r[%s%s] %d/%d notebooks", strings.Repeat("=", filled), strings.Repeat(" ", width-filled), done, total)
	p.drawn = true
}

// clear erases the bar; the next update draws it again.
func (p *progress) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.io.Err, "\r\x1b[K")
		p.drawn = false
	}
}

func (p *progress) done() { p.clear() }

// writer returns w, made to erase the bar before each write: the report
// streams to stdout while the bar is drawn, and both may be one terminal.
func (p *progress) writer(w io.Writer) io.Writer {
	if !p.enabled {
		return w
	}
	return progressWriter{p, w}
}

type progressWriter struct {
	p *progress
	w io.Writer
}

func (pw progressWriter) Write(b []byte) (int, error) {
	pw.p.clear()
	return pw.w.Write(b)
}
