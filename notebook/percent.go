package notebook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// IsPercent reports whether data looks like a jupytext percent-format
// script: some line starts with a `# %%` cell marker.
func IsPercent(data []byte) bool {
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if _, ok := percentMarker(string(bytes.TrimRight(line, "\r"))); ok {
			return true
		}
	}
	return false
}

// percentMarker returns the text after `# %%` (or `#%%`) when line is a cell
// marker.
func percentMarker(line string) (string, bool) {
	rest, ok := strings.CutPrefix(line, "#")
	if !ok {
		return "", false
	}
	rest = strings.TrimLeft(rest, " ")
	rest, ok = strings.CutPrefix(rest, "%%")
	if !ok {
		return "", false
	}
	if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return "", false // `# %%time` is a commented cell magic, not a marker
	}
	return strings.TrimSpace(rest), true
}

var (
	percentKind     = regexp.MustCompile(`\[(markdown|md|raw)\]`)
	percentMetaKey  = regexp.MustCompile(`(?:^|\s)([A-Za-z_][\w.-]*)=`)
	percentMagicRE  = regexp.MustCompile(`^(\s*)# ?((?:%{1,2}|!{1,2})[A-Za-z_])`)
	percentHeaderLg = regexp.MustCompile(`^#\s+language:\s*["']?([A-Za-z0-9_+-]+)`)
	percentHeaderNm = regexp.MustCompile(`^#\s+name:\s*["']?([A-Za-z0-9_.+-]+)`)
	percentHeaderV  = regexp.MustCompile(`^#\s+version:\s*["']?([0-9][0-9.]*)`)
)

// ReadPercent reads a jupytext percent-format script. Lines map one to one
// onto file lines.
func ReadPercent(path string, data []byte) (*Notebook, error) {
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:invalidAt(data)], []byte("\n"))
		return nil, &ReadError{Path: path, Cell: -1, Line: line, Msg: "invalid UTF-8: not a text file"}
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		line := 1 + bytes.Count(data[:i], []byte("\n"))
		return nil, &ReadError{Path: path, Cell: -1, Line: line, Msg: "NUL byte: not a text file"}
	}
	text := strings.TrimPrefix(string(data), "\ufeff")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	lines := strings.Split(text, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	nb := &Notebook{Path: path, Format: FormatPercent, NBFormat: 4, Language: "python", Size: int64(len(data))}

	i := 0
	// A leading `# ---` … `# ---` block is the YAML header.
	if len(lines) > 0 && strings.TrimSpace(lines[0]) == "# ---" {
		inKernel := false
		for j := 1; j < len(lines); j++ {
			l := lines[j]
			if strings.TrimSpace(l) == "# ---" {
				i = j + 1
				break
			}
			if strings.HasPrefix(l, "#   kernelspec:") || strings.HasPrefix(l, "#  kernelspec:") || strings.Contains(l, "kernelspec:") {
				inKernel = true
				continue
			}
			trim := "# " + strings.TrimLeft(strings.TrimPrefix(l, "#"), " ")
			if m := percentHeaderLg.FindStringSubmatch(trim); m != nil && inKernel {
				nb.Language = strings.ToLower(m[1])
			}
			if m := percentHeaderNm.FindStringSubmatch(trim); m != nil && inKernel && nb.KernelName == "" {
				nb.KernelName = m[1]
			}
			if m := percentHeaderV.FindStringSubmatch(trim); m != nil && nb.LanguageVersion == "" {
				nb.LanguageVersion = m[1]
			}
		}
	}

	type pending struct {
		kind     CellKind
		title    string
		tags     []string
		meta     *Value
		start    int // 0-based index of the first content line
		lines    []string
		prefixes []int
		line     int // file line of the marker (0 for text before the first marker)
	}
	var cur *pending
	flush := func() {
		if cur == nil {
			return
		}
		// Drop leading and trailing blank lines, as jupytext does.
		for len(cur.lines) > 0 && strings.TrimSpace(cur.lines[0]) == "" {
			cur.lines, cur.prefixes = cur.lines[1:], cur.prefixes[1:]
			cur.start++
		}
		n := len(cur.lines)
		for n > 0 && strings.TrimSpace(cur.lines[n-1]) == "" {
			n--
		}
		if cur.line == 0 && n == 0 {
			cur = nil
			return
		}
		c := Cell{Index: len(nb.Cells), Kind: cur.kind, Title: cur.title, Tags: cur.tags, Metadata: cur.meta, FileLine: cur.line}
		if c.FileLine == 0 {
			c.FileLine = cur.start + 1
		}
		var b strings.Builder
		for k := 0; k < n; k++ {
			if k > 0 {
				b.WriteByte('\n')
			}
			c.src.add(b.Len(), cur.start+k+1, cur.prefixes[k]+1, nil)
			b.WriteString(cur.lines[k])
		}
		if n == 0 {
			c.src.add(0, c.FileLine, 1, nil) // an empty cell sits on its marker line
		}
		c.Source = b.String()
		c.SourceSize = len(c.Source)
		nb.Cells = append(nb.Cells, c)
		cur = nil
	}
	for ; i < len(lines); i++ {
		l := lines[i]
		if rest, ok := percentMarker(l); ok {
			flush()
			p := &pending{kind: Code, start: i + 1, line: i + 1}
			if m := percentKind.FindStringSubmatchIndex(rest); m != nil {
				switch rest[m[2]:m[3]] {
				case "markdown", "md":
					p.kind = Markdown
				case "raw":
					p.kind = Raw
				}
				rest = rest[:m[0]] + rest[m[1]:]
			}
			title, meta, err := parsePercentMeta(rest)
			if err != nil {
				nb.Issues = append(nb.Issues, Issue{Cell: len(nb.Cells), Line: i + 1, Msg: "cell marker metadata: " + err.Error()})
			}
			p.title, p.meta = title, meta
			if tags := meta.Get("tags"); tags != nil {
				for _, t := range tags.Items {
					if s, ok := t.String(); ok {
						p.tags = append(p.tags, s)
					}
				}
			}
			cur = p
			continue
		}
		if cur == nil {
			cur = &pending{kind: Code, start: i}
		}
		content, prefix := l, 0
		switch cur.kind {
		case Markdown, Raw:
			if strings.HasPrefix(l, "# ") {
				content, prefix = l[2:], 2
			} else if strings.HasPrefix(l, "#") {
				content, prefix = l[1:], 1
			}
		case Code:
			if m := percentMagicRE.FindStringSubmatchIndex(l); m != nil {
				// jupytext comments out magics; read them back.
				content = l[m[2]:m[3]] + l[m[4]:]
				prefix = m[4] - m[3]
			}
		}
		if len(cur.lines) == 0 && cur.start != i {
			cur.start = i
		}
		cur.lines = append(cur.lines, content)
		cur.prefixes = append(cur.prefixes, prefix)
	}
	flush()
	indexLines(nb)
	return nb, nil
}

