package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/nbprod/nbprod/analyze"
)

// sarifSchemaFile is the OASIS SARIF 2.1.0 schema (errata 01), copied into
// testdata so that the tests need nothing outside the module.
const sarifSchemaFile = "testdata/sarif-schema-2.1.0.json"

func compileSARIFSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(sarifSchemaFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(sarifSchemaFile)
	if err != nil {
		t.Fatal(err)
	}
	url := "file://" + filepath.ToSlash(abs)
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func validateSARIF(t *testing.T, sch *jsonschema.Schema, out []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("SARIF is not JSON: %v", err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("SARIF does not match the 2.1.0 schema: %#v", err)
	}
}

func TestSARIFSchema(t *testing.T) {
	sch := compileSARIFSchema(t)
	// The schema check must be able to fail.
	validBad := []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},"level":"fatal"}]}]}`)
	inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(validBad))
	if sch.Validate(inst) == nil {
		t.Fatal("schema accepts level \"fatal\"; the validator is not checking")
	}
	for name, res := range map[string]*analyze.Result{
		"fixture":  fixtureResult(),
		"empty":    {},
		"nil":      nil,
		"absolute": {Findings: []analyze.Finding{{Rule: "NB301", Severity: analyze.Blocker, Path: "/home/anna/my nb.ipynb", Cell: 0, Line: 1, Column: 1, FileLine: 5, FileColumn: 3}}},
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := SARIF(&buf, res, Options{ToolVersion: "1.2.3"}); err != nil {
				t.Fatal(err)
			}
			validateSARIF(t, sch, buf.Bytes())
		})
	}
}

// Just enough of SARIF to check what the formatter wrote.
type sarifCheck struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		ColumnKind string `json:"columnKind"`
		Tool       struct {
			Driver struct {
				Name    string `json:"name"`
				Version string `json:"version"`
				Rules   []struct {
					ID                   string `json:"id"`
					Name                 string `json:"name"`
					HelpURI              string `json:"helpUri"`
					ShortDescription     struct{ Text string }
					Help                 struct{ Markdown string }
					DefaultConfiguration struct{ Level string } `json:"defaultConfiguration"`
					Properties           map[string]any
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Invocations []struct {
			ExecutionSuccessful        bool `json:"executionSuccessful"`
			ToolExecutionNotifications []struct {
				Level   string
				Message struct{ Text string }
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct{ Text string }
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine   int `json:"startLine"`
						StartColumn int `json:"startColumn"`
					} `json:"region"`
				} `json:"physicalLocation"`
				LogicalLocations []struct{ Name, Kind string } `json:"logicalLocations"`
			} `json:"locations"`
			RelatedLocations    []json.RawMessage `json:"relatedLocations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			BaselineState       string            `json:"baselineState"`
			Suppressions        *[]struct {
				Kind, Justification string
			} `json:"suppressions"`
			Properties map[string]any `json:"properties"`
		} `json:"results"`
	} `json:"runs"`
}

