package facts

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nbprod/nbprod/notebook"
)

func TestParseRequirement(t *testing.T) {
	cases := []struct {
		spec, key, pin string
		pinned, local  bool
	}{
		{"pandas", "pandas", "", false, false},
		{"pandas==2.2.2", "pandas", "2.2.2", true, false},
		{"Scikit_Learn>=1.4", "scikit-learn", "", false, false},
		{"numpy~=1.26", "numpy", "", false, false},
		{"numpy==1.26.*", "numpy", "", false, false},
		{"requests[socks]===2.31.0", "requests", "2.31.0", true, false},
		{"torch==2.2.0; python_version >= '3.9'", "torch", "2.2.0", true, false},
		{"git+https://github.com/org/tool.git", "tool", "", false, false},
		{"git+https://github.com/org/tool.git@v1.2", "tool", "", false, false},
		{"git+https://github.com/org/tool.git@0123abcd", "tool", "", true, false},
		{"git+https://github.com/org/repo@deadbeef#egg=tool-x", "tool-x", "", true, false},
		{"tool @ git+https://github.com/org/tool@0123abcd4567", "tool", "", true, false},
		{"https://example.org/pkgs/tool-1.2.3-py3-none-any.whl", "tool", "", true, false},
		{"https://github.com/org/tool/archive/master.zip", "master-zip", "", false, false},
		{".", "", "", true, true},
		{"./libs/mylib", "mylib", "", true, true},
		{"dist/mylib-0.1-py3-none-any.whl", "mylib", "", true, true},
		{"sagemaker=={version}", "sagemaker", "{version}", true, false},
	}
	for _, tc := range cases {
		r := ParseRequirement(tc.spec)
		if r.Key != tc.key || r.Pin != tc.pin || r.Pinned != tc.pinned || r.Local != tc.local {
			t.Errorf("%q: key %q pin %q pinned %v local %v; want %q %q %v %v", tc.spec, r.Key, r.Pin, r.Pinned, r.Local,
				tc.key, tc.pin, tc.pinned, tc.local)
		}
	}
}

func TestParseInstall(t *testing.T) {
	cases := []struct {
		cmd      string
		tool     string
		unpinned string // keys of unpinned specs
		files    string
	}{
		{"pip install pandas scikit-learn==1.5.0", "pip", "pandas", ""},
		{"pip install -q -U --no-cache-dir -i https://pypi.example/simple xgboost", "pip", "xgboost", ""},
		{"python3 -m pip install --upgrade 'numpy>=1.26'", "pip", "numpy", ""},
		{"{sys.executable} -m pip install -r requirements.txt -c constraints.txt", "pip", "", "requirements.txt constraints.txt"},
		{"pip install torch==2.2.0 --extra-index-url https://download.pytorch.org/whl/cpu", "pip", "", ""},
		{"uv pip install polars", "pip", "polars", ""},
		{"sudo -H pip3 install boto3", "pip", "boto3", ""},
		{"conda install -y -c conda-forge lightgbm=4.3.0 shap", "conda", "shap", ""},
		{"mamba install conda-forge::xarray==2024.1.0", "conda", "", ""},
		{"conda env update -f environment.yml", "conda", "", "environment.yml"},
		{"apt-get install -y libgl1 ffmpeg", "apt", "libgl1 ffmpeg", ""},
		{"cd src && pip install -e .", "pip", "", ""},
		{"pip install 'pandas==2.2.2' --hash=sha256:abc", "pip", "", ""},
	}
	for _, tc := range cases {
		in, ok := ParseInstall(tc.cmd)
		if !ok {
			t.Errorf("%q: not an install", tc.cmd)
			continue
		}
		var un []string
		for _, r := range in.Unpinned() {
			un = append(un, r.Key)
		}
		if in.Tool != tc.tool || strings.Join(un, " ") != tc.unpinned || strings.Join(in.Files, " ") != tc.files {
			t.Errorf("%q: tool %s unpinned %q files %q; want %s %q %q", tc.cmd, in.Tool, un, in.Files, tc.tool, tc.unpinned, tc.files)
		}
	}
	for _, cmd := range []string{"pip list", "pip show pandas", "ls -l", "pip download x", "echo pip install x"} {
		if _, ok := ParseInstall(cmd); ok {
			t.Errorf("%q: parsed as an install", cmd)
		}
	}
}

