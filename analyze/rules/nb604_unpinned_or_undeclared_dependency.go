package rules

import (
	"fmt"
	"strings"

	"github.com/nbprod/nbprod/analyze"
	"github.com/nbprod/nbprod/analyze/facts"
)

// UnpinnedOrUndeclaredDependency reports (a) install lines that do not pin
// every package to an exact version (one blocker per line) and (b) the
// third-party imports no dependency manifest declares (one warning per
// notebook, listing them; CONTRACT.md §6). Manifests are looked for only
// for notebooks read from disk.
var UnpinnedOrUndeclaredDependency = &analyze.Rule{
	ID:       "NB604",
	Name:     "unpinned-or-undeclared-dependency",
	Category: analyze.CatEnvironment,
	Severity: analyze.Blocker,
	Doc:      doc("NB604"),
	Run:      runUnpinnedOrUndeclaredDependency,
}

func runUnpinnedOrUndeclaredDependency(p *analyze.Pass) {
	deps := p.Facts.Dependencies()
	for _, in := range deps.Installs {
		if in.Tool == "apt" {
			continue
		}
		var un []facts.Requirement
		for _, r := range in.Unpinned() {
			if !installerTooling[r.Key] {
				un = append(un, r)
			}
		}
		if len(un) == 0 {
			continue
		}
		in.Text = envRedact(p.Facts, in.Cell, in.Line, in.EndLine, in.Text)
		var specs []string
		for _, r := range un {
			specs = append(specs, envRedact(p.Facts, in.Cell, in.Line, in.EndLine, r.Spec))
		}
		example := envRedact(p.Facts, in.Cell, in.Line, in.EndLine, un[0].Name) + "==<version>"
		p.Report(analyze.Finding{Cell: in.Cell, Line: in.Line, Column: in.Col, EndLine: in.EndLine, EndColumn: in.EndCol,
			Key: in.Text,
			Message: fmt.Sprintf("`%s` installs %s without an exact version (%s): the next run can get a different release",
				shorten(in.Text, 70), plural(len(un), "a package", "packages"), shorten(strings.Join(specs, ", "), 80)),
			Fix:  fmt.Sprintf("pin every package (%s, a VCS URL at a commit, or --hash) in a requirements file", example),
			Data: map[string]any{"unpinned": specs, "tool": in.Tool}})
	}

	und := deps.Undeclared()
	if len(und) == 0 {
		return
	}
	var names, unknown []string
	var items []map[string]any
	for _, d := range und {
		items = append(items, map[string]any{"distribution": d.Name, "modules": d.Modules, "guessed": d.Guessed,
			"pin": d.Pin, "cell": d.Cell, "line": d.Line})
		if d.Guessed {
			unknown = append(unknown, strings.Join(d.Modules, ", "))
			continue
		}
		label := d.Name
		if len(d.Modules) > 0 && envNormLabel(d.Modules[0]) != d.Key {
			label = fmt.Sprintf("%s (import %s)", d.Name, strings.Join(d.Modules, ", "))
		}
		if d.Installed {
			label += fmt.Sprintf(" (installed in cell %d)", d.InstallCell+1)
		}
		names = append(names, label)
	}
	listed := envListN(names, 8)
	if len(unknown) > 0 {
		clause := fmt.Sprintf("%s nbprod does not know (a package, or a local module missing from the repository?): %s",
			plural(len(unknown), "a module", "modules"), envListN(unknown, 6))
		if listed == "" {
			listed = clause
		} else {
			listed += "; and " + clause
		}
	}
	var manifests []string
	for _, m := range deps.Manifests {
		manifests = append(manifests, m.Path)
	}
	var msg string
	if len(manifests) == 0 {
		msg = fmt.Sprintf("no dependency manifest (requirements*.txt, pyproject.toml, environment.yml, Pipfile, setup.py) next to the notebook or in the repository: %d imported %s undeclared: %s",
			len(und), plural(len(und), "package is", "packages are"), listed)
	} else {
		msg = fmt.Sprintf("%d imported %s not declared in %s: %s", len(und),
			plural(len(und), "package is", "packages are"), envListN(manifests, 3), listed)
	}
	pyv := deps.PythonVersion
	if pyv == "" && deps.PythonRequires == "" {
		msg += "; the Python version is unknown too (metadata.language_info.version is missing)"
	}
	first := und[0]
	for _, d := range und {
		if d.Cell < first.Cell || d.Cell == first.Cell && d.Line < first.Line {
			first = d
		}
	}
	f := analyze.Finding{Cell: first.Cell, Line: first.Line, Column: first.Col, Severity: analyze.Warning, Key: "undeclared-imports",
		Message: msg,
		Fix:     "add them, pinned, to requirements.txt (or pyproject.toml / environment.yml)",
		Data: map[string]any{"undeclared": items, "manifests": manifests, "python_version": pyv,
			"requires_python": deps.PythonRequires}}
	if first.Cell < 0 {
		f.Cell = -1
	}
	p.Report(f)
}

// installerTooling are the installer's own packages: upgrading them does
// not change what the notebook computes.
var installerTooling = map[string]bool{"pip": true, "setuptools": true, "wheel": true}

// envNormLabel normalises an import name like a distribution name
// (to tell "requests" from "sklearn → scikit-learn" in messages).
func envNormLabel(mod string) string { return facts.NormalizeDist(mod) }

// envListN joins at most n items, then "and k more".
func envListN(xs []string, n int) string {
	if len(xs) <= n {
		return strings.Join(xs, ", ")
	}
	return strings.Join(xs[:n], ", ") + fmt.Sprintf(" and %d more", len(xs)-n)
}
