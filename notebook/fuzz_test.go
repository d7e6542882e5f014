package notebook

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func seedNotebooks(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.ipynb")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{"", "{}", "[]", `{"cells":[],"nbformat":4}`, `{"worksheets":[{"cells":[{"cell_type":"code","input":"x"}]}],"nbformat":3}`,
		`{"cells":[{"cell_type":"code","source":["a\r\n","b\u00e9\\\"c"]}],"nbformat":4}`, "\xef\xbb\xbf{", `{"cells":[{"cell_type":"code","source":["aé€😀b\\n", "ñ"]}],"nbformat":4}`, "{\"cells\":[{\"source\":\"\\ud83d\\ude00\"}]}"} {
		f.Add([]byte(s))
	}
}

// shortReader returns at most n bytes per Read.
type shortReader struct {
	r io.Reader
	n int
}

func (r *shortReader) Read(p []byte) (int, error) {
	if len(p) > r.n {
		p = p[:r.n]
	}
	return r.r.Read(p)
}

// FuzzReadIPYNB: any bytes give a notebook or a ReadError naming the file;
// never a panic; positions of every cell line map somewhere or nowhere.
func FuzzReadIPYNB(f *testing.F) {
	seedNotebooks(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		// A hang is a bug too: fail (and keep the input) past 5 seconds.
		done := make(chan struct{})
		var nb *Notebook
		var err error
		go func() {
			defer close(done)
			nb, err = ReadIPYNB("fuzz.ipynb", bytes.NewReader(data))
		}()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("ReadIPYNB hangs on %q", data)
		}
		// The streaming scanner must not depend on where its reads end:
		// short reads give the same notebook or the same error.
		for _, n := range []int{1, 2, 3, 7} {
			nb1, err1 := ReadIPYNB("fuzz.ipynb", &shortReader{bytes.NewReader(data), n})
			if fmt.Sprint(err) != fmt.Sprint(err1) {
				t.Fatalf("%d bytes per read: error %v, want %v", n, err1, err)
			}
			if err == nil && !reflect.DeepEqual(nb, nb1) {
				t.Fatalf("%d bytes per read give another notebook", n)
			}
		}
		if err != nil {
			var re *ReadError
			if !errors.As(err, &re) || !strings.HasPrefix(err.Error(), "fuzz.ipynb: ") {
				t.Fatalf("error %T %q does not name the file", err, err)
			}
			return
		}
		for i := range nb.Cells {
			c := &nb.Cells[i]
			if c.Index != i {
				t.Fatalf("cell %d has index %d", i, c.Index)
			}
			for l := 1; l <= strings.Count(c.Source, "\n")+1; l++ {
				c.FilePos(l, 1)
				c.FilePos(l, 1000)
			}
			for _, o := range c.Outputs {
				for j := range o.Data {
					o.Data[j].FileLine(1)
				}
			}
		}
	})
}

// FuzzReadPercent: any text gives cells or a ReadError, never a panic.
func FuzzReadPercent(f *testing.F) {
	if b, err := os.ReadFile("testdata/percent.py"); err == nil {
		f.Add(b)
	}
	for _, s := range []string{"# %%\nx = 1\n# %% [markdown]\n# hi\n", "# ---\n# jupyter:\n# ---\n", "#%% tags=[\"a\"\n", "# %% [raw] k=\"v\" x=[1,\n",
		// Found by fuzzing: empty cells had no position map.
		"# %%\n# %%\n", "# %%", "# %% [markdown]\n# %%\n\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		nb, err := ReadPercent("fuzz.py", data)
		if err != nil {
			return
		}
		for i := range nb.Cells {
			c := &nb.Cells[i]
			for l := 1; l <= strings.Count(c.Source, "\n")+1; l++ {
				if fl, _ := c.FilePos(l, 1); fl < 1 {
					t.Fatalf("cell %d line %d has no file line", i, l)
				}
			}
		}
	})
}