func TestImportClassification(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "helpers.py"), []byte("x = 1\n"), 0o644)
	os.MkdirAll(filepath.Join(dir, "mypkg"), 0o755)
	os.WriteFile(filepath.Join(dir, "mypkg", "core.py"), []byte("x = 1\n"), 0o644)
	os.MkdirAll(filepath.Join(dir, "data"), 0o755) // a directory without Python files is not a package
	os.MkdirAll(filepath.Join(dir, "..", "src", "shared"), 0o755)
	os.WriteFile(filepath.Join(dir, "..", "src", "shared", "__init__.py"), []byte(""), 0o644)
	src := "import os, sys\nimport numpy as np\nimport sklearn.model_selection\nfrom PIL import Image\n" +
		"from google.cloud import bigquery, storage\nfrom azure.storage.blob import BlobServiceClient\n" +
		"import helpers\nfrom mypkg.core import x\nimport data\nfrom . import sibling\nfrom __future__ import annotations\n" +
		"from google.colab import drive\nimport IPython\nimport urllib2\nimport distutils\nimport tomllib\n" +
		"sys.path.append('../src')\nimport shared\ntry:\n    import ujson\nexcept ImportError:\n    ujson = None\n" +
		"def f():\n    import yaml\n    return yaml\nimport somethingnew\n"
	nb := notebookOf(src)
	nb.LanguageVersion = "3.12.1"
	w := NewWorker()
	defer w.Close()
	fx := w.New(nb, Env{Dir: dir})
	got := map[string]string{}
	for _, im := range fx.ImportFacts() {
		desc := im.Kind
		if im.Distribution != "" {
			desc += ":" + im.Distribution
			if im.Guessed {
				desc += "?"
			}
		}
		if im.Optional {
			desc += " optional"
		}
		if im.Function != "" {
			desc += " in " + im.Function
		}
		if im.RemovedIn != "" {
			desc += " removed " + im.RemovedIn
		}
		got[im.Module] = desc
	}
	want := map[string]string{
		"os":                      "stdlib",
		"sys":                     "stdlib",
		"numpy":                   "third-party:numpy",
		"sklearn.model_selection": "third-party:scikit-learn",
		"PIL":                     "third-party:pillow",
		"google.cloud.bigquery":   "third-party:google-cloud-bigquery",
		"google.cloud.storage":    "third-party:google-cloud-storage",
		"azure.storage.blob":      "third-party:azure-storage-blob",
		"helpers":                 "first-party",
		"mypkg.core":              "first-party",
		"data":                    "third-party:data?",
		".":                       "relative",
		"__future__":              "future",
		"google.colab.drive":      "platform",
		"IPython":                 "notebook-tooling:ipython",
		"urllib2":                 "python2",
		"distutils":               "stdlib removed 3.12",
		"tomllib":                 "stdlib",
		"shared":                  "first-party",
		"ujson":                   "third-party:ujson optional",
		"yaml":                    "third-party:PyYAML in f",
		"somethingnew":            "third-party:somethingnew?",
	}
	for mod, w := range want {
		if got[mod] != w {
			t.Errorf("%s: got %q, want %q", mod, got[mod], w)
		}
	}
	for mod := range got {
		if _, ok := want[mod]; !ok {
			t.Errorf("unexpected import fact %s: %s", mod, got[mod])
		}
	}
}

