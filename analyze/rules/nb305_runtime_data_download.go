package rules

import (
	"fmt"
	"net/url"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
)

// RuntimeDataDownload reports data and models fetched over the network while
// the notebook runs.
var RuntimeDataDownload = &analyze.Rule{
	ID:       "NB305",
	Name:     "runtime-data-download",
	Category: analyze.CatDataAccess,
	Severity: analyze.Warning,
	Doc:      doc("NB305"),
	Options: []analyze.Option{
		{Name: "allowed-hosts", Default: []string{}, Help: "hosts (glob patterns) whose fetches are production inputs, not downloads"},
	},
	Run: runRuntimeDataDownload,
}

func runRuntimeDataDownload(p *analyze.Pass) {
	fx := p.Facts
	allowed := p.Strings("allowed-hosts")
	var api []facts.Download
	for _, d := range fx.Downloads() {
		if h := urlHost(d.URL); h != "" && matchAny(allowed, h) {
			continue
		}
		if !d.Data {
			api = append(api, d)
			continue
		}
		what := "downloads data"
		if d.URL != "" {
			what = "downloads " + quoteValue(d.URL)
		}
		msg := fmt.Sprintf("%s %s while the notebook runs: production depends on the remote file being there and unchanged", d.Via, what)
		data := map[string]any{"sink": d.Via, "kind": string(d.Class)}
		if d.URL != "" {
			data["value"] = facts.RedactValue(d.URL)
		}
		if d.NoTimeout {
			msg += "; the request has no timeout= and can hang forever"
			data["timeout"] = false
		}
		p.Report(analyze.Finding{Cell: d.Cell, Line: d.Pos.Line, Column: d.Pos.Col, EndLine: d.End.Line, EndColumn: d.End.Col,
			Message: msg, Data: data,
			Fix: "move the download into a separate ingest step that pins the URL and a sha256 in config, and read the cached artefact"})
	}
	if len(api) > 0 {
		// Other HTTP calls may be the production input itself: one quiet
		// summary, on the first of them.
		d := api[0]
		noTimeout := 0
		for _, x := range api {
			if x.NoTimeout {
				noTimeout++
			}
		}
		msg := fmt.Sprintf("%d HTTP call(s) at run time (first: %s)", len(api), d.Via)
		if noTimeout > 0 {
			msg += fmt.Sprintf("; %d without timeout=", noTimeout)
		}
		msg += ": make sure each endpoint is reachable from production, or move fetched data into an ingest step"
		p.Report(analyze.Finding{Cell: d.Cell, Line: d.Pos.Line, Column: d.Pos.Col, EndLine: d.End.Line, EndColumn: d.End.Col,
			Severity: analyze.Info, Message: msg,
			Data: map[string]any{"sink": d.Via, "calls": len(api), "without_timeout": noTimeout}})
	}
}

// urlHost extracts the host of a URL ("" when it has none).
func urlHost(u string) string {
	x, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return x.Hostname()
}
