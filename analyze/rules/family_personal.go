package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
)

// personalDataRules are the NB5xx personal-data rules.
func personalDataRules() []*analyze.Rule {
	return []*analyze.Rule{
		PersonalDataColumns,
		SpecialCategoryData,
		PersonalDataInOutputs,
		PersonalDataAsFeature,
		PersonalDataExport,
	}
}

// personalEntityLabel is the human name of a column entity.
var personalEntityLabel = map[string]string{
	facts.EntityEmail:          "email address",
	facts.EntityPhone:          "phone number",
	facts.EntityPerson:         "person name",
	facts.EntityLocation:       "address/location",
	facts.EntityDateOfBirth:    "birth date/age",
	facts.EntityNationalID:     "national id",
	facts.EntityCreditCard:     "payment card",
	facts.EntityBankAccount:    "bank account",
	facts.EntityIPAddress:      "IP address",
	facts.EntityDeviceID:       "device/online id",
	facts.EntityPseudonymousID: "pseudonymous id",
	facts.EntityDemographic:    "demographic",
}

// personalValueLabel names value kinds in messages (singular, plural).
var personalValueLabel = map[string][2]string{
	facts.ValueEmail:       {"email address", "email addresses"},
	facts.ValuePhone:       {"phone number", "phone numbers"},
	facts.ValueCreditCard:  {"payment card number", "payment card numbers"},
	facts.ValueIBAN:        {"IBAN", "IBANs"},
	facts.ValueSSN:         {"US social security number", "US social security numbers"},
	facts.ValueIPAddress:   {"public IP address", "public IP addresses"},
	facts.ValueDateOfBirth: {"date of birth", "dates of birth"},
	facts.ValueUserName:    {"user name in a path", "user names in paths"},
}

// columnLabel renders "Email (email address)" or "diagnosis (health)".
func columnLabel(c *facts.PersonalColumn) string {
	if c.Context == "filter-literal" {
		return fmt.Sprintf("filter value `%s` (%s)", c.Column, c.Category)
	}
	if c.Special() {
		return fmt.Sprintf("`%s` (%s)", c.Column, c.Category)
	}
	return fmt.Sprintf("`%s` (%s)", c.Column, personalEntityLabel[c.Entity])
}

// listShort joins items, keeping at most n and saying how many more.
func listShort(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:n], ", ") + fmt.Sprintf(" and %d more", len(items)-n)
}

// frameLabel names a frame for messages: "`customers`" or "the query on
// table `patients`".
func frameLabel(pd *facts.PersonalData, idx int) string {
	if idx < 0 || idx >= len(pd.Frames) {
		return "the notebook"
	}
	f := &pd.Frames[idx]
	if len(f.Names) > 0 {
		return "`" + f.Names[0] + "`"
	}
	if len(f.Tables) > 0 {
		return "table `" + f.Tables[0] + "`"
	}
	return "a displayed table"
}

// columnGroup is the confirmed columns of one frame selected by a filter,
// with the first reference of each.
type columnGroup struct {
	frame       int
	first       []*facts.PersonalColumn // first reference of each distinct column, in order
	refs        map[string]int          // references per normalised column
	onlyDropped map[string]bool
}

// groupColumns collects confirmed columns per frame.
func groupColumns(pd *facts.PersonalData, keep func(*facts.PersonalColumn) bool) []*columnGroup {
	byFrame := map[int]*columnGroup{}
	var order []int
	for i := range pd.Columns {
		c := &pd.Columns[i]
		if !c.Confirmed || !keep(c) {
			continue
		}
		g := byFrame[c.Frame]
		if g == nil {
			g = &columnGroup{frame: c.Frame, refs: map[string]int{}, onlyDropped: map[string]bool{}}
			byFrame[c.Frame] = g
			order = append(order, c.Frame)
		}
		if g.refs[c.Norm] == 0 {
			g.first = append(g.first, c)
			g.onlyDropped[c.Norm] = true
		}
		g.refs[c.Norm]++
		if c.Context != "drop" {
			g.onlyDropped[c.Norm] = false
		}
	}
	out := make([]*columnGroup, 0, len(order))
	for _, f := range order {
		out = append(out, byFrame[f])
	}
	sort.SliceStable(out, func(i, j int) bool { return personalBefore(out[i].first[0], out[j].first[0]) })
	return out
}

func personalBefore(a, b *facts.PersonalColumn) bool {
	if a.Cell != b.Cell {
		return a.Cell < b.Cell
	}
	if (a.Output == nil) != (b.Output == nil) {
		return a.Output == nil
	}
	if a.Pos.Line != b.Pos.Line {
		return a.Pos.Line < b.Pos.Line
	}
	return a.Pos.Col < b.Pos.Col
}

// columnFinding places a finding at a column reference (code or output).
func columnFinding(c *facts.PersonalColumn) analyze.Finding {
	f := analyze.Finding{Cell: c.Cell}
	if c.Output != nil {
		f.Output = &analyze.OutputRef{Index: c.Output.Index, MIME: c.Output.MIME, Line: c.Output.Line}
		return f
	}
	f.Line, f.Column, f.EndLine, f.EndColumn = c.Pos.Line, c.Pos.Col, c.End.Line, c.End.Col
	return f
}

func columnData(g *columnGroup) []map[string]any {
	var cols []map[string]any
	for _, c := range g.first {
		m := map[string]any{"column": c.Column, "entity": c.Entity, "cell": c.Cell, "context": c.Context,
			"references": g.refs[c.Norm]}
		if c.Special() {
			m["category"] = c.Category
		}
		if c.Output == nil {
			m["line"] = c.Pos.Line
		}
		cols = append(cols, m)
	}
	return cols
}
