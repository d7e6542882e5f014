package rules

import (
	"fmt"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
)

// dataAccessAndSecurityRules are the NB3xx data-access and path rules, NB4xx secrets and security rules, and NB705.
func dataAccessAndSecurityRules() []*analyze.Rule {
	return []*analyze.Rule{
		AbsoluteLocalPath,
		PersonalLocationPath,
		LocalDataFile,
		SpreadsheetDataSource,
		RuntimeDataDownload,
		EnvironmentBoundEndpoint,
		HardcodedOutputLocation,
		WorkingDirectoryChange,
		HardcodedSecret,
		CredentialsInURI,
		SecretInOutputs,
		UnsafeDeserialization,
		ShellOrDynamicExec,
		TLSVerificationDisabled,
		SQLStringConstruction,
		UnboundedDataLoad,
	}
}

// ---------------------------------------------------------------------------
// Path findings (shared by NB301–NB308)

// pathGroup is the uses of one path literal that a rule reports together.
type pathGroup struct {
	anchor facts.PathAnchor
	uses   []facts.PathUse
}

// groupPaths groups the notebook's path uses that keep() accepts by their
// literal, in literal order.
func groupPaths(fx *facts.Notebook, keep func(u *facts.PathUse) bool) []pathGroup {
	var out []pathGroup
	idx := map[facts.PathAnchor]int{}
	for _, u := range fx.Paths() {
		u := u
		if !keep(&u) {
			continue
		}
		a := u.Anchor()
		if i, ok := idx[a]; ok {
			out[i].uses = append(out[i].uses, u)
			continue
		}
		idx[a] = len(out)
		out = append(out, pathGroup{anchor: a, uses: []facts.PathUse{u}})
	}
	return out
}

// anchorUses returns every use of the notebook's path literals, by literal
// (to see whether a literal is also read when a rule looks at writes).
func anchorUses(fx *facts.Notebook) map[facts.PathAnchor][]facts.PathUse {
	m := map[facts.PathAnchor][]facts.PathUse{}
	for _, u := range fx.Paths() {
		m[u.Anchor()] = append(m[u.Anchor()], u)
	}
	return m
}

// allWrites reports whether every use of a literal writes it.
func allWrites(uses []facts.PathUse) bool {
	for _, u := range uses {
		if u.Direction != facts.DirWrite {
			return false
		}
	}
	return len(uses) > 0
}

// pathFinding builds the finding for a group: placed on the literal, with
// the sinks as related locations, and the Data every path finding carries.
func pathFinding(g pathGroup, msg, fix string) analyze.Finding {
	u := g.uses[0]
	f := analyze.Finding{Cell: u.Cell, Line: u.Pos.Line, Column: u.Pos.Col, EndLine: u.End.Line, EndColumn: u.End.Col,
		Message: msg, Fix: fix, Data: pathData(&u)}
	seen := map[[3]int]bool{}
	for _, x := range g.uses {
		if x.Sink == "" {
			continue
		}
		k := [3]int{x.SinkCell, x.SinkPos.Line, x.SinkPos.Col}
		if seen[k] || (x.SinkCell == u.Cell && x.SinkPos.Line == u.Pos.Line) {
			seen[k] = true
			continue
		}
		seen[k] = true
		f.Related = append(f.Related, analyze.Related{Cell: x.SinkCell, Line: x.SinkPos.Line, Column: x.SinkPos.Col,
			Message: fmt.Sprintf("%s %s here", directionVerb(x.Direction), x.Sink)})
	}
	if len(g.uses) > 1 {
		var sinks []string
		for _, x := range g.uses {
			if x.Sink != "" && !containsStr(sinks, x.Sink) {
				sinks = append(sinks, x.Sink)
			}
		}
		if len(sinks) > 1 {
			f.Data["sinks"] = sinks
		}
	}
	return f
}

// pathData is the Data of a path finding: value, kind and config key
// (CONTRACT.md §5), plus direction, sink and the binding name. Secrets
// inside URIs are redacted.
func pathData(u *facts.PathUse) map[string]any {
	d := map[string]any{
		"value":      facts.RedactValue(u.Value),
		"kind":       string(u.Class),
		"config_key": u.ConfigKey,
		"direction":  string(u.Direction),
		"sink":       u.Sink,
	}
	if u.Literal != "" && u.Literal != u.Value {
		d["literal"] = facts.RedactValue(u.Literal)
	}
	if u.Binding != "" {
		d["binding"] = u.Binding
	}
	if !u.Complete {
		d["prefix_only"] = true
	}
	if u.Env {
		d["env_fallback"] = true
	}
	return d
}

