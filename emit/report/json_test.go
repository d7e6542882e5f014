package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"testing"

	"github.com/nbprod/nbprod/analyze"
)

// The keys CONTRACT.md §5 lists for a finding, plus the two this package
// adds ("baselined", "related").
var findingKeys = []string{
	"rule", "name", "severity", "category", "path", "cell", "cell_id",
	"line", "column", "end_line", "end_column", "file_line", "file_column",
	"output", "message", "fix", "fingerprint", "suppressed", "suppression_reason", "data",
	"baselined", "related",
}

func decodeJSON(t *testing.T, res *analyze.Result) map[string]any {
	t.Helper()
	var buf bytes.Buffer
	if err := JSON(&buf, res, Options{ToolVersion: "9.9.9"}); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	dec := json.NewDecoder(&buf)
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("report is not JSON: %v", err)
	}
	return doc
}

func keysOf(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	sort.Strings(c)
	return c
}

func num(t *testing.T, v any) int {
	t.Helper()
	n, ok := v.(json.Number)
	if !ok {
		t.Fatalf("%v (%T) is not a number", v, v)
	}
	i, err := n.Int64()
	if err != nil {
		t.Fatal(err)
	}
	return int(i)
}

// jsonFindingFor finds the wire finding of a rule.
func jsonFindingFor(t *testing.T, doc map[string]any, rule string) map[string]any {
	t.Helper()
	for _, f := range doc["findings"].([]any) {
		if m := f.(map[string]any); m["rule"] == rule {
			return m
		}
	}
	t.Fatalf("no JSON finding for %s", rule)
	return nil
}

