package rules

import (
	"fmt"
	"strings"

	"github.com/nbprod/nbprod/analyze"
)

// PersonalDataExport reports frames carrying personal columns written to
// local or unmanaged sinks or sent out of the notebook (RULES.md §1.5).
var PersonalDataExport = &analyze.Rule{
	ID:       "NB505",
	Name:     "personal-data-export",
	Category: analyze.CatPersonalData,
	Severity: analyze.Warning,
	Doc:      doc("NB505"),
	Options: []analyze.Option{
		{Name: "governed-sinks", Default: []string{},
			Help: "path or URI prefixes of governed destinations (a warehouse bucket, a pseudonymised share); writes there are not reported"},
	},
	Run: runPersonalDataExport,
}

var exportVerb = map[string]string{
	"to_csv": "written to a CSV file", "to_excel": "written to an Excel file", "to_clipboard": "copied to the clipboard",
	"to_json": "written to a JSON file", "to_parquet": "written to a Parquet file", "to_pickle": "pickled to a file",
	"to_feather": "written to a Feather file", "to_html": "written to an HTML file", "to_xml": "written to an XML file",
	"to_stata": "written to a Stata file", "to_orc": "written to an ORC file", "to_markdown": "written to a Markdown file",
	"wandb.Table": "logged to Weights & Biases", "mlflow.log_table": "logged to MLflow",
	"llm-prompt": "put into an LLM prompt",
}

func runPersonalDataExport(p *analyze.Pass) {
	pd := p.Facts.Personal()
	governed := p.Strings("governed-sinks")
	for i := range pd.Flows {
		fl := &pd.Flows[i]
		if fl.Kind != "export" {
			continue
		}
		if fl.Target != "" && governedTarget(fl.Target, governed) {
			continue
		}
		verb, ok := exportVerb[fl.Sink]
		if !ok {
			verb = "sent out by " + fl.Sink + "()"
		}
		if fl.Target != "" && fl.TargetComplete && len(fl.Target) <= 120 {
			verb += fmt.Sprintf(" (%q)", fl.Target)
		}
		var labels []string
		for k, c := range fl.Columns {
			labels = append(labels, "`"+c+"` ("+flowEntityLabel(fl.Entities[k])+")")
		}
		what := "a frame"
		switch {
		case fl.Variable != "":
			what = "`" + fl.Variable + "`"
		case fl.Frame >= 0 && fl.Frame < len(pd.Frames) && pd.Frames[fl.Frame].Name() != "":
			what = "data from `" + pd.Frames[fl.Frame].Name() + "`"
		}
		f := analyze.Finding{Cell: fl.Cell, Line: fl.Pos.Line, Column: fl.Pos.Col, EndLine: fl.End.Line, EndColumn: fl.End.Col}
		f.Message = fmt.Sprintf("%s with personal data %s is %s, outside any governed store", what, listShort(labels, 6), verb)
		f.Fix = "pseudonymise or drop the personal columns before exporting, and write only through a configured, access-controlled sink"
		f.Key = "pii-export:" + fl.Sink + ":" + strings.Join(fl.Columns, ",")
		f.Data = map[string]any{"sink": fl.Sink, "variable": fl.Variable, "columns": fl.Columns, "entities": fl.Entities,
			"inferred": fl.Inferred, "special": fl.Special}
		if fl.Target != "" {
			f.Data["target"] = fl.Target
		}
		p.Report(f)
	}
}

func governedTarget(target string, prefixes []string) bool {
	for _, pre := range prefixes {
		if pre != "" && strings.HasPrefix(target, pre) {
			return true
		}
	}
	return false
}
