package nbdiff

import (
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Op is the kind of a diff line.
type Op uint8

const (
	// Context is a line present on both sides.
	Context Op = iota
	// Delete is a line only in the old text.
	Delete
	// Insert is a line only in the new text.
	Insert
)

func (o Op) String() string {
	switch o {
	case Delete:
		return "delete"
	case Insert:
		return "insert"
	}
	return "context"
}

// Line is one line of a hunk.
type Line struct {
	Op   Op
	Text string // without the line break
	// Old and New are the 1-based line numbers on each side (0 when the
	// line is not on that side).
	Old, New int
}

// Hunk is a run of changed lines with surrounding context, as in a unified
// diff: OldStart,OldLines and NewStart,NewLines describe the "@@ -a,b +c,d
// @@" header (a side with no lines starts at the line before the hunk).
type Hunk struct {
	OldStart, OldLines int
	NewStart, NewLines int
	Lines              []Line
}

// DefaultContext is the number of unchanged lines shown around a change.
const DefaultContext = 3

// splitLines splits a cell source into its lines; the empty source has none.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// LineOps diffs two texts line by line with go-diff's line mode
// (diffmatchpatch.DiffLinesToRunes, DiffMainRunes, DiffCharsToLines) and
// returns every line, numbered, in order: common lines as Context, the
// others as Delete (old only) or Insert (new only). No time limit is set,
// so the result never depends on the machine's speed.
func LineOps(a, b string) []Line {
	la, lb := splitLines(a), splitLines(b)
	if len(la) == 0 || len(lb) == 0 || a == b {
		return trivialOps(la, lb, a == b)
	}
	// Each line gets its "\n" back so the last line compares like the
	// others; go-diff then maps every distinct line to one rune.
	ta, tb := strings.Join(la, "\n")+"\n", strings.Join(lb, "\n")+"\n"
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	ra, rb, arr := dmp.DiffLinesToRunes(ta, tb)
	diffs := dmp.DiffCharsToLines(dmp.DiffMainRunes(ra, rb, false), arr)
	var out []Line
	oi, ni := 0, 0
	for _, d := range diffs {
		text := strings.TrimSuffix(d.Text, "\n")
		if d.Text == "" {
			continue
		}
		for _, l := range strings.Split(text, "\n") {
			switch d.Type {
			case diffmatchpatch.DiffEqual:
				oi++
				ni++
				out = append(out, Line{Op: Context, Text: l, Old: oi, New: ni})
			case diffmatchpatch.DiffDelete:
				oi++
				out = append(out, Line{Op: Delete, Text: l, Old: oi})
			case diffmatchpatch.DiffInsert:
				ni++
				out = append(out, Line{Op: Insert, Text: l, New: ni})
			}
		}
	}
	return out
}

func trivialOps(la, lb []string, same bool) []Line {
	var out []Line
	if same {
		for i, l := range la {
			out = append(out, Line{Op: Context, Text: l, Old: i + 1, New: i + 1})
		}
		return out
	}
	for i, l := range la {
		out = append(out, Line{Op: Delete, Text: l, Old: i + 1})
	}
	for i, l := range lb {
		out = append(out, Line{Op: Insert, Text: l, New: i + 1})
	}
	return out
}

// LineDiff returns the hunks that turn a into b, with context lines of
// unchanged text around each change (hunks closer than 2·context lines are
// merged). Equal texts give no hunk.
func LineDiff(a, b string, context int) []Hunk {
	if a == b {
		return nil
	}
	return Hunks(LineOps(a, b), context)
}

// Hunks groups numbered lines (LineOps) into hunks: each change with up to
// context unchanged lines on each side; changes separated by at most
// 2·context unchanged lines share a hunk.
func Hunks(ops []Line, context int) []Hunk {
	if context < 0 {
		context = 0
	}
	var changes []int
	for i := range ops {
		if ops[i].Op != Context {
			changes = append(changes, i)
		}
	}
	var hunks []Hunk
	for i := 0; i < len(changes); {
		first, last := changes[i], changes[i]
		j := i + 1
		for j < len(changes) && changes[j]-last-1 <= 2*context {
			last = changes[j]
			j++
		}
		hunks = append(hunks, makeHunk(ops, max(0, first-context), min(len(ops), last+1+context)))
		i = j
	}
	return hunks
}

// makeHunk builds the hunk of ops[start:end]. A side with no line in the
// hunk starts at its last line before the hunk (0 at the top), as in GNU
// diff's unified format.
func makeHunk(ops []Line, start, end int) Hunk {
	h := Hunk{Lines: append([]Line(nil), ops[start:end]...)}
	for _, l := range h.Lines {
		if l.Old > 0 {
			if h.OldLines == 0 {
				h.OldStart = l.Old
			}
			h.OldLines++
		}
		if l.New > 0 {
			if h.NewLines == 0 {
				h.NewStart = l.New
			}
			h.NewLines++
		}
	}
	if h.OldLines == 0 {
		h.OldStart = lastBefore(ops, start, func(l Line) int { return l.Old })
	}
	if h.NewLines == 0 {
		h.NewStart = lastBefore(ops, start, func(l Line) int { return l.New })
	}
	return h
}

func lastBefore(ops []Line, start int, num func(Line) int) int {
	for k := start - 1; k >= 0; k-- {
		if n := num(ops[k]); n > 0 {
			return n
		}
	}
	return 0
}
