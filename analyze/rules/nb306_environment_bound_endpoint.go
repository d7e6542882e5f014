package rules

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
)

// EnvironmentBoundEndpoint reports hardcoded storage and database
// endpoints: cloud URIs, cloud storage URLs, database URIs and DSNs,
// SQLite/DuckDB files, and anything on localhost.
var EnvironmentBoundEndpoint = &analyze.Rule{
	ID:       "NB306",
	Name:     "environment-bound-endpoint",
	Category: analyze.CatDataAccess,
	Severity: analyze.Warning,
	Doc:      doc("NB306"),
	Options: []analyze.Option{
		{Name: "public-buckets", Default: []string{"sagemaker-sample-files", "sagemaker-sample-data-*", "sagemaker-example-files-prod-*",
			"jumpstart-cache-prod-*", "aws-ml-blog*", "amazon-reviews-pds", "nyc-tlc", "commoncrawl", "gcp-public-data*",
			"cloud-samples-data", "tensorflow-datasets", "openimages", "open-images-dataset", "fast-ai-*", "sagemaker-rl-*",
			"sagemaker-sample-*"},
			Help: "bucket names (glob patterns) of public sample datasets, not reported"},
	},
	Run: runEnvironmentBoundEndpoint,
}

var reBucket = regexp.MustCompile(`(?i)^(?:[a-z0-9]+)://([^/@\s]+@)?([^/\s]+)`)

func runEnvironmentBoundEndpoint(p *analyze.Pass) {
	fx := p.Facts
	public := p.Strings("public-buckets")
	for _, g := range groupPaths(fx, func(u *facts.PathUse) bool {
		if u.Class.Endpoint() {
			if u.Class == facts.ClassCloudURI {
				if m := reBucket.FindStringSubmatch(facts.NormalizePath(u.Value)); m != nil && matchAny(public, strings.ToLower(m[2])) {
					return false
				}
			}
			return true
		}
		// sqlite3.connect("local.db"), duckdb.connect("x.duckdb")
		return u.Role == facts.RoleEndpoint && u.Class != facts.ClassHTTP && u.Class != facts.ClassHTTPData
	}) {
		u := g.uses[0]
		var what string
		switch u.Class {
		case facts.ClassDBURI:
			what = "database URI"
		case facts.ClassODBC:
			what = "database connection string"
		case facts.ClassCloudURI, facts.ClassCloudHTTP:
			what = "cloud storage location"
		case facts.ClassLocalhost:
			what = "localhost endpoint"
		default:
			what = "local database file"
		}
		msg := fmt.Sprintf("%s %s is hardcoded (%s): it binds the code to one environment", what, quoteValue(u.Value), sinkPhrase(g))
		fix := fmt.Sprintf("move the endpoint to config (`%s`), one value per environment; credentials come from the environment or a secret store", u.ConfigKey)
		if u.Class == facts.ClassLocalhost {
			msg = fmt.Sprintf("%s %s (%s): localhost is the developer's machine, not a production service", what, quoteValue(u.Value), sinkPhrase(g))
		}
		f := pathFinding(g, msg, fix)
		if u.Class == facts.ClassDBURI || u.Class == facts.ClassODBC {
			f.Key = "NB306:" + facts.RedactValue(u.Value)
		}
		if capped(g) {
			f.Severity = analyze.Info
			f.Message += " (already overridable through the environment or not used by any reader)"
		}
		p.Report(f)
	}
}
