package rules

import (
	"fmt"
	"strings"

	"github.com/nbprod/nbprod/analyze"
)

// UnpinnedRemoteArtifact reports models, data sets and files fetched from
// a hub without a pinned revision (RULES.md NB205, bandit B615's test).
var UnpinnedRemoteArtifact = &analyze.Rule{
	ID:       "NB205",
	Name:     "unpinned-remote-artifact",
	Category: analyze.CatReproducible,
	Severity: analyze.Warning,
	Doc:      doc("NB205"),
	Run:      runUnpinnedRemoteArtifact,
}

func runUnpinnedRemoteArtifact(p *analyze.Pass) {
	arts := p.Facts.RemoteArtifacts()
	type group struct {
		first int
		cells []int
		count int
	}
	groups := map[string]*group{}
	var order []string
	for i := range arts {
		a := &arts[i]
		if a.Pinned {
			continue
		}
		key := a.Loader + ":" + a.ID
		if a.ID != "" {
			key = a.Kind + ":" + a.ID
		}
		if a.DefaultModel {
			task, _ := taskOf(p, i)
			key = "pipeline-default:" + task
		}
		g := groups[key]
		if g == nil {
			g = &group{first: i}
			groups[key] = g
			order = append(order, key)
		}
		g.count++
		if c := a.Call.Cell.Index; len(g.cells) == 0 || g.cells[len(g.cells)-1] != c {
			g.cells = append(g.cells, c)
		}
	}
	for _, key := range order {
		g := groups[key]
		a := &arts[g.first]
		cs := a.Call
		callee := cs.Callee
		if callee == "" {
			callee = "." + cs.Method
		}
		var msg, fix string
		switch {
		case a.DefaultModel:
			task, _ := taskOf(p, g.first)
			msg = fmt.Sprintf("pipeline(%q) without model=: transformers downloads the task's default model, which changes between releases", task)
			fix = "name the model and pin it: pipeline(task, model=\"org/name\", revision=\"<commit sha>\")"
		case a.Loader == "torch.hub.load":
			msg = fmt.Sprintf("torch.hub.load(%q) without a :ref loads whatever the default branch holds today", a.ID)
			fix = fmt.Sprintf("pin a tag or commit: torch.hub.load(\"%s:<tag or commit>\", …)", a.ID)
		case a.Loader == "fetch_openml":
			msg = fmt.Sprintf("fetch_openml(%q) without version= loads the currently active version of the data set", a.ID)
			fix = "pass version=<n> or data_id=<id>"
		case a.Loader == "timm.create_model":
			msg = fmt.Sprintf("timm.create_model(%q, pretrained=True) downloads the weights its tag points to today", a.ID)
			fix = "download the weights once, pin the hub revision, and load them from a checkpoint_path"
		default:
			why := "no revision= pins it to a commit"
			if a.Pin != "" {
				why = fmt.Sprintf("%s=%q is a branch or tag, not a commit", a.PinParam, a.Pin)
			}
			what := a.Kind
			for _, part := range []string{"Tokenizer", "Processor", "Config", "FeatureExtractor"} {
				if strings.Contains(callee, part) {
					what = strings.ToLower(part)
					if part == "FeatureExtractor" {
						what = "feature extractor"
					}
				}
			}
			msg = fmt.Sprintf("%s(%q): %s, so the %s can change under the same name", callee, a.ID, why, what)
			fix = "pin revision=\"<commit sha>\" (at least 7 hex digits); the emitter adds revision=cfg." + a.ConfigKey + " and writes artifacts.lock"
		}
		if g.count > 1 {
			others := []string{}
			for _, c := range g.cells {
				others = append(others, fmt.Sprint(c+1))
			}
			where := "cell " + others[0]
			if len(others) > 1 {
				where = "cells " + strings.Join(others, ", ")
			}
			msg += fmt.Sprintf(" (%d loads, in %s)", g.count, where)
		}
		p.Report(analyze.Finding{Cell: cs.Cell.Index, Line: cs.Pos.Line, Column: cs.Pos.Col, EndLine: cs.End.Line, EndColumn: cs.End.Col,
			Message: msg, Fix: fix, Key: "remote:" + key,
			Data: map[string]any{"id": a.ID, "loader": a.Loader, "kind": a.Kind, "pin_param": a.PinParam, "pin": a.Pin,
				"config_key": a.ConfigKey, "loads": g.count}})
	}
}

// taskOf returns the task string of a pipeline call.
func taskOf(p *analyze.Pass, i int) (string, bool) {
	a := &p.Facts.RemoteArtifacts()[i]
	n := a.Call.Arg(0, "task")
	f := p.Facts.Fold(a.Call.Cell, n)
	if !f.Complete {
		return "…", false
	}
	return f.Value, true
}
