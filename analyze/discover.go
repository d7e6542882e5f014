package analyze

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// Input is one file to check.
type Input struct {
	Path string // display path: slash-separated, as given joined with the walked path
	File string // file to read ("" when Data is set)
	Data []byte // content, for inputs that are not files (git blobs)
	// PercentOnly skips the input silently when it is a .py file that is not
	// a percent-format notebook (directory walks with --include-py).
	PercentOnly bool
}

// PathError is a path argument that does not exist (exit code 2).
type PathError struct{ Path string }

func (e *PathError) Error() string { return e.Path + ": no such file or directory" }

// skipDirs are never walked into (ruff's default exclusions plus Jupyter's
// checkpoint folders).
var skipDirs = map[string]bool{
	".ipynb_checkpoints": true, ".git": true, ".hg": true, ".svn": true, ".bzr": true,
	".direnv": true, ".eggs": true, ".mypy_cache": true, ".nox": true, ".pytest_cache": true,
	".ruff_cache": true, ".tox": true, ".venv": true, "venv": true, "__pycache__": true,
	"__pypackages__": true, "_build": true, "buck-out": true, "node_modules": true,
	"site-packages": true, ".pyenv": true, ".pytype": true, ".vscode": true, "dist": true,
}

// Discover expands path arguments into inputs: files are taken as they are
// (an explicit .py is read as a percent-format notebook), directories are
// walked for .ipynb files (and percent .py files when includePy). Excluded
// paths are dropped. A missing path is a *PathError.
func Discover(args []string, includePy bool, s *Settings) ([]Input, error) {
	// Inputs are appended as they are found and deduplicated after the
	// sort (the first one given wins, as the sort is stable): a walk of
	// 50,000 notebooks keeps one list, not a list, a copy and a set.
	var out []Input
	add := func(in Input) {
		if s != nil && s.Excluded(s.RelToRoot(in.File)) {
			return
		}
		out = append(out, in)
	}
	for _, arg := range args {
		st, err := os.Stat(arg)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				if _, lerr := os.Lstat(arg); lerr == nil {
					// A dangling symlink or a symlink loop: report it as an
					// unreadable notebook rather than a usage error.
					add(Input{Path: filepath.ToSlash(arg), File: arg})
					continue
				}
				return nil, &PathError{Path: arg}
			}
			add(Input{Path: filepath.ToSlash(arg), File: arg})
			continue
		}
		if !st.IsDir() {
			add(Input{Path: filepath.ToSlash(filepath.Clean(arg)), File: arg})
			continue
		}
		err = filepath.WalkDir(arg, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if p == arg {
					return err
				}
				// An unreadable directory or file inside the walk: report it
				// as a notebook that cannot be read, and go on.
				if d != nil && d.IsDir() {
					add(Input{Path: filepath.ToSlash(p), File: p})
					return fs.SkipDir
				}
				return nil
			}
			name := d.Name()
			if d.IsDir() {
				if p != arg && (skipDirs[name] || (s != nil && s.Excluded(s.RelToRoot(p)))) {
					return fs.SkipDir
				}
				return nil
			}
			lower := strings.ToLower(name)
			switch {
			case strings.HasSuffix(lower, ".ipynb"):
				add(Input{Path: filepath.ToSlash(p), File: p})
			case includePy && strings.HasSuffix(lower, ".py"):
				add(Input{Path: filepath.ToSlash(p), File: p, PercentOnly: true})
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", arg, err)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	uniq := out[:0]
	for i := range out {
		if i == 0 || out[i].Path != out[i-1].Path {
			uniq = append(uniq, out[i])
		}
	}
	return slices.Clip(uniq), nil
}
