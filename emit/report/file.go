package report

import (
	"os"
	"path/filepath"
)

// FileError is a report file that cannot be created, written or put in
// place.
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string { return "cannot write " + e.Path + ": " + e.Err.Error() }

func (e *FileError) Unwrap() error { return e.Err }

// AtomicFile is a report file written in a temporary file next to its
// path and renamed into place by Commit, so that a reader never sees a
// half-written report and a failed run leaves no partial file.
type AtomicFile struct {
	path string
	f    *os.File
	done bool
}

// CreateAtomic starts writing the file at path.
func CreateAtomic(path string) (*AtomicFile, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return nil, &FileError{Path: path, Err: err}
	}
	return &AtomicFile{path: path, f: f}, nil
}

// Write writes to the temporary file; errors are *FileError.
func (a *AtomicFile) Write(p []byte) (int, error) {
	n, err := a.f.Write(p)
	if err != nil {
		return n, &FileError{Path: a.path, Err: err}
	}
	return n, nil
}

// Commit closes the temporary file and renames it to the path (mode
// 0644). On failure the temporary file is removed.
func (a *AtomicFile) Commit() error {
	if a.done {
		return &FileError{Path: a.path, Err: os.ErrClosed}
	}
	a.done = true
	name := a.f.Name()
	fail := func(err error) error {
		os.Remove(name)
		return &FileError{Path: a.path, Err: err}
	}
	if err := a.f.Close(); err != nil {
		return fail(err)
	}
	if err := os.Chmod(name, 0o644); err != nil {
		return fail(err)
	}
	if err := os.Rename(name, a.path); err != nil {
		return fail(err)
	}
	return nil
}

// Abort removes the temporary file, leaving the path as it was. It does
// nothing after Commit, so it can be deferred.
func (a *AtomicFile) Abort() {
	if a.done {
		return
	}
	a.done = true
	a.f.Close()
	os.Remove(a.f.Name())
}
