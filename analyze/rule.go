package analyze

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/nbprod/nbprod/analyze/facts"
	"github.com/nbprod/nbprod/notebook"
)

// Rule is a production-blocker check. Rules are values: everything about a
// rule (ID, name, severity, docs, options) lives here.
type Rule struct {
	ID       string   // NB101; stable forever
	Name     string   // kebab-case; accepted wherever IDs are
	Category Category // theme of the ID block
	Severity Severity // default severity; config may override
	Doc      Doc      // parsed embedded markdown
	Options  []Option // documented in the Doc's Configuration section
	// Run reports findings through the pass. It never prints, reads files or
	// touches globals.
	Run func(*Pass)
}

// Option is a documented rule option ([tool.nbprod.options.NBxxx]).
type Option struct {
	Name    string // kebab-case
	Default any    // int, bool, string or []string
	Help    string
}

// Doc is a rule's documentation, parsed from its markdown file.
type Doc struct {
	Markdown string            // the whole file
	Title    string            // "non-linear-execution (NB101)"
	Sections map[string]string // "What it does" → body
	Summary  string            // first sentence of "What it does"
	// Example and UseInstead are the fenced code blocks of those sections;
	// ExampleLang/UseInsteadLang give their info strings ("python", "json").
	Example, UseInstead         string
	ExampleLang, UseInsteadLang string
}

// RequiredSections must appear in every rule doc (STYLE.md §3.4).
var RequiredSections = []string{"What it does", "Why is this bad?", "Example", "Use instead"}

var (
	// sentenceEnd is a full stop that ends a sentence (not "e.g. " or "i.e. ").
	sentenceEnd = regexp.MustCompile(`[^.](?:[a-z0-9)\x60"*_]{2}|[A-Z)\x60"*_])\.(?:\s|$)`)
	docTitle    = regexp.MustCompile(`(?m)^# (.+)$`)
	docSection  = regexp.MustCompile(`(?m)^## (.+)$`)
	docFence    = regexp.MustCompile("(?s)```([a-z]*)\n(.*?)```")
)

// ParseDoc splits a rule's markdown into its sections.
func ParseDoc(md string) Doc {
	d := Doc{Markdown: md, Sections: map[string]string{}}
	if m := docTitle.FindStringSubmatch(md); m != nil {
		d.Title = strings.TrimSpace(m[1])
	}
	locs := docSection.FindAllStringSubmatchIndex(md, -1)
	for i, loc := range locs {
		name := strings.TrimSpace(md[loc[2]:loc[3]])
		end := len(md)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		d.Sections[name] = strings.TrimSpace(md[loc[1]:end])
	}
	what := strings.Join(strings.Fields(d.Sections["What it does"]), " ")
	if m := sentenceEnd.FindStringIndex(what); m != nil {
		d.Summary = strings.TrimSpace(what[:m[1]])
	} else {
		d.Summary = strings.TrimSpace(what)
	}
	d.Summary = strings.Join(strings.Fields(d.Summary), " ")
	if m := docFence.FindStringSubmatch(d.Sections["Example"]); m != nil {
		d.ExampleLang, d.Example = m[1], m[2]
	}
	if m := docFence.FindStringSubmatch(d.Sections["Use instead"]); m != nil {
		d.UseInsteadLang, d.UseInstead = m[1], m[2]
	}
	return d
}

var (
	ruleIDRe   = regexp.MustCompile(`^NB\d{3}$`)
	ruleNameRe = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
)

