package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// plantedValue is a secret or personal value planted in the test notebook.
// The values are assembled at run time, so the repository never contains
// a literal token that a secret scanner would flag.
type plantedValue struct {
	kind   string
	value  string
	prefix int // characters any output may show (a provider prefix)
}

func j(parts ...string) string { return strings.Join(parts, "") }

// luhn completes a card number with its check digit.
func luhn(prefix string) string {
	sum := 0
	for i := 0; i < len(prefix); i++ {
		d := int(prefix[len(prefix)-1-i] - '0')
		if i%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return prefix + strconv.Itoa((10-sum%10)%10)
}

// iban completes a German IBAN with valid check digits.
func iban(bban string) string {
	num := ""
	for _, r := range bban + "DE00" {
		if r >= 'A' && r <= 'Z' {
			num += strconv.Itoa(int(r-'A') + 10)
		} else {
			num += string(r)
		}
	}
	rem := 0
	for _, r := range num {
		rem = (rem*10 + int(r-'0')) % 97
	}
	check := 98 - rem
	return "DE" + strconv.Itoa(check/10) + strconv.Itoa(check%10) + bban
}

func plantedValues() []plantedValue {
	return []plantedValue{
		{"aws-access-token", j("AKIA", "ZDOCIS2JHTLGMXGE"), 4},
		{"aws-secret", j("hA+2O76UMFxFkM+R5Kjp", "1vRt/1fjORS+6ilI8ihN"), 0},
		{"github-pat", j("ghp_", "u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d"), 4},
		{"huggingface", j("hf_", "PKRCsTyQwbDwkNhFdnXsiVpzzFfkCzJriB"), 3},
		{"openai", j("sk-", "3JrTAwR4y9ojfljoQoaFT3BlbkFJ1LlqsajAIxNKu8iS2G8N"), 3},
		{"slack", j("xoxb-", "078666617603-1372159010928-g8xNbe3nNyjOq9wMxEhh2FDE"), 4},
		{"gcp", j("AIza", "9NksnRH9ucAUsdMlHUvTCQCyEZDz_TddJ8H"), 4},
		{"stripe", j("sk_live_", "kQ1okTBGzvAmwufUxbvJDCTb"), 4},
		{"databricks", j("dapi", "ca923732881584d8c4fa2815d2802827"), 4},
		{"password", j("Tr0ub4", "dor&3-xyz"), 0},
		{"uri-password", j("Sommer", "2031!Prod"), 0},
		{"kaggle-key", j("a68ef786", "e4d3cea27d26934b484e73cf"), 0},
		{"email", j("marta.kowalska", "@wolkenpost-mail.de"), 0},
		{"phone", j("+44 20 7946 ", "0123"), 0},
		{"card", luhn("453957801234567"), 0},
		{"iban", iban("370400440532013999"), 0},
		{"ssn", j("536-22-", "8914"), 0},
		{"ip", j("93.184.", "216.34"), 0},
	}
}

// plantedNotebook builds a notebook holding every planted value in code,
// comments, magic lines, outputs and metadata.
func plantedNotebook(t *testing.T, vals []plantedValue) string {
	t.Helper()
	v := map[string]string{}
	for _, p := range vals {
		v[p.kind] = p.value
	}
	q := strconv.Quote
	code := []string{
		"import boto3, os, requests\n",
		"s3 = boto3.client('s3', aws_access_key_id=" + q(v["aws-access-token"]) + ", aws_secret_access_key=" + q(v["aws-secret"]) + ")\n",
		"HF = " + q(v["huggingface"]) + "\n",
		"password = " + q(v["password"]) + "\n",
		"engine_url = " + q("postgresql://analyst:"+v["uri-password"]+"@db.example.internal:5432/crm") + "\n",
		"os.environ['KAGGLE_KEY'] = " + q(v["kaggle-key"]) + "\n",
		"contact = " + q(v["email"]) + "\n",
		"# old token: " + v["github-pat"] + "\n",
		"%env OPENAI_API_KEY=" + v["openai"] + "\n",
		"!curl -H 'Authorization: Bearer " + v["slack"] + "' https://slack.example.com/api\n",
		"requests.get('https://maps.example.com/api', params={'key': " + q(v["gcp"]) + "}, timeout=5)\n",
	}
	stream := "connected with " + v["stripe"] + " and " + v["databricks"] + "\n" +
		"customer email: " + v["email"] + ", phone: " + v["phone"] + ", card number: " + v["card"] + "\n" +
		"iban: " + v["iban"] + ", ssn: " + v["ssn"] + ", client ip address: " + v["ip"] + "\n"
	nb := map[string]any{
		"nbformat": 4, "nbformat_minor": 5,
		"metadata": map[string]any{
			"kernelspec": map[string]any{"name": "python3", "language": "python", "display_name": "Python 3"},
			"papermill":  map[string]any{"parameters": map[string]any{"api_key": v["openai"], "contact": v["email"]}},
		},
		"cells": []any{
			map[string]any{"cell_type": "code", "id": "c1", "execution_count": 1, "metadata": map[string]any{}, "source": code,
				"outputs": []any{
					map[string]any{"output_type": "stream", "name": "stdout", "text": stream},
					map[string]any{"output_type": "execute_result", "execution_count": 1, "metadata": map[string]any{},
						"data": map[string]any{"text/plain": "'" + v["github-pat"] + "'", "text/html": "<td>card number</td><td>" + v["card"] + "</td>",
							"application/json": map[string]any{"token": v["huggingface"]}}},
					map[string]any{"output_type": "error", "ename": "AuthError", "evalue": "bad key " + v["aws-access-token"],
						"traceback": []any{"\x1b[31mAuthError\x1b[0m: bad key " + v["aws-access-token"] + " for " + v["email"]}},
				}},
			map[string]any{"cell_type": "code", "id": "c2", "execution_count": 2,
				"metadata": map[string]any{"secret": v["databricks"]}, "outputs": []any{},
				"source": []any{"print(password)\n", "run(password_again)"}},
		},
	}
	b, err := json.MarshalIndent(nb, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSecretsNeverLeave runs every command and format over a notebook full
// of secrets and personal values and checks every byte written to stdout,
// stderr and disk.
func TestSecretsNeverLeave(t *testing.T) {
	vals := plantedValues()
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	out := filepath.Join(dir, "out")
	os.MkdirAll(in, 0o755)
	os.MkdirAll(out, 0o755)
	nbPath := filepath.Join(in, "leaky.ipynb")
	if err := os.WriteFile(nbPath, []byte(plantedNotebook(t, vals)), 0o644); err != nil {
		t.Fatal(err)
	}
	clean := filepath.Join(in, "clean.ipynb")
	os.WriteFile(clean, []byte(`{"cells": [{"cell_type": "code", "id": "c1", "execution_count": 1, "metadata": {}, "outputs": [], "source": "import os"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}`), 0o644)
	o := func(name string) string { return filepath.Join(out, name) }

	var runs [][]string
	for _, f := range []string{"text", "json", "sarif", "markdown", "github"} {
		runs = append(runs, []string{"check", "--fail-on", "never", "--show-info", "--format", f, nbPath})
		runs = append(runs, []string{"check", "--fail-on", "never", "--format", f, "--output", o("report." + f), nbPath})
	}
	runs = append(runs,
		[]string{"check", "--fail-on", "never", "--statistics", nbPath},
		[]string{"check", "--fail-on", "never", "--format", "github", "--report", "sarif=" + o("extra.sarif"), "--report", "json=" + o("extra.json"), nbPath},
		[]string{"check", "--write-baseline", o("baseline.json"), nbPath},
		[]string{"check", "--baseline", o("baseline.json"), "--format", "json", nbPath},
	)
	for _, f := range []string{"text", "json", "dot", "mermaid"} {
		runs = append(runs, []string{"graph", "--format", f, nbPath}, []string{"graph", "--format", f, "--output", o("graph." + f), nbPath})
	}
	for _, f := range []string{"text", "json", "markdown"} {
		runs = append(runs, []string{"diff", "--fail-on", "never", "--outputs", "--metadata", "--show-info", "--format", f, clean, nbPath},
			[]string{"diff", "--fail-on", "never", "--outputs", "--metadata", "--format", f, "--output", o("diff." + f), nbPath, clean})
	}

	var written strings.Builder
	for _, args := range runs {
		code, stdout, stderr := runCLI(args...)
		if code >= 2 {
			t.Errorf("%v: exit %d\n%s", args, code, stderr)
		}
		written.WriteString(stdout)
		written.WriteString(stderr)
	}
	files, _ := os.ReadDir(out)
	if len(files) < 10 {
		t.Errorf("only %d output files were written", len(files))
	}
	for _, f := range files {
		b, _ := os.ReadFile(o(f.Name()))
		written.Write(b)
	}
	all := written.String()
	if !strings.Contains(all, "NB401") || !strings.Contains(all, "NB403") || !strings.Contains(all, "NB503") {
		t.Fatalf("the secrets were not found at all (NB401/NB403/NB503 missing): the test would prove nothing")
	}
	// Every planted kind was recognised (so the absence below means
	// redaction, not a miss): its redacted form is in the output.
	for _, marker := range []string{"<redacted email", "<redacted phone", "<redacted credit-card", "<redacted iban",
		"<redacted us-ssn", "<redacted ip-address", "AKIA…<redacted", "ghp_…<redacted", "<redacted password"} {
		if !strings.Contains(all, marker) {
			t.Errorf("no %q in the output: the planted value was not recognised", marker)
		}
	}
	for _, p := range vals {
		if strings.Contains(all, p.value) {
			t.Errorf("%s value appears in the output", p.kind)
			continue
		}
		// No part beyond the allowed prefix: any 8 consecutive characters.
		rest := p.value[p.prefix:]
		for i := 0; i+8 <= len(rest); i++ {
			if chunk := rest[i : i+8]; strings.Contains(all, chunk) && !strings.ContainsAny(chunk, " -.") {
				t.Errorf("%s: %q (part of the value) appears in the output", p.kind, chunk)
				break
			}
		}
	}
}
