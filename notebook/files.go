package notebook

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// openFile opens a regular file for reading; directories and other
// non-regular files are refused.
func openFile(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if st.IsDir() {
		f.Close()
		return nil, errIsDir
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, errNotRegular
	}
	return f, nil
}

var (
	errIsDir      = errors.New("is a directory")
	errNotRegular = errors.New("not a regular file")
)

func describeOpenError(err error) string {
	switch {
	case errors.Is(err, errIsDir):
		return "cannot read: it is a directory, not a notebook file"
	case errors.Is(err, errNotRegular):
		return "cannot read: not a regular file"
	case errors.Is(err, fs.ErrNotExist):
		return "cannot read: no such file"
	case errors.Is(err, fs.ErrPermission):
		return "cannot read: permission denied"
	case errors.Is(err, syscall.ELOOP):
		return "cannot read: too many levels of symbolic links (a symlink loop)"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return "cannot read: " + pe.Err.Error()
	}
	return "cannot read: " + err.Error()
}
