package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/nbprod/nbprod/analyze/rules"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

const readmePath = "../../README.md"

var rulesBlock = regexp.MustCompile(`(?s)(<!-- rules:begin[^\n]*-->\n).*?(<!-- rules:end -->)`)

// TestReadmeRuleTable keeps the README's rule table equal to the registry
// (go test ./cmd/nbprod -run TestReadme -update rewrites it).
func TestReadmeRuleTable(t *testing.T) {
	data, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	m := rulesBlock.FindStringSubmatchIndex(readme)
	if m == nil {
		t.Fatal("README has no <!-- rules:begin --> … <!-- rules:end --> block")
	}
	want := rulesMarkdown(rules.All())
	got := readme[m[3]:m[4]]
	if got == want {
		return
	}
	if *update || os.Getenv("NBPROD_UPDATE") != "" {
		readme = readme[:m[3]] + want + readme[m[4]:]
		if err := os.WriteFile(readmePath, []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README rule table is out of date; run: go test ./cmd/nbprod -run TestReadme -update")
}

// TestReadmeDocumentsEveryFlag: every command and flag that exists is in
// the README.
func TestReadmeDocumentsEveryFlag(t *testing.T) {
	data, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	root := newRootCmd(systemIO())
	var visit func(c *cobra.Command)
	visit = func(c *cobra.Command) {
		if c.Hidden || c.Name() == "help" || c.Name() == "completion" {
			return
		}
		if c != root && !strings.Contains(readme, "nbprod "+c.Name()) {
			t.Errorf("README does not document command %q", c.Name())
		}
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			if f.Name == "help" {
				return
			}
			if !strings.Contains(readme, "`--"+f.Name) {
				t.Errorf("README does not document %s --%s", c.Name(), f.Name)
			}
		})
		for _, sub := range c.Commands() {
			visit(sub)
		}
	}
	visit(root)
	for _, cmd := range []string{"go run ./cmd/nbprod check --fail-on never testdata/examples/churn.ipynb", "go test ./..."} {
		if !strings.Contains(readme, cmd) {
			t.Errorf("README lacks the set-up command %q", cmd)
		}
	}
	if _, err := os.Stat("../../testdata/examples/churn.ipynb"); err != nil {
		t.Errorf("the README's example notebook is missing: %v", err)
	}
}