// Validate checks a rule set: unique IDs and names, ID and name format,
// sorted by ID, a Run function, complete docs whose title names the rule,
// and documented options.
func Validate(rules []*Rule) error {
	var errs []string
	ids := map[string]bool{}
	names := map[string]bool{}
	for i, r := range rules {
		switch {
		case !ruleIDRe.MatchString(r.ID):
			errs = append(errs, fmt.Sprintf("rule %q: ID must match NB000", r.ID))
		case ids[r.ID]:
			errs = append(errs, fmt.Sprintf("rule %s: duplicate ID", r.ID))
		}
		ids[r.ID] = true
		if !ruleNameRe.MatchString(r.Name) {
			errs = append(errs, fmt.Sprintf("rule %s: name %q is not kebab-case", r.ID, r.Name))
		}
		if names[r.Name] {
			errs = append(errs, fmt.Sprintf("rule %s: duplicate name %q", r.ID, r.Name))
		}
		names[r.Name] = true
		if i > 0 && rules[i-1].ID >= r.ID {
			errs = append(errs, fmt.Sprintf("rule %s: registry not sorted by ID (after %s)", r.ID, rules[i-1].ID))
		}
		if r.Run == nil {
			errs = append(errs, fmt.Sprintf("rule %s: no Run function", r.ID))
		}
		if r.Severity < Info || r.Severity > Blocker {
			errs = append(errs, fmt.Sprintf("rule %s: no default severity", r.ID))
		}
		if r.Category == "" {
			errs = append(errs, fmt.Sprintf("rule %s: no category", r.ID))
		}
		if want := fmt.Sprintf("%s (%s)", r.Name, r.ID); r.Doc.Title != want {
			errs = append(errs, fmt.Sprintf("rule %s: doc title %q, want %q", r.ID, r.Doc.Title, want))
		}
		for _, s := range RequiredSections {
			if strings.TrimSpace(r.Doc.Sections[s]) == "" {
				errs = append(errs, fmt.Sprintf("rule %s: doc section %q missing or empty", r.ID, s))
			}
		}
		if r.Doc.Example == "" || r.Doc.UseInstead == "" {
			errs = append(errs, fmt.Sprintf("rule %s: Example and Use instead need a code block", r.ID))
		}
		if len(r.Options) > 0 {
			conf := r.Doc.Sections["Configuration"]
			for _, o := range r.Options {
				if !strings.Contains(conf, o.Name) {
					errs = append(errs, fmt.Sprintf("rule %s: option %q not documented in a Configuration section", r.ID, o.Name))
				}
			}
		}
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return fmt.Errorf("invalid rule registry:\n  %s", strings.Join(errs, "\n  "))
	}
	return nil
}

// Pass is what a rule sees for one notebook.
type Pass struct {
	Rule     *Rule
	Notebook *notebook.Notebook
	Facts    *facts.Notebook
	// Path is the notebook path as it is reported.
	Path     string
	options  map[string]any
	findings *[]Finding
}

// Report records a finding. Rule fields, severity (when zero), path, cell id
// and file position are filled in from the pass.
func (p *Pass) Report(f Finding) {
	f.Rule, f.Name, f.Category = p.Rule.ID, p.Rule.Name, p.Rule.Category
	if f.Severity == 0 {
		f.Severity = p.Rule.Severity
	}
	f.Path = p.Path
	if f.Cell < 0 || f.Cell >= len(p.Notebook.Cells) {
		f.Cell = -1
		f.Line, f.Column, f.EndLine, f.EndColumn = 0, 0, 0, 0
	} else {
		c := &p.Notebook.Cells[f.Cell]
		f.CellID = c.ID
		switch {
		case f.Output != nil:
			f.FileLine, f.FileColumn = outputFilePos(c, f.Output)
		case f.Line > 0:
			col := f.Column
			if col < 1 {
				col = 1
			}
			f.FileLine, f.FileColumn = c.FilePos(f.Line, col)
		default:
			f.FileLine = c.FileLine
		}
		if f.EndLine == 0 && f.Line > 0 {
			f.EndLine, f.EndColumn = f.Line, f.Column
		}
	}
	*p.findings = append(*p.findings, f)
}

func outputFilePos(c *notebook.Cell, ref *OutputRef) (int, int) {
	if ref.Index < 0 || ref.Index >= len(c.Outputs) {
		return c.FileLine, 0
	}
	o := &c.Outputs[ref.Index]
	for i := range o.Data {
		if o.Data[i].MIME == ref.MIME && ref.Line > 0 {
			if l := o.Data[i].FileLine(ref.Line); l > 0 {
				return l, 0
			}
		}
	}
	return o.FileLine, 0
}

// Reportf reports a finding at a cell position with a formatted message.
func (p *Pass) Reportf(cell, line, col int, format string, args ...any) {
	p.Report(Finding{Cell: cell, Line: line, Column: col, Message: fmt.Sprintf(format, args...)})
}

// Int returns an integer option (its configured value or the default).
func (p *Pass) Int(name string) int {
	switch v := p.option(name).(type) {
	case int:
		return v
	case int64:
		return int(v)
	case float64:
		return int(v)
	}
	return 0
}

// Bool returns a boolean option.
func (p *Pass) Bool(name string) bool {
	b, _ := p.option(name).(bool)
	return b
}

// String returns a string option.
func (p *Pass) String(name string) string {
	s, _ := p.option(name).(string)
	return s
}

// Strings returns a list-of-strings option.
func (p *Pass) Strings(name string) []string {
	switch v := p.option(name).(type) {
	case []string:
		return v
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func (p *Pass) option(name string) any {
	if v, ok := p.options[name]; ok {
		return v
	}
	for _, o := range p.Rule.Options {
		if o.Name == name {
			return o.Default
		}
	}
	panic(fmt.Sprintf("rule %s: undeclared option %q", p.Rule.ID, name))
}
