// Package gitx runs the git command for nbprod's changed-files mode and for
// reading blobs (git:REF:path). Every error is a *Error with a one-line
// message that says what to do.
package gitx

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Error is a git problem nbprod reports with exit code 2.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

// Repo is a git working tree.
type Repo struct {
	Root string // absolute path of the top-level directory
}

// Open finds the repository containing dir.
func Open(dir string) (*Repo, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, &Error{"git is not installed (changed-files mode and git: paths need the git command)"}
	}
	out, err := run(dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, &Error{fmt.Sprintf("not a git repository: %s (run nbprod in a clone, or check paths without --changed/--staged)", absOr(dir))}
	}
	return &Repo{Root: strings.TrimSpace(out)}, nil
}

func absOr(dir string) string {
	if a, err := filepath.Abs(dir); err == nil {
		return a
	}
	return dir
}

func run(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "LC_ALL=C")
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return stdout.String(), errors.New(msg)
	}
	return stdout.String(), nil
}

// Git runs a git command in the repository root.
func (r *Repo) Git(args ...string) (string, error) { return run(r.Root, args...) }

// Shallow reports whether the clone is shallow.
func (r *Repo) Shallow() bool {
	out, err := r.Git("rev-parse", "--is-shallow-repository")
	return err == nil && strings.TrimSpace(out) == "true"
}

// fetchHint says how to get more history.
func (r *Repo) fetchHint() string {
	if r.Shallow() {
		return "this is a shallow clone: fetch more history with `git fetch --deepen=100` (or `fetch-depth: 0` in actions/checkout)"
	}
	return "fetch it with `git fetch origin <ref>` (or `fetch-depth: 0` in actions/checkout)"
}

// Resolve checks that ref names a commit in this clone.
func (r *Repo) Resolve(ref string) (string, error) {
	out, err := r.Git("rev-parse", "--verify", "--quiet", ref+"^{commit}")
	if err != nil || strings.TrimSpace(out) == "" {
		return "", &Error{fmt.Sprintf("git ref %q is not in this clone; %s", ref, r.fetchHint())}
	}
	return strings.TrimSpace(out), nil
}

// DefaultBase is the ref changed-files mode compares with when none is
// given: the merge base of HEAD with the remote's default branch (the pull
// request's base branch on GitHub Actions), else HEAD.
func (r *Repo) DefaultBase() (string, error) {
	var branch string
	if b := os.Getenv("GITHUB_BASE_REF"); b != "" {
		branch = "origin/" + b
	} else if out, err := r.Git("symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"); err == nil {
		branch = strings.TrimPrefix(strings.TrimSpace(out), "refs/remotes/")
	} else {
		for _, cand := range []string{"origin/main", "origin/master"} {
			if _, err := r.Git("rev-parse", "--verify", "--quiet", cand+"^{commit}"); err == nil {
				branch = cand
				break
			}
		}
	}
	if branch == "" {
		return r.Resolve("HEAD")
	}
	if _, err := r.Resolve(branch); err != nil {
		return "", err
	}
	out, err := r.Git("merge-base", "HEAD", branch)
	if err != nil {
		return "", &Error{fmt.Sprintf("no merge base between HEAD and %s; %s", branch, r.fetchHint())}
	}
	return strings.TrimSpace(out), nil
}

// Changed lists the files (paths relative to the root, slash-separated)
// added, modified, renamed or copied in the working tree since ref, plus
// untracked files; deleted files are left out.
func (r *Repo) Changed(ref string) ([]string, error) {
	if _, err := r.Resolve(ref); err != nil {
		return nil, err
	}
	out, err := r.Git("diff", "--name-only", "-z", "--no-renames", "--diff-filter=ACMRT", ref, "--")
	if err != nil {
		return nil, &Error{fmt.Sprintf("git diff against %s failed: %s", ref, firstLine(err.Error()))}
	}
	files := splitZ(out)
	untracked, err := r.Git("ls-files", "-z", "--others", "--exclude-standard")
	if err == nil {
		files = append(files, splitZ(untracked)...)
	}
	return dedupe(files), nil
}

// Staged lists the files added, modified, renamed or copied in the index
// (what the next commit will contain).
func (r *Repo) Staged() ([]string, error) {
	out, err := r.Git("diff", "--cached", "--name-only", "-z", "--no-renames", "--diff-filter=ACMRT", "--")
	if err != nil {
		return nil, &Error{fmt.Sprintf("git diff --cached failed: %s", firstLine(err.Error()))}
	}
	return dedupe(splitZ(out)), nil
}

// Show returns a file's content at a ref ("" ref = the index, i.e. the
// staged blob). path is relative to the repository root.
func (r *Repo) Show(ref, path string) ([]byte, error) {
	spec := ref + ":" + path
	if ref == "" {
		spec = ":" + path
	}
	cmd := exec.Command("git", "show", spec)
	cmd.Dir = r.Root
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "LC_ALL=C")
	if err := cmd.Run(); err != nil {
		msg := firstLine(strings.TrimSpace(stderr.String()))
		if ref != "" {
			if _, rerr := r.Resolve(ref); rerr != nil {
				return nil, rerr
			}
		}
		return nil, &Error{fmt.Sprintf("cannot read %s from git: %s", spec, msg)}
	}
	return stdout.Bytes(), nil
}

// Rel makes an absolute or cwd-relative path relative to the repository
// root; ok is false when it is outside the repository.
func (r *Repo) Rel(p string) (string, bool) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", false
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	root := r.Root
	if real, err := filepath.EvalSymlinks(root); err == nil {
		root = real
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

func splitZ(s string) []string {
	var out []string
	for _, f := range strings.Split(s, "\x00") {
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
