package rules

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"testing"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/analyzetest"
	"github.com/nbprod/nbprod/emit/report"
	"github.com/nbprod/nbprod/notebook"
)

// TestPersonalDataFixtures checks the NB5xx rules on the fixture notebooks
// in testdata/personal (want comments mark the expected findings).
func TestPersonalDataFixtures(t *testing.T) {
	analyzetest.RunDir(t, All(), "testdata/personal", "NB5")
}

// luhnComplete completes prefix to n digits with a valid Luhn check digit.
// Test values are built at run time so the repository holds no card
// numbers, IBANs or SSNs that a scanner would flag.
func luhnComplete(prefix string, n int) string {
	s := prefix
	for i := 0; len(s) < n-1; i++ {
		s += strconv.Itoa((i*7 + 3) % 10)
	}
	for d := 0; d <= 9; d++ {
		c := s + strconv.Itoa(d)
		sum, alt := 0, false
		for i := len(c) - 1; i >= 0; i-- {
			v := int(c[i] - '0')
			if alt {
				if v *= 2; v > 9 {
					v -= 9
				}
			}
			sum += v
			alt = !alt
		}
		if sum%10 == 0 {
			return c
		}
	}
	panic("unreachable")
}

// ibanWithCheck builds a valid IBAN from a country code and BBAN.
func ibanWithCheck(cc, bban string) string {
	var b strings.Builder
	for _, r := range bban + cc + "00" {
		if r >= 'A' && r <= 'Z' {
			b.WriteString(strconv.Itoa(int(r-'A') + 10))
		} else {
			b.WriteRune(r)
		}
	}
	n, _ := new(big.Int).SetString(b.String(), 10)
	mod := new(big.Int).Mod(n, big.NewInt(97)).Int64()
	return fmt.Sprintf("%s%02d%s", cc, 98-mod, bban)
}

// personalValues are one value of every kind nbprod recognises.
type personalValues struct {
	email1, email2, email3, email4, phone, phoneIntl, card, cardSpaced, iban, ssn, ipv4, ipv6, dob, user string
}

func newPersonalValues() personalValues {
	card := luhnComplete("4556", 16)
	return personalValues{
		email1: "maria.lopez" + "@" + "kundenpost.de", email2: "t.becker" + "@" + "fastmail.fm",
		email3: "ana.silva" + "@" + "correio-web.pt", email4: "jan.novak" + "@" + "seznam.cz",
		phone: "(415) 867-" + "2309", phoneIntl: "+49 30 9017 " + "2345",
		card: card, cardSpaced: card[:4] + " " + card[4:8] + " " + card[8:12] + " " + card[12:],
		iban: ibanWithCheck("DE", "500105175407324931"), ssn: "536-22-" + "8154",
		ipv4: "52.14.203." + "17", ipv6: "2a03:2880:f10c:83:face:b00c:0:" + "25de",
		dob: "1984-03-" + "12", user: "kfischer" + "92",
	}
}

func (v personalValues) all() []string {
	return []string{v.email1, v.email2, v.email3, v.email4, v.phone, v.phoneIntl, v.card, v.cardSpaced, v.iban,
		v.ssn, v.ipv4, v.ipv6, v.dob, v.user,
		// Compact forms, in case a formatter normalised a value.
		strings.ReplaceAll(v.cardSpaced, " ", ""), "8672309", "5362281", "500105175407324931"}
}

