package analyze

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// Config is the `[tool.nbprod]` table of pyproject.toml, or the top level of
// nbprod.toml (CONTRACT.md §4).
type Config struct {
	File           string              // file it was read from; "" for defaults
	Root           string              // directory of File (globs are relative to it)
	Select         []string            // rule selectors: ID, ID prefix (NB1), name, or ALL
	Ignore         []string            // selectors removed from the selection
	Exclude        []string            // path globs never checked
	FailOn         string              // blocker, warning, info or never ("" = blocker)
	PerFileIgnores map[string][]string // glob → selectors
	Severity       map[string]string   // selector (ID or name) → severity
	Options        map[string]map[string]any
}

// ConfigError is a problem in a config file; it exits with code 2.
type ConfigError struct {
	File string
	Key  string
	Msg  string
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

var configKeys = map[string]bool{"select": true, "ignore": true, "exclude": true, "fail-on": true,
	"per-file-ignores": true, "severity": true, "options": true}

// FindConfig looks for the nearest configuration from dir upwards: a
// pyproject.toml with a [tool.nbprod] table, or an nbprod.toml. It returns
// an empty Config when there is none.
func FindConfig(dir string) (*Config, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return &Config{}, nil
	}
	for d := abs; ; d = filepath.Dir(d) {
		for _, name := range []string{"nbprod.toml", "pyproject.toml"} {
			p := filepath.Join(d, name)
			st, err := os.Stat(p)
			if err != nil || st.IsDir() {
				continue
			}
			cfg, found, err := readConfigFile(p)
			if err != nil {
				return nil, err
			}
			if found {
				return cfg, nil
			}
		}
		if filepath.Dir(d) == d {
			return &Config{}, nil
		}
	}
}

// LoadConfig reads an explicit config file (nbprod.toml or pyproject.toml).
func LoadConfig(file string) (*Config, error) {
	cfg, found, err := readConfigFile(file)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, &ConfigError{File: file, Msg: "no [tool.nbprod] table"}
	}
	return cfg, nil
}

func readConfigFile(file string) (*Config, bool, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, false, &ConfigError{File: file, Msg: "cannot read: " + err.Error()}
	}
	return ParseConfig(file, data)
}

// ParseConfig parses config text; file names it in errors and decides the
// layout (pyproject.toml: the [tool.nbprod] table; other names: top level).
// found is false for a pyproject.toml without [tool.nbprod].
func ParseConfig(file string, data []byte) (cfg *Config, found bool, err error) {
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		msg := err.Error()
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, col := de.Position()
			msg = fmt.Sprintf("invalid TOML at line %d, column %d: %s", row, col, de.Error())
		}
		return nil, false, &ConfigError{File: file, Msg: msg}
	}
	table := doc
	keyPrefix := ""
	if filepath.Base(file) == "pyproject.toml" {
		tool, _ := doc["tool"].(map[string]any)
		t, ok := tool["nbprod"]
		if !ok {
			return nil, false, nil
		}
		table, ok = t.(map[string]any)
		if !ok {
			return nil, false, &ConfigError{File: file, Key: "tool.nbprod", Msg: "must be a table"}
		}
		keyPrefix = "tool.nbprod."
	}
	cfg = &Config{File: file, Root: filepath.Dir(file)}
	keys := make([]string, 0, len(table))
	for k := range table {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := table[k]
		full := keyPrefix + k
		if !configKeys[k] {
			return nil, false, &ConfigError{File: file, Key: full, Msg: "unknown key (known: " + strings.Join(sortedSet(configKeys), ", ") + ")"}
		}
		var err error
		switch k {
		case "select":
			cfg.Select, err = stringList(v)
		case "ignore":
			cfg.Ignore, err = stringList(v)
		case "exclude":
			cfg.Exclude, err = stringList(v)
		case "fail-on":
			s, ok := v.(string)
			if !ok {
				err = errors.New("must be a string: blocker, warning, info or never")
			} else if _, perr := ParseFailOn(s); perr != nil {
				err = perr
			}
			cfg.FailOn = s
		case "per-file-ignores":
			m, ok := v.(map[string]any)
			if !ok {
				err = errors.New("must be a table of glob = [rules]")
				break
			}
			cfg.PerFileIgnores = map[string][]string{}
			for g, ids := range m {
				l, e := stringList(ids)
				if e != nil {
					return nil, false, &ConfigError{File: file, Key: full + "." + g, Msg: e.Error()}
				}
				cfg.PerFileIgnores[g] = l
			}
		case "severity":
			m, ok := v.(map[string]any)
			if !ok {
				err = errors.New("must be a table of rule = severity")
				break
			}
			cfg.Severity = map[string]string{}
			for id, sv := range m {
				s, ok := sv.(string)
				if !ok {
					return nil, false, &ConfigError{File: file, Key: full + "." + id, Msg: "must be a string: blocker, warning or info"}
				}
				if _, e := ParseSeverity(s); e != nil {
					return nil, false, &ConfigError{File: file, Key: full + "." + id, Msg: e.Error()}
				}
				cfg.Severity[id] = s
			}
		case "options":
			m, ok := v.(map[string]any)
			if !ok {
				err = errors.New("must be a table of [options.NBxxx] tables")
				break
			}
			cfg.Options = map[string]map[string]any{}
			for id, ov := range m {
				om, ok := ov.(map[string]any)
				if !ok {
					return nil, false, &ConfigError{File: file, Key: full + "." + id, Msg: "must be a table of option = value"}
				}
				cfg.Options[id] = om
			}
		}
		if err != nil {
			return nil, false, &ConfigError{File: file, Key: full, Msg: err.Error()}
		}
	}
	return cfg, true, nil
}

