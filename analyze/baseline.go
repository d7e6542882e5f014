package analyze

import (
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/nbprod/nbprod/notebook"
)

// Baseline is a set of known findings (CONTRACT.md §4): check --baseline
// hides them and reports only new ones.
type Baseline struct {
	Version  int             `json:"version"`
	Findings []BaselineEntry `json:"findings"`
	// Dir is the directory of the baseline file: fingerprints use paths
	// relative to it.
	Dir string `json:"-"`
	set map[string]int
}

// BaselineEntry is one recorded finding.
type BaselineEntry struct {
	Rule        string `json:"rule"`
	Path        string `json:"path"`
	Fingerprint string `json:"fingerprint"`
}

// ReadBaseline reads a baseline file.
func ReadBaseline(file string) (*Baseline, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, &ConfigError{File: file, Msg: "cannot read baseline: " + err.Error()}
	}
	var b Baseline
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, &ConfigError{File: file, Msg: "not a baseline file: " + err.Error()}
	}
	if b.Version != 1 {
		return nil, &ConfigError{File: file, Msg: fmt.Sprintf("unsupported baseline version %d (want 1)", b.Version)}
	}
	b.Dir = filepath.Dir(file)
	b.set = map[string]int{}
	for _, e := range b.Findings {
		b.set[e.Fingerprint]++
	}
	return &b, nil
}

// Contains reports whether a fingerprint is recorded, consuming one entry so
// that a duplicate finding beyond the recorded count is new.
func (b *Baseline) take(fp string) bool {
	if b.set[fp] > 0 {
		b.set[fp]--
		return true
	}
	return false
}

// NewBaseline builds a baseline from the active findings of a result. The
// fingerprints must have been computed relative to dir (RunOptions.FingerprintDir).
// A streamed run gets the same baseline in Totals.Baseline
// (RunOptions.CollectBaseline).
func NewBaseline(res *Result) *Baseline {
	var entries []BaselineEntry
	for i := range res.Findings {
		f := &res.Findings[i]
		if f.Suppressed {
			continue
		}
		entries = append(entries, BaselineEntry{Rule: f.Rule, Path: f.fpPath, Fingerprint: f.Fingerprint})
	}
	return baselineOf(entries)
}

// baselineOf sorts the entries (path, rule, fingerprint) into a baseline.
func baselineOf(entries []BaselineEntry) *Baseline {
	if entries == nil {
		entries = []BaselineEntry{}
	}
	b := &Baseline{Version: 1, Findings: entries}
	sort.SliceStable(b.Findings, func(i, j int) bool {
		x, y := b.Findings[i], b.Findings[j]
		if x.Path != y.Path {
			return x.Path < y.Path
		}
		if x.Rule != y.Rule {
			return x.Rule < y.Rule
		}
		return x.Fingerprint < y.Fingerprint
	})
	return b
}

// Encode renders the baseline file.
func (b *Baseline) Encode() []byte {
	out, _ := json.MarshalIndent(b, "", "  ")
	return append(out, '\n')
}

// SecretKey returns the fingerprint key for a secret or personal value: a
// slow salted hash, so a baseline file does not let anyone test guesses of
// a weak password cheaply, and never the value itself.
func SecretKey(kind, value string) string {
	k, err := pbkdf2.Key(sha256.New, value, []byte("nbprod-baseline-v1:"+kind), 20000, 16)
	if err != nil {
		return "secret:" + kind
	}
	return "secret:" + kind + ":" + hex.EncodeToString(k)
}

// cellKey is the nbformat id when present, else a hash of the cell's
// whitespace-normalised source.
func cellKey(nb *notebook.Notebook, cell int) string {
	if cell < 0 || nb == nil || cell >= len(nb.Cells) {
		return "notebook"
	}
	c := &nb.Cells[cell]
	if c.ID != "" {
		return "id:" + c.ID
	}
	sum := sha256.Sum256([]byte(strings.Join(strings.Fields(c.Source), " ")))
	return "src:" + hex.EncodeToString(sum[:8])
}

// fingerprint computes the fingerprints of one notebook's findings (already
// sorted): sha256(rule ‖ path ‖ cell key ‖ snippet ‖ occurrence index).
// Line numbers are never part of it.
func fingerprint(nb *notebook.Notebook, fs []Finding, relPath string, redact func(cell, line int, text string) string) {
	occ := map[string]int{}
	var keys map[int]string // cell keys hash whole sources: once per cell
	for i := range fs {
		f := &fs[i]
		ck, ok := keys[f.Cell]
		if !ok {
			ck = cellKey(nb, f.Cell)
			if keys == nil {
				keys = map[int]string{}
			}
			keys[f.Cell] = ck
		}
		snip := f.Key
		if snip == "" {
			snip = snippetKey(nb, f, redact)
		}
		base := f.Rule + "\x00" + relPath + "\x00" + ck + "\x00" + snip
		n := occ[base]
		occ[base] = n + 1
		sum := sha256.Sum256([]byte(base + "\x00" + strconv.Itoa(n)))
		f.Fingerprint = "sha256:" + hex.EncodeToString(sum[:])
		f.fpPath = relPath
	}
}

// snippetKey is the whitespace-collapsed source text of the finding's first
// line, or its output location, or for notebook-level findings its rule
// alone (messages carry counts that change).
//
// The line is redacted first: a secret on it must not enter an unsalted
// hash.
func snippetKey(nb *notebook.Notebook, f *Finding, redact func(cell, line int, text string) string) string {
	if f.Output != nil {
		return fmt.Sprintf("output:%d:%s", f.Output.Index, f.Output.MIME)
	}
	if f.Cell < 0 || nb == nil || f.Cell >= len(nb.Cells) || f.Line < 1 {
		return ""
	}
	line := nb.Cells[f.Cell].Line(f.Line)
	if redact != nil {
		line = redact(f.Cell, f.Line, line)
	}
	return strings.Join(strings.Fields(line), " ")
}
