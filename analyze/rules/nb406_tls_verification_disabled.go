package rules

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
	ps "github.com/nbprod/nbprod/analyze/pysyntax"
)

// TLSVerificationDisabled reports code and commands that turn off TLS
// certificate verification.
var TLSVerificationDisabled = &analyze.Rule{
	ID:       "NB406",
	Name:     "tls-verification-disabled",
	Category: analyze.CatSecurity,
	Severity: analyze.Blocker,
	Doc:      doc("NB406"),
	Run:      runTLSVerificationDisabled,
}

// tlsKeywords are keyword arguments that disable verification when False.
var tlsKeywords = []string{"verify", "verify_ssl", "verify_certs", "ssl_verify", "check_hostname", "validate_certs"}

const tlsFix = "keep verification on and point REQUESTS_CA_BUNDLE / SSL_CERT_FILE at your organisation's CA bundle"

func runTLSVerificationDisabled(p *analyze.Pass) {
	fx := p.Facts
	report := func(c *facts.Cell, n ps.NodeID, msg string) {
		pos, end := c.NodePos(n), c.NodeEnd(n)
		p.Report(analyze.Finding{Cell: c.Index, Line: pos.Line, Column: pos.Col, EndLine: end.Line, EndColumn: end.Col,
			Message: msg + ": connections accept any certificate, so anyone on the network path can read or change the traffic", Fix: tlsFix})
	}
	for _, cs := range fx.Calls() {
		cs := cs
		t := cs.Cell.Tree
		for _, a := range cs.Args {
			if a.Name == "" || !containsStr(tlsKeywords, a.Name) || t.Kind(a.Node) != ps.False {
				continue
			}
			report(cs.Cell, a.Node, fmt.Sprintf("%s=False in %s", a.Name, callName(&cs)))
		}
		if v := cs.Keyword("cert_reqs"); v != ps.NoNode && strings.Contains(t.Text(v), "CERT_NONE") {
			report(cs.Cell, v, fmt.Sprintf("cert_reqs=CERT_NONE in %s", callName(&cs)))
		}
		if v := cs.Keyword("ssl"); v != ps.NoNode && t.Kind(v) == ps.False && strings.HasPrefix(cs.Qual, "aiohttp") {
			report(cs.Cell, v, "ssl=False in "+callName(&cs))
		}
		if cs.Is("urllib3.disable_warnings", "requests.packages.urllib3.disable_warnings") {
			report(cs.Cell, cs.Node, "urllib3.disable_warnings hides the warnings of unverified HTTPS requests")
		}
		if cs.Is("os.environ.setdefault", "os.putenv") {
			if k, ok := facts.StringValue(t, cs.Positional(0)); ok && k == "PYTHONHTTPSVERIFY" {
				if v, ok := facts.StringValue(t, cs.Positional(1)); ok && v == "0" {
					report(cs.Cell, cs.Node, "PYTHONHTTPSVERIFY=0")
				}
			}
		}
	}
	for _, c := range fx.Code() {
		if c.Tree == nil {
			continue
		}
		t := c.Tree
		for _, a := range c.Assigns() {
			tg := a.Target
			switch t.Kind(tg) {
			case ps.Attribute:
				attr := t.Text(t.ChildByField(tg, ps.FAttribute))
				switch {
				case (attr == "verify" || attr == "check_hostname") && a.Value != ps.NoNode && t.Kind(a.Value) == ps.False:
					report(c, tg, t.Text(tg)+" = False")
				case attr == "verify_mode" && a.Value != ps.NoNode && strings.Contains(t.Text(a.Value), "CERT_NONE"):
					report(c, tg, t.Text(tg)+" = CERT_NONE")
				case attr == "_create_default_https_context" && a.Value != ps.NoNode && strings.Contains(t.Text(a.Value), "_create_unverified_context"):
					report(c, tg, "ssl._create_default_https_context = ssl._create_unverified_context")
				}
			case ps.Subscript:
				if k, ok := facts.StringValue(t, t.ChildByField(tg, ps.FSubscript)); ok && k == "PYTHONHTTPSVERIFY" {
					if v, ok := facts.StringValue(t, a.Value); ok && v == "0" {
						report(c, tg, "PYTHONHTTPSVERIFY=0")
					}
				}
			}
		}
		// ssl._create_unverified_context() called directly.
		for _, cs := range fx.CallsIn(c.Index) {
			if cs.Is("ssl._create_unverified_context") {
				report(c, cs.Node, "ssl._create_unverified_context()")
			}
		}
		// Shell lines: curl -k, wget --no-check-certificate, pip --trusted-host.
		for _, m := range c.Masked.Magics {
			name := strings.TrimPrefix(m.Name, "!")
			toks := facts.MagicArgTokens(c, m)
			var bad string
			for _, a := range toks {
				switch {
				case name == "curl" && (a.Text == "-k" || a.Text == "--insecure" || (strings.HasPrefix(a.Text, "-") && !strings.HasPrefix(a.Text, "--") && strings.Contains(a.Text, "k") && len(a.Text) <= 6)):
					bad = "curl " + a.Text
				case name == "wget" && a.Text == "--no-check-certificate":
					bad = "wget --no-check-certificate"
				case (name == "pip" || name == "pip3" || name == "python" || name == "conda" || m.Name == "pip") && strings.HasPrefix(a.Text, "--trusted-host"):
					bad = "pip --trusted-host"
				case name == "git" && strings.Contains(strings.ToLower(a.Text), "sslverify=false"):
					bad = "git http.sslVerify=false"
				case (m.Name == "env" || m.Name == "set_env" || name == "export") && strings.HasPrefix(a.Text, "PYTHONHTTPSVERIFY=0"):
					bad = "PYTHONHTTPSVERIFY=0"
				}
				if bad != "" {
					break
				}
			}
			if bad == "" {
				continue
			}
			line := c.NB.Line(m.Line)
			col := utf8.RuneCountInString(line[:min(max(m.Col-1, 0), len(line))]) + 1
			p.Report(analyze.Finding{Cell: c.Index, Line: m.Line, Column: col, EndLine: m.Line, EndColumn: utf8.RuneCountInString(line) + 1,
				Message: bad + " turns off certificate checks: anyone on the network path can change what is downloaded",
				Fix:     tlsFix, Data: map[string]any{"sink": "!" + name}})
		}
	}
}

// callName renders a call for messages.
func callName(cs *facts.CallSite) string {
	if cs.Qual != "" {
		return cs.Qual + "(...)"
	}
	return cs.Method + "(...)"
}
