// Command floor is the physical floor that scripts/bench compares
// `nbprod check` with: it reads every notebook, decodes its JSON and parses
// every code cell with tree-sitter, on all cores, and does nothing else.
//
// It uses nbprod's own fast paths, so the comparison is as hard as it can
// be: notebook.Read (the streaming decoder that skips output payloads) and
// one pysyntax.Parser per worker (tree-sitter with libc's allocator, the
// tree copied into a flat Go array). Magic lines are blanked the same
// simple way the ruff benchmark (scripts/ruff/lint.js) blanks them, not
// with nbprod's IPython masker, which is part of what check pays for.
//
// Usage:
//
//	go run ./scripts/floor [-j N] [-list FILE] [PATH...]
//
// PATH is a notebook or a directory walked for .ipynb files (skipping the
// directories nbprod skips). -list reads one path per line. It prints one
// summary line (notebooks, code cells, bytes parsed, nodes, cells with
// syntax errors, unreadable files) so the work cannot be optimised away and
// the counts can be compared with the other tools'.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"

	"github.com/nbprod/nbprod/analyze/pysyntax"
	"github.com/nbprod/nbprod/notebook"
)

// skipDirs mirrors analyze.Discover's directory exclusions.
var skipDirs = map[string]bool{
	".ipynb_checkpoints": true, ".git": true, ".hg": true, ".svn": true, ".bzr": true,
	".direnv": true, ".eggs": true, ".mypy_cache": true, ".nox": true, ".pytest_cache": true,
	".ruff_cache": true, ".tox": true, ".venv": true, "venv": true, "__pycache__": true,
	"__pypackages__": true, "_build": true, "buck-out": true, "node_modules": true,
	"site-packages": true, ".pyenv": true, ".pytype": true, ".vscode": true, "dist": true,
}

// pythonBodyMagics are the cell magics whose body is still Python (the
// same list as nbprod's facts package).
var pythonBodyMagics = map[string]bool{"time": true, "prun": true, "capture": true, "timeit": true}

type stats struct {
	notebooks, unreadable, cells, skipped, errCells int
	bytes, nodes                                    int64
}

func (s *stats) add(o stats) {
	s.notebooks += o.notebooks
	s.unreadable += o.unreadable
	s.cells += o.cells
	s.skipped += o.skipped
	s.errCells += o.errCells
	s.bytes += o.bytes
	s.nodes += o.nodes
}

func main() {
	jobs := flag.Int("j", 0, "parallel workers (0: all cores)")
	list := flag.String("list", "", "read notebook paths from `FILE`, one a line")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to `FILE`")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: floor [-j N] [-list FILE] [PATH...]\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	files, err := collect(*list, flag.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(2)
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "floor:", err)
			os.Exit(2)
		}
		defer pprof.StopCPUProfile()
	}
	n := *jobs
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	if n > len(files) {
		n = len(files)
	}
	next := make(chan string)
	results := make([]stats, n)
	var wg sync.WaitGroup
	for w := 0; w < n; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			p := pysyntax.NewParser()
			defer p.Close()
			var st stats
			var buf []byte
			for f := range next {
				buf = parseNotebook(p, f, &st, buf)
			}
			results[w] = st
		}(w)
	}
	for _, f := range files {
		next <- f
	}
	close(next)
	wg.Wait()
	var total stats
	for _, r := range results {
		total.add(r)
	}
	fmt.Printf("floor: %d notebooks (%d unreadable), %d code cells parsed (%d skipped: cell magic or too large), %d bytes, %d nodes, %d cells with syntax errors\n",
		total.notebooks, total.unreadable, total.cells, total.skipped, total.bytes, total.nodes, total.errCells)
}