func directionVerb(d facts.Direction) string {
	switch d {
	case facts.DirRead:
		return "read by"
	case facts.DirWrite:
		return "written by"
	}
	return "used by"
}

// quoteValue renders a path value for a message: secrets redacted, long
// values shortened.
func quoteValue(v string) string {
	v = facts.RedactValue(v)
	if utf8.RuneCountInString(v) > 90 {
		r := []rune(v)
		v = string(r[:60]) + "…" + string(r[len(r)-25:])
	}
	return fmt.Sprintf("%q", v)
}

// sinkPhrase describes where a path is used: "read by pandas.read_csv",
// "bound to DATA_DIR and read by pandas.read_csv in cell 4".
func sinkPhrase(g pathGroup) string {
	u := g.uses[0]
	var b strings.Builder
	if u.Binding != "" {
		fmt.Fprintf(&b, "bound to `%s`", u.Binding)
		if u.Sink == "" {
			return b.String()
		}
		b.WriteString(" and ")
	}
	if u.Sink == "" {
		return strings.TrimSpace(b.String())
	}
	b.WriteString(directionVerb(u.Direction) + " " + u.Sink)
	if u.SinkCell != u.Cell {
		fmt.Fprintf(&b, " in cell %d", u.SinkCell+1)
	}
	if n := len(g.uses); n > 1 {
		fmt.Fprintf(&b, " (and %d more use", n-1)
		if n > 2 {
			b.WriteString("s")
		}
		b.WriteString(")")
	}
	return b.String()
}

// capped reports whether every use of a group is already parameterised or
// never reaches a sink (findings are info then).
func capped(g pathGroup) bool {
	for _, u := range g.uses {
		if !u.Env && u.Role != facts.RoleBinding {
			return false
		}
	}
	return true
}

// displayOnly reports whether every use of a group is an informational
// shell command (!ls, !cat, !head …) that production drops.
func displayOnly(g pathGroup) bool {
	for _, u := range g.uses {
		switch u.Sink {
		case "!ls", "!cat", "!head", "!tail", "!wc", "!du", "!file", "!stat", "!less", "!more":
		default:
			return false
		}
	}
	return true
}

func containsStr(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// ---------------------------------------------------------------------------
// Secret findings (NB401–NB403)

// secretFinding builds the finding of a secret: redacted message and Data,
// and a salted-hash key so baselines never store the value.
func secretFinding(s *facts.Secret, msg, fix string) analyze.Finding {
	f := analyze.Finding{Cell: s.Cell, Message: msg, Fix: fix, Key: s.Key(analyze.SecretKey),
		Data: map[string]any{"kind": s.Kind, "env_var": s.EnvVar, "redacted": s.Redacted, "layer": string(s.Layer),
			"where": string(s.Where)}}
	if s.Target != "" {
		f.Data["target"] = s.Target
	}
	switch {
	case s.Output != nil:
		f.Output = &analyze.OutputRef{Index: s.Output.Index, MIME: s.Output.MIME, Line: s.Output.Line}
	case s.Pos.Line > 0:
		f.Line, f.Column, f.EndLine, f.EndColumn = s.Pos.Line, s.Pos.Col, s.End.Line, s.End.Col
	}
	if s.MetaPath != "" {
		f.Data["metadata_path"] = s.MetaPath
	}
	switch s.Level {
	case "warning":
		f.Severity = analyze.Warning
	case "info":
		f.Severity = analyze.Info
	}
	return f
}

// secretWhat names a secret for messages: "hardcoded OpenAI API key
// (sk-…<redacted openai-api-key, 51 chars>)".
func secretWhat(s *facts.Secret) string {
	what := s.Kind
	switch s.Layer {
	case facts.LayerName:
		if s.Target != "" {
			what = fmt.Sprintf("%s bound to `%s`", s.Kind, s.Target)
		}
	case facts.LayerEntropy:
		what = "high-entropy string"
		if s.Target != "" {
			what += fmt.Sprintf(" bound to `%s`", s.Target)
		}
	}
	return fmt.Sprintf("%s (%s)", what, s.Redacted)
}

// pathMatch matches a glob against a path value (slash-separated, "./"
// removed); a pattern without "/" also matches the base name.
func pathMatch(glob, v string) (bool, error) {
	v = strings.TrimPrefix(strings.ReplaceAll(facts.NormalizePath(v), `\`, "/"), "./")
	if ok, err := path.Match(glob, v); ok || err != nil {
		return ok, err
	}
	if !strings.Contains(glob, "/") {
		return path.Match(glob, path.Base(v))
	}
	return false, nil
}
