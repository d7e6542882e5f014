package rules

import (
	"fmt"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
)

// SpreadsheetDataSource reports spreadsheets read as data: Excel readers,
// spreadsheet paths and URLs, Google Sheets.
var SpreadsheetDataSource = &analyze.Rule{
	ID:       "NB304",
	Name:     "spreadsheet-data-source",
	Category: analyze.CatDataAccess,
	Severity: analyze.Warning,
	Doc:      doc("NB304"),
	Run:      runSpreadsheetDataSource,
}

// spreadsheetReaders are calls that read spreadsheets whatever their
// argument.
var spreadsheetReaders = []string{"pandas.read_excel", "pd.read_excel", "pandas.ExcelFile", "pd.ExcelFile",
	"openpyxl.load_workbook", "xlrd.open_workbook", "pyxlsb.open_workbook", "polars.read_excel", "pl.read_excel",
	"gspread.service_account", "gspread.oauth", "gspread.authorize", "gspread.service_account_from_dict",
	"pygsheets.authorize", "gspread_pandas.Spread", "odf.opendocument.load", "pyexcel.get_sheet", "pyexcel.get_records"}

func runSpreadsheetDataSource(p *analyze.Pass) {
	fx := p.Facts
	reported := map[[3]int]bool{} // sink call positions already covered by a literal
	for _, g := range groupPaths(fx, func(u *facts.PathUse) bool {
		return u.Spreadsheet && u.Direction == facts.DirRead
	}) {
		u := g.uses[0]
		what := "spreadsheet"
		if u.Class == facts.ClassGSheet {
			what = "Google Sheet"
		}
		msg := fmt.Sprintf("data read from a %s %s (%s): spreadsheets are edited by hand, without schema or history", what, quoteValue(u.Value), sinkPhrase(g))
		f := pathFinding(g, msg, "replace it with a governed table or an API owned by the data's producer; the package gets a schema check built from the columns the code uses")
		p.Report(f)
		for _, x := range g.uses {
			reported[[3]int{x.SinkCell, x.SinkPos.Line, x.SinkPos.Col}] = true
		}
	}
	for _, cs := range fx.Calls() {
		cs := cs
		if !cs.Is(spreadsheetReaders...) && !(strings.HasPrefix(cs.Qual, "gspread.") && (cs.Method == "open_by_url" || cs.Method == "open_by_key")) &&
			!(cs.ReceiverNode != -1 && (cs.Method == "open_by_url" || cs.Method == "open_by_key") && usesGspread(fx)) {
			continue
		}
		if reported[[3]int{cs.Cell.Index, cs.Pos.Line, cs.Pos.Col}] {
			continue
		}
		name := cs.Qual
		if name == "" {
			name = cs.Method
		}
		p.Report(analyze.Finding{Cell: cs.Cell.Index, Line: cs.Pos.Line, Column: cs.Pos.Col, EndLine: cs.End.Line, EndColumn: cs.End.Col,
			Message: fmt.Sprintf("spreadsheet read with %s: spreadsheets are edited by hand, without schema or history", name),
			Fix:     "replace it with a governed table or an API owned by the data's producer",
			Data:    map[string]any{"sink": name, "kind": "spreadsheet"}})
	}
}

// usesGspread reports whether the notebook imports gspread or pygsheets.
func usesGspread(fx *facts.Notebook) bool {
	for _, c := range fx.Code() {
		for _, im := range c.Imports {
			if strings.HasPrefix(im.Module, "gspread") || strings.HasPrefix(im.Module, "pygsheets") {
				return true
			}
		}
	}
	return false
}