func TestSARIFContent(t *testing.T) {
	res := fixtureResult()
	var buf bytes.Buffer
	if err := SARIF(&buf, res, Options{ToolVersion: "1.2.3"}); err != nil {
		t.Fatal(err)
	}
	var log sarifCheck
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if log.Schema != "https://json.schemastore.org/sarif-2.1.0.json" || log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("header: %q %q %d runs", log.Schema, log.Version, len(log.Runs))
	}
	run := log.Runs[0]
	if run.ColumnKind != "unicodeCodePoints" {
		t.Errorf("columnKind = %q", run.ColumnKind)
	}
	d := run.Tool.Driver
	if d.Name != "nbprod" || d.Version != "1.2.3" {
		t.Errorf("driver %q %q", d.Name, d.Version)
	}

	// One descriptor per enabled rule, plus NB003 which a finding names.
	ids := map[string]int{}
	for i, r := range d.Rules {
		ids[r.ID] = i
	}
	for _, r := range res.Rules {
		if _, ok := ids[r.ID]; !ok {
			t.Errorf("enabled rule %s has no descriptor", r.ID)
		}
	}
	if _, ok := ids["NB905"]; !ok {
		t.Error("an enabled rule without findings is missing from rules[]")
	}
	if _, ok := ids["NB003"]; !ok {
		t.Error("no descriptor for NB003, which a result names")
	}
	if len(d.Rules) != len(res.Rules)+1 {
		t.Errorf("%d rule descriptors, want %d", len(d.Rules), len(res.Rules)+1)
	}
	nb301 := d.Rules[ids["NB301"]]
	if nb301.Name != "absolute-local-path" || nb301.ShortDescription.Text != "Flags absolute paths to local files." ||
		nb301.HelpURI != "https://github.com/nbprod/nbprod/blob/main/analyze/rules/docs/NB301.md" ||
		!strings.Contains(nb301.Help.Markdown, "## Configuration") || nb301.DefaultConfiguration.Level != "error" {
		t.Errorf("NB301 descriptor = %+v", nb301)
	}
	if nb301.Properties["category"] != "data-access" || nb301.Properties["options"] == nil {
		t.Errorf("NB301 properties = %v", nb301.Properties)
	}
	// The configured severity wins over the rule's default.
	if got := d.Rules[ids["NB604"]].DefaultConfiguration.Level; got != "warning" {
		t.Errorf("NB604 default level = %q, want the configured warning", got)
	}
	if got := d.Rules[ids["NB107"]].DefaultConfiguration.Level; got != "note" {
		t.Errorf("NB107 default level = %q, want note", got)
	}

	if len(run.Results) != len(res.Findings) {
		t.Fatalf("%d results, want %d", len(run.Results), len(res.Findings))
	}
	byRule := map[string]int{}
	for i, r := range run.Results {
		byRule[r.RuleID] = i
		if r.RuleIndex < 0 || r.RuleIndex >= len(d.Rules) || d.Rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("%s: ruleIndex %d does not point at its rule", r.RuleID, r.RuleIndex)
		}
		f := fixtureFinding(res, r.RuleID)
		if want := map[analyze.Severity]string{analyze.Blocker: "error", analyze.Warning: "warning", analyze.Info: "note"}[f.Severity]; r.Level != want {
			t.Errorf("%s: level %q, want %q", r.RuleID, r.Level, want)
		}
		if r.PartialFingerprints["nbprodFingerprint/v1"] != f.Fingerprint {
			t.Errorf("%s: partialFingerprints = %v", r.RuleID, r.PartialFingerprints)
		}
		if r.Suppressions == nil {
			t.Errorf("%s: suppressions absent, want [] or a suppression", r.RuleID)
		} else if got := len(*r.Suppressions) > 0; got != f.Suppressed {
			t.Errorf("%s: suppressed in SARIF = %v, want %v", r.RuleID, got, f.Suppressed)
		}
		want := "new"
		if f.Baselined {
			want = "unchanged"
		}
		if r.BaselineState != want {
			t.Errorf("%s: baselineState %q, want %q", r.RuleID, r.BaselineState, want)
		}
		if r.Properties["severity"] != f.Severity.String() {
			t.Errorf("%s: properties.severity = %v", r.RuleID, r.Properties["severity"])
		}
		if !strings.HasPrefix(r.Message.Text, f.Message) {
			t.Errorf("%s: message %q", r.RuleID, r.Message.Text)
		}
	}

	// Notebook level: region on line 1, no logical location, no cell.
	nl := run.Results[byRule["NB107"]]
	if reg := nl.Locations[0].PhysicalLocation.Region; reg.StartLine != 1 || reg.StartColumn != 0 {
		t.Errorf("notebook-level region = %+v", reg)
	}
	if len(nl.Locations[0].LogicalLocations) != 0 || nl.Properties["cell"] != nil {
		t.Errorf("notebook-level finding has a cell: %v %v", nl.Locations[0].LogicalLocations, nl.Properties["cell"])
	}

	// Cell level: file position, "cell N" (1-based) and the 0-based cell.
	p := run.Results[byRule["NB301"]]
	loc := p.Locations[0]
	if loc.PhysicalLocation.Region.StartLine != 57 || loc.PhysicalLocation.Region.StartColumn != 9 {
		t.Errorf("NB301 region = %+v", loc.PhysicalLocation.Region)
	}
	if len(loc.LogicalLocations) != 1 || loc.LogicalLocations[0].Name != "cell 5" || loc.LogicalLocations[0].Kind != "module" {
		t.Errorf("NB301 logical locations = %+v", loc.LogicalLocations)
	}
	if p.Properties["cell"] != float64(4) || p.Properties["line"] != float64(2) || p.Properties["end_column"] != float64(53) || p.Properties["cell_id"] != "a1b2" {
		t.Errorf("NB301 properties = %v", p.Properties)
	}
	if len(p.RelatedLocations) != 2 {
		t.Errorf("NB301 related locations = %d", len(p.RelatedLocations))
	}
	if loc.PhysicalLocation.ArtifactLocation.URI != pathChurn || loc.PhysicalLocation.ArtifactLocation.URIBaseID != "%SRCROOT%" {
		t.Errorf("artifact = %+v", loc.PhysicalLocation.ArtifactLocation)
	}

	// Output level: the output's file line, no column.
	o := run.Results[byRule["NB503"]]
	if reg := o.Locations[0].PhysicalLocation.Region; reg.StartLine != 140 || reg.StartColumn != 0 {
		t.Errorf("output region = %+v", reg)
	}
	if out, ok := o.Properties["output"].(map[string]any); !ok || out["mime"] != "text/plain" {
		t.Errorf("output property = %v", o.Properties["output"])
	}

	// Suppressions.
	s := run.Results[byRule["NB604"]]
	if got := *s.Suppressions; len(got) != 1 || got[0].Kind != "inSource" || got[0].Justification != "pinned in the Docker image" {
		t.Errorf("NB604 suppressions = %+v", got)
	}

	// A path with a space, a comma and a colon is a valid URI reference.
	x := run.Results[byRule["NB805"]]
	if got := x.Locations[0].PhysicalLocation.ArtifactLocation.URI; got != "notebooks/q1%20draft,%20v2%3Afinal.ipynb" {
		t.Errorf("URI = %q", got)
	}

	// Internal errors.
	inv := run.Invocations
	if len(inv) != 1 || inv[0].ExecutionSuccessful || len(inv[0].ToolExecutionNotifications) != 2 {
		t.Fatalf("invocations = %+v", inv)
	}
	if n := inv[0].ToolExecutionNotifications[1]; n.Level != "error" || !strings.Contains(n.Message.Text, "NB205 panicked") {
		t.Errorf("notification = %+v", n)
	}
}

