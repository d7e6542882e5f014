// Command nbprod finds what stops a Jupyter notebook from going to
// production and (later) writes the production code.
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
)

func main() {
	tuneGC(os.Getenv)
	stop := startProfiles(os.Getenv, os.Stderr)
	code := run(os.Args[1:], systemIO())
	stop()
	os.Exit(code)
}

// gcPercent is the garbage collector's GOGC for a run. A check keeps
// little alive (findings are streamed out, each notebook's analysis is
// dropped when it is done), so the default 100 collects every few
// megabytes; 200 spends about 6 % less CPU on the corpus for about 5 MB
// more peak memory (scripts/bench measures both). GOGC in the environment
// wins.
const gcPercent = 200

func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
}

// startProfiles honours NBPROD_CPUPROFILE=FILE (a pprof CPU profile of the
// whole run) and NBPROD_MEMPROFILE=FILE (a pprof heap profile written at
// the end, after a garbage collection: in-use and allocated space), for
// scripts/bench and anyone measuring a real run. The returned function
// stops and writes them. A profile that cannot be written is reported on
// stderr and does not change the exit code.
func startProfiles(getenv func(string) string, stderr *os.File) (stop func()) {
	var cpu *os.File
	if name := getenv("NBPROD_CPUPROFILE"); name != "" {
		f, err := os.Create(name)
		if err == nil {
			err = pprof.StartCPUProfile(f)
			if err != nil {
				f.Close()
			}
		}
		if err != nil {
			fmt.Fprintf(stderr, "nbprod: NBPROD_CPUPROFILE: %v\n", err)
		} else {
			cpu = f
		}
	}
	memName := getenv("NBPROD_MEMPROFILE")
	return func() {
		if cpu != nil {
			pprof.StopCPUProfile()
			if err := cpu.Close(); err != nil {
				fmt.Fprintf(stderr, "nbprod: NBPROD_CPUPROFILE: %v\n", err)
			}
		}
		if memName == "" {
			return
		}
		f, err := os.Create(memName)
		if err == nil {
			runtime.GC() // up-to-date in-use figures
			err = pprof.Lookup("heap").WriteTo(f, 0)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintf(stderr, "nbprod: NBPROD_MEMPROFILE: %v\n", err)
		}
	}
}
