package rules

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
	ps "github.com/nbprod/nbprod/analyze/pysyntax"
)

// HostedPlatformAPI reports APIs that exist only on one hosted notebook
// platform: google.colab, kaggle_secrets, /kaggle/input and Colab or DBFS
// paths, and the Databricks globals (spark, sc, sqlContext, dbutils,
// displayHTML) used without being created. Uses guarded by a platform test
// (if IN_COLAB:, try: import google.colab) are info.
var HostedPlatformAPI = &analyze.Rule{
	ID:       "NB606",
	Name:     "hosted-platform-api",
	Category: analyze.CatEnvironment,
	Severity: analyze.Blocker,
	Doc:      doc("NB606"),
	Run:      runHostedPlatformAPI,
}

var (
	platformGuardRe = regexp.MustCompile(`(?i)colab|kaggle|databricks|dbutils|platform|ipython|sys\.modules|environ`)
	platformPathRe  = regexp.MustCompile(`(?:^|[\s"'=(])(/kaggle/(?:input|working|temp|lib)\b[^\s"']*|/content/drive\b[^\s"']*|/dbfs/[^\s"']*|dbfs:/[^\s"']*)`)
	colabPathRe     = regexp.MustCompile(`(?:^|[\s"'=(])(/content/[^\s"']*)`)
)

// databricksGlobals are the names Databricks (and sparkmagic) notebooks
// inject; NB103 leaves them to this rule.
var databricksGlobals = []string{"spark", "sc", "sqlContext", "dbutils", "displayHTML"}

func runHostedPlatformAPI(p *analyze.Pass) {
	fx := p.Facts
	guarded := func(c *facts.Cell, n ps.NodeID) bool {
		return envGuardedBy(c, n, platformGuardRe.MatchString, true)
	}
	reported := map[[2]int]bool{} // cell, line of findings already made
	report := func(c *facts.Cell, pos, end facts.Pos, isGuarded bool, platform, api, msg, fix string) {
		reported[[2]int{c.Index, pos.Line}] = true
		f := analyze.Finding{Cell: c.Index, Line: pos.Line, Column: pos.Col, EndLine: end.Line, EndColumn: end.Col,
			Key: api, Message: msg, Fix: fix, Data: map[string]any{"platform": platform, "api": api}}
		if isGuarded {
			f.Severity = analyze.Info
			f.Message += " (guarded by a platform test: the branch is dead outside it)"
		}
		p.Report(f)
	}

	// Platform modules: calls into them, or the import when nothing is called.
	called := map[string]bool{}
	for i := range fx.Calls() {
		cs := &fx.Calls()[i]
		platform, fix := platformOf(cs.Qual)
		if platform == "" {
			continue
		}
		mod := strings.Join(strings.Split(cs.Qual, ".")[:min(2, strings.Count(cs.Qual, ".")+1)], ".")
		called[mod] = true
		called[strings.SplitN(cs.Qual, ".", 2)[0]] = true
		report(cs.Cell, cs.Pos, cs.End, guarded(cs.Cell, cs.Node), platform, cs.Qual,
			fmt.Sprintf("`%s()` exists only on %s: the job cannot run it anywhere else", cs.Qual, platform), fix)
	}
	for _, im := range fx.ImportFacts() {
		if im.Kind != facts.ImportPlatform || im.Optional {
			continue
		}
		if called[im.Module] || called[im.Top] {
			continue
		}
		platform, fix := platformOf(im.Module + ".x")
		if platform == "" {
			platform = "a hosted notebook platform"
		}
		c := fx.Cell(im.Cell)
		called[im.Module] = true
		report(c, facts.Pos{Line: im.Line, Col: im.Col}, facts.Pos{Line: im.EndLine, Col: im.EndCol}, guarded(c, im.Node), platform, im.Module,
			fmt.Sprintf("`%s` exists only on %s: importing it fails anywhere else", im.Module, platform), fix)
	}

	// Platform paths in strings and shell lines.
	colab := isColab(p, fx)
	for _, c := range fx.Code() {
		lines := map[int]bool{}
		for k := range reported {
			if k[0] == c.Index {
				lines[k[1]] = true // a platform call on the line says it already
			}
		}
		if c.Tree != nil {
			t := c.Tree
			for i := 0; i < t.Len(); i++ {
				n := ps.NodeID(i)
				if t.Kind(n) != ps.String {
					continue
				}
				val, ok := facts.StringValue(t, n)
				if !ok {
					val = t.Text(n)
				}
				path, platform := platformPath(val, colab)
				if path == "" {
					continue
				}
				pos := c.NodePos(n)
				path = envRedact(fx, c.Index, pos.Line, c.NodeEnd(n).Line, path)
				if lines[pos.Line] {
					continue
				}
				lines[pos.Line] = true
				report(c, pos, c.NodeEnd(n), guarded(c, n), platform, "path:"+path,
					fmt.Sprintf("`%s` is a path that exists only on %s", shorten(path, 60), platform),
					"make the location a config parameter (paths.<name>) and copy the data to governed storage")
			}
		}
		for _, m := range fx.MagicsIn(c.Index) {
			if lines[m.Line] {
				continue
			}
			if path, platform := platformPath(m.Args, colab); path != "" {
				lines[m.Line] = true
				path = envRedact(fx, c.Index, m.Line, m.EndLine, path)
				m.Text = envRedact(fx, c.Index, m.Line, m.EndLine, m.Text)
				report(c, facts.Pos{Line: m.Line, Col: m.Col}, facts.Pos{Line: m.EndLine, Col: m.EndCol}, false, platform, "path:"+path,
					fmt.Sprintf("`%s` uses `%s`, a path that exists only on %s", shorten(m.Text, 50), shorten(path, 50), platform),
					"make the location a config parameter (paths.<name>) and copy the data to governed storage")
			}
		}
	}

	// Databricks / sparkmagic globals used without being created.
	g := fx.Graph()
	for _, name := range databricksGlobals {
		if len(g.Definers[name]) > 0 {
			continue
		}
		var first *facts.Cell
		uses := 0
		for _, c := range fx.Code() {
			if c.ParseOK && (contains(c.Uses, name) || contains(c.MagicUses, name)) {
				uses++
				if first == nil {
					first = c
				}
			}
		}
		if first == nil {
			continue
		}
		pos := first.UsePos[name]
		msg := fmt.Sprintf("`%s` is provided by the Databricks (or sparkmagic) notebook runtime and never created here (used in %d %s): the job fails with NameError elsewhere",
			name, uses, plural(uses, "cell", "cells"))
		fix := "create it explicitly (spark = SparkSession.builder.getOrCreate(); sc = spark.sparkContext) or run as a Databricks job"
		if name == "dbutils" {
			fix = "replace dbutils calls: files through the storage client or config, secrets through environment variables, widgets through job parameters"
		} else if name == "displayHTML" {
			fix = "drop the display call or write the HTML to a report file"
		}
		p.Report(analyze.Finding{Cell: first.Index, Line: pos.Line, Column: pos.Col, EndLine: pos.Line, EndColumn: pos.Col + len([]rune(name)),
			Key: "global:" + name, Message: msg, Fix: fix,
			Data: map[string]any{"platform": "Databricks", "api": name, "cells": uses}})
	}
}