// Without baselined findings no result claims a baseline state, and a run
// without errors is successful.
func TestSARIFNoBaseline(t *testing.T) {
	res := fixtureResult()
	var fs []analyze.Finding
	for _, f := range res.Findings {
		if !f.Baselined {
			fs = append(fs, f)
		}
	}
	res.Findings, res.Errors = fs, nil
	var buf bytes.Buffer
	if err := SARIF(&buf, res, Options{}); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(buf.Bytes(), []byte("baselineState")) {
		t.Error("baselineState written although nothing was compared with a baseline")
	}
	var log sarifCheck
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if !log.Runs[0].Invocations[0].ExecutionSuccessful {
		t.Error("executionSuccessful false without internal errors")
	}
	if bytes.Contains(buf.Bytes(), []byte(`"version": ""`)) {
		t.Error("empty driver version written")
	}
}

func TestArtifactLocation(t *testing.T) {
	for _, c := range []struct{ in, uri, base string }{
		{"notebooks/churn.ipynb", "notebooks/churn.ipynb", "%SRCROOT%"},
		{"my notebooks/100% done.ipynb", "my%20notebooks/100%25%20done.ipynb", "%SRCROOT%"},
		{"c:x.ipynb", "c%3Ax.ipynb", "%SRCROOT%"},
		{"café/ü#1?.ipynb", "caf%C3%A9/%C3%BC%231%3F.ipynb", "%SRCROOT%"},
		{"../shared/nb.ipynb", "../shared/nb.ipynb", "%SRCROOT%"},
		{"/home/anna/my nb.ipynb", "file:///home/anna/my%20nb.ipynb", ""},
		{"C:/Users/anna/nb.ipynb", "file:///C:/Users/anna/nb.ipynb", ""},
	} {
		got := artifactLocation(c.in)
		if got.URI != c.uri || got.URIBaseID != c.base {
			t.Errorf("artifactLocation(%q) = %+v, want %q base %q", c.in, got, c.uri, c.base)
		}
	}
}
