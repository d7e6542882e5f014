package analyze_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/emit/report"
)

// BenchmarkStreamMemory checks N copies of a realistic notebook and writes
// the JSON report, streamed (analyze.Stream into report.NewStream, what
// `nbprod check` does) and collected (analyze.Run, then report.Write), for
// growing N. It reports the peak of the live heap as marked by each
// garbage collection, above what was live before the run (the inputs),
// and the peak of the whole heap (live and not yet collected). Streamed,
// both stay flat as N grows; collected, they grow with N. It is a
// measurement, not a test: run it with
//
//	go test ./analyze -run '^$' -bench BenchmarkStreamMemory -benchtime 1x
func BenchmarkStreamMemory(b *testing.B) {
	s := allRules(b)
	data := realisticNotebook(24)
	for _, n := range []int{100, 400, 1600} {
		dir := b.TempDir()
		for i := 0; i < n; i++ {
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("nb%04d.ipynb", i)), data, 0o644); err != nil {
				b.Fatal(err)
			}
		}
		inputs, err := analyze.Discover([]string{dir}, false, s)
		if err != nil {
			b.Fatal(err)
		}
		for _, mode := range []string{"stream", "collect"} {
			b.Run(fmt.Sprintf("%s/notebooks=%d", mode, n), func(b *testing.B) {
				var live, heap uint64
				for i := 0; i < b.N; i++ {
					runtime.GC()
					peak := sampleHeap()
					if mode == "stream" {
						streamJSON(b, inputs, s)
					} else {
						res := analyze.Run(inputs, analyze.RunOptions{Settings: s})
						if err := report.Write(io.Discard, "json", res, report.Options{}); err != nil {
							b.Fatal(err)
						}
						runtime.KeepAlive(res)
					}
					l, h := peak()
					live, heap = max(live, l), max(heap, h)
				}
				b.ReportMetric(float64(live)/(1<<20), "peak-live-MB")
				b.ReportMetric(float64(heap)/(1<<20), "peak-heap-MB")
				b.ReportMetric(float64(n), "notebooks/op")
			})
		}
	}
}

func streamJSON(b *testing.B, inputs []analyze.Input, s *analyze.Settings) {
	out, err := report.NewStream(io.Discard, "json", report.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer out.Close()
	if err := out.Begin(report.Meta{Rules: s.Rules, Severity: analyze.RuleSeverities(s)}); err != nil {
		b.Fatal(err)
	}
	tot, err := analyze.Stream(inputs, analyze.RunOptions{Settings: s}, func(nb analyze.NotebookResult, fs []analyze.Finding) error {
		return out.Notebook(&nb, fs)
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := out.End(tot.Errors); err != nil {
		b.Fatal(err)
	}
}

// sampleHeap samples the runtime's heap figures every millisecond until
// the returned function is called, which returns the peaks: the live heap
// marked by a garbage collection, less the live heap at the start, and
// all heap objects.
func sampleHeap() func() (live, heap uint64) {
	samples := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(samples)
	base := samples[0].Value.Uint64()
	var (
		mu         sync.Mutex
		live, heap uint64
		stop       = make(chan struct{})
		done       = make(chan struct{})
	)
	read := func() {
		metrics.Read(samples)
		mu.Lock()
		defer mu.Unlock()
		if samples[0].Value.Kind() == metrics.KindUint64 {
			live = max(live, samples[0].Value.Uint64())
		}
		if samples[1].Value.Kind() == metrics.KindUint64 {
			heap = max(heap, samples[1].Value.Uint64())
		}
	}
	go func() {
		defer close(done)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				read()
			}
		}
	}()
	return func() (uint64, uint64) {
		read()
		close(stop)
		<-done
		mu.Lock()
		defer mu.Unlock()
		return live - min(live, base), heap
	}
}