// personalNotebook plants every kind of personal value in code and in
// saved outputs (stream, HTML, JSON, traceback).
func personalNotebook(t *testing.T, v personalValues) *notebook.Notebook {
	t.Helper()
	src := func(lines ...string) []string {
		for i := range lines[:len(lines)-1] {
			lines[i] += "\n"
		}
		return lines
	}
	cells := []map[string]any{
		{"cell_type": "code", "id": "c1", "execution_count": 1, "metadata": map[string]any{},
			"source": src("import pandas as pd",
				fmt.Sprintf("contacts = [%q, %q, %q]  # owner: %s", v.email1, v.email2, v.phone, v.email3),
				fmt.Sprintf("payment = {\"card\": %q, \"iban\": %q}", v.cardSpaced, v.iban),
				fmt.Sprintf("row = {\"ssn\": %q, \"dob\": %q, \"ip\": %q, \"ip6\": %q}", v.ssn, v.dob, v.ipv4, v.ipv6),
				fmt.Sprintf("!curl -d 'mail=%s&tel=%s' https://crm.acme-corp.de/submit  # from %s", v.email4, v.phoneIntl, v.ipv4)),
			"outputs": []any{}},
		{"cell_type": "code", "id": "c2", "execution_count": 2, "metadata": map[string]any{},
			"source": src("customers.head()"),
			"outputs": []any{
				map[string]any{"output_type": "stream", "name": "stdout", "text": []string{
					v.email1 + "\n", v.email2 + "\n", v.phone + "\n", v.phoneIntl + "\n", "card " + v.card + "\n",
					v.iban + "\n", v.ssn + "\n", v.ipv4 + " " + v.ipv6 + "\n", "date of birth: " + v.dob + "\n"}},
				map[string]any{"output_type": "execute_result", "execution_count": 2, "metadata": map[string]any{},
					"data": map[string]any{
						"text/html":        fmt.Sprintf("<table><thead><tr><th></th><th>email</th><th>phone</th></tr></thead><tr><td>%s</td><td>%s</td></tr><tr><td>%s</td><td>%s</td></tr></table>", v.email3, v.phone, v.email4, v.phoneIntl),
						"text/plain":       "   email  phone\n0  " + v.email3 + "  " + v.phone,
						"application/json": map[string]any{"owner": v.email2, "card": v.cardSpaced},
					}},
				map[string]any{"output_type": "error", "ename": "ValueError", "evalue": "bad " + v.email1,
					"traceback": []string{"\x1b[0;31mValueError\x1b[0m Traceback (most recent call last)",
						"File \x1b[0;32m/home/" + v.user + "/work/load.py:12\x1b[0m, in load()",
						"ValueError: bad address " + v.email1 + " " + v.email2 + " " + v.ssn}},
			}},
	}
	doc := map[string]any{"nbformat": 4, "nbformat_minor": 5, "cells": cells,
		"metadata": map[string]any{"language_info": map[string]any{"name": "python"}}}
	data, err := json.MarshalIndent(doc, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	nb, err := notebook.ReadIPYNB("notebooks/customers.ipynb", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return nb
}

// TestPersonalValuesNeverPrinted plants personal values of every kind in
// code and outputs, runs every rule and renders every report format: no
// value may appear in any of them (CONTRACT.md §5).
func TestPersonalValuesNeverPrinted(t *testing.T) {
	v := newPersonalValues()
	nb := personalNotebook(t, v)
	settings := analyzetest.Settings(t, All())
	fs := analyze.CheckNotebook(nb, settings)

	// The check must see the values, or the test proves nothing.
	var outputs, code int
	for _, f := range fs {
		if f.Rule != "NB503" {
			continue
		}
		if f.Output != nil && f.Severity == analyze.Blocker {
			outputs++
		}
		if f.Output == nil && f.Severity == analyze.Warning {
			code++
			if !strings.Contains(f.Snippet, "<redacted ") {
				t.Errorf("snippet of %s is not redacted: %q", f.Rule, f.Snippet)
			}
		}
	}
	if outputs < 3 || code < 1 {
		t.Fatalf("NB503 findings: %d in outputs, %d in code; want >= 3 and >= 1:\n%s", outputs, code, analyzetest.Describe(fs))
	}

	res := &analyze.Result{Findings: fs, Rules: settings.Rules, Severity: settings.Severity,
		Notebooks: []analyze.NotebookResult{{Path: nb.Path, Cells: len(nb.Cells), CodeCells: len(nb.Cells), Language: "python"}}}
	for _, format := range report.Formats {
		var buf bytes.Buffer
		if err := report.Write(&buf, format, res, report.Options{ShowInfo: true}); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		out := buf.String()
		if !strings.Contains(out, "redacted") {
			t.Errorf("%s report shows no redacted value: the findings did not reach it", format)
		}
		for _, val := range v.all() {
			if strings.Contains(out, val) {
				t.Errorf("%s report contains the personal value %q", format, val)
			}
		}
	}
	// Fingerprint keys are salted hashes, never values.
	for _, f := range fs {
		for _, val := range v.all() {
			if strings.Contains(f.Key, val) || strings.Contains(f.Fingerprint, val) {
				t.Errorf("%s key holds a personal value", f.Rule)
			}
		}
	}
}

// TestPersonalBlockingValues: one card number, IBAN or SSN in an output is
// a blocker; one email is not; min-matches lowers the threshold.
func TestPersonalBlockingValues(t *testing.T) {
	v := newPersonalValues()
	for _, c := range []struct {
		text string
		min  int
		want bool
	}{
		{"card " + v.card, 3, true},
		{v.cardSpaced, 3, true},
		{"IBAN " + v.iban, 3, true},
		{v.ssn, 3, true},
		{v.email1, 3, false},
		{v.email1 + "\n" + v.phone, 3, false},
		{v.email1 + "\n" + v.phone + "\n" + v.ipv4, 3, true},
		{v.email1, 1, true},
		{"4111 1111 1111 1111\n123-45-6789", 1, false},
	} {
		src := "# %% In[1]\nprint(values)\n"
		nb, err := analyzetest.Notebook(src)
		if err != nil {
			t.Fatal(err)
		}
		nb.Cells[0].Outputs = []notebook.Output{{Type: "stream", StreamName: "stdout",
			Data: []notebook.MimeData{{MIME: "stream", Kept: true, Text: c.text}}}}
		cfg := &analyze.Config{Options: map[string]map[string]any{"NB503": {"min-matches": c.min}}}
		s, err := cfg.Resolve(All(), analyze.Overrides{Select: []string{"NB503"}})
		if err != nil {
			t.Fatal(err)
		}
		got := len(analyze.CheckNotebook(nb, s)) > 0
		if got != c.want {
			t.Errorf("output %q with min-matches %d: finding %v, want %v", strings.ReplaceAll(c.text, "\n", " | "), c.min, got, c.want)
		}
	}
}

// TestPersonalExportGovernedSinks: writes under a configured prefix are
// not reported.
func TestPersonalExportGovernedSinks(t *testing.T) {
	src := "# %% In[1]\nimport pandas as pd\ndf = pd.read_csv('customers.csv')\n" +
		"df[['email', 'spend']].to_csv('s3://governed-bucket/exports/x.csv')\n" +
		"df[['email', 'spend']].to_csv('exports/x.csv')\n"
	nb, err := analyzetest.Notebook(src)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &analyze.Config{Options: map[string]map[string]any{"NB505": {"governed-sinks": []any{"s3://governed-bucket/"}}}}
	s, err := cfg.Resolve(All(), analyze.Overrides{Select: []string{"NB505"}})
	if err != nil {
		t.Fatal(err)
	}
	analyzetest.Expect(t, analyze.CheckNotebook(nb, s), analyzetest.Want{Rule: "NB505", Cell: 1, Line: 4, Msg: "exports/x.csv"})
}
