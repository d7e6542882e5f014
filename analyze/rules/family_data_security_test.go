package rules

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/analyzetest"
	"github.com/nbprod/nbprod/emit/report"
)

// TestDataSecurityFixtures checks NB301–NB308, NB401–NB407 and NB705 on the
// fixtures in testdata/data_security, which hold every positive and
// negative example of RULES.md §2.1 (P1–P23, N1–N15) and §2.2 (S1–S22,
// T1–T16) that can be written without a whole credential in the file.
func TestDataSecurityFixtures(t *testing.T) {
	analyzetest.RunDir(t, All(), "testdata/data_security", "NB3", "NB4", "NB705")
}

// Synthetic credentials (RULES.md §2.2.5), assembled at run time so that no
// source file of the repository holds a whole token.
var (
	tokAWS        = "AKIA" + "ZDOCIS2JHTLGMXGE"
	tokAWSSecret  = "hA+2O76UMFxFkM+R5Kjp" + "1vRt/1fjORS+6ilI8ihN"
	tokGitHub     = "ghp_" + "u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d"
	tokHF         = "hf_" + "PKRCsTyQwbDwkNhFdnXsiVpzzFfkCzJriB"
	tokOpenAI     = "sk-" + "3JrTAwR4y9ojfljoQoaF" + "T3Blbk" + "FJ1LlqsajAIxNKu8iS2G8N"
	tokSlack      = "xoxb-" + "078666617603-1372159010928-g8xNbe3nNyjOq9wMxEhh2FDE"
	tokGCP        = "AIza" + "9NksnRH9ucAUsdMlHUvTCQCyEZDz_TddJ8H"
	tokStripe     = "sk_live_" + "kQ1okTBGzvAmwufUxbvJDCTb"
	tokDatabricks = "dapi" + "ca923732881584d8c4fa2815d2802827"
	tokJWT        = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + "eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
	tokGitLab     = "glpat-" + "x7Kq2mZp9LrT4vWb8NcY"
	tokAnthropic  = "sk-ant-api03-" + strings.Repeat("Zq8xW2vN", 11) + "Lk9m4" + "AA"
	tokAzureAD    = "abc1Q~" + "Zq8xW2vNLk9m4Tb7Yc3Rd6Fe1Gh5Jk0Mn"
	tokKaggle     = "a68ef786" + "e4d3cea27d26934b484e73cf"
	pemBody       = "MIIEowIBAAKCAQEAx8f3kD9sLq2Zc4Vt7Yb1NnRr0Wm5Hh6Jj8Kk9Ll0Pp1Qq2Rr3Ss4Tt5Uu6Vv7Ww8Xx9Yy0Zz"
	pemKey        = "-----BEGIN RSA PRIV" + "ATE KEY-----\n" + pemBody + "\n-----END RSA PRIV" + "ATE KEY-----"
	azureKey      = "yS5SUkCnD8zRA9a9SkpXz9w3QlY7Zkuvqdt7s8Stqcbnr3yBdGBLEPH1qhT61qtc4xatws8phP9nhFyJfm5di4" + "=="
	pwURI         = "Qv7Lm" + "2Np!9xR"
	pwODBC        = "Sq1Srv" + "Prod#77"
	pwPlain       = "Tr0ub4" + "dor&3z"
	tokEntropy    = "Zq8xW2vNLk9m" + "4Tb7Yc3Rd6Fe1Gh5Jk0MnP"
	sasSig        = "k3J9sLqP0wXz" + "Vb7Nc4Md2Ft8Gh1Rj6Ty5Ue%3D"
	pwBody        = "b4sh-Secr3t" + "-Val9e"
	pwMeta        = "M3ta-P4ss" + "w0rd-Z9"
	pwTrace       = "Tr4ce-P4ss" + "w0rd-Q1"
)

// nbCell is a cell of a notebook built in tests.
type nbCell struct {
	kind    string // code, markdown
	source  string
	outputs []map[string]any
	meta    map[string]any
}

