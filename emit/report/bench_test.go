package report

import (
	"fmt"
	"io"
	"testing"

	"github.com/nbprod/nbprod/analyze"
)

// benchResult scales the fixture result (every formatter path: notebook,
// cell and output findings, suppressed and baselined ones, related
// locations, Data, internal errors) to n notebooks: 12 findings each, so
// n = 30 gives a few hundred findings.
func benchResult(n int) *analyze.Result {
	base := fixtureResult()
	res := &analyze.Result{Rules: base.Rules, Severity: base.Severity}
	for i := 0; i < n; i++ {
		rename := func(p string) string { return fmt.Sprintf("notebooks/team%02d/%s", i, p[len("notebooks/"):]) }
		for _, nb := range base.Notebooks {
			nb.Path = rename(nb.Path)
			res.Notebooks = append(res.Notebooks, nb)
		}
		for _, f := range base.Findings {
			f.Path = rename(f.Path)
			f.Fingerprint = fmt.Sprintf("%s-%d", f.Fingerprint, i)
			res.Findings = append(res.Findings, f)
		}
		for _, e := range base.Errors {
			e.Path = rename(e.Path)
			res.Errors = append(res.Errors, e)
		}
	}
	analyze.SortFindings(res.Findings)
	return res
}

// BenchmarkFormat renders a result of a few hundred findings in every
// format (text plain and coloured, with -show-info and -statistics).
func BenchmarkFormat(b *testing.B) {
	res := benchResult(30)
	cases := []struct {
		name   string
		format string
		opts   Options
	}{
		{"text", "text", Options{}},
		{"text-color", "text", Options{Color: true}},
		{"text-show-info", "text", Options{ShowInfo: true}},
		{"text-statistics", "text", Options{Statistics: true}},
		{"json", "json", Options{ToolVersion: "0.0.0-bench"}},
		{"sarif", "sarif", Options{ToolVersion: "0.0.0-bench"}},
		{"markdown", "markdown", Options{}},
		{"github", "github", Options{}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			cw := &countWriter{}
			if err := Write(cw, c.format, res, c.opts); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(cw.n)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := Write(io.Discard, c.format, res, c.opts); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(res.Findings)), "findings/op")
		})
	}
}

type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}
