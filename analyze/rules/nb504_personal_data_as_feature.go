package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
)

// PersonalDataAsFeature reports personal or special-category columns that
// reach a model's features (fit, fit_transform, partial_fit, train,
// predict) through def-use (RULES.md §1.5).
var PersonalDataAsFeature = &analyze.Rule{
	ID:       "NB504",
	Name:     "personal-data-as-feature",
	Category: analyze.CatPersonalData,
	Severity: analyze.Warning,
	Doc:      doc("NB504"),
	Run:      runPersonalDataAsFeature,
}

var inferenceSinks = map[string]bool{"predict": true, "predict_proba": true}

func runPersonalDataAsFeature(p *analyze.Pass) {
	pd := p.Facts.Personal()
	// One finding per column set: the first training call, or the first
	// prediction when nothing trains on those columns (the train and test
	// frames of one model carry the same columns).
	chosen := map[string]int{}
	var order []string
	for i := range pd.Flows {
		fl := &pd.Flows[i]
		if fl.Kind != "feature" {
			continue
		}
		cols := make([]string, len(fl.Columns))
		for k, c := range fl.Columns {
			cols[k] = facts.NormalizeColumn(c)
		}
		sort.Strings(cols)
		key := strings.Join(cols, ",")
		prev, ok := chosen[key]
		switch {
		case !ok:
			chosen[key] = i
			order = append(order, key)
		case inferenceSinks[pd.Flows[prev].Sink] && !inferenceSinks[fl.Sink]:
			chosen[key] = i
		}
	}
	for _, key := range order {
		fl := &pd.Flows[chosen[key]]
		var labels []string
		for k, c := range fl.Columns {
			labels = append(labels, "`"+c+"` ("+flowEntityLabel(fl.Entities[k])+")")
		}
		how := "selected as features"
		if fl.Inferred {
			how = "kept in the feature frame"
			if fl.Variable != "" {
				how = fmt.Sprintf("kept in `%s`", fl.Variable)
			}
		} else if fl.Variable != "" {
			how = fmt.Sprintf("selected into `%s`", fl.Variable)
		}
		f := analyze.Finding{Cell: fl.Cell, Line: fl.Pos.Line, Column: fl.Pos.Col, EndLine: fl.End.Line, EndColumn: fl.End.Col}
		f.Message = fmt.Sprintf("personal data reaches the model through %s(): %s %s; data minimisation (GDPR Art. 5(1)(c)) and automated decisions (Art. 22) need a justification",
			fl.Sink, listShort(labels, 6), how)
		f.Fix = "drop or pseudonymise these columns before fitting, or record why each is needed and pin the feature list in config (model.features)"
		f.Key = "pii-feature:" + key
		f.Data = map[string]any{"sink": fl.Sink, "variable": fl.Variable, "columns": fl.Columns,
			"entities": fl.Entities, "inferred": fl.Inferred, "special": fl.Special}
		if fl.Frame >= 0 && fl.Frame < len(pd.Frames) {
			f.Data["frame"] = pd.Frames[fl.Frame].Name()
		}
		p.Report(f)
	}
}

// flowEntityLabel renders an entity of a flow ("SPECIAL_CATEGORY:health" →
// "health").
func flowEntityLabel(e string) string {
	if strings.HasPrefix(e, facts.EntitySpecial+":") {
		return strings.TrimPrefix(e, facts.EntitySpecial+":")
	}
	if l, ok := personalEntityLabel[e]; ok {
		return l
	}
	return strings.ToLower(e)
}