// buildNotebook renders cells as nbformat 4 JSON.
func buildNotebook(t *testing.T, meta map[string]any, cells ...nbCell) []byte {
	t.Helper()
	var cs []map[string]any
	for i, c := range cells {
		m := map[string]any{"cell_type": c.kind, "id": "c" + string(rune('a'+i)), "metadata": map[string]any{}, "source": c.source}
		if c.meta != nil {
			m["metadata"] = c.meta
		}
		if c.kind == "code" {
			m["execution_count"] = i + 1
			outs := c.outputs
			if outs == nil {
				outs = []map[string]any{}
			}
			m["outputs"] = outs
		}
		cs = append(cs, m)
	}
	if meta == nil {
		meta = map[string]any{}
	}
	meta["kernelspec"] = map[string]any{"name": "python3", "language": "python", "display_name": "Python 3"}
	b, err := json.MarshalIndent(map[string]any{"nbformat": 4, "nbformat_minor": 5, "metadata": meta, "cells": cs}, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func stream(text string) map[string]any {
	return map[string]any{"output_type": "stream", "name": "stdout", "text": text}
}

func display(mime, text string) map[string]any {
	return map[string]any{"output_type": "display_data", "metadata": map[string]any{}, "data": map[string]any{mime: text}}
}

// checkBytes runs every rule over a notebook given as JSON.
func checkBytes(t *testing.T, name string, data []byte) *analyze.Result {
	t.Helper()
	s := analyzetest.Settings(t, All())
	return analyze.Run([]analyze.Input{{Path: name, Data: data}}, analyze.RunOptions{Settings: s, Jobs: 1})
}

func findingsOf(res *analyze.Result, rule string) []analyze.Finding {
	var out []analyze.Finding
	for _, f := range res.Findings {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

// TestSecretsBuiltAtRunTime covers the examples whose token must appear
// unsplit in the notebook: S13 (%env line), S19 (comment), S20 (saved
// output of print(os.environ)), plus the other places secrets hide:
// shell bodies, markdown, HTML and JSON outputs, tracebacks and metadata.
func TestSecretsBuiltAtRunTime(t *testing.T) {
	data := buildNotebook(t, map[string]any{"widgets": map[string]any{"state": map[string]any{"w1": map[string]any{"value": "token " + tokGitLab}}}},
		nbCell{kind: "code", source: "%env OPENAI_API_KEY=" + tokOpenAI},      // 0: S13
		nbCell{kind: "code", source: "# old token: " + tokGitHub + "\nx = 1"}, // 1: S19
		nbCell{kind: "code", source: "import os\nprint(os.environ)", outputs: []map[string]any{ // 2: S20
			stream("environ({'PATH': '/usr/bin', 'AWS_ACCESS_KEY_ID': '" + tokAWS + "', 'DB_PASSWORD': '" + pwPlain + "'})\n")}},
		nbCell{kind: "code", source: "%%bash\nexport DB_PASSWORD=" + pwBody + "\necho done"},                                 // 3
		nbCell{kind: "markdown", source: "Use the token " + tokHF + " to log in."},                                           // 4
		nbCell{kind: "code", source: "show(cfg)", outputs: []map[string]any{display("text/html", "<td>"+tokSlack+"</td>")}},  // 5
		nbCell{kind: "code", source: "cfg", outputs: []map[string]any{display("application/json", `{"key": "`+tokGCP+`"}`)}}, // 6
		nbCell{kind: "code", source: "connect()", outputs: []map[string]any{{"output_type": "error", "ename": "OperationalError", // 7
			"evalue": "could not connect", "traceback": []string{"\x1b[0;31mOperationalError\x1b[0m: postgresql://etl:" + pwTrace + "@db.internal/dw"}}}},
		nbCell{kind: "code", source: "x = 2", meta: map[string]any{"papermill": map[string]any{"parameters": map[string]any{"conn": "mysql://app:" + pwMeta + "@db/x"}}}}, // 8
		nbCell{kind: "code", source: "!export HF_TOKEN=" + tokHF},                                                          // 9
		nbCell{kind: "code", source: "!curl -H \"Authorization: Bearer " + tokEntropy + "\" https://api.example.com/v1/x"}, // 10
	)
	res := checkBytes(t, "runtime.ipynb", data)
	type want struct {
		rule   string
		cell   int
		output bool
		env    string
	}
	wants := []want{
		{"NB401", 0, false, "OPENAI_API_KEY"},
		{"NB401", 1, false, "GITHUB_TOKEN"},
		{"NB403", 2, true, "AWS_ACCESS_KEY_ID"},
		{"NB403", 2, true, "DB_PASSWORD"},
		{"NB401", 3, false, "DB_PASSWORD"},
		{"NB401", 4, false, "HF_TOKEN"},
		{"NB403", 5, true, "SLACK_BOT_TOKEN"},
		{"NB403", 6, true, "GOOGLE_API_KEY"},
		{"NB403", 7, true, "DB_PASSWORD"},
		{"NB403", 8, false, "DB_PASSWORD"},
		{"NB403", -1, false, "GITLAB_TOKEN"},
		{"NB401", 9, false, "HF_TOKEN"},
		{"NB401", 10, false, "API_TOKEN"},
	}
	used := map[int]bool{}
	for _, w := range wants {
		found := false
		for i, f := range res.Findings {
			if used[i] || f.Rule != w.rule || f.Cell != w.cell || (f.Output != nil) != w.output {
				continue
			}
			if f.Data["env_var"] != w.env {
				continue
			}
			if f.Severity != analyze.Blocker {
				t.Errorf("%s in cell %d: severity %s, want blocker", w.rule, w.cell, f.Severity)
			}
			used[i], found = true, true
			break
		}
		if !found {
			t.Errorf("missing %s (env %s) in cell %d", w.rule, w.env, w.cell)
		}
	}
	for i, f := range res.Findings {
		if strings.HasPrefix(f.Rule, "NB40") && f.Rule <= "NB403" && !used[i] {
			t.Errorf("unexpected %s cell %d: %s", f.Rule, f.Cell, f.Message)
		}
	}
	// The output finding points into the output.
	for _, f := range findingsOf(res, "NB403") {
		if f.Cell == 7 && (f.Output == nil || f.Output.MIME != "error" || f.Output.Index != 0) {
			t.Errorf("traceback finding has output %+v, want error output 0", f.Output)
		}
	}
}

// TestImageOutputsNotScanned is T15 with a token-shaped run inside a base64
// image: binary payloads are never scanned (they are not even kept).
func TestImageOutputsNotScanned(t *testing.T) {
	payload := "iVBORw0KGgo+" + tokAWS + "/AAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
	data := buildNotebook(t, nil, nbCell{kind: "code", source: "plt.show()", outputs: []map[string]any{display("image/png", payload)}})
	res := checkBytes(t, "image.ipynb", data)
	for _, f := range res.Findings {
		if strings.HasPrefix(f.Rule, "NB40") {
			t.Errorf("unexpected %s: %s", f.Rule, f.Message)
		}
	}
}

// plantedSecret is a credential planted in the redaction notebook, with the
// part that must never be printed and the prefix that may be.
type plantedSecret struct {
	kind   string
	value  string
	prefix int
}

// TestRedactionInEveryFormat plants one secret of every detected kind in
// code, comments, magic lines, shell bodies, markdown, outputs and
// metadata, runs all rules, renders every report format, and checks that no
// secret (nor any 8-character piece of it) appears in any byte, while the
// findings are there.
func TestRedactionInEveryFormat(t *testing.T) {
	planted := []plantedSecret{
		{"aws-access-token", tokAWS, 4}, {"aws-secret-access-key", tokAWSSecret, 0}, {"github-pat", tokGitHub, 4},
		{"gitlab-pat", tokGitLab, 4}, {"huggingface-access-token", tokHF, 3}, {"openai-api-key", tokOpenAI, 3},
		{"anthropic-api-key", tokAnthropic, 3}, {"slack-bot-token", tokSlack, 4}, {"gcp-api-key", tokGCP, 4},
		{"stripe-access-token", tokStripe, 3}, {"databricks-api-token", tokDatabricks, 4}, {"azure-ad-client-secret", tokAzureAD, 0},
		{"jwt", tokJWT, 3}, {"private-key", pemBody, 0}, {"kaggle-api-key", tokKaggle, 0}, {"azure-storage-account-key", azureKey, 0},
		{"uri-password", pwURI, 0}, {"connection-string-password", pwODBC, 0}, {"password", pwPlain, 0},
		{"high-entropy-string", tokEntropy, 0}, {"sas-signature", sasSig, 0}, {"shell-body", pwBody, 0},
		{"metadata", pwMeta, 0}, {"traceback", pwTrace, 0},
	}
	code := strings.Join([]string{
		"import os, boto3, openai, psycopg2, pyodbc, requests",
		"from sqlalchemy import create_engine",
		`s3 = boto3.client("s3", aws_access_key_id="` + tokAWS + `", aws_secret_access_key="` + tokAWSSecret + `")`,
		`gh = "` + tokGitHub + `"`,
		`gl = "` + tokGitLab + `"  # gitlab`,
		`openai.api_key = "` + tokOpenAI + `"`,
		`claude = "` + tokAnthropic + `"`,
		`SLACK = "` + tokSlack + `"`,
		`maps_key = "` + tokGCP + `"`,
		`stripe_key = "` + tokStripe + `"`,
		`dbx = "` + tokDatabricks + `"`,
		`AZURE_CLIENT_SECRET = "` + tokAzureAD + `"`,
		`headers = {"Authorization": "Bearer ` + tokJWT + `"}`,
		`PEM = """` + pemKey + `"""`,
		`os.environ["KAGGLE_KEY"] = "` + tokKaggle + `"`,
		`conn_str = "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=` + azureKey + `;EndpointSuffix=core.windows.net"`,
		`engine = create_engine("postgresql://analyst:` + pwURI + `@10.0.3.17:5432/crm")`,
		`cnx = pyodbc.connect("DRIVER={ODBC Driver 17};SERVER=sql01;UID=etl;PWD=` + pwODBC + `")`,
		`password = "` + pwPlain + `"`,
		`r = requests.get("https://x.blob.core.windows.net/c/f.csv?sv=2020&sig=` + sasSig + `", timeout=5)`,
		`api_token = "` + tokEntropy + `"`,
	}, "\n")
	data := buildNotebook(t, map[string]any{"papermill": map[string]any{"parameters": map[string]any{"dsn": "mysql://app:" + pwMeta + "@db/x"}}},
		nbCell{kind: "code", source: code, outputs: []map[string]any{stream("connected as " + tokAWS + "\n")}},
		nbCell{kind: "code", source: "# backup: " + tokGitHub + "\n%env OPENAI_API_KEY=" + tokOpenAI + "\n!export HF_TOKEN=" + tokHF},
		nbCell{kind: "code", source: "%%bash\nexport DB_PASSWORD=" + pwBody},
		nbCell{kind: "markdown", source: "Slack: " + tokSlack},
		nbCell{kind: "code", source: "print(cfg)", outputs: []map[string]any{
			display("text/html", "<b>"+tokDatabricks+"</b>"), display("application/json", `{"k": "`+tokGCP+`"}`),
			{"output_type": "error", "ename": "E", "evalue": "x", "traceback": []string{"postgresql://etl:" + pwTrace + "@db/dw"}}}},
	)
	res := checkBytes(t, "redaction.ipynb", data)
	// Every planted secret is found.
	count := map[string]int{}
	for _, f := range res.Findings {
		count[f.Rule]++
	}
	if count["NB401"] < 18 || count["NB402"] < 4 || count["NB403"] < 5 {
		var b strings.Builder
		for _, f := range res.Findings {
			if strings.HasPrefix(f.Rule, "NB40") {
				b.WriteString(f.Rule + " " + f.Message + "\n")
			}
		}
		t.Fatalf("too few secret findings: %v\n%s", count, b.String())
	}
	if len(res.Errors) > 0 {
		t.Fatalf("internal errors: %v", res.Errors)
	}
	var all bytes.Buffer
	for _, format := range report.Formats {
		var b bytes.Buffer
		if err := report.Write(&b, format, res, report.Options{ShowInfo: true, ToolVersion: "test"}); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if b.Len() == 0 {
			t.Errorf("%s: empty report", format)
		}
		checkNoSecret(t, format, b.String(), planted)
		all.Write(b.Bytes())
	}
	// The baseline stores keys, never values.
	var bl bytes.Buffer
	for _, f := range res.Findings {
		bl.WriteString(f.Key + f.Fingerprint + f.Snippet)
		for k, v := range f.Data {
			bl.WriteString(k)
			if s, ok := v.(string); ok {
				bl.WriteString(s)
			}
		}
	}
	checkNoSecret(t, "finding fields", bl.String(), planted)
	if !strings.Contains(all.String(), "AKIA…<redacted aws-access-token, 20 chars>") {
		t.Errorf("reports do not show the redacted AWS key form")
	}
}

// checkNoSecret fails when out holds a planted secret or any 8-character
// piece of it past the prefix that may be shown.
func checkNoSecret(t *testing.T, where, out string, planted []plantedSecret) {
	t.Helper()
	// Undo the escapes of the formats (JSON's \u0026, Markdown's \_, the
	// GitHub format's %25) so an escaped secret cannot slip through.
	out = strings.NewReplacer(`\u0026`, "&", `\u003c`, "<", `\u003e`, ">", "%25", "%", "%2C", ",", `\`, "").Replace(out)
	for _, p := range planted {
		v := p.value
		for i := 0; i+8 <= len(v); i++ {
			piece := v[i : i+8]
			if i+8 <= p.prefix {
				continue
			}
			if strings.Contains(out, piece) {
				at := strings.Index(out, piece)
				lo, hi := max(0, at-60), min(len(out), at+68)
				t.Errorf("%s: %s secret leaks (%q…) in %q", where, p.kind, piece[:3], out[lo:hi])
				break
			}
		}
	}
}

// TestNB303Escalation checks NB303's severity against the repository
// layout, on real files: a relative path that leaves the repository root is
// a blocker; one inside is a warning, whether or not the file exists.
func TestNB303Escalation(t *testing.T) {
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "notebooks")
	if err := os.MkdirAll(filepath.Join(root, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "data", "present.csv"), []byte("a\n1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := strings.Join([]string{
		"import pandas as pd",
		`a = pd.read_csv("../data/present.csv")`,
		`b = pd.read_csv("../data/absent.csv")`,
		`c = pd.read_csv("../../elsewhere/data.csv")`,
		`d = pd.read_csv("../../../x/y.parquet")`,
	}, "\n")
	nbFile := filepath.Join(dir, "nb.ipynb")
	if err := os.WriteFile(nbFile, buildNotebook(t, nil, nbCell{kind: "code", source: src}), 0o644); err != nil {
		t.Fatal(err)
	}
	s := analyzetest.Settings(t, All(), "NB303")
	res := analyze.Run([]analyze.Input{{Path: "notebooks/nb.ipynb", File: nbFile}}, analyze.RunOptions{Settings: s, Jobs: 1})
	want := map[int]analyze.Severity{2: analyze.Warning, 3: analyze.Warning, 4: analyze.Blocker, 5: analyze.Blocker}
	got := map[int]analyze.Severity{}
	for _, f := range findingsOf(res, "NB303") {
		got[f.Line] = f.Severity
		if f.Severity == analyze.Blocker && f.Data["outside_root"] != true {
			t.Errorf("line %d: blocker without outside_root in data", f.Line)
		}
	}
	for line, sev := range want {
		if got[line] != sev {
			t.Errorf("line %d: NB303 %v, want %v", line, got[line], sev)
		}
	}
}

// TestNB303AllowOption: N15's reference table is info once allowed.
func TestNB303AllowOption(t *testing.T) {
	cfg := &analyze.Config{Options: map[string]map[string]any{"NB303": {"allow": []any{"data/lookup_*.csv"}}}}
	s, err := cfg.Resolve(All(), analyze.Overrides{Select: []string{"NB303"}})
	if err != nil {
		t.Fatal(err)
	}
	nb, err := analyzetest.Notebook("# %%\nimport pandas as pd\ncountries = pd.read_csv(\"data/lookup_countries.csv\")\nsales = pd.read_csv(\"data/sales.csv\")\n")
	if err != nil {
		t.Fatal(err)
	}
	fs := analyze.CheckNotebook(nb, s)
	if len(fs) != 2 || fs[0].Severity != analyze.Info || fs[1].Severity != analyze.Warning {
		t.Fatalf("got %s", analyzetest.Describe(fs))
	}
}

// TestPathFindingData checks the machine-readable data of path findings:
// the folded value, its kind, the config key, direction and sink.
func TestPathFindingData(t *testing.T) {
	fs := analyzetest.Run(t, All(), strings.Join([]string{
		"# %%",
		"import pandas as pd",
		`DATA_DIR = "/home/ana/projects/churn"`,
		"# %%",
		`df = pd.read_csv(f"{DATA_DIR}/customers.csv")`,
		`df.to_csv("/Users/ana/Desktop/out.csv")`,
	}, "\n"), "NB301", "NB307")
	if len(fs) != 2 {
		t.Fatalf("got %s", analyzetest.Describe(fs))
	}
	f := fs[0]
	if f.Rule != "NB301" || f.Cell != 0 || f.Line != 2 {
		t.Fatalf("NB301 at cell %d line %d, want the DATA_DIR literal", f.Cell, f.Line)
	}
	want := map[string]any{"value": "/home/ana/projects/churn/customers.csv", "kind": "user-home", "config_key": "paths.data_dir",
		"direction": "read", "sink": "pandas.read_csv", "binding": "DATA_DIR", "literal": "/home/ana/projects/churn"}
	for k, v := range want {
		if f.Data[k] != v {
			t.Errorf("data[%s] = %v, want %v", k, f.Data[k], v)
		}
	}
	if len(f.Related) != 1 || f.Related[0].Cell != 1 || f.Related[0].Line != 1 {
		t.Errorf("related = %+v, want the reader in cell 2 line 1", f.Related)
	}
	g := fs[1]
	if g.Rule != "NB307" || g.Severity != analyze.Blocker || g.Data["config_key"] != "paths.out_out" || g.Data["kind"] != "personal" {
		t.Errorf("NB307 = %s %v, want a blocker with key paths.out_out", g.Severity, g.Data)
	}
}

// TestNotebookRuleExtras covers the rules beyond the §2 tables through
// small fixtures with want comments.
func TestNotebookRuleExtras(t *testing.T) {
	for name, src := range map[string]string{
		"nb303 written earlier and later": `# %%
import pandas as pd
df = pd.read_csv("raw/input.csv")  # want NB303[warning]
df.to_csv("work/clean.csv")  # want NB307[warning]
# %%
clean = pd.read_csv("work/clean.csv")  # want NB303[info]
early = pd.read_csv("work/late.csv")  # want NB303[warning]
# %%
clean.to_parquet("work/late.csv")  # want NB307[warning]
# %%
!wget https://example.com/files/archive.csv  # want NB305
arch = pd.read_csv("archive.csv")  # want NB303[info]
`,
		"nb307 severities": `# %%
import os, joblib, torch
import matplotlib.pyplot as plt
plt.savefig("outputs/fig1.png")  # want NB307[info]
joblib.dump(model, "/tmp/model.joblib")  # want NB307[info]
torch.save(model.state_dict(), "models/net.pt")  # want NB307[warning]
OUT = os.environ.get("OUT", "results/preds.csv")  # want NB307[info]
preds.to_csv(OUT)
with open("/Users/bo/Documents/report.txt", "w") as f:  # want NB307[blocker]
    f.write("x")
`,
		"nb304 readers": `# %%
import openpyxl, gspread
wb = openpyxl.load_workbook(path)  # want NB304
gc = gspread.service_account()  # want NB304
sh = gc.open_by_url(url)  # want NB304
xl = df.to_excel("report.xlsx")  # want NB307
`,
		"nb305 downloads": `# %%
import urllib.request, requests, gdown
from sklearn.datasets import fetch_openml
urllib.request.urlretrieve("https://example.com/d/train.zip", "train.zip")  # want NB305[warning] NB307[warning]
gdown.download(id="1AbC", output="x.zip")  # want NB305[warning]
mnist = fetch_openml("mnist_784")  # want NB305[warning]
r = requests.get("https://example.com/data/prices.csv")  # want NB305[warning]
status = requests.get("https://api.example.com/health", timeout=3)  # want NB305[info]
ping = requests.get(service_url)
!aws s3 cp s3://acme-raw/exports/day.csv data/  # want NB305 NB306
`,
		"nb306 endpoints": `# %%
import duckdb, mlflow, pandas as pd, requests
db = duckdb.connect(":memory:")
wh = duckdb.connect("warehouse.duckdb")  # want NB306 NB303
mlflow.set_tracking_uri("http://localhost:5000")  # want NB306
sample = pd.read_csv("s3://sagemaker-sample-files/datasets/tabular/iris.csv", usecols=["a"])
pred = requests.post("http://127.0.0.1:8080/invocations", json=x, timeout=5)  # want NB306 NB305[info]
res = pd.read_sql("SELECT id FROM t WHERE a = 1", "postgresql://u@dbhost/x")  # want NB306
`,
		"nb308 directory changes": `# %%
import os
os.chdir("/home/ana/project")  # want NB308
%cd ..  # want NB308
%bookmark proj /Users/ana/proj  # want NB308 NB301
`,
		"nb404 loaders": `# %%
import pickle, yaml, torch, numpy as np, pandas as pd
from urllib.request import urlopen
with open("models/model.pkl", "rb") as f:  # want NB303
    model = pickle.load(f)  # want NB404[warning]
remote = pickle.loads(urlopen("https://example.com/m.pkl").read())  # want NB404[blocker] NB305
cached = pd.read_pickle("/tmp/cache.pkl")  # want NB404[blocker] NB301[info]
w = torch.load(weights)  # want NB404[warning]
w2 = torch.load(weights, weights_only=True)
cfg = yaml.load(open("cfg.yml"))  # want NB404[warning]
cfg2 = yaml.load(open("cfg.yml"), Loader=yaml.SafeLoader)
cfg3 = yaml.safe_load(open("cfg.yml"))
arr = np.load(array_file, allow_pickle=True)  # want NB404[warning]
arr2 = np.load(array_file)
`,
		"nb405 exec": `# %%
import os, subprocess
os.system("nvidia-smi")  # want NB405[info]
os.system("unzip " + name)  # want NB405[warning]
subprocess.run(f"ls {folder}", shell=True)  # want NB405[warning]
subprocess.run(["ls", folder])
subprocess.run("ls -l", shell=True, check=True)  # want NB405[info]
value = eval(expr)  # want NB405[warning]
model.eval()
exec(open("helpers.py").read())
!{sys.executable} -m pip install -U boto3
!echo $HOME
!aws s3 cp {local_file} s3://bucket/x  # want NB405 NB306
# %%
local_file = "a.csv"
def run(cmd):
    os.system(cmd)  # want NB405[warning]
cmd = "echo hi"
`,
		"nb406 tls": `# %%
import ssl, requests, urllib3
r = requests.get("https://internal/api", verify=False, timeout=5)  # want NB406 NB305[info]
s = requests.Session()
s.verify = False  # want NB406
ctx = ssl.create_default_context()
ctx.check_hostname = False  # want NB406
ctx.verify_mode = ssl.CERT_NONE  # want NB406
ssl._create_default_https_context = ssl._create_unverified_context  # want NB406
urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)  # want NB406
!curl -k https://internal/file.csv -o file.csv  # want NB406 NB305
!pip install --trusted-host pypi.internal pandas==2.2.2  # want NB406
ok = requests.get("https://internal/api", verify="/etc/ssl/ca.pem", timeout=5)
`,
		"nb407 sql": `# %%
import pandas as pd
query = f"SELECT * FROM orders WHERE customer_id = '{customer_id}'"  # want NB407[warning]
# %%
orders = pd.read_sql(query, conn)
TABLE = "sales"
cur.execute("SELECT amount FROM %s WHERE id = 1" % TABLE)  # want NB407[info]
cur.execute("SELECT amount FROM t WHERE id = %s", (row_id,))
cur.execute("DELETE FROM t WHERE id = " + str(row_id))  # want NB407[warning]
df = spark.sql("SELECT * FROM events WHERE day = '{}'".format(day))  # want NB407[warning]
safe = pd.read_sql("SELECT a FROM t WHERE b = %(b)s", conn, params={"b": b})
frame.query(f"amount > {threshold}")
`,
		"nb705 unbounded": `# %%
import pandas as pd
customers = pd.read_sql("SELECT * FROM customers", conn)  # want NB705
few = pd.read_sql("SELECT * FROM customers LIMIT 100", conn)
events = spark.sql("SELECT * FROM events")  # want NB705
rows = events.collect()  # want NB705
small = events.limit(10).toPandas()
n = spark.table("events").groupBy("day").count().collect()
import gc
gc.collect()
bounded = pd.read_parquet("gs://acme-data/features.parquet", columns=["id"])  # want NB306
`,
		"nb401 names and entropy": `# %%
import os, smtplib
server = smtplib.SMTP("smtp.example.com")
server.login("me@example.com", "Gmail" "Pass2024")  # want NB401
client_secret = "keZdvIa1Ge257NKEm3v" "-eGEdv8M"  # want NB401
config = {"db_password": "s3cr3t" "Passw0rd"}  # want NB401
def connect(token="abc123XYZ" "789qwe"):  # want NB401
    return token
url = "https://api.example.com/v1/items?api_key=Zq8xW2vNLk9m" "4Tb7Yc3Rd6Fe"  # want NB401[warning]
test_key = "sk_test_" "kQ1okTBGzvAmwufUxbvJDCTb"  # want NB401[warning]
alphabet = "abcdefghijklmnopqrstuvwxyz"
model_path = "sentence-transformers/all-MiniLM-L6-v2"
`,
	} {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "fixture.py")
			if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			analyzetest.RunFile(t, All(), file, "NB3", "NB4", "NB705")
		})
	}
}
