// Package graph renders a notebook's cell dataflow graph (nbprod graph) as
// text, JSON, Graphviz DOT or Mermaid. The functions are pure: they write
// only to the given writer.
package graph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/nbprod/nbprod/analyze/facts"
	"github.com/nbprod/nbprod/notebook"
)

// Formats lists the accepted --format values.
var Formats = []string{"text", "json", "dot", "mermaid"}

// Version is the graph JSON document version.
const Version = 1

// Write renders the graph of fx in the named format; path is the notebook
// path as reported.
func Write(w io.Writer, format, path string, fx *facts.Notebook) error {
	doc := build(path, fx)
	var buf bytes.Buffer
	switch format {
	case "json":
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(doc); err != nil {
			return err
		}
	case "text":
		writeText(&buf, doc)
	case "dot":
		writeDOT(&buf, doc)
	case "mermaid":
		writeMermaid(&buf, doc)
	default:
		return fmt.Errorf("unknown graph format %q (want %s)", format, strings.Join(Formats, ", "))
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// Document is the graph JSON (README "nbprod graph"). Name lists are
// sorted; index counts all cells as Jupyter shows them (0-based).
type Document struct {
	Version   int              `json:"version"`
	Notebook  string           `json:"notebook"`
	Cells     []Cell           `json:"cells"`
	Edges     []Edge           `json:"edges"`
	ExecEdges []Edge           `json:"exec_edges"`
	Undefined []UndefinedNames `json:"undefined"`
	Redefined []Redefined      `json:"redefined"`
}

// Cell is one cell of the graph document.
type Cell struct {
	Index          int        `json:"index"`
	Kind           string     `json:"kind"`
	ExecutionCount *int       `json:"execution_count"`
	Defines        []string   `json:"defines"`
	Uses           []string   `json:"uses"`
	Mutates        []string   `json:"mutates"`
	Deletes        []string   `json:"deletes"`
	Imports        []Import   `json:"imports"`
	Functions      []Function `json:"functions"`
	Classes        []Function `json:"classes"`
	Magics         []Magic    `json:"magics"`
	ParseError     *string    `json:"parse_error"`
	// Finer sets (CONTRACT.md §2).
	EagerUses   []string `json:"eager_uses"`
	CallMutates []string `json:"call_mutates"`
	MagicUses   []string `json:"magic_uses"`
	StarImports []string `json:"star_imports"`
	Dynamic     []string `json:"dynamic"`
	Language    string   `json:"language"`
}

// Import is one name bound by an import.
type Import struct {
	Module string `json:"module"`
	Name   string `json:"name,omitempty"`
	Bound  string `json:"bound"`
}

// Function is a def, lambda or class with its free (deferred) names.
type Function struct {
	Name   string   `json:"name"`
	Line   int      `json:"line"`
	Free   []string `json:"free"`
	Params []string `json:"params,omitempty"`
}

// Magic is one IPython construct of the cell. Text is its source line with
// secrets redacted.
type Magic struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
	Line int    `json:"line"`
	Text string `json:"text"`
}

// Edge says cell To reads Names last defined or changed in cell From.
type Edge struct {
	From  int      `json:"from"`
	To    int      `json:"to"`
	Names []string `json:"names"`
}

// UndefinedNames lists names a cell uses that no cell defines.
type UndefinedNames struct {
	Cell  int      `json:"cell"`
	Names []string `json:"names"`
}

// Redefined lists a name defined in several cells.
type Redefined struct {
	Name  string `json:"name"`
	Cells []int  `json:"cells"`
}

func build(path string, fx *facts.Notebook) *Document {
	nb := fx.NB
	doc := &Document{Version: Version, Notebook: path, Cells: []Cell{}, Edges: []Edge{}, ExecEdges: []Edge{},
		Undefined: []UndefinedNames{}, Redefined: []Redefined{}}
	for i := range nb.Cells {
		c := &nb.Cells[i]
		gc := Cell{Index: i, Kind: c.Kind.String(), Defines: []string{}, Uses: []string{}, Mutates: []string{},
			Deletes: []string{}, Imports: []Import{}, Functions: []Function{}, Classes: []Function{}, Magics: []Magic{},
			EagerUses: []string{}, CallMutates: []string{}, MagicUses: []string{}, StarImports: []string{}, Dynamic: []string{}}
		if c.Kind == notebook.Code {
			gc.ExecutionCount = c.ExecCount
			if fc := fx.Cell(i); fc != nil {
				fill(&gc, fx, fc)
			}
		}
		doc.Cells = append(doc.Cells, gc)
	}
	g := fx.Graph()
	for _, e := range g.Edges {
		doc.Edges = append(doc.Edges, Edge{From: e.From, To: e.To, Names: e.Names})
	}
	for _, e := range g.ExecEdges {
		doc.ExecEdges = append(doc.ExecEdges, Edge{From: e.From, To: e.To, Names: e.Names})
	}
	var cells []int
	for c := range g.Undefined {
		cells = append(cells, c)
	}
	sort.Ints(cells)
	for _, c := range cells {
		doc.Undefined = append(doc.Undefined, UndefinedNames{Cell: c, Names: g.Undefined[c]})
	}
	var names []string
	for n := range g.Redefined {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		doc.Redefined = append(doc.Redefined, Redefined{Name: n, Cells: g.Redefined[n]})
	}
	return doc
}

func fill(gc *Cell, fx *facts.Notebook, fc *facts.Cell) {
	gc.Language = fc.Language
	gc.Defines = sorted(fc.Defines)
	gc.Uses = sorted(fc.Uses)
	gc.Mutates = sorted(fc.Mutates)
	gc.Deletes = sorted(fc.Deletes)
	gc.EagerUses = sorted(fc.EagerUses)
	gc.CallMutates = sorted(fc.CallMutates)
	gc.MagicUses = sorted(fc.MagicUses)
	gc.StarImports = sorted(fc.StarImports)
	for _, im := range fc.Imports {
		if im.Name == "*" {
			continue
		}
		gc.Imports = append(gc.Imports, Import{Module: im.Module, Name: im.Name, Bound: im.Bound})
	}
	sort.SliceStable(gc.Imports, func(i, j int) bool { return gc.Imports[i].Bound < gc.Imports[j].Bound })
	for _, f := range fc.Functions {
		gc.Functions = append(gc.Functions, Function{Name: f.Name, Line: f.Line, Free: orEmpty(f.Free), Params: f.Params})
	}
	for _, f := range fc.Classes {
		gc.Classes = append(gc.Classes, Function{Name: f.Name, Line: f.Line, Free: orEmpty(f.Free)})
	}
	for _, d := range fc.Dynamic {
		gc.Dynamic = append(gc.Dynamic, d.Kind)
	}
	gc.Dynamic = sorted(dedupe(gc.Dynamic))
	src := fc.NB.Source
	lines := strings.Split(src, "\n")
	for _, m := range fc.Masked.Magics {
		text := ""
		if m.Line >= 1 && m.Line <= len(lines) {
			text = strings.TrimSpace(fx.RedactLine(fc.Index, m.Line, lines[m.Line-1]))
		}
		gc.Magics = append(gc.Magics, Magic{Kind: m.Kind.String(), Name: m.Name, Line: m.Line, Text: text})
	}
	for _, s := range fc.Syntax {
		msg := fmt.Sprintf("line %d, column %d: %s", s.Pos.Line, s.Pos.Col, s.Msg)
		gc.ParseError = &msg
		break
	}
}

func sorted(xs []string) []string {
	out := append([]string{}, xs...)
	sort.Strings(out)
	return out
}

func orEmpty(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// label is "cell N" (1-based, as Jupyter users count) with the count.
func label(c *Cell) string {
	ec := "In[ ]"
	if c.ExecutionCount != nil {
		ec = fmt.Sprintf("In[%d]", *c.ExecutionCount)
	}
	return fmt.Sprintf("cell %d %s", c.Index+1, ec)
}

func writeText(b *bytes.Buffer, d *Document) {
	code := 0
	for i := range d.Cells {
		if d.Cells[i].Kind == "code" {
			code++
		}
	}
	fmt.Fprintf(b, "%s: %d cells, %d code cells, %d edges\n", d.Notebook, len(d.Cells), code, len(d.Edges))
	from := map[int][]Edge{}
	for _, e := range d.Edges {
		from[e.To] = append(from[e.To], e)
	}
	for i := range d.Cells {
		c := &d.Cells[i]
		if c.Kind != "code" {
			continue
		}
		fmt.Fprintf(b, "\n%s", label(c))
		if c.Language != "" && c.Language != "python" {
			fmt.Fprintf(b, " (%%%%%s: not Python)", c.Language)
		}
		b.WriteString("\n")
		if c.ParseError != nil {
			fmt.Fprintf(b, "  does not parse: %s\n", *c.ParseError)
		}
		if len(c.Defines) > 0 {
			fmt.Fprintf(b, "  defines: %s\n", strings.Join(c.Defines, ", "))
		}
		resolved := map[string]bool{}
		for _, e := range from[c.Index] {
			fmt.Fprintf(b, "  uses from cell %d: %s\n", e.From+1, strings.Join(e.Names, ", "))
			for _, n := range e.Names {
				resolved[n] = true
			}
		}
		for _, u := range d.Undefined {
			if u.Cell == c.Index {
				for _, n := range u.Names {
					resolved[n] = true
				}
			}
		}
		var early []string
		for _, u := range c.Uses {
			if !resolved[u] {
				early = append(early, u)
			}
		}
		if len(early) > 0 {
			fmt.Fprintf(b, "  uses before any cell above defines them: %s\n", strings.Join(early, ", "))
		}
		if len(c.Mutates)+len(c.CallMutates) > 0 {
			fmt.Fprintf(b, "  mutates: %s\n", strings.Join(dedupe(append(append([]string{}, c.Mutates...), c.CallMutates...)), ", "))
		}
		for _, f := range c.Functions {
			if len(f.Free) > 0 {
				fmt.Fprintf(b, "  %s() reads globals: %s\n", f.Name, strings.Join(f.Free, ", "))
			}
		}
	}
	if len(d.Undefined) > 0 {
		b.WriteString("\nundefined (used, defined in no cell):\n")
		for _, u := range d.Undefined {
			fmt.Fprintf(b, "  cell %d: %s\n", u.Cell+1, strings.Join(u.Names, ", "))
		}
	}
	if len(d.Redefined) > 0 {
		b.WriteString("\nredefined (defined in several cells):\n")
		for _, r := range d.Redefined {
			cells := make([]string, len(r.Cells))
			for i, c := range r.Cells {
				cells[i] = fmt.Sprint(c + 1)
			}
			fmt.Fprintf(b, "  %s: cells %s\n", r.Name, strings.Join(cells, ", "))
		}
	}
}

func dotQuote(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	s = strings.ReplaceAll(s, `"`, `\"`)
	return `"` + strings.ReplaceAll(s, "\n", `\n`) + `"`
}

func writeDOT(b *bytes.Buffer, d *Document) {
	fmt.Fprintf(b, "digraph %s {\n  rankdir=TB;\n  node [shape=box, fontname=\"monospace\"];\n", dotQuote(d.Notebook))
	for i := range d.Cells {
		c := &d.Cells[i]
		if c.Kind != "code" {
			continue
		}
		l := label(c)
		if len(c.Defines) > 0 {
			l += "\ndefines: " + ellipsis(c.Defines, 6)
		}
		attrs := ""
		if c.ParseError != nil {
			attrs = ", color=red"
		}
		fmt.Fprintf(b, "  c%d [label=%s%s];\n", c.Index, dotQuote(l), attrs)
	}
	for _, e := range d.Edges {
		fmt.Fprintf(b, "  c%d -> c%d [label=%s];\n", e.From, e.To, dotQuote(ellipsis(e.Names, 4)))
	}
	for _, u := range d.Undefined {
		fmt.Fprintf(b, "  undef%d [label=%s, shape=note, color=red];\n  undef%d -> c%d [style=dashed, color=red];\n",
			u.Cell, dotQuote("undefined: "+ellipsis(u.Names, 4)), u.Cell, u.Cell)
	}
	b.WriteString("}\n")
}

func mermaidQuote(s string) string {
	s = strings.ReplaceAll(s, `"`, "#quot;")
	s = strings.ReplaceAll(s, "|", "#124;")
	return strings.ReplaceAll(s, "\n", "<br/>")
}

func writeMermaid(b *bytes.Buffer, d *Document) {
	b.WriteString("flowchart TD\n")
	for i := range d.Cells {
		c := &d.Cells[i]
		if c.Kind != "code" {
			continue
		}
		l := label(c)
		if len(c.Defines) > 0 {
			l += "\n" + ellipsis(c.Defines, 6)
		}
		fmt.Fprintf(b, "  c%d[\"%s\"]\n", c.Index, mermaidQuote(l))
	}
	for _, e := range d.Edges {
		fmt.Fprintf(b, "  c%d -->|\"%s\"| c%d\n", e.From, mermaidQuote(ellipsis(e.Names, 4)), e.To)
	}
	for _, u := range d.Undefined {
		fmt.Fprintf(b, "  undef%d[\"undefined: %s\"] -.-> c%d\n", u.Cell, mermaidQuote(ellipsis(u.Names, 4)), u.Cell)
	}
}

func ellipsis(xs []string, n int) string {
	if len(xs) <= n {
		return strings.Join(xs, ", ")
	}
	return strings.Join(xs[:n], ", ") + fmt.Sprintf(", … (+%d)", len(xs)-n)
}
