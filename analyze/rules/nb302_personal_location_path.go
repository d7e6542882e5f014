package rules

import (
	"fmt"
	"regexp"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
)

// PersonalLocationPath reports paths into personal workspaces: Downloads,
// Desktop, Documents, OneDrive, Dropbox, Google Drive, the Colab Drive
// mount and Kaggle's input mount (RULES.md §2.1.2 PERSONAL).
var PersonalLocationPath = &analyze.Rule{
	ID:       "NB302",
	Name:     "personal-location-path",
	Category: analyze.CatDataAccess,
	Severity: analyze.Blocker,
	Doc:      doc("NB302"),
	Run:      runPersonalLocationPath,
}

var rePersonalWhere = regexp.MustCompile(`(?i)(Downloads|Desktop|My Documents|Documents|OneDrive(?: - [^\\/]+)?|Dropbox|Google ?Drive|My ?Drive|iCloud ?Drive|Mobile Documents|CloudStorage|AppData|^/content/drive|^/kaggle/input|^/kaggle/working)`)

func runPersonalLocationPath(p *analyze.Pass) {
	fx := p.Facts
	uses := anchorUses(fx)
	for _, g := range groupPaths(fx, func(u *facts.PathUse) bool { return u.Class == facts.ClassPersonal }) {
		if allWrites(uses[g.anchor]) {
			continue // NB307 reports it as a blocker
		}
		u := g.uses[0]
		where := rePersonalWhere.FindString(facts.NormalizePath(u.Value))
		place := where
		switch where {
		case "/content/drive":
			place = "the Colab Google Drive mount"
		case "/kaggle/input", "/kaggle/working":
			place = "the Kaggle " + where[len("/kaggle/"):] + " mount"
		default:
			place = "the personal folder " + where
		}
		msg := fmt.Sprintf("path %s points into %s (%s): data there is reachable only from one person's machine or notebook platform",
			quoteValue(u.Value), place, sinkPhrase(g))
		fix := fmt.Sprintf("move the data to a governed source (object store, warehouse, catalogue) and pass its location as a parameter (`%s`)", u.ConfigKey)
		f := pathFinding(g, msg, fix)
		if where != "/content/drive" && where != "/kaggle/input" && where != "/kaggle/working" {
			f.Data["related_rule"] = "NB301"
		}
		switch {
		case capped(g):
			f.Severity = analyze.Info
			f.Message += " (already overridable through the environment or not used by any reader)"
		case displayOnly(g):
			f.Severity = analyze.Info
			f.Message += " (only displayed by a shell command)"
		}
		p.Report(f)
	}
}
