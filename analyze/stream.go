package analyze

import (
	"runtime"
	"sort"
	"sync"

	"github.com/nbprod/nbprod/analyze/facts"
)

// Totals is what a streamed run keeps once every notebook has been handed
// over: the few things a caller needs at the end (exit code, internal
// errors, the rule list, and for --write-baseline the baseline entries).
// Its size does not depend on the number of findings, except for Baseline.
type Totals struct {
	Rules []*Rule // the enabled rules, sorted by ID
	// Severity is the effective severity of each enabled rule, keyed by ID.
	Severity map[string]Severity
	// Errors are internal errors (recovered panics), in path order.
	Errors []InternalError
	// Summary counts the notebooks handed over and their findings (active
	// ones by severity and rule, suppressed and baselined ones apart), the
	// same as Result.Summarize of the collected run.
	Summary Summary
	// Baseline holds the entries of every unsuppressed finding when
	// RunOptions.CollectBaseline is set (what NewBaseline makes of the
	// collected Result), else nil.
	Baseline *Baseline
}

// Failing reports whether any active finding is at or above failOn. A zero
// failOn ("never") never fails.
func (t *Totals) Failing(failOn Severity) bool {
	if failOn == 0 {
		return false
	}
	for sev, n := range t.Summary.BySeverity {
		if sev >= failOn && n > 0 {
			return true
		}
	}
	return false
}

// RuleSeverities is the effective severity of each enabled rule (config
// overrides applied), keyed by rule ID: Result.Severity and Totals.Severity.
func RuleSeverities(s *Settings) map[string]Severity {
	m := make(map[string]Severity, len(s.Rules))
	for _, r := range s.Rules {
		m[r.ID] = s.Severity[r.ID]
	}
	return m
}

// windowPerJob bounds how far the workers may run ahead of the notebook
// that is next in path order: at most windowPerJob × jobs notebooks are
// being checked or waiting to be handed over.
const windowPerJob = 4

// Stream checks the inputs and hands each notebook's summary and findings
// to each, one notebook at a time, in path order (the order of
// Result.Notebooks; the findings of one notebook are sorted with
// SortFindings, so the concatenation of every call's findings is the
// order of Result.Findings). Baseline matching is applied before the call:
// the notebook summary counts only active findings. each is called from
// the caller's goroutine; it may keep neither fs nor nb's maps beyond the
// call if the caller wants memory bounded by the largest notebook.
//
// Workers check notebooks in parallel and may finish out of order; a
// reorder buffer releases them in order and holds at most a few notebooks
// per worker (a slow notebook holds back the release, and the workers stop
// taking new notebooks until it is done).
//
// When each returns an error, Stream stops taking new notebooks, waits for
// the workers to finish the ones they are on, and returns that error with
// the totals so far. each may be nil (for example with CollectBaseline).
//
// Inputs are sorted by path (stably) when they are not already; Discover
// returns them sorted. Two inputs with the same path are handed over
// separately (Run merges their findings into the global order).
func Stream(inputs []Input, o RunOptions, each func(nb NotebookResult, fs []Finding) error) (*Totals, error) {
	t := &Totals{
		Rules:    o.Settings.Rules,
		Severity: RuleSeverities(o.Settings),
		Summary:  Summary{BySeverity: map[Severity]int{}, ByRule: map[string]int{}},
	}
	var entries []BaselineEntry
	if o.CollectBaseline {
		defer func() { t.Baseline = baselineOf(entries) }()
	}
	if len(inputs) == 0 {
		return t, nil
	}
	if !sort.SliceIsSorted(inputs, func(i, j int) bool { return inputs[i].Path < inputs[j].Path }) {
		inputs = append([]Input(nil), inputs...)
		sort.SliceStable(inputs, func(i, j int) bool { return inputs[i].Path < inputs[j].Path })
	}
	jobs := o.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	if jobs > len(inputs) {
		jobs = len(inputs)
	}
	window := windowPerJob * jobs

	type checked struct {
		i   int
		out nbOutcome
	}
	var (
		next = make(chan int)
		// Never more than window results exist that have not been handed
		// over (each holds a slot until then), so sends on results never
		// block: a worker always gets back to its loop and sees next close.
		results = make(chan checked, window)
		slots   = make(chan struct{}, window)
		stop    = make(chan struct{})
		wg      sync.WaitGroup
		mu      sync.Mutex
		done    int
	)
	defer func() {
		// Normal end, an error from each, or a panic in it: stop the
		// feeder and wait for the workers, so that no goroutine outlives
		// the call.
		close(stop)
		wg.Wait()
	}()
	for w := 0; w < jobs; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			worker := facts.NewWorker()
			defer worker.Close()
			for i := range next {
				out := checkOne(worker, inputs[i], &o)
				if o.Progress != nil {
					mu.Lock()
					done++
					o.Progress(done, len(inputs))
					mu.Unlock()
				}
				results <- checked{i, out}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(next)
		for i := range inputs {
			select {
			case slots <- struct{}{}:
			case <-stop:
				return
			}
			select {
			case next <- i:
			case <-stop:
				return
			}
		}
	}()

	// ring[i%window] holds notebook i once checked and until handed over;
	// i is never window or more ahead of released.
	ring := make([]*nbOutcome, window)
	for released := 0; released < len(inputs); {
		c := <-results
		ring[c.i%window] = &c.out
		for released < len(inputs) && ring[released%window] != nil {
			out := ring[released%window]
			ring[released%window] = nil
			released++
			<-slots
			if err := t.deliver(out, &o, &entries, each); err != nil {
				return t, err
			}
		}
	}
	return t, nil
}

// deliver applies the baseline to one checked notebook, counts it and
// hands it to each.
func (t *Totals) deliver(out *nbOutcome, o *RunOptions, entries *[]BaselineEntry, each func(NotebookResult, []Finding) error) error {
	if out.skip {
		return nil
	}
	t.Errors = append(t.Errors, out.errors...)
	fs := out.findings
	if o.Baseline != nil {
		for i := range fs {
			f := &fs[i]
			if !f.Suppressed && o.Baseline.take(f.Fingerprint) {
				f.Baselined = true
			}
		}
		summarize(&out.nb, fs)
	}
	s := &t.Summary
	s.Notebooks++
	for i := range fs {
		f := &fs[i]
		switch {
		case f.Suppressed:
			s.Suppressed++
		case f.Baselined:
			s.Baselined++
		default:
			s.Findings++
			s.BySeverity[f.Severity]++
			s.ByRule[f.Rule]++
		}
		if o.CollectBaseline && !f.Suppressed {
			*entries = append(*entries, BaselineEntry{Rule: f.Rule, Path: f.fpPath, Fingerprint: f.Fingerprint})
		}
	}
	if each == nil {
		return nil
	}
	return each(out.nb, fs)
}