func TestStdlibVersions(t *testing.T) {
	cases := []struct {
		mod, version string
		want         bool
	}{
		{"os", "", true}, {"tomllib", "3.10", false}, {"tomllib", "3.11.4", true}, {"distutils", "3.11", true},
		{"distutils", "3.12", false}, {"imghdr", "3.12", true}, {"imghdr", "3.13", false}, {"asyncore", "3.14", false},
		{"zoneinfo", "3.8", true}, {"numpy", "", false}, {"lib2to3", "3.13", false}, {"distutils", "", true},
	}
	for _, tc := range cases {
		if got := IsStdlib(tc.mod, tc.version); got != tc.want {
			t.Errorf("IsStdlib(%q, %q) = %v, want %v", tc.mod, tc.version, got, tc.want)
		}
	}
	if len(stdlibModules) < 250 {
		t.Errorf("only %d stdlib modules embedded", len(stdlibModules))
	}
}

func TestDistributionFor(t *testing.T) {
	cases := map[string]string{
		"sklearn": "scikit-learn", "cv2": "opencv-python", "PIL.Image": "pillow", "yaml": "PyYAML", "bs4": "beautifulsoup4",
		"skimage.io": "scikit-image", "dateutil.parser": "python-dateutil", "dotenv": "python-dotenv",
		"Crypto.Cipher": "pycryptodome", "jwt": "PyJWT", "attr": "attrs", "MySQLdb": "mysqlclient",
		"psycopg2.extras": "psycopg2-binary", "umap": "umap-learn", "fitz": "PyMuPDF", "docx": "python-docx",
		"pptx": "python-pptx", "serial": "pyserial", "magic": "python-magic",
		"google.cloud.bigquery": "google-cloud-bigquery", "google.cloud.bigquery_storage.v1": "google-cloud-bigquery-storage",
		"google.cloud.pubsub_v1": "google-cloud-pubsub-v1", "azure.storage.blob": "azure-storage-blob",
		"azure.identity": "azure-identity", "azure.storage.filedatalake": "azure-storage-file-datalake",
		"google.protobuf.json_format": "protobuf",
	}
	for mod, want := range cases {
		if got, _ := DistributionFor(mod); got != want {
			t.Errorf("DistributionFor(%q) = %q, want %q", mod, got, want)
		}
	}
	if d, guessed := DistributionFor("somepkg.sub"); d != "somepkg" || !guessed {
		t.Errorf("unknown module: %q guessed=%v", d, guessed)
	}
}