// parseNotebook reads one notebook and parses its code cells. buf is
// scratch space reused across cells (the tree keeps its source, so a cell's
// bytes are only reused once its tree is dropped).
func parseNotebook(p *pysyntax.Parser, path string, st *stats, buf []byte) []byte {
	st.notebooks++
	nb, err := notebook.Read(path)
	if err != nil || nb == nil {
		st.unreadable++
		return buf
	}
	for i := range nb.Cells {
		c := &nb.Cells[i]
		if c.Kind != notebook.Code {
			continue
		}
		if c.TooLarge {
			st.skipped++
			continue
		}
		var ok bool
		buf, ok = blankMagics(buf[:0], c.Source)
		if !ok {
			st.skipped++
			continue
		}
		t := p.Parse(buf)
		st.cells++
		st.bytes += int64(len(buf))
		st.nodes += int64(t.Len())
		if t.TooDeep || t.HasError() {
			st.errCells++
		}
	}
	return buf
}

// blankMagics appends src to dst with IPython-only lines replaced by `pass`
// at the same indentation (line numbers are kept): lines starting with %,
// ! or ?, lines ending with ?, and `x = !cmd` / `x = %magic` assignments.
// A cell starting with a cell magic is skipped (ok false) unless its body
// is Python (%%time, %%timeit, %%capture, %%prun), whose first line is
// blanked. scripts/ruff/lint.js implements the same rules.
func blankMagics(dst []byte, src string) ([]byte, bool) {
	if strings.HasPrefix(src, "%%") {
		name := src[2:]
		if i := strings.IndexAny(name, " \t\r\n"); i >= 0 {
			name = name[:i]
		}
		if !pythonBodyMagics[name] {
			return dst, false
		}
		nl := strings.IndexByte(src, '\n')
		if nl < 0 {
			return dst, true
		}
		dst = append(dst, '\n')
		src = src[nl+1:]
	}
	for len(src) > 0 {
		line := src
		rest := ""
		if i := strings.IndexByte(src, '\n'); i >= 0 {
			line, rest = src[:i+1], src[i+1:]
		}
		src = rest
		body := strings.TrimRight(line, "\r\n")
		trimmed := strings.TrimLeft(body, " \t")
		if isMagicLine(trimmed) {
			indent := body[:len(body)-len(trimmed)]
			dst = append(dst, indent...)
			dst = append(dst, "pass"...)
			dst = append(dst, line[len(body):]...)
			continue
		}
		dst = append(dst, line...)
	}
	return dst, true
}

func isMagicLine(t string) bool {
	if t == "" {
		return false
	}
	switch t[0] {
	case '%', '!', '?':
		return true
	case '#':
		return false
	}
	if strings.HasSuffix(strings.TrimRight(t, " \t"), "?") {
		return true
	}
	// name = !cmd, a, b = %magic
	if i := strings.IndexByte(t, '='); i > 0 {
		lhs, rhs := t[:i], strings.TrimLeft(t[i+1:], " \t")
		if rhs != "" && (rhs[0] == '!' || rhs[0] == '%') && isTargetList(lhs) {
			return true
		}
	}
	return false
}

// isTargetList reports whether s is a comma-separated list of dotted names
// (the left side of `x = !ls`).
func isTargetList(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	for _, r := range s {
		switch {
		case r == '_' || r == '.' || r == ',' || r == ' ' || r == '\t':
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case r > 127:
		default:
			return false
		}
	}
	return true
}

// collect returns the notebooks named by -list and the arguments, in the
// order given (directories walked in lexical order).
func collect(list string, args []string) ([]string, error) {
	var files []string
	if list != "" {
		f, err := os.Open(list)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			if l := strings.TrimRight(sc.Text(), "\r"); l != "" {
				files = append(files, l)
			}
		}
		if err := sc.Err(); err != nil {
			return nil, err
		}
	}
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			files = append(files, a)
			continue
		}
		var found []string
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() {
				if p != a && skipDirs[d.Name()] {
					return fs.SkipDir
				}
				return nil
			}
			if strings.HasSuffix(strings.ToLower(d.Name()), ".ipynb") {
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	return files, nil
}