func TestJSONContract(t *testing.T) {
	res := fixtureResult()
	doc := decodeJSON(t, res)

	if got, want := keysOf(doc), []string{"errors", "findings", "notebooks", "summary", "tool", "version"}; !reflect.DeepEqual(got, want) {
		t.Errorf("top-level keys = %v, want %v", got, want)
	}
	if num(t, doc["version"]) != 1 {
		t.Errorf("version = %v", doc["version"])
	}
	if tool := doc["tool"].(map[string]any); tool["name"] != "nbprod" || tool["version"] != "9.9.9" {
		t.Errorf("tool = %v", tool)
	}

	findings := doc["findings"].([]any)
	if len(findings) != len(res.Findings) {
		t.Fatalf("%d findings, want all %d (suppressed and baselined included)", len(findings), len(res.Findings))
	}
	for _, f := range findings {
		m := f.(map[string]any)
		if got, want := keysOf(m), sortedCopy(findingKeys); !reflect.DeepEqual(got, want) {
			t.Errorf("%v: keys = %v, want %v", m["rule"], got, want)
		}
		if _, ok := m["related"].([]any); !ok {
			t.Errorf("%v: related = %v, want an array", m["rule"], m["related"])
		}
	}

	// Notebook level: cell and every position null.
	nl := jsonFindingFor(t, doc, "NB107")
	for _, k := range []string{"cell", "cell_id", "line", "column", "end_line", "end_column", "file_line", "file_column", "output", "fix"} {
		if nl[k] != nil {
			t.Errorf("notebook-level finding: %s = %v, want null", k, nl[k])
		}
	}
	if d, ok := nl["data"].(map[string]any); !ok || num(t, d["from"]) != 4 {
		t.Errorf("notebook-level data = %v", nl["data"])
	}

	// Cell level: the 0-based index, positions, data with a path.
	p := jsonFindingFor(t, doc, "NB301")
	src := fixtureFinding(res, "NB301")
	if num(t, p["cell"]) != src.Cell || src.Cell != 4 {
		t.Errorf("cell = %v, want the 0-based index %d", p["cell"], src.Cell)
	}
	for k, want := range map[string]int{"line": 2, "column": 18, "end_line": 2, "end_column": 53, "file_line": 57, "file_column": 9} {
		if num(t, p[k]) != want {
			t.Errorf("NB301 %s = %v, want %d", k, p[k], want)
		}
	}
	if p["cell_id"] != "a1b2" || p["severity"] != "blocker" || p["category"] != "data-access" || p["name"] != "absolute-local-path" {
		t.Errorf("NB301 = %v", p)
	}
	if d := p["data"].(map[string]any); !reflect.DeepEqual(keysOf(d), []string{"config_key", "kind", "value"}) {
		t.Errorf("path data keys = %v", keysOf(d))
	}
	if p["output"] != nil || p["suppression_reason"] != nil || p["suppressed"] != false || p["baselined"] != false {
		t.Errorf("NB301 output/suppression = %v %v %v %v", p["output"], p["suppression_reason"], p["suppressed"], p["baselined"])
	}
	rel := p["related"].([]any)
	if len(rel) != 2 || num(t, rel[0].(map[string]any)["cell"]) != 4 || rel[1].(map[string]any)["cell"] != nil {
		t.Errorf("related = %v", rel)
	}

	// A secret: kind, env var and the redacted form only.
	s := jsonFindingFor(t, doc, "NB401")
	if d := s["data"].(map[string]any); !reflect.DeepEqual(keysOf(d), []string{"env_var", "kind", "redacted"}) {
		t.Errorf("secret data keys = %v", keysOf(d))
	}

	// Output level: the output object, no line/column.
	o := jsonFindingFor(t, doc, "NB503")
	out, ok := o["output"].(map[string]any)
	if !ok || !reflect.DeepEqual(keysOf(out), []string{"index", "line", "mime"}) || num(t, out["index"]) != 0 || out["mime"] != "text/plain" || num(t, out["line"]) != 3 {
		t.Errorf("output = %v", o["output"])
	}
	if o["line"] != nil || o["file_column"] != nil || num(t, o["file_line"]) != 140 {
		t.Errorf("output finding positions: line %v file_line %v file_column %v", o["line"], o["file_line"], o["file_column"])
	}

	// No data, no cell id → null.
	if x := jsonFindingFor(t, doc, "NB805"); x["data"] != nil || x["cell_id"] != nil {
		t.Errorf("NB805 data %v cell_id %v, want null", x["data"], x["cell_id"])
	}

	// Suppressed with a reason, suppressed by a tag (no reason), baselined.
	if x := jsonFindingFor(t, doc, "NB604"); x["suppressed"] != true || x["suppression_reason"] != "pinned in the Docker image" {
		t.Errorf("NB604 suppression = %v %v", x["suppressed"], x["suppression_reason"])
	}
	if x := jsonFindingFor(t, doc, "NB802"); x["suppressed"] != true || x["suppression_reason"] != nil {
		t.Errorf("NB802 suppression = %v %v", x["suppressed"], x["suppression_reason"])
	}
	if x := jsonFindingFor(t, doc, "NB201"); x["baselined"] != true || x["suppressed"] != false {
		t.Errorf("NB201 baselined = %v", x["baselined"])
	}

	// Notebooks.
	nbs := doc["notebooks"].([]any)
	if len(nbs) != len(res.Notebooks) {
		t.Fatalf("%d notebooks", len(nbs))
	}
	var paths []string
	for _, n := range nbs {
		m := n.(map[string]any)
		paths = append(paths, m["path"].(string))
		if got := keysOf(m); !reflect.DeepEqual(got, []string{"by_category", "cells", "code_cells", "counts", "language", "path", "score", "unreadable"}) {
			t.Errorf("notebook keys = %v", got)
		}
		if got := keysOf(m["counts"].(map[string]any)); !reflect.DeepEqual(got, []string{"blocker", "info", "warning"}) {
			t.Errorf("counts keys = %v", got)
		}
		if m["path"] == pathChurn {
			c := m["counts"].(map[string]any)
			if num(t, m["score"]) != 48 || num(t, m["cells"]) != 12 || num(t, m["code_cells"]) != 9 || num(t, c["blocker"]) != 3 || num(t, c["info"]) != 2 {
				t.Errorf("churn notebook = %v", m)
			}
		}
	}
	if !sort.StringsAreSorted(paths) {
		t.Errorf("notebooks not sorted by path: %v", paths)
	}

	// Summary: active findings only, plus suppressed and baselined counts.
	sum := doc["summary"].(map[string]any)
	active := fixtureActive(res)
	total := active[analyze.Blocker] + active[analyze.Warning] + active[analyze.Info]
	if num(t, sum["findings"]) != total || num(t, sum["notebooks"]) != 3 || num(t, sum["suppressed"]) != 2 || num(t, sum["baselined"]) != 1 {
		t.Errorf("summary = %v (want %d active findings)", sum, total)
	}
	bySev := sum["by_severity"].(map[string]any)
	for _, sev := range severities {
		if num(t, bySev[sev.String()]) != active[sev] {
			t.Errorf("by_severity[%s] = %v, want %d", sev, bySev[sev.String()], active[sev])
		}
	}
	byRule := sum["by_rule"].(map[string]any)
	if _, ok := byRule["NB604"]; ok {
		t.Error("by_rule counts a suppressed finding")
	}
	if _, ok := byRule["NB201"]; ok {
		t.Error("by_rule counts a baselined finding")
	}
	if num(t, byRule["NB301"]) != 1 {
		t.Errorf("by_rule = %v", byRule)
	}

	errs := doc["errors"].([]any)
	if len(errs) != 2 || errs[0].(map[string]any)["path"] != pathChurn {
		t.Errorf("errors = %v", errs)
	}
}

// A clean run still has every array and object (no nulls for lists).
func TestJSONEmpty(t *testing.T) {
	doc := decodeJSON(t, &analyze.Result{})
	for _, k := range []string{"findings", "notebooks", "errors"} {
		if a, ok := doc[k].([]any); !ok || len(a) != 0 {
			t.Errorf("%s = %v, want []", k, doc[k])
		}
	}
	sum := doc["summary"].(map[string]any)
	if m, ok := sum["by_rule"].(map[string]any); !ok || len(m) != 0 {
		t.Errorf("by_rule = %v, want {}", sum["by_rule"])
	}
}

// HTML-sensitive characters are written as they are, not as \u003c.
func TestJSONNoHTMLEscaping(t *testing.T) {
	var buf bytes.Buffer
	if err := JSON(&buf, fixtureResult(), Options{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), []byte(`"<redacted email, 17 chars>"`)) {
		t.Error("redacted form is escaped or missing")
	}
}

// Data that cannot be encoded is an error, not a partial document.
func TestJSONBadData(t *testing.T) {
	res := &analyze.Result{Findings: []analyze.Finding{{Rule: "NB301", Cell: -1, Data: map[string]any{"f": func() {}}}}}
	var buf bytes.Buffer
	if err := JSON(&buf, res, Options{}); err == nil {
		t.Error("no error for unencodable data")
	}
	if buf.Len() != 0 {
		t.Errorf("wrote %d bytes before failing", buf.Len())
	}
}