func TestManifests(t *testing.T) {
	root := t.TempDir()
	write := func(rel, text string) {
		p := filepath.Join(root, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("pyproject.toml", `[project]
name = "churn-model"
requires-python = ">=3.10"
dependencies = ["pandas>=2", "scikit-learn==1.5.0"]
[project.optional-dependencies]
plots = ["matplotlib"]
[tool.poetry.dependencies]
python = "^3.10"
xgboost = "2.0.3"
shap = {version = "^0.45"}
[tool.poetry.group.dev.dependencies]
pytest = "*"
`)
	write("environment.yml", `name: churn
channels:
  - conda-forge
dependencies:
  - python=3.11
  - pytorch=2.2.0   # the conda name
  - conda-forge::lightgbm
  - pip
  - pip:
    - "langchain==0.1.0"
    - -r requirements-dev.txt
prefix: /opt/conda
`)
	write("Pipfile", "[packages]\nrequests = \"==2.31.0\"\n[dev-packages]\nblack = \"*\"\n")
	write("setup.cfg", "[metadata]\nname = churn\n[options]\ninstall_requires =\n    boto3>=1.34\n    numpy\n")
	write("setup.py", "from setuptools import setup\nsetup(name='churn', install_requires=['tqdm==4.66.4', \"rich\"],)\n")
	write("notebooks/requirements.txt", "# notebook extras\nseaborn==0.13.2 \\\n    --hash=sha256:abc\n-e ../libs/helper\nplotly>=5  # charts\n")
	ms := findManifests(Env{Root: root, Dir: filepath.Join(root, "notebooks")}, nil)
	got := map[string][]string{}
	for _, m := range ms {
		for _, r := range m.Requirements {
			d := r.Key
			if r.Pinned {
				d += "=" + r.Pin
			}
			got[m.Path] = append(got[m.Path], d)
		}
		if m.Python != "" {
			got[m.Path] = append(got[m.Path], "python "+m.Python)
		}
		if m.Project != "" {
			got[m.Path] = append(got[m.Path], "project "+m.Project)
		}
	}
	want := map[string]string{
		"notebooks/requirements.txt": "seaborn=0.13.2 helper= plotly",
		"pyproject.toml":             "pandas scikit-learn=1.5.0 matplotlib shap xgboost=2.0.3 pytest python ^3.10 project churn-model",
		"environment.yml":            "pytorch=2.2.0 lightgbm langchain=0.1.0 python =3.11",
		"Pipfile":                    "requests=2.31.0 black",
		"setup.cfg":                  "boto3 numpy project churn",
		"setup.py":                   "tqdm=4.66.4 rich project churn",
	}
	for path, w := range want {
		if g := strings.Join(got[path], " "); g != w {
			t.Errorf("%s: got %q, want %q", path, g, w)
		}
	}
	if len(ms) != len(want) {
		t.Errorf("found %d manifests, want %d", len(ms), len(want))
	}
}

func TestDependenciesPinsAndDeclarations(t *testing.T) {
	root := t.TempDir()
	os.Mkdir(filepath.Join(root, ".git"), 0o755)
	os.WriteFile(filepath.Join(root, "requirements.txt"), []byte("torch==2.2.0\nopencv-python-headless\n"), 0o644)
	nb := notebookOf("!pip install xgboost==2.0.3 requests\nimport xgboost as xgb\nimport torch, cv2, requests\nimport pandas as pd")
	w := NewWorker()
	defer w.Close()
	fx := w.New(nb, Env{Root: root, Dir: root})
	d := fx.Dependencies()
	got := map[string]string{}
	for _, x := range d.Needed {
		got[x.Key] = x.Pin + "|" + x.Declared + "|" + strings.Join(x.Modules, ",")
	}
	want := map[string]string{
		"xgboost":       "2.0.3||xgboost",
		"requests":      "||requests",
		"torch":         "2.2.0|requirements.txt|torch",
		"opencv-python": "|requirements.txt|cv2",
		"pandas":        "||pandas",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: got %q, want %q", k, got[k], w)
		}
	}
	var und []string
	for _, x := range d.Undeclared() {
		und = append(und, x.Key)
	}
	if strings.Join(und, " ") != "pandas requests xgboost" {
		t.Errorf("undeclared %v", und)
	}
	// In-memory notebooks have no manifest checks.
	fx2 := w.New(notebookOf("import pandas"), Env{})
	if fx2.Dependencies().Searched || fx2.Dependencies().Undeclared() != nil {
		t.Error("in-memory notebook searched for manifests")
	}
}

func TestKernelImage(t *testing.T) {
	for meta, want := range map[string]string{
		`{"kernelspec": {"name": "python3__SAGEMAKER_INTERNAL__arn:aws:sagemaker:us-west-2:1:image/datascience-1.0"}}`: "arn:aws:sagemaker:us-west-2:1:image/datascience-1.0",
		`{"kaggle": {"dockerImageVersionId": 30646}}`:                                                                  "kaggle:docker-image/30646",
		`{"kernelspec": {"name": "python3"}}`:                                                                          "",
	} {
		nb, err := notebook.ReadIPYNB("x.ipynb", strings.NewReader(`{"nbformat": 4, "nbformat_minor": 5, "metadata": `+meta+`, "cells": []}`))
		if err != nil {
			t.Fatal(err)
		}
		w := NewWorker()
		got := w.New(nb, Env{}).Dependencies().KernelImage
		w.Close()
		if got != want {
			t.Errorf("%s: %q, want %q", meta, got, want)
		}
	}
}