// platformOf names the platform of a qualified call and the usual fix.
func platformOf(qual string) (platform, fix string) {
	switch {
	case strings.HasPrefix(qual, "google.colab.drive"):
		return "Google Colab", "remove drive.mount and read the data from a configured path (paths.<name>)"
	case strings.HasPrefix(qual, "google.colab.files"):
		return "Google Colab", "read input from a configured path instead of an upload/download dialog"
	case strings.HasPrefix(qual, "google.colab.userdata"):
		return "Google Colab", "read the secret from an environment variable"
	case strings.HasPrefix(qual, "google.colab.auth"):
		return "Google Colab", "use application default credentials or a service account from the environment"
	case strings.HasPrefix(qual, "google.colab."):
		return "Google Colab", "remove the Colab-only call (it only changes the Colab UI or session)"
	case strings.HasPrefix(qual, "kaggle_secrets."):
		return "Kaggle", "read the secret from an environment variable"
	case strings.HasPrefix(qual, "kaggle_datasets.") || strings.HasPrefix(qual, "kaggle_web_client.") || strings.HasPrefix(qual, "kaggle_gcp."):
		return "Kaggle", "read the data from a configured location instead"
	case strings.HasPrefix(qual, "pyspark.dbutils.") || strings.HasPrefix(qual, "databricks.sdk.runtime."):
		return "Databricks", "replace dbutils with the storage client, environment variables and job parameters"
	}
	return "", ""
}

// platformPath finds a platform-only path in a string.
func platformPath(s string, colab bool) (path, platform string) {
	if !strings.Contains(s, "/kaggle/") && !strings.Contains(s, "/content/") && !strings.Contains(s, "dbfs") {
		return "", ""
	}
	if m := platformPathRe.FindStringSubmatch(s); m != nil {
		switch {
		case strings.HasPrefix(m[1], "/kaggle/"):
			return m[1], "Kaggle"
		case strings.HasPrefix(m[1], "/content/"):
			return m[1], "Google Colab"
		default:
			return m[1], "Databricks (DBFS)"
		}
	}
	if colab {
		if m := colabPathRe.FindStringSubmatch(s); m != nil {
			return m[1], "Google Colab"
		}
	}
	return "", ""
}

// isColab reports Colab evidence: Colab metadata or a google.colab import.
func isColab(p *analyze.Pass, fx *facts.Notebook) bool {
	md := p.Notebook.Metadata
	if md.Get("colab") != nil {
		return true
	}
	for _, im := range fx.ImportFacts() {
		if strings.HasPrefix(im.Module, "google.colab") {
			return true
		}
	}
	return false
}
