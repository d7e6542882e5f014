package main

import (
	"fmt"
	"strings"
	"time"
)

// progress draws a bar with counts on stderr when stderr is a terminal and
// the run is long enough to need one; it prints nothing when piped.
type progress struct {
	io      *ioStreams
	total   int
	enabled bool
	start   time.Time
	last    time.Time
	drawn   bool
}

func newProgress(io *ioStreams, total int) *progress {
	return &progress{io: io, total: total, enabled: io.ErrTTY && total > 1, start: time.Now()}
}

func (p *progress) update(done, total int) {
	if !p.enabled {
		return
	}
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

func (p *progress) done() {
	if p.drawn {
		fmt.Fprint(p.io.Err, "\r\x1b[K")
	}
}