func stringList(v any) ([]string, error) {
	switch x := v.(type) {
	case string:
		return []string{x}, nil
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, errors.New("must be a list of strings")
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, errors.New("must be a list of strings")
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ParseFailOn parses a --fail-on value; "never" is 0.
func ParseFailOn(s string) (Severity, error) {
	if strings.EqualFold(strings.TrimSpace(s), "never") {
		return 0, nil
	}
	sev, err := ParseSeverity(s)
	if err != nil {
		return 0, fmt.Errorf("unknown fail-on %q (want blocker, warning, info or never)", s)
	}
	return sev, nil
}

// Settings is a Config resolved against the rule registry and command-line
// overrides: which rules run, at which severity, with which options.
type Settings struct {
	Config   *Config
	Rules    []*Rule // enabled, sorted by ID
	Severity map[string]Severity
	Options  map[string]map[string]any // rule ID → option → value
	FailOn   Severity
	// perFile maps compiled globs to the rule IDs they disable.
	perFile []perFileIgnore
	exclude []*regexp.Regexp
	all     []*Rule
}

type perFileIgnore struct {
	glob *regexp.Regexp
	ids  map[string]bool
}

// Overrides are command-line values that replace the config file's.
type Overrides struct {
	Select, Ignore, ExtendIgnore, Exclude []string
	FailOn                                *string
}

// Resolve checks the config against the registry (unknown rules or options
// are errors) and applies command-line overrides.
func (c *Config) Resolve(all []*Rule, o Overrides) (*Settings, error) {
	file := c.File
	if file == "" {
		file = "command line"
	}
	s := &Settings{Config: c, Severity: map[string]Severity{}, Options: map[string]map[string]any{}, all: all}
	sel, ign := c.Select, c.Ignore
	selKey, ignKey := "select", "ignore"
	if o.Select != nil {
		sel, selKey = o.Select, "--select"
	}
	if o.Ignore != nil {
		ign, ignKey = o.Ignore, "--ignore"
	}
	ign = append(append([]string(nil), ign...), o.ExtendIgnore...)
	enabled := map[string]bool{}
	if len(sel) == 0 {
		for _, r := range all {
			enabled[r.ID] = true
		}
	}
	for _, sl := range sel {
		ids, err := MatchRules(all, sl)
		if err != nil {
			return nil, configErr(c, file, selKey, o.Select != nil, err)
		}
		for _, id := range ids {
			enabled[id] = true
		}
	}
	for _, sl := range ign {
		ids, err := MatchRules(all, sl)
		if err != nil {
			return nil, configErr(c, file, ignKey, o.Ignore != nil, err)
		}
		for _, id := range ids {
			delete(enabled, id)
		}
	}
	for _, r := range all {
		s.Severity[r.ID] = r.Severity
		if enabled[r.ID] {
			s.Rules = append(s.Rules, r)
		}
	}
	for _, sl := range sortedKeys(c.Severity) {
		ids, err := MatchRules(all, sl)
		if err != nil {
			return nil, &ConfigError{File: file, Key: prefixed(c, "severity."+sl), Msg: err.Error()}
		}
		sev, _ := ParseSeverity(c.Severity[sl])
		for _, id := range ids {
			s.Severity[id] = sev
		}
	}
	for _, sl := range sortedKeys(c.Options) {
		ids, err := MatchRules(all, sl)
		if err != nil || len(ids) != 1 {
			if err == nil {
				err = errors.New("options need one rule ID or name, not a prefix")
			}
			return nil, &ConfigError{File: file, Key: prefixed(c, "options."+sl), Msg: err.Error()}
		}
		r := ruleByID(all, ids[0])
		vals := map[string]any{}
		for _, name := range sortedKeys(c.Options[sl]) {
			opt := findOption(r, name)
			if opt == nil {
				known := make([]string, 0, len(r.Options))
				for _, o := range r.Options {
					known = append(known, o.Name)
				}
				msg := fmt.Sprintf("unknown option for %s", r.ID)
				if len(known) > 0 {
					msg += " (known: " + strings.Join(known, ", ") + ")"
				} else {
					msg += " (it has no options)"
				}
				return nil, &ConfigError{File: file, Key: prefixed(c, "options."+sl+"."+name), Msg: msg}
			}
			v, err := coerceOption(opt, c.Options[sl][name])
			if err != nil {
				return nil, &ConfigError{File: file, Key: prefixed(c, "options."+sl+"."+name), Msg: err.Error()}
			}
			vals[name] = v
		}
		s.Options[r.ID] = vals
	}
	failOn := c.FailOn
	if o.FailOn != nil {
		failOn = *o.FailOn
	}
	if failOn == "" {
		failOn = "blocker"
	}
	fo, err := ParseFailOn(failOn)
	if err != nil {
		if o.FailOn != nil {
			return nil, &ConfigError{File: "--fail-on", Msg: err.Error()}
		}
		return nil, &ConfigError{File: file, Key: prefixed(c, "fail-on"), Msg: err.Error()}
	}
	s.FailOn = fo
	for _, g := range sortedKeys(c.PerFileIgnores) {
		ids := map[string]bool{}
		for _, sl := range c.PerFileIgnores[g] {
			m, err := MatchRules(all, sl)
			if err != nil {
				return nil, &ConfigError{File: file, Key: prefixed(c, "per-file-ignores."+g), Msg: err.Error()}
			}
			for _, id := range m {
				ids[id] = true
			}
		}
		s.perFile = append(s.perFile, perFileIgnore{glob: compileGlob(g), ids: ids})
	}
	for _, g := range append(append([]string(nil), c.Exclude...), o.Exclude...) {
		s.exclude = append(s.exclude, compileGlob(g))
	}
	return s, nil
}

func configErr(c *Config, file, key string, flag bool, err error) error {
	if flag {
		return &ConfigError{File: key, Msg: err.Error()}
	}
	return &ConfigError{File: file, Key: prefixed(c, key), Msg: err.Error()}
}

func prefixed(c *Config, key string) string {
	if filepath.Base(c.File) == "pyproject.toml" {
		return "tool.nbprod." + key
	}
	return key
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func ruleByID(all []*Rule, id string) *Rule {
	for _, r := range all {
		if r.ID == id {
			return r
		}
	}
	return nil
}

func findOption(r *Rule, name string) *Option {
	for i := range r.Options {
		if r.Options[i].Name == name {
			return &r.Options[i]
		}
	}
	return nil
}

func coerceOption(o *Option, v any) (any, error) {
	switch o.Default.(type) {
	case int:
		switch x := v.(type) {
		case int64:
			return int(x), nil
		case int:
			return x, nil
		}
		return nil, errors.New("must be an integer")
	case bool:
		if b, ok := v.(bool); ok {
			return b, nil
		}
		return nil, errors.New("must be true or false")
	case string:
		if s, ok := v.(string); ok {
			return s, nil
		}
		return nil, errors.New("must be a string")
	case []string:
		l, err := stringList(v)
		if err != nil {
			return nil, err
		}
		return l, nil
	}
	return v, nil
}

// MatchRules resolves a selector (ALL, an ID, an ID prefix such as NB1 or
// NB10, or a rule name) to rule IDs. An unknown selector is an error.
func MatchRules(all []*Rule, sel string) ([]string, error) {
	sel = strings.TrimSpace(sel)
	var out []string
	switch {
	case strings.EqualFold(sel, "ALL"):
		for _, r := range all {
			out = append(out, r.ID)
		}
	case strings.HasPrefix(strings.ToUpper(sel), "NB"):
		up := strings.ToUpper(sel)
		for _, r := range all {
			if strings.HasPrefix(r.ID, up) {
				out = append(out, r.ID)
			}
		}
	default:
		for _, r := range all {
			if r.Name == sel {
				out = append(out, r.ID)
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("unknown rule %q", sel)
	}
	return out, nil
}

// Excluded reports whether a slash-separated path (relative to the config
// root, or as given) matches an exclude glob.
func (s *Settings) Excluded(p string) bool {
	return matchAny(s.exclude, p)
}

// IgnoredFor returns the rule IDs per-file-ignores disable for path p.
func (s *Settings) IgnoredFor(p string) map[string]bool {
	var out map[string]bool
	for _, pf := range s.perFile {
		if matchGlob(pf.glob, p) {
			if out == nil {
				out = map[string]bool{}
			}
			for id := range pf.ids {
				out[id] = true
			}
		}
	}
	return out
}

// RelToRoot makes p relative to the config root when possible, for glob
// matching; it returns p (slash-separated) otherwise.
func (s *Settings) RelToRoot(p string) string {
	if s.Config != nil && s.Config.Root != "" {
		if abs, err := filepath.Abs(p); err == nil {
			if rel, err := filepath.Rel(s.Config.Root, abs); err == nil && !strings.HasPrefix(rel, "..") {
				return filepath.ToSlash(rel)
			}
		}
	}
	return filepath.ToSlash(filepath.Clean(p))
}

func matchAny(globs []*regexp.Regexp, p string) bool {
	for _, g := range globs {
		if matchGlob(g, p) {
			return true
		}
	}
	return false
}

// matchGlob matches the whole path, any trailing run of its segments, or
// its base name, like ruff's exclude.
func matchGlob(g *regexp.Regexp, p string) bool {
	p = strings.TrimPrefix(path.Clean(p), "./")
	if g.MatchString(p) {
		return true
	}
	for i := 0; i < len(p); i++ {
		if p[i] == '/' && g.MatchString(p[i+1:]) {
			return true
		}
	}
	return false
}

// compileGlob turns a glob (`*`, `?`, `**`, `[...]`) into an anchored regexp.
func compileGlob(g string) *regexp.Regexp {
	g = strings.TrimPrefix(filepath.ToSlash(g), "./")
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(g); i++ {
		c := g[i]
		switch {
		case c == '*' && i+1 < len(g) && g[i+1] == '*':
			i++
			if i+1 < len(g) && g[i+1] == '/' {
				i++
				b.WriteString("(?:.*/)?")
			} else {
				b.WriteString(".*")
			}
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		case c == '[':
			j := strings.IndexByte(g[i:], ']')
			if j < 0 {
				b.WriteString(regexp.QuoteMeta(string(c)))
				continue
			}
			b.WriteString(g[i : i+j+1])
			i += j
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("(?:/.*)?$") // a directory glob covers what is below it
	re, err := regexp.Compile(b.String())
	if err != nil {
		return regexp.MustCompile("^" + regexp.QuoteMeta(g) + "$")
	}
	return re
}
