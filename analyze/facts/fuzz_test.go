package facts

import (
	"testing"

	"github.com/nbprod/nbprod/notebook"
)

// FuzzAnalyzeCell: masking, parsing and the def-use walk of any source end
// in a result (never a panic), with positions inside the source.
func FuzzAnalyzeCell(f *testing.F) {
	for _, s := range []string{benchCell, "x = !ls\n%time y = f(x)\n", "def f(:\n", "match p:\n case [a, *b]: pass\n",
		"print 'x'\n", "lambda: (yield)", "class C:\n  def m(self): return [k for k in self]\n", "f\"{a!r:{b}}\"",
		"%%timeit\nx=1", "a, *b = c = d", "global x\nx += 1", "del (a, b[0])", "@d\nclass C(B, m=M): pass"} {
		f.Add(s)
	}
	w := NewWorker()
	f.Fuzz(func(t *testing.T, src string) {
		nb := &notebook.Notebook{Cells: []notebook.Cell{{Kind: notebook.Code, Source: src}, {Kind: notebook.Code, Source: "print(x)"}}}
		fx := w.New(nb, Env{})
		for _, c := range fx.Code() {
			lines := len(splitLines(c.NB.Source))
			for name, p := range c.UsePos {
				if p.Line < 1 || p.Line > lines {
					t.Fatalf("use %q at line %d of %d", name, p.Line, lines)
				}
			}
		}
		fx.Graph()
		for _, call := range fx.Calls() {
			for _, a := range call.Args {
				fx.Fold(call.Cell, a.Node)
			}
		}
	})
}

// FuzzClassifyPath: path normalisation and classification of any string.
func FuzzClassifyPath(f *testing.F) {
	for _, s := range []string{"/Users/ana/Downloads/x.xlsx", `C:\Users\a\OneDrive - Org\f.csv`, "s3://b/k", "~/x", "postgresql://u:p@h/db",
		"../data/x.parquet", `\\srv\share\x`, "file:///tmp/x", "https://docs.google.com/spreadsheets/d/abc", "/kaggle/input/x.csv"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		NormalizePath(v)
		ClassifyPath(v, true, true)
		ClassifyPath(v, false, false)
		IsSpreadsheet(v)
	})
}

// FuzzRedaction: secret and personal-value redaction of any text never
// panics, and is stable (redacting twice changes nothing more).
func FuzzRedaction(f *testing.F) {
	for _, s := range []string{"password=hunter2 and AKIA" + "ZDOCIS2JHTLGMXGE", "mail a.b@example.org or call +44 20 7946 0958",
		"postgresql://u:s3cr3t@db:5432/x", "-----BEGIN RSA PRIVATE KEY-----\nabc", "card 4111 1111 1111 1111", "ip 8.8.8.8 and 10.0.0.1",
		// Found by fuzzing: redaction markers read again as secrets.
		"password = '<redacted password, 8 chars>'", "token=ab…<redacted token, 30 chars>", "&pAssword=000001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		once := RedactPersonal(RedactValue(text))
		if twice := RedactPersonal(RedactValue(once)); twice != once {
			// Redaction markers must not themselves look like values.
			t.Fatalf("redaction is not stable:\n%q\n%q", once, twice)
		}
		IsPlaceholder(text)
		FindPersonalValues(text, true)
	})
}
