package nbdiff

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/rules"
	"github.com/nbprod/nbprod/notebook"
)

// c is a cell spec for tests: "id:source" for a code cell with an id,
// ":source" for one without, "md id:source" for markdown.
func build(specs ...string) *notebook.Notebook {
	nb := &notebook.Notebook{Path: "nb.ipynb", Language: "python", Format: notebook.FormatIPYNB, NBFormat: 4, NBFormatMinor: 5}
	for i, s := range specs {
		kind := notebook.Code
		if rest, ok := strings.CutPrefix(s, "md "); ok {
			kind, s = notebook.Markdown, rest
		}
		id, src, _ := strings.Cut(s, ":")
		nb.Cells = append(nb.Cells, notebook.Cell{Index: i, ID: id, Kind: kind, Source: src})
	}
	return nb
}

func pairsOf(ps []Pair) string {
	var parts []string
	for _, p := range ps {
		parts = append(parts, fmt.Sprintf("%d-%d/%s", p.Old, p.New, p.By))
	}
	return strings.Join(parts, " ")
}

func TestMatch(t *testing.T) {
	tests := []struct {
		name     string
		old, new *notebook.Notebook
		want     string
	}{
		{
			name: "ids, one cell edited beyond recognition and one moved",
			old:  build("a:import pandas as pd", "b:df = pd.read_csv('x.csv')", "c:df.head()"),
			new:  build("c:df.head()", "a:import pandas as pd", "b:something else entirely = 42"),
			want: "0-1/id 1-2/id 2-0/id",
		},
		{
			name: "no ids, one cell edited",
			old:  build(":import pandas as pd", ":df = pd.read_csv('data.csv')\ndf.head()", ":df.describe()"),
			new:  build(":import pandas as pd", ":df = pd.read_csv('data/train.csv')\ndf.head()", ":df.describe()"),
			want: "0-0/source 1-1/similarity 2-2/source",
		},
		{
			name: "no ids, a cell replaced by an unrelated one",
			old:  build(":import numpy as np", ":x = np.arange(10)", ":print(x)"),
			new:  build(":import numpy as np", ":model.fit(features, labels)", ":print(x)"),
			want: "0-0/source 2-2/source",
		},
		{
			name: "no ids, a short cell grew: paired in its slot between unchanged cells",
			old:  build(":import os", ":print(limit)", ":limit = 10"),
			new:  build(":import os", ":# the limit comes from a later cell\nprint(limit)", ":limit = 10"),
			want: "0-0/source 1-1/similarity 2-2/source",
		},
		{
			name: "no ids, a short cell grew but moved elsewhere: not paired by slot",
			old:  build(":print(limit)", ":a = 1", ":b = 2", ":limit = 10"),
			new:  build(":a = 1", ":b = 2", ":# the limit comes from a later cell\nprint(limit)", ":limit = 10"),
			want: "1-0/source 2-1/source 3-3/source",
		},
		{
			name: "both sides have ids: different ids are never paired",
			old:  build("a:x = 1", "b:y = 2"),
			new:  build("a:x = 1", "z:y = 2"),
			want: "0-0/id",
		},
		{
			name: "ids regenerated (none in common): content decides",
			old:  build("a:x = 1", "b:y = 2"),
			new:  build("p:x = 1", "q:y = 3"),
			want: "0-0/source 1-1/similarity",
		},
		{
			name: "old without ids, new with ids (nbformat 4.5 upgrade)",
			old:  build(":x = 1", ":y = 2"),
			new:  build("p:x = 1", "q:y = 2"),
			want: "0-0/source 1-1/source",
		},
		{
			name: "duplicate cells pair in order",
			old:  build(":df.head()", ":x = 1", ":df.head()"),
			new:  build(":df.head()", ":df.head()"),
			want: "0-0/source 2-1/source",
		},
		{
			name: "one of three identical cells edited: the others keep their partners",
			old:  build(":import f", ":f()", ":f()", ":f()"),
			new:  build(":import f", ":f()", ":f()", ":f()  # edited"),
			want: "0-0/source 1-1/source 2-2/source 3-3/similarity",
		},
		{
			name: "the first of two identical cells edited: the second keeps its partner",
			old:  build(":data['area']", ":x = 1", ":y = 2", ":data['area']"),
			new:  build(":data['area'].sum()", ":x = 1", ":y = 2", ":data['area']"),
			want: "0-0/similarity 1-1/source 2-2/source 3-3/source",
		},
		{
			name: "markdown and code with the same text are not paired as identical",
			old:  build("md :Load the data"),
			new:  build(":Load the data"),
			want: "0-0/similarity",
		},
		{
			name: "the best match wins over an earlier weaker one",
			old:  build(":result = compute(alpha, beta)"),
			new:  build(":result = compute(alpha, gamma, delta)", ":result = compute(alpha, beta2)"),
			want: "0-1/similarity",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := pairsOf(Match(tt.old.Cells, tt.new.Cells))
			if got != tt.want {
				t.Errorf("Match = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSimilarity(t *testing.T) {
	if s := Similarity("x = 1", "x = 2"); s < SimilarityThreshold {
		t.Errorf("one-character edit: similarity %.2f below the threshold", s)
	}
	if s := Similarity("import numpy as np", "plt.show()"); s >= SimilarityThreshold {
		t.Errorf("unrelated cells: similarity %.2f at or above the threshold", s)
	}
	if s := Similarity("def f(x):\n    return x", "def f(x):\n\n        return x"); s != 1 {
		t.Errorf("re-indentation: similarity %.2f, want 1", s)
	}
	if s := Similarity("", ""); s != 1 {
		t.Errorf("two empty cells: %.2f, want 1", s)
	}
}

func TestMoves(t *testing.T) {
	mk := func(news ...int) []Pair {
		var ps []Pair
		for i, n := range news {
			ps = append(ps, Pair{Old: i, New: n})
		}
		return ps
	}
	tests := []struct {
		news []int
		want []bool
	}{
		{[]int{0, 1, 2, 3}, []bool{false, false, false, false}},
		// the cell at old 1 went to the end: only it moved
		{[]int{0, 3, 1, 2}, []bool{false, true, false, false}},
		// the last cell went to the top: only it moved
		{[]int{1, 2, 3, 0}, []bool{false, false, false, true}},
		// gaps from added/deleted cells are not moves
		{[]int{0, 2, 5, 6}, []bool{false, false, false, false}},
		{nil, []bool{}},
		{[]int{1, 0}, []bool{false, true}},
	}
	// Two cells swap after a deleted cell (old a m b c → new a c b): b
	// keeps index 2, c goes from 3 to 1; c is the one that moved.
	if got := Moves([]Pair{{Old: 0, New: 0}, {Old: 2, New: 2}, {Old: 3, New: 1}}); !reflect.DeepEqual(got, []bool{false, false, true}) {
		t.Errorf("swap after a deletion: moved = %v, want c (the last) only", got)
	}
	for _, tt := range tests {
		got := Moves(mk(tt.news...))
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Moves(%v) = %v, want %v", tt.news, got, tt.want)
		}
	}
}

func statuses(r *Result) string {
	var parts []string
	for _, c := range r.Cells {
		parts = append(parts, fmt.Sprintf("%s(%d>%d)", c.Status, c.Old, c.New))
	}
	return strings.Join(parts, " ")
}

func TestCompareStatuses(t *testing.T) {
	old := build("a:import pandas as pd", "b:df = load()", "c:df.plot()", "d:print('bye')", "md e:# Notes")
	new := build("a:import pandas as pd", "c:df.plot()", "b:df = load()\ndf = df.dropna()", "f:summary(df)", "md e:# Notes")
	r := Compare(old, new, Options{})
	// b and c swapped (equal displacement: the earlier, b, stays and c
	// moved); b was edited; d deleted (placed after b, the unmoved cell
	// before it in the old notebook); f added.
	want := "unchanged(0>0) moved(2>1) modified(1>2) deleted(3>-1) added(-1>3) unchanged(4>4)"
	if got := statuses(r); got != want {
		t.Errorf("statuses:\n got %s\nwant %s", got, want)
	}
	for _, c := range r.Cells {
		if c.Old >= 0 && c.New >= 0 && c.Modified != (len(c.Source) > 0) {
			t.Errorf("cell %d>%d: Modified %v with %d hunks", c.Old, c.New, c.Modified, len(c.Source))
		}
	}
	counts := r.Counts()
	if counts[Moved] != 1 || counts[Modified] != 1 || counts[Added] != 1 || counts[Deleted] != 1 || counts[Unchanged] != 2 {
		t.Errorf("counts = %v", counts)
	}
	if !r.Changed() {
		t.Error("Changed() = false")
	}
	if same := Compare(old, old, Options{}); same.Changed() {
		t.Errorf("a notebook compared with itself changed: %s", statuses(same))
	}
}

func TestCompareAddedDeletedFiles(t *testing.T) {
	nb := build("a:x = 1\ny = 2")
	r := Compare(nil, nb, Options{})
	if got := statuses(r); got != "added(-1>0)" {
		t.Fatalf("added file: %s", got)
	}
	h := r.Cells[0].Source
	if len(h) != 1 || h[0].OldStart != 0 || h[0].OldLines != 0 || h[0].NewStart != 1 || h[0].NewLines != 2 {
		t.Errorf("added cell hunk = %+v", h)
	}
	r = Compare(nb, nil, Options{})
	if got := statuses(r); got != "deleted(0>-1)" {
		t.Fatalf("deleted file: %s", got)
	}
	if h := r.Cells[0].Source; len(h) != 1 || h[0].Lines[0].Op != Delete || h[0].Lines[1].Text != "y = 2" {
		t.Errorf("deleted cell hunk = %+v", h)
	}
}

func hunkText(hs []Hunk) string {
	var b strings.Builder
	for _, h := range hs {
		fmt.Fprintf(&b, "@@ -%d,%d +%d,%d @@\n", h.OldStart, h.OldLines, h.NewStart, h.NewLines)
		for _, l := range h.Lines {
			b.WriteString(map[Op]string{Context: " ", Delete: "-", Insert: "+"}[l.Op] + l.Text + "\n")
		}
	}
	return b.String()
}

func TestLineDiff(t *testing.T) {
	lines := func(from, to int) string {
		var ls []string
		for i := from; i <= to; i++ {
			ls = append(ls, fmt.Sprintf("line %d", i))
		}
		return strings.Join(ls, "\n")
	}
	tests := []struct {
		name    string
		a, b    string
		context int
		want    string
	}{
		{"equal", "x\ny", "x\ny", 3, ""},
		{"one line changed, last line without newline", "a\nb\nc", "a\nB\nc", 3,
			"@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"},
		{"appended line", "a\nb", "a\nb\nc", 1,
			"@@ -2,1 +2,2 @@\n b\n+c\n"},
		{"from empty", "", "x = 1", 3, "@@ -0,0 +1,1 @@\n+x = 1\n"},
		{"to empty", "x = 1\ny", "", 3, "@@ -1,2 +0,0 @@\n-x = 1\n-y\n"},
		{"insert without context", "a\nc", "a\nb\nc", 0, "@@ -1,0 +2,1 @@\n+b\n"},
		{"far apart changes give two hunks",
			lines(1, 20),
			strings.Replace(strings.Replace(lines(1, 20), "line 2\n", "line two\n", 1), "line 19\n", "line nineteen\n", 1), 2,
			"@@ -1,4 +1,4 @@\n line 1\n-line 2\n+line two\n line 3\n line 4\n" +
				"@@ -17,4 +17,4 @@\n line 17\n line 18\n-line 19\n+line nineteen\n line 20\n"},
		{"near changes share a hunk",
			lines(1, 8),
			strings.Replace(strings.Replace(lines(1, 8), "line 2\n", "line two\n", 1), "line 6\n", "line six\n", 1), 2,
			"@@ -1,8 +1,8 @@\n line 1\n-line 2\n+line two\n line 3\n line 4\n line 5\n-line 6\n+line six\n line 7\n line 8\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := hunkText(LineDiff(tt.a, tt.b, tt.context))
			if got != tt.want {
				t.Errorf("LineDiff:\n got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestLineOpsNumbers(t *testing.T) {
	ops := LineOps("a\nb\nc\nd", "a\nx\nc\nd\ne")
	var old, new int
	for _, l := range ops {
		if l.Op != Insert {
			old++
			if l.Old != old {
				t.Errorf("%+v: old number %d, want %d", l, l.Old, old)
			}
		}
		if l.Op != Delete {
			new++
			if l.New != new {
				t.Errorf("%+v: new number %d, want %d", l, l.New, new)
			}
		}
	}
	if old != 4 || new != 5 {
		t.Errorf("counted %d old and %d new lines", old, new)
	}
}

// secretRule stands in for the secret rules in these tests: it reports
// every `password = "..."` assignment keyed by the salted hash of the
// value, as the real rules must (CONTRACT.md §5).
var passwordRE = regexp.MustCompile(`password\s*=\s*"([^"]+)"`)

var secretRule = &analyze.Rule{
	ID: "NB499", Name: "test-password", Category: analyze.CatSecurity, Severity: analyze.Blocker,
	Run: func(p *analyze.Pass) {
		for i := range p.Notebook.Cells {
			c := &p.Notebook.Cells[i]
			if c.Kind != notebook.Code {
				continue
			}
			for n, l := range c.Lines() {
				if m := passwordRE.FindStringSubmatchIndex(l); m != nil {
					v := l[m[2]:m[3]]
					p.Report(analyze.Finding{Cell: i, Line: n + 1, Column: m[2] + 1, EndLine: n + 1, EndColumn: m[3] + 1,
						Message: "hardcoded password", Key: analyze.SecretKey("password", v)})
				}
			}
		}
	},
}

// settings resolves the registry plus secretRule, restricted to the rules
// selected (all when none).
func settings(t *testing.T, sel ...string) *analyze.Settings {
	t.Helper()
	s, err := (&analyze.Config{}).Resolve(append(rules.All(), secretRule), analyze.Overrides{Select: sel})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func ruleIDs(fs []analyze.Finding) string {
	var ids []string
	for _, f := range fs {
		ids = append(ids, fmt.Sprintf("%s@%d:%d", f.Rule, f.Cell, f.Line))
	}
	return strings.Join(ids, " ")
}

func TestFindingClassification(t *testing.T) {
	s := settings(t, "NB102")
	// NB102: `limit` is used in cell 1 before cell 2 defines it.
	base := build(":print(limit)", ":limit = 10")
	tests := []struct {
		name                 string
		old, new             *notebook.Notebook
		introduced, fixed    string
		unchanged            int
		wantStatusesContains string
	}{
		{
			name: "lines added above the finding (no ids: the cell's hash changes)",
			old:  base,
			new:  build(":# a comment above\n\nprint(limit)", ":limit = 10"),
			// still NB102 in the same paired cell on the same text
			unchanged: 1,
		},
		{
			name:      "a markdown cell inserted before: the cells shift",
			old:       base,
			new:       build("md :# Title", ":print(limit)", ":limit = 10"),
			unchanged: 1,
		},
		{
			name:       "a new forward reference is introduced",
			old:        base,
			new:        build(":print(limit)\nprint(rate)", ":limit = 10\nrate = 0.5"),
			introduced: "NB102@0:2",
			unchanged:  1,
		},
		{
			name:      "the forward reference is fixed by moving the definition up",
			old:       base,
			new:       build(":limit = 10", ":print(limit)"),
			fixed:     "NB102@0:1",
			unchanged: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Compare(tt.old, tt.new, Options{Settings: s})
			if !r.Checked {
				t.Fatal("Checked not set")
			}
			if got := ruleIDs(r.Introduced); got != tt.introduced {
				t.Errorf("introduced = %q, want %q", got, tt.introduced)
			}
			if got := ruleIDs(r.Fixed); got != tt.fixed {
				t.Errorf("fixed = %q, want %q", got, tt.fixed)
			}
			if r.Unchanged != tt.unchanged {
				t.Errorf("unchanged = %d, want %d", r.Unchanged, tt.unchanged)
			}
		})
	}
}

func TestFindingsUseOneDisplayPath(t *testing.T) {
	old, new := build(":print(limit)", ":limit = 10"), build(":print(limit)", ":limit = 10")
	old.Path, new.Path = "/tmp/abc_nb.ipynb", "nb.ipynb"
	r := Compare(old, new, Options{Settings: settings(t, "NB102"), Path: "work/nb.ipynb"})
	if r.Unchanged != 1 || len(r.Introduced)+len(r.Fixed) != 0 {
		t.Fatalf("same notebook under two file names: unchanged %d, introduced %d, fixed %d", r.Unchanged, len(r.Introduced), len(r.Fixed))
	}
	if r.Path != "work/nb.ipynb" {
		t.Errorf("Path = %q", r.Path)
	}
	if old.Path != "/tmp/abc_nb.ipynb" {
		t.Error("Compare modified its input notebook")
	}
}

func TestNewSecretIsIntroducedAndRedacted(t *testing.T) {
	secret := "Tr0ub4" + "dor&3x" // built at run time: no literal secret in the repository
	old := build("a:import os\nuser = os.environ['DB_USER']", "b:connect(user)")
	new := build("a:import os\nuser = os.environ['DB_USER']", "s:password = \""+secret+"\"", "b:connect(user, password)")
	r := Compare(old, new, Options{Settings: settings(t), Outputs: true, Metadata: true})
	if got := ruleIDs(r.Introduced); !strings.Contains(got, "NB499@1:1") {
		t.Errorf("introduced = %q, want the password finding NB499@1:1", got)
	}
	var added *CellChange
	for i := range r.Cells {
		if r.Cells[i].Status == Added {
			added = &r.Cells[i]
		}
	}
	if added == nil || len(added.Source) != 1 || len(added.Source[0].Lines) != 1 {
		t.Fatalf("added cell missing or not one line: %+v", r.Cells)
	}
	line := added.Source[0].Lines[0].Text
	if strings.Contains(line, secret) || !strings.Contains(line, "redacted") && !strings.Contains(line, "withheld") {
		t.Errorf("added line %q: want the secret redacted", line)
	}
	if dump := fmt.Sprintf("%+v", *r); strings.Contains(dump, secret) {
		t.Errorf("the secret appears in the result: %s", dump)
	}
	// The same secret already there and untouched is not new, and the
	// removal of a line holding it shows it redacted too.
	r = Compare(new, old, Options{Settings: settings(t)})
	if got := ruleIDs(r.Fixed); !strings.Contains(got, "NB499@1:1") {
		t.Errorf("fixed = %q, want NB499@1:1", got)
	}
	if dump := fmt.Sprintf("%+v", *r); strings.Contains(dump, secret) {
		t.Errorf("the secret appears in the result of its removal: %s", dump)
	}
}

func TestFailing(t *testing.T) {
	r := Compare(build(":x = 1"), build(":print(y)", ":y = 2"), Options{Settings: settings(t)})
	if !r.Failing(analyze.Blocker) {
		t.Errorf("a new NB102 blocker does not fail at blocker: introduced %s", ruleIDs(r.Introduced))
	}
	if r.Failing(0) {
		t.Error("fail-on never fails")
	}
	r = Compare(build(":print(y)", ":y = 2"), build(":y = 2", ":print(y)"), Options{Settings: settings(t)})
	if r.Failing(analyze.Info) {
		t.Errorf("a change that only fixes fails: %s", ruleIDs(r.Introduced))
	}
}

func intp(n int) *int { return &n }

func TestOutputsAndMetadataOnlyWhenAsked(t *testing.T) {
	old := build("a:print(1)")
	new := build("a:print(1)")
	old.Cells[0].ExecCount, new.Cells[0].ExecCount = intp(1), intp(7)
	old.Cells[0].Outputs = []notebook.Output{{Index: 0, Type: "stream", StreamName: "stdout", Data: []notebook.MimeData{{MIME: "stream", Text: "1\n", Kept: true}}}}
	new.Cells[0].Outputs = []notebook.Output{{Index: 0, Type: "stream", StreamName: "stdout", Data: []notebook.MimeData{{MIME: "stream", Text: "2\n", Kept: true}}}}
	new.Cells[0].Metadata = &notebook.Value{Kind: notebook.Object, Keys: []string{"scrolled"}, Vals: []*notebook.Value{{Kind: notebook.Bool, Bool: true}}}

	if r := Compare(old, new, Options{}); r.Changed() {
		t.Errorf("outputs, counts and metadata compared without being asked: %s", statuses(r))
	}
	r := Compare(old, new, Options{Outputs: true})
	c := r.Cells[0]
	if c.Status != Modified || c.ExecCount == nil || *c.ExecCount.Old != 1 || *c.ExecCount.New != 7 {
		t.Fatalf("with Outputs: %+v", c)
	}
	if got := hunkText(c.Outputs); got != "@@ -1,2 +1,2 @@\n [output 1: stream stdout]\n-1\n+2\n" {
		t.Errorf("outputs hunk:\n%s", got)
	}
	if len(c.Metadata) > 0 {
		t.Error("metadata compared without Metadata")
	}
	r = Compare(old, new, Options{Metadata: true})
	if c := r.Cells[0]; c.Status != Modified || !strings.Contains(hunkText(c.Metadata), "+  \"scrolled\": true") {
		t.Errorf("with Metadata: %s", hunkText(c.Metadata))
	}
}

// numberRule flags `lucky = <digits>` keyed as a secret: a value the facts'
// secret and personal-data recognisers do not know, so only the
// finding-keyed safety net can keep it out of the diff.
var luckyRE = regexp.MustCompile(`^lucky = (\d+)$`)

var numberRule = &analyze.Rule{
	ID: "NB498", Name: "test-lucky-number", Category: analyze.CatSecurity, Severity: analyze.Blocker,
	Run: func(p *analyze.Pass) {
		for i := range p.Notebook.Cells {
			for n, l := range p.Notebook.Cells[i].Lines() {
				if m := luckyRE.FindStringSubmatch(l); m != nil {
					p.Report(analyze.Finding{Cell: i, Line: n + 1, Column: 9, Message: "lucky number", Key: analyze.SecretKey("lucky", m[1])})
				}
			}
		}
	},
}

func TestSecretFindingWithoutSpanIsWithheld(t *testing.T) {
	s, err := (&analyze.Config{}).Resolve([]*analyze.Rule{numberRule}, analyze.Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	value := "4815" + "162342"
	r := Compare(build("a:x = 1"), build("a:x = 1\nlucky = "+value), Options{Settings: s})
	if len(r.Cells) != 1 || len(r.Cells[0].Source) != 1 {
		t.Fatalf("cells: %+v", r.Cells)
	}
	var inserted []string
	for _, l := range r.Cells[0].Source[0].Lines {
		if l.Op == Insert {
			inserted = append(inserted, l.Text)
		}
	}
	if len(inserted) != 1 || !strings.Contains(inserted[0], "withheld: NB498") {
		t.Errorf("inserted lines %q: want the line withheld", inserted)
	}
	if dump := fmt.Sprintf("%+v", *r); strings.Contains(dump, value) {
		t.Errorf("the value appears in the result: %s", dump)
	}
}

func TestPersonalValuesRedactedInMarkdownOutputsAndMetadata(t *testing.T) {
	email := "anna.schmidt" + "@" + "gmail.com"
	old := build("md m:# Contacts", "a:print(users)")
	new := build("md m:# Contacts\nWrite to "+email, "a:print(users)")
	new.Cells[1].Outputs = []notebook.Output{{Index: 0, Type: "stream", StreamName: "stdout",
		Data: []notebook.MimeData{{MIME: "stream", Text: "name  email\nAnna  " + email + "\n", Kept: true}}}}
	new.Cells[1].Metadata = &notebook.Value{Kind: notebook.Object, Keys: []string{"owner"}, Vals: []*notebook.Value{{Kind: notebook.String, Str: email}}}
	r := Compare(old, new, Options{Outputs: true, Metadata: true})
	dump := fmt.Sprintf("%+v", *r)
	if strings.Contains(dump, email) {
		t.Errorf("the e-mail address appears in the result: %s", dump)
	}
	if n := strings.Count(dump, "<redacted email"); n < 3 {
		t.Errorf("%d redacted e-mail addresses, want 3 (markdown, output, metadata): %s", n, dump)
	}
}
