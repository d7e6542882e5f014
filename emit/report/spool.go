package report

import (
	"bufio"
	"bytes"
	"io"
	"os"
)

// spoolMemLimit is how much a spool keeps in memory before it moves to a
// temporary file (a variable so that tests can force the file).
var spoolMemLimit = 256 << 10

// spool holds report bytes that can only be written once the run is over.
// It keeps them in memory up to spoolMemLimit, then in a temporary file
// (unlinked at once where the system allows it). When no temporary file
// can be made it stays in memory.
type spool struct {
	mem  bytes.Buffer
	f    *os.File
	fw   *bufio.Writer
	name string // temporary file still to remove at close
	n    int64
	err  error
}

func (s *spool) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	s.n += int64(len(p))
	if s.f == nil && s.mem.Len()+len(p) > spoolMemLimit {
		s.spill()
	}
	if s.fw == nil {
		return s.mem.Write(p)
	}
	if _, err := s.fw.Write(p); err != nil {
		s.err = err
		return 0, err
	}
	return len(p), nil
}

func (s *spool) WriteString(p string) (int, error) {
	return s.Write([]byte(p))
}

func (s *spool) spill() {
	f, err := os.CreateTemp("", "nbprod-report-*")
	if err != nil {
		return
	}
	if os.Remove(f.Name()) != nil {
		s.name = f.Name() // open files cannot be removed here (Windows)
	}
	s.f, s.fw = f, bufio.NewWriterSize(f, 64<<10)
	if _, err := s.fw.Write(s.mem.Bytes()); err != nil {
		s.err = err
	}
	s.mem = bytes.Buffer{}
}

// Len is the number of bytes written.
func (s *spool) Len() int64 { return s.n }

// WriteTo copies the spooled bytes to w; it can be called once.
func (s *spool) WriteTo(w io.Writer) (int64, error) {
	if s.err != nil {
		return 0, s.err
	}
	if s.f == nil {
		return s.mem.WriteTo(w)
	}
	if err := s.fw.Flush(); err != nil {
		s.err = err
		return 0, err
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		s.err = err
		return 0, err
	}
	return io.Copy(w, s.f)
}

// close drops the bytes and the temporary file.
func (s *spool) close() {
	if s.f != nil {
		s.f.Close()
		s.f, s.fw = nil, nil
	}
	if s.name != "" {
		os.Remove(s.name)
		s.name = ""
	}
	s.mem = bytes.Buffer{}
}
