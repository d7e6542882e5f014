// Package testenv lets tests that need an external tool skip when it is
// missing — unless NBPROD_E2E=1 (set by .ci/run), which turns the skip
// into a failure so CI never passes by skipping.
package testenv

import (
	"os"
	"os/exec"
	"testing"
)

// E2E reports whether end-to-end mode is on.
func E2E() bool { return os.Getenv("NBPROD_E2E") == "1" }

// NeedTool returns the path of a command, or skips (fails under E2E).
func NeedTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(t, name+" is not installed")
	}
	return p
}

// NeedPythonModule checks that /usr/bin/python3 can import module.
func NeedPythonModule(t testing.TB, module string) {
	t.Helper()
	if err := exec.Command("/usr/bin/python3", "-c", "import "+module).Run(); err != nil {
		Missing(t, "/usr/bin/python3 cannot import "+module)
	}
}

// Missing skips the test, or fails it in end-to-end mode.
func Missing(t testing.TB, why string) {
	t.Helper()
	if E2E() {
		t.Fatalf("%s (NBPROD_E2E=1: .ci/run must install it)", why)
	}
	t.Skipf("%s; skipping (NBPROD_E2E=1 makes this a failure)", why)
}
