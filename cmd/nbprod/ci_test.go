package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nbprod/nbprod/internal/testenv"
)

// repoRoot is the root of this repository (two levels up from cmd/nbprod).
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// loadYAML parses a YAML file with Debian's python3-yaml (installed by
// .ci/run) and returns it as JSON-decoded Go values.
func loadYAML(t *testing.T, path string) any {
	t.Helper()
	testenv.NeedPythonModule(t, "yaml")
	out, err := exec.Command("/usr/bin/python3", "-c",
		"import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))", path).CombinedOutput()
	if err != nil {
		t.Fatalf("%s is not valid YAML: %v\n%s", path, err, out)
	}
	var v any
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

const blockerNotebook = `{"cells": [{"cell_type": "code", "execution_count": 1, "id": "a", "metadata": {}, "outputs": [], "source": ["print(threshold)"]},
 {"cell_type": "code", "execution_count": 2, "id": "b", "metadata": {}, "outputs": [], "source": ["threshold = 0.5"]}],
 "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
`

const fixedNotebook = `{"cells": [{"cell_type": "code", "execution_count": 1, "id": "b", "metadata": {}, "outputs": [], "source": ["threshold = 0.5"]},
 {"cell_type": "code", "execution_count": 2, "id": "a", "metadata": {}, "outputs": [], "source": ["print(threshold)"]}],
 "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
`

func gitRepo(t *testing.T, dir string) {
	t.Helper()
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"config", "user.email", "t@example.invalid"}, {"config", "user.name", "test"}} {
		if out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
}