// parsePercentMeta splits `Title key="v" tags=["a"]` into the title and a
// metadata object.
func parsePercentMeta(rest string) (string, *Value, error) {
	locs := percentMetaKey.FindAllStringSubmatchIndex(rest, -1)
	if len(locs) == 0 {
		return strings.TrimSpace(rest), nil, nil
	}
	title := strings.TrimSpace(rest[:locs[0][0]])
	meta := &Value{Kind: Object}
	var firstErr error
	for k, loc := range locs {
		key := rest[loc[2]:loc[3]]
		end := len(rest)
		if k+1 < len(locs) {
			end = locs[k+1][0]
		}
		raw := strings.TrimSpace(rest[loc[1]:end])
		var any any
		dec := json.NewDecoder(strings.NewReader(raw))
		v := &Value{Kind: String, Str: raw}
		if err := dec.Decode(&any); err == nil {
			v = fromAny(any)
		} else if firstErr == nil && (strings.HasPrefix(raw, "[") || strings.HasPrefix(raw, "{") || strings.HasPrefix(raw, `"`)) {
			firstErr = fmt.Errorf("%s: %v", key, err)
		}
		meta.Keys = append(meta.Keys, key)
		meta.Vals = append(meta.Vals, v)
	}
	return title, meta, firstErr
}

func fromAny(a any) *Value {
	switch x := a.(type) {
	case nil:
		return &Value{Kind: Null}
	case bool:
		return &Value{Kind: Bool, Bool: x}
	case float64:
		return &Value{Kind: Number, Str: fmt.Sprint(x)}
	case string:
		return &Value{Kind: String, Str: x}
	case []any:
		v := &Value{Kind: Array}
		for _, it := range x {
			v.Items = append(v.Items, fromAny(it))
		}
		return v
	case map[string]any:
		v := &Value{Kind: Object}
		for _, k := range sortedKeys(x) {
			v.Keys = append(v.Keys, k)
			v.Vals = append(v.Vals, fromAny(x[k]))
		}
		return v
	}
	return &Value{Kind: Null}
}

func sortedKeys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func invalidAt(b []byte) int {
	for i := 0; i < len(b); {
		r, w := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && w == 1 {
			return i
		}
		i += w
	}
	return len(b)
}
