package analyze

import (
	"testing"

	"github.com/nbprod/nbprod/notebook"
)

// FuzzParseConfig: any config text gives a Config or a ConfigError naming
// the file, never a panic.
func FuzzParseConfig(f *testing.F) {
	for _, s := range []string{
		"[tool.nbprod]\nselect = [\"NB1\"]\nignore = [\"NB905\"]\nfail-on = \"warning\"\n",
		"[tool.nbprod.severity]\nNB101 = \"blocker\"\n[tool.nbprod.options.NB101]\nx = 1\n",
		"[tool.nbprod]\nper-file-ignores = { \"a/*.ipynb\" = [\"NB1\"] }\nexclude = [\"**/x\"]\n",
		"[tool.nbprod\n", "[tool]\nnbprod = 3\n", "select = 5\n",
	} {
		f.Add("pyproject.toml", s)
		f.Add("nbprod.toml", s)
	}
	f.Fuzz(func(t *testing.T, name, text string) {
		cfg, found, err := ParseConfig(name, []byte(text))
		if err != nil {
			if _, ok := err.(*ConfigError); !ok {
				t.Fatalf("error %T %v is not a ConfigError", err, err)
			}
			return
		}
		if found && cfg == nil {
			t.Fatal("found without a config")
		}
		if found {
			// Resolving against an empty registry must not panic either.
			_, _ = cfg.Resolve(nil, Overrides{})
			for _, g := range cfg.Exclude {
				matchGlob(compileGlob(g), "a/b/c.ipynb")
			}
		}
	})
}

// FuzzSuppressions: any cell source and tags give suppressions without a
// panic, and applying them to findings keeps every finding.
func FuzzSuppressions(f *testing.F) {
	f.Add("x = 1  # nbprod: ignore[NB101] -- reason", "nbprod:ignore=NB103")
	f.Add("# nbprod: ignore[NB102,forward-reference]\nprint(x)", "")
	f.Add("# nbprod: ignore[", "nbprod:ignore=")
	f.Add("#nbprod:ignore[]--", "nbprod:ignore=,,,")
	f.Fuzz(func(t *testing.T, src, tag string) {
		nb := &notebook.Notebook{Cells: []notebook.Cell{{Kind: notebook.Code, Source: src, Tags: []string{tag}}}}
		rules := []*Rule{{ID: "NB101", Name: "non-linear-execution"}, {ID: "NB102", Name: "forward-reference"}}
		sups := ParseSuppressions(nb, rules)
		fs := []Finding{{Rule: "NB101", Cell: 0, Line: 1}, {Rule: "NB102", Cell: 0, Line: 2}, {Rule: "NB101", Cell: -1}}
		extra := applySuppressions(sups, fs, map[string]bool{"NB101": true, "NB102": true})
		for _, e := range extra {
			if e.Rule != "NB003" && e.Rule != "NB004" {
				t.Fatalf("unexpected extra finding %+v", e)
			}
		}
	})
}