func gitCommitAll(t *testing.T, dir, msg string) {
	t.Helper()
	for _, args := range [][]string{{"add", "-A"}, {"commit", "-q", "--allow-empty", "-m", msg}} {
		if out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
}

// TestActionYAML: action.yml is valid YAML, a composite action, every input
// is used by a step, and its run: steps, executed with bash in a temporary
// repository with the GITHUB_* variables set, build nbprod, write the SARIF
// file and print annotations from one analysis.
func TestActionYAML(t *testing.T) {
	root := repoRoot(t)
	action, _ := loadYAML(t, filepath.Join(root, "action.yml")).(map[string]any)
	runs, _ := action["runs"].(map[string]any)
	if runs["using"] != "composite" {
		t.Fatalf("runs.using = %v, want composite", runs["using"])
	}
	steps, _ := runs["steps"].([]any)
	raw, _ := os.ReadFile(filepath.Join(root, "action.yml"))
	inputs, _ := action["inputs"].(map[string]any)
	for _, name := range []string{"paths", "fail-on", "changed", "config", "sarif-file"} {
		if _, ok := inputs[name]; !ok {
			t.Errorf("input %q missing", name)
		}
	}
	for name := range inputs {
		if !strings.Contains(string(raw), "inputs."+name+" }}") {
			t.Errorf("input %q is never used", name)
		}
	}
	if outs, _ := action["outputs"].(map[string]any); outs["sarif-file"] == nil {
		t.Error("output sarif-file missing")
	}

	testenv.NeedTool(t, "bash")
	testenv.NeedTool(t, "git")
	testenv.NeedTool(t, "go")
	work := t.TempDir()
	repo := filepath.Join(work, "repo")
	os.MkdirAll(filepath.Join(repo, "notebooks"), 0o755)
	os.WriteFile(filepath.Join(repo, "notebooks", "nb.ipynb"), []byte(blockerNotebook), 0o644)
	gitRepo(t, repo)
	gitCommitAll(t, repo, "init")
	runnerTemp := filepath.Join(work, "runner")
	os.MkdirAll(runnerTemp, 0o755)
	ghOutput := filepath.Join(work, "github_output")
	values := map[string]string{"paths": "notebooks", "fail-on": "blocker", "changed": "", "config": "", "sarif-file": "nbprod.sarif"}
	expr := regexp.MustCompile(`\$\{\{\s*inputs\.([a-z-]+)\s*\}\}`)
	var stdout strings.Builder
	status := 0
	for i, s := range steps {
		step, _ := s.(map[string]any)
		script, ok := step["run"].(string)
		if !ok {
			continue // uses: steps (actions/setup-go) cannot run here
		}
		cmd := exec.Command("bash", "-e", "-c", script)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "GITHUB_ACTION_PATH="+root, "RUNNER_TEMP="+runnerTemp,
			"GITHUB_OUTPUT="+ghOutput, "GITHUB_WORKSPACE="+repo, "GITHUB_ACTIONS=true", "CI=true", "NO_COLOR=")
		env, _ := step["env"].(map[string]any)
		for k, v := range env {
			val := expr.ReplaceAllStringFunc(v.(string), func(m string) string { return values[expr.FindStringSubmatch(m)[1]] })
			cmd.Env = append(cmd.Env, k+"="+val)
		}
		out, err := cmd.CombinedOutput()
		stdout.Write(out)
		if err != nil {
			if ee, ok := err.(*exec.ExitError); ok && i == len(steps)-1 {
				status = ee.ExitCode()
				continue
			}
			t.Fatalf("step %d failed: %v\n%s", i, err, out)
		}
	}
	if status != 1 {
		t.Errorf("check step exit status %d, want 1 (a blocker)", status)
	}
	if !regexp.MustCompile(`(?m)^::error file=notebooks/nb.ipynb,line=\d+`).MatchString(stdout.String()) {
		t.Errorf("no annotation in the step output:\n%s", stdout.String())
	}
	sarif, err := os.ReadFile(filepath.Join(repo, "nbprod.sarif"))
	if err != nil {
		t.Fatalf("SARIF not written: %v", err)
	}
	var doc struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []struct {
				RuleID string `json:"ruleId"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(sarif, &doc); err != nil || doc.Version != "2.1.0" || len(doc.Runs) != 1 || len(doc.Runs[0].Results) == 0 {
		t.Errorf("SARIF: %v %+v", err, doc)
	}
	outFile, _ := os.ReadFile(ghOutput)
	if !strings.Contains(string(outFile), "sarif-file=nbprod.sarif") {
		t.Errorf("GITHUB_OUTPUT = %q", outFile)
	}
}

// TestPreCommitHook: .pre-commit-hooks.yaml declares nbprod-check, and
// Debian's pre-commit runs it for real through `pre-commit try-repo` on a
// temporary clone of this working tree: it fails on a notebook with a
// blocker and names the finding, then passes once the blocker is fixed.
func TestPreCommitHook(t *testing.T) {
	root := repoRoot(t)
	hooks, _ := loadYAML(t, filepath.Join(root, ".pre-commit-hooks.yaml")).([]any)
	if len(hooks) != 1 {
		t.Fatalf("hooks: %v", hooks)
	}
	h, _ := hooks[0].(map[string]any)
	if h["id"] != "nbprod-check" || h["language"] != "golang" || !strings.HasPrefix(h["entry"].(string), "nbprod") {
		t.Errorf("hook: %v", h)
	}
	if types, _ := h["types"].([]any); len(types) != 1 || types[0] != "jupyter" {
		t.Errorf("types: %v", h["types"])
	}
	if testing.Short() {
		t.Skip("pre-commit run skipped in -short mode")
	}
	testenv.NeedTool(t, "pre-commit")
	testenv.NeedTool(t, "git")
	testenv.NeedTool(t, "go")
	work := t.TempDir()
	// A committed copy of this working tree for try-repo.
	clone := filepath.Join(work, "nbprod")
	if out, err := exec.Command("bash", "-c", `set -e; mkdir -p "$2"; cd "$1"; git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} cp --parents {} "$2" 2>/dev/null || true`, "x", root, clone).CombinedOutput(); err != nil {
		t.Fatalf("copy: %v\n%s", err, out)
	}
	gitRepo(t, clone)
	gitCommitAll(t, clone, "snapshot")
	proj := filepath.Join(work, "proj")
	os.MkdirAll(proj, 0o755)
	gitRepo(t, proj)
	nb := filepath.Join(proj, "x.ipynb")
	os.WriteFile(nb, []byte(blockerNotebook), 0o644)
	gitCommitAll(t, proj, "nb")
	run := func() (string, error) {
		cmd := exec.Command("pre-commit", "try-repo", clone, "nbprod-check", "--files", "x.ipynb")
		cmd.Dir = proj
		cmd.Env = append(os.Environ(), "PRE_COMMIT_HOME="+filepath.Join(work, "cache"), "NO_COLOR=1")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run()
	if err == nil {
		t.Fatalf("pre-commit passed on a blocker:\n%s", out)
	}
	if !strings.Contains(out, "NB102") || !strings.Contains(out, "x.ipynb:cell 1") {
		t.Fatalf("pre-commit output does not name the finding:\n%s", out)
	}
	os.WriteFile(nb, []byte(fixedNotebook), 0o644)
	if out, err := run(); err != nil {
		t.Fatalf("pre-commit failed after the fix: %v\n%s", err, out)
	}
}
