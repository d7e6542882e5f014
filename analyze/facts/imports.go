package facts

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	toml "github.com/pelletier/go-toml/v2"

	ps "github.com/nbprod/nbprod/analyze/pysyntax"
)

// Import kinds (ImportFact.Kind).
const (
	ImportStdlib     = "stdlib"      // Python 3.9–3.13 standard library
	ImportPython2    = "python2"     // a Python 2 standard-library module (urllib2, cPickle …)
	ImportFirstParty = "first-party" // a .py file, package or notebook next to the notebook or in the repository
	ImportThirdParty = "third-party" // a distribution to install
	ImportRelative   = "relative"    // from . import x
	ImportFuture     = "future"      // from __future__ import …
	// ImportPlatform modules exist only on a hosted notebook platform
	// (google.colab, kaggle_secrets): NB606's business, no distribution.
	ImportPlatform = "platform"
	// ImportTooling modules serve the notebook UI (IPython, ipywidgets,
	// import_ipynb): the emitter drops them with the code that uses them.
	ImportTooling = "notebook-tooling"
)

// ImportFact is one imported module of a code cell (module level or in a
// function body), classified for the emitter's requirements.
type ImportFact struct {
	Cell                       int
	Line, Col, EndLine, EndCol int // the import statement
	// Module is the module as written ("sklearn.model_selection"; leading
	// dots for relative imports). For from-imports out of a namespace
	// package it includes the imported name ("google.cloud.bigquery" for
	// `from google.cloud import bigquery`).
	Module string
	// Names are the names a from-import takes ("*" for a star import).
	Names []string
	// Top is the top-level module ("sklearn").
	Top  string
	Kind string
	// Distribution is the distribution that provides a third-party or
	// tooling module ("scikit-learn" for sklearn); Guessed is set when no
	// table entry exists and the import name is used as is.
	Distribution string
	Guessed      bool
	// Function is the def the import is in ("" at module level).
	Function string
	// Optional is set inside `try: … except ImportError:` (or a bare or
	// `Exception` handler): the notebook runs without the module.
	Optional bool
	// RemovedIn is the Python version that dropped a standard-library
	// module ("3.12" for distutils, "3.13" for imghdr).
	RemovedIn string
	// Pin is the exact version the notebook's install lines or a manifest
	// pin the distribution to; Declared is the manifest declaring it
	// ("requirements.txt"; "" when undeclared or when no manifest was
	// searched).
	Pin      string
	Declared string
	Node     ps.NodeID
}

// Manifest is a dependency manifest found next to the notebook or in the
// repository.
type Manifest struct {
	// Path is slash-separated, relative to the repository root (or to the
	// notebook's directory when the root is unknown).
	Path string
	// Kind is "requirements", "pyproject", "conda", "pipfile", "setup.py"
	// or "setup.cfg".
	Kind         string
	Requirements []Requirement
	// Python is the Python version constraint it states (requires-python,
	// python_requires, conda's python=3.x), "" when none.
	Python string
	// Project is the distribution name the manifest builds (pyproject
	// [project] name, setup name): that package is first-party.
	Project string
}

// Dependency is a distribution the notebook needs: imported (third-party
// kind) or installed by an install line.
type Dependency struct {
	// Name is the distribution name (curated table, install spec, or the
	// import name when Guessed); Key is its normalised form.
	Name, Key string
	Guessed   bool
	// Modules are the top-level modules the notebook imports from it.
	Modules []string
	// Pin is the exact version from an install line or a manifest;
	// Specifier the version constraint as written there.
	Pin, Specifier string
	// Installed is set when an install line of the notebook installs it;
	// InstallCell is the cell of that line.
	Installed   bool
	InstallCell int
	// Optional is set when every import of it is optional.
	Optional bool
	// Declared is the manifest declaring it ("" when none).
	Declared string
	// Cell/Line/Col locate the first import (or install line).
	Cell, Line, Col int
}

// Dependencies is the notebook's dependency picture, for NB604 and the
// emitter's requirements.
type Dependencies struct {
	Imports  []ImportFact
	Installs []InstallFact
	// Manifests are the dependency manifests found; Searched is false for
	// notebooks without a directory on disk (no manifest checks then).
	Manifests []Manifest
	Searched  bool
	// PythonVersion is metadata.language_info.version ("" when missing);
	// PythonRequires is the constraint a manifest states (requires-python,
	// python_requires, conda python=).
	PythonVersion, PythonRequires string
	// KernelImage is the environment image the notebook metadata pins, when
	// a hosted platform records one: a SageMaker Studio image ARN from the
	// kernelspec name, or Kaggle's "kaggle:docker-image/<id>".
	KernelImage string
	// Needed are the third-party distributions the notebook needs, sorted
	// by key.
	Needed []Dependency
}

// Undeclared returns the needed, non-optional distributions no manifest
// declares (nil when no manifest was searched).
func (d *Dependencies) Undeclared() []Dependency {
	if !d.Searched {
		return nil
	}
	var out []Dependency
	for _, x := range d.Needed {
		if x.Declared == "" && !x.Optional && len(x.Modules) > 0 {
			out = append(out, x)
		}
	}
	return out
}

var depsKey = lazyKey{"dependencies"}

// ImportFacts returns every import of the notebook, classified.
func (n *Notebook) ImportFacts() []ImportFact { return n.Dependencies().Imports }

// Dependencies returns the notebook's imports, installs, manifests and
// needed distributions (computed once).
func (n *Notebook) Dependencies() *Dependencies {
	return lazy(n, &depsKey, func() *Dependencies { return buildDependencies(n) })
}

func buildDependencies(n *Notebook) *Dependencies {
	d := &Dependencies{PythonVersion: n.NB.LanguageVersion, Installs: n.Installs(), KernelImage: kernelImage(n)}
	if n.Env.Dir != "" {
		d.Searched = true
		d.Manifests = findManifests(n.Env, n.installFiles())
	}
	for _, m := range d.Manifests {
		if m.Python != "" && d.PythonRequires == "" {
			d.PythonRequires = m.Python
		}
	}
	fp := n.firstParty(d.Manifests)
	for _, c := range n.Code() {
		d.Imports = append(d.Imports, cellImports(c, fp, d.PythonVersion)...)
	}
	// Declarations and pins from manifests.
	declared := map[string]string{}
	pins := map[string]Requirement{}
	for _, m := range d.Manifests {
		for _, r := range m.Requirements {
			k := canonDist(r.Key)
			if _, ok := declared[k]; !ok {
				declared[k] = m.Path
			}
			if r.Pinned && r.Pin != "" {
				if _, ok := pins[k]; !ok {
					pins[k] = r
				}
			}
		}
	}
	installed := map[string]Requirement{}
	installAt := map[string]*InstallFact{}
	for i := range d.Installs {
		in := &d.Installs[i]
		if in.Tool == "apt" {
			continue
		}
		for _, r := range in.Specs {
			if r.Local || r.Key == "" {
				continue
			}
			k := canonDist(r.Key)
			if old, ok := installed[k]; !ok || !old.Pinned && r.Pinned {
				installed[k] = r
				installAt[k] = in
			}
		}
	}
	byKey := map[string]*Dependency{}
	var order []string
	add := func(name string, guessed bool) *Dependency {
		k := canonDist(NormalizeDist(name))
		if x, ok := byKey[k]; ok {
			return x
		}
		x := &Dependency{Name: name, Key: NormalizeDist(name), Guessed: guessed, Optional: true, Cell: -1}
		byKey[k] = x
		order = append(order, k)
		return x
	}
	for i := range d.Imports {
		im := &d.Imports[i]
		if im.Kind != ImportThirdParty {
			continue
		}
		k := canonDist(NormalizeDist(im.Distribution))
		if r, ok := installed[k]; ok && r.Pinned {
			im.Pin = r.Pin
		} else if r, ok := pins[k]; ok {
			im.Pin = r.Pin
		}
		im.Declared = declared[k]
		if im.Declared == "" {
			// A manifest may list the import name itself.
			im.Declared = declared[canonDist(NormalizeDist(im.Top))]
		}
		x := add(im.Distribution, im.Guessed)
		if x.Guessed && !im.Guessed {
			x.Name, x.Guessed = im.Distribution, false
		}
		label := im.Top
		if namespaceRoots[im.Top] {
			label = strings.Join(strings.Split(im.Module, ".")[:min(3, strings.Count(im.Module, ".")+1)], ".")
		}
		if !contains(x.Modules, label) {
			x.Modules = append(x.Modules, label)
		}
		if !im.Optional {
			x.Optional = false
		}
		if x.Cell < 0 {
			x.Cell, x.Line, x.Col = im.Cell, im.Line, im.Col
		}
		if x.Declared == "" {
			x.Declared = im.Declared
		}
	}
	for k, r := range installed {
		x, ok := byKey[k]
		if !ok {
			x = add(r.Name, false)
			x.Optional = false
			in := installAt[k]
			x.Cell, x.Line, x.Col = in.Cell, in.Line, in.Col
			x.Declared = declared[k]
		}
		x.Installed = true
		x.InstallCell = installAt[k].Cell
		x.Specifier = r.Specifier
		if r.Pinned {
			x.Pin = r.Pin
		}
		if x.Guessed {
			x.Name, x.Key, x.Guessed = r.Name, r.Key, false
		}
	}
	for _, k := range order {
		x := byKey[k]
		if x.Pin == "" {
			if r, ok := pins[k]; ok {
				x.Pin, x.Specifier = r.Pin, r.Specifier
			}
		}
		d.Needed = append(d.Needed, *x)
	}
	sort.Slice(d.Needed, func(i, j int) bool { return d.Needed[i].Key < d.Needed[j].Key })
	return d
}

// kernelImage reads the environment image a platform records in the
// notebook metadata.
func kernelImage(n *Notebook) string {
	if _, arn, ok := strings.Cut(n.NB.KernelName, "__SAGEMAKER_INTERNAL__"); ok {
		return arn
	}
	if ks, ok := n.NB.Metadata.Get("kernelspec", "name").String(); ok {
		if _, arn, ok := strings.Cut(ks, "__SAGEMAKER_INTERNAL__"); ok {
			return arn
		}
	}
	if v := n.NB.Metadata.Get("kaggle", "dockerImageVersionId"); v != nil && v.Str != "" {
		return "kaggle:docker-image/" + v.Str
	}
	return ""
}

// installFiles are the requirement files the notebook installs from
// (pip install -r FILE), relative to its directory.
func (n *Notebook) installFiles() []string {
	var out []string
	for _, in := range n.Installs() {
		for _, f := range in.Files {
			if !strings.ContainsAny(f, "{$") {
				out = append(out, f)
			}
		}
	}
	return out
}

// cellImports lists the imports of one cell, module level and in bodies.
func cellImports(c *Cell, fp func(string) bool, pyVersion string) []ImportFact {
	t := c.Tree
	if t == nil {
		return nil
	}
	var out []ImportFact
	var par []ps.NodeID
	for i := 0; i < t.Len(); i++ {
		id := ps.NodeID(i)
		k := t.Kind(id)
		if k != ps.ImportStatement && k != ps.ImportFromStatement && k != ps.FutureImportStatement {
			continue
		}
		if par == nil {
			par = c.Parents()
		}
		start, end := c.NodePos(id), c.NodeEnd(id)
		base := ImportFact{Cell: c.Index, Line: start.Line, Col: start.Col, EndLine: end.Line, EndCol: end.Col, Node: id}
		base.Function, base.Optional = importContext(t, par, id)
		var mods []ImportFact
		switch k {
		case ps.FutureImportStatement:
			f := base
			f.Module, f.Top, f.Kind = "__future__", "__future__", ImportFuture
			out = append(out, f)
			continue
		case ps.ImportStatement:
			for _, ch := range t.NamedChildren(id, nil) {
				name := ch
				if t.Kind(ch) == ps.AliasedImport {
					name = t.ChildByField(ch, ps.FName)
				}
				if name == ps.NoNode || t.Kind(name) != ps.DottedName {
					continue
				}
				f := base
				f.Module = strings.Join(strings.Fields(t.Text(name)), "")
				mods = append(mods, f)
			}
		case ps.ImportFromStatement:
			modNode := t.ChildByField(id, ps.FModuleName)
			if modNode == ps.NoNode {
				continue
			}
			mod := strings.Join(strings.Fields(t.Text(modNode)), "")
			var names []string
			for _, ch := range t.NamedChildren(id, nil) {
				if ch == modNode {
					continue
				}
				switch t.Kind(ch) {
				case ps.WildcardImport:
					names = append(names, "*")
				case ps.DottedName:
					names = append(names, strings.Join(strings.Fields(t.Text(ch)), ""))
				case ps.AliasedImport:
					if nm := t.ChildByField(ch, ps.FName); nm != ps.NoNode {
						names = append(names, strings.Join(strings.Fields(t.Text(nm)), ""))
					}
				}
			}
			if strings.HasPrefix(mod, ".") {
				f := base
				f.Module, f.Names, f.Kind = mod, names, ImportRelative
				out = append(out, f)
				continue
			}
			if namespaceRoots[strings.SplitN(mod, ".", 2)[0]] && strings.Count(mod, ".") < 2 {
				// from google.cloud import bigquery, storage: one module each.
				var plain []string
				for _, nm := range names {
					if nm != "*" && isLowerModuleName(nm) {
						f := base
						f.Module, f.Names = mod+"."+nm, []string{nm}
						mods = append(mods, f)
					} else {
						plain = append(plain, nm)
					}
				}
				if len(plain) > 0 {
					f := base
					f.Module, f.Names = mod, plain
					mods = append(mods, f)
				}
			} else {
				f := base
				f.Module, f.Names = mod, names
				mods = append(mods, f)
			}
		}
		for _, f := range mods {
			classifyImport(&f, fp, pyVersion)
			out = append(out, f)
		}
	}
	return out
}

func isLowerModuleName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// importContext returns the enclosing def and whether the import is
// guarded by an except clause that catches ImportError.
func importContext(t *ps.Tree, par []ps.NodeID, id ps.NodeID) (fn string, optional bool) {
	child := id
	for p := par[id]; p != ps.NoNode; child, p = p, par[p] {
		switch t.Kind(p) {
		case ps.FunctionDefinition:
			if fn == "" {
				fn = t.Text(t.ChildByField(p, ps.FName))
			}
		case ps.TryStatement:
			if t.ChildByField(p, ps.FBody) == child && catchesImportError(t, p) {
				optional = true
			}
		}
	}
	return fn, optional
}

func catchesImportError(t *ps.Tree, try ps.NodeID) bool {
	for _, ch := range t.NamedChildren(try, nil) {
		if t.Kind(ch) != ps.ExceptClause {
			continue
		}
		caught := ""
		for _, k := range t.NamedChildren(ch, nil) {
			if t.Kind(k) != ps.Block && t.Kind(k) != ps.Comment {
				caught = t.Text(k)
				break
			}
		}
		if caught == "" || strings.Contains(caught, "ImportError") || strings.Contains(caught, "ModuleNotFoundError") ||
			strings.Contains(caught, "Exception") {
			return true
		}
	}
	return false
}

// classifyImport fills Top, Kind, Distribution, Guessed and RemovedIn.
func classifyImport(f *ImportFact, firstParty func(string) bool, pyVersion string) {
	f.Top = strings.SplitN(f.Module, ".", 2)[0]
	switch {
	case f.Top == "__future__":
		f.Kind = ImportFuture
	case IsStdlib(f.Top, pyVersion):
		f.Kind = ImportStdlib
		f.RemovedIn = stdlibRemovedIn(f.Top)
	case firstParty != nil && firstParty(f.Top):
		f.Kind = ImportFirstParty
	case platformModule(f.Module):
		f.Kind = ImportPlatform
	case IsStdlib(f.Top, ""):
		// Standard library in another version than the notebook's.
		f.Kind = ImportStdlib
		f.RemovedIn = stdlibRemovedIn(f.Top)
	case python2Stdlib[f.Top]:
		f.Kind = ImportPython2
	default:
		f.Kind = ImportThirdParty
		if toolingModules[f.Top] {
			f.Kind = ImportTooling
		}
		f.Distribution, f.Guessed = DistributionFor(f.Module)
	}
}

func platformModule(mod string) bool {
	top := strings.SplitN(mod, ".", 2)[0]
	if platformTops[top] {
		return true
	}
	return mod == "google.colab" || strings.HasPrefix(mod, "google.colab.") ||
		mod == "pyspark.dbutils" || strings.HasPrefix(mod, "databricks.sdk.runtime")
}

var (
	platformTops   = setOf(`kaggle_secrets kaggle_datasets kaggle_web_client kaggle_gcp dbruntime`)
	toolingModules = setOf(`IPython ipywidgets ipykernel ipython_genutils import_ipynb nbimporter ipynb
		jupyter_dash jupyter notebook google_colab_utils`)
	// namespaceRoots are top-level names shared by several distributions.
	namespaceRoots = setOf(`google azure azureml backports jaraco zope sphinxcontrib mpl_toolkits ruamel
		opentelemetry snowflake databricks`)
	python2Stdlib = setOf(`urllib2 urlparse cPickle cStringIO StringIO ConfigParser Queue HTMLParser httplib
		commands sets md5 sha Tkinter tkMessageBox __builtin__ exceptions thread copy_reg SocketServer
		SimpleHTTPServer BaseHTTPServer CGIHTTPServer cookielib Cookie htmlentitydefs xmlrpclib
		SimpleXMLRPCServer dummy_thread anydbm dbhash whichdb robotparser UserDict UserList UserString
		repr new popen2 mimetools rfc822 multifile imputil htmllib sgmllib mhlib dircache statvfs
		future_builtins cProfile_py2 string_py2 urllib_py2 Dialog FileDialog Tix ttk tkFileDialog
		tkSimpleDialog ScrolledText markupbase`)
)

// IsStdlib reports whether a top-level module is in the standard library
// of the Python version ("3.11", "3.12.4"; "" or an unknown version: any
// of 3.9–3.13). Versions before 3.9 use the 3.9 list, later ones 3.13's.
func IsStdlib(top string, version string) bool {
	mask, ok := stdlibModules[top]
	if !ok {
		return false
	}
	col := stdlibColumn(version)
	if col < 0 {
		return true
	}
	return mask&(1<<col) != 0
}

// stdlibColumn maps a version to its stdlibVersions index (-1: any).
func stdlibColumn(version string) int {
	parts := strings.SplitN(strings.TrimSpace(version), ".", 3)
	if len(parts) < 2 {
		return -1
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil || major != 3 {
		return -1
	}
	col := minor - 9
	if col < 0 {
		col = 0
	}
	if col >= len(stdlibVersions) {
		col = len(stdlibVersions) - 1
	}
	return col
}

// stdlibRemovedIn returns the first version of 3.9–3.13 without a module
// an earlier one had ("" when the newest still ships it).
func stdlibRemovedIn(top string) string {
	mask := stdlibModules[top]
	seen := false
	for i, v := range stdlibVersions {
		if mask&(1<<i) != 0 {
			seen = true
		} else if seen {
			return v
		}
	}
	return ""
}

var stdlibModules = func() map[string]uint8 {
	m := map[string]uint8{}
	for _, line := range strings.Split(stdlibTable, "\n") {
		f := strings.Fields(line)
		if len(f) != 2 {
			continue
		}
		var mask uint8
		for i, ch := range f[1] {
			if ch == '1' {
				mask |= 1 << i
			}
		}
		m[f[0]] = mask
	}
	return m
}()

// DistributionFor maps an imported module to the distribution that
// provides it (EMIT.md §7.2): the curated table, matched on the first
// three, two or one dotted parts; namespace packages (google.cloud.X →
// google-cloud-X, azure.X.Y → azure-X-Y); otherwise the top-level name
// itself, with guessed set.
func DistributionFor(module string) (dist string, guessed bool) {
	parts := strings.Split(module, ".")
	for k := min(3, len(parts)); k >= 1; k-- {
		if d, ok := distTable[strings.Join(parts[:k], ".")]; ok {
			return d, false
		}
	}
	switch {
	case len(parts) >= 3 && parts[0] == "google" && parts[1] == "cloud":
		return "google-cloud-" + strings.ReplaceAll(parts[2], "_", "-"), false
	case len(parts) >= 2 && (parts[0] == "azure" || parts[0] == "azureml"):
		var b []string
		for _, p := range parts[:min(3, len(parts))] {
			if !isLowerModuleName(p) {
				break
			}
			b = append(b, strings.ReplaceAll(p, "_", "-"))
		}
		return strings.Join(b, "-"), false
	case len(parts) >= 2 && parts[0] == "google":
		return "google-" + strings.ReplaceAll(parts[1], "_", "-"), true
	}
	return parts[0], true
}

// distTable maps import names to distribution names where they differ
// (or where a namespace package needs one). Keys are dotted module
// prefixes.
var distTable = func() map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(distTableText, "\n") {
		f := strings.Fields(line)
		if len(f) == 2 {
			m[f[0]] = f[1]
		}
	}
	for _, name := range strings.Fields(identityDists) {
		if _, ok := m[name]; !ok {
			m[name] = name
		}
	}
	return m
}()

// identityDists are well-known distributions whose import name is the
// distribution name (so they are not "guessed").
const identityDists = `numpy pandas matplotlib scipy seaborn tensorflow torch torchvision torchaudio torchtext keras
requests xgboost lightgbm catboost statsmodels sympy networkx nltk spacy gensim plotly bokeh altair dask
pyarrow joblib shap lime transformers datasets tokenizers accelerate peft trl diffusers evaluate sentencepiece
tiktoken openai anthropic langchain cohere boto3 botocore sagemaker s3fs gcsfs fsspec folium geopandas shapely
pyproj rasterio xarray netCDF4 h5py tables six pytz arviz pymc pymc3 numba cython jax jaxlib flax optax
mlflow wandb optuna hyperopt mlxtend yellowbrick pycaret h2o tpot featuretools emcee corner pystan cmdstanpy
numpyro edward prophet pmdarima arch librosa soundfile imageio tifffile pydicom nibabel vtk pyvista trimesh
open3d mediapipe dlib onnx onnxruntime psutil joblib dill cloudpickle msgpack ujson orjson simplejson toml
tomli dateparser tzlocal arrow pendulum emoji regex ftfy textblob wordcloud fuzzywuzzy rapidfuzz jellyfish
phonenumbers pycountry geopy googlemaps tweepy praw selenium playwright pyperclip qrcode reportlab pypdf
PyPDF2 pdfplumber xmltodict pyquery feedparser paramiko pysftp fabric invoke docker kubernetes hvac keyring
cryptography bcrypt passlib pyotp itsdangerous oracledb pyodbc pymongo redis elasticsearch neo4j py2neo pika
celery prefect dagster pandera sweetviz missingno pandasql duckdb polars vaex modin koalas findspark graphframes
pyspark pyvis gym gymnasium pettingzoo mujoco pybullet tqdm ipywidgets lxml html5lib httpx fastapi pydantic
docopt click typer rich colorama termcolor tabulate xlrd openpyxl fastparquet distributed ray hdbscan
pynndescent datashader holoviews panel bokeh streamlit gradio dash voila nbformat nbconvert papermill
jupytext ipykernel pygame pyglet numexpr bottleneck astropy skyfield awswrangler s3transfer smart_open
kaggle kagglehub mrjob boto pydot graphviz pydotplus timm albumentations imgaug easyocr pytesseract
stable_baselines3 sklearn_crfsuite theano lasagne chainer cntk pymysql xlwt xlwings ipyleaflet pydeck
keplergl geojson fiona osmnx momepy pysal libpysal esda contextily mapclassify
`

const distTableText = `
sklearn scikit-learn
cv2 opencv-python
PIL pillow
yaml PyYAML
bs4 beautifulsoup4
skimage scikit-image
dateutil python-dateutil
dotenv python-dotenv
Crypto pycryptodome
Cryptodome pycryptodomex
jwt PyJWT
attr attrs
MySQLdb mysqlclient
psycopg2 psycopg2-binary
umap umap-learn
fitz PyMuPDF
docx python-docx
pptx python-pptx
serial pyserial
magic python-magic
google.cloud.bigquery google-cloud-bigquery
google.cloud.storage google-cloud-storage
google.cloud.aiplatform google-cloud-aiplatform
google.cloud.bigquery_storage google-cloud-bigquery-storage
google.auth google-auth
google.oauth2 google-auth
google.protobuf protobuf
google.generativeai google-generativeai
google.genai google-genai
google.api_core google-api-core
google.ai.generativelanguage google-ai-generativelanguage
google.adk google-adk
googleapiclient google-api-python-client
google_auth_oauthlib google-auth-oauthlib
vertexai google-cloud-aiplatform
azure.storage.filedatalake azure-storage-file-datalake
azure.storage.fileshare azure-storage-file-share
azure.ai.ml azure-ai-ml
azureml.core azureml-core
sklearn_pandas sklearn-pandas
skopt scikit-optimize
imblearn imbalanced-learn
mpl_toolkits.basemap basemap
mpl_toolkits.mplot3d matplotlib
mpl_toolkits.axes_grid1 matplotlib
mpl_toolkits.axisartist matplotlib
mpl_toolkits matplotlib
pylab matplotlib
pkg_resources setuptools
Bio biopython
OpenSSL pyOpenSSL
wx wxPython
gi PyGObject
usb pyusb
zmq pyzmq
git GitPython
github PyGithub
telegram python-telegram-bot
osgeo GDAL
pywt PyWavelets
haiku dm-haiku
tree dm-tree
sonnet dm-sonnet
pyro pyro-ppl
faiss faiss-cpu
llama_cpp llama-cpp-python
multipart python-multipart
slugify python-slugify
jose python-jose
socketio python-socketio
engineio python-engineio
Xlib python-xlib
snappy python-snappy
nacl PyNaCl
memcache python-memcached
ldap python-ldap
cairo pycairo
OpenGL PyOpenGL
pynvml nvidia-ml-py
pdfminer pdfminer.six
camelot camelot-py
tabula tabula-py
newspaper newspaper3k
barcode python-barcode
community python-louvain
speech_recognition SpeechRecognition
Levenshtein Levenshtein
pyaudio PyAudio
win32api pywin32
win32com pywin32
win32con pywin32
pythoncom pywin32
cx_Oracle cx-Oracle
snowflake.connector snowflake-connector-python
snowflake.snowpark snowflake-snowpark-python
databricks.sql databricks-sql-connector
databricks.sdk databricks-sdk
databricks.connect databricks-connect
databricks.feature_store databricks-feature-store
pyhive PyHive
impala impyla
cassandra cassandra-driver
gremlin_python gremlinpython
kafka kafka-python
confluent_kafka confluent-kafka
airflow apache-airflow
beam apache-beam
apache_beam apache-beam
great_expectations great-expectations
pandas_profiling pandas-profiling
ydata_profiling ydata-profiling
tensorflow_probability tensorflow-probability
tensorflow_hub tensorflow-hub
tensorflow_datasets tensorflow-datasets
tensorflow_text tensorflow-text
tensorflow_addons tensorflow-addons
tflite_runtime tflite-runtime
tf_keras tf-keras
keras_tuner keras-tuner
kerastuner keras-tuner
autosklearn auto-sklearn
en_core_web_sm en-core-web-sm
en_core_web_md en-core-web-md
en_core_web_lg en-core-web-lg
sentence_transformers sentence-transformers
llama_index llama-index
qdrant_client qdrant-client
weaviate weaviate-client
pinecone pinecone
chromadb chromadb
langchain_community langchain-community
langchain_openai langchain-openai
huggingface_hub huggingface-hub
stable_baselines3 stable-baselines3
ale_py ale-py
smart_open smart-open
sqlite_utils sqlite-utils
category_encoders category-encoders
pymysql PyMySQL
jinja2 Jinja2
markupsafe MarkupSafe
flask Flask
xlsxwriter XlsxWriter
markdown Markdown
pygments Pygments
sphinx Sphinx
faker Faker
scrapy Scrapy
pyautogui PyAutoGUI
pympler Pympler
babel Babel
unidecode Unidecode
sqlalchemy SQLAlchemy
gtts gTTS
theano Theano
lightning lightning
pytorch_lightning pytorch-lightning
torch_geometric torch-geometric
dgl dgl
opencv_transforms opencv-transforms
jax jax
jaxlib jaxlib
paddle paddlepaddle
mxnet mxnet
cupy cupy
cudf cudf-cu12
cuml cuml-cu12
cugraph cugraph-cu12
pycuda pycuda
numba numba
graphviz graphviz
pydot pydot
igraph igraph
ruamel.yaml ruamel.yaml
backports.zoneinfo backports.zoneinfo
zope.interface zope.interface
tqdm tqdm
IPython ipython
ipywidgets ipywidgets
ipykernel ipykernel
import_ipynb import-ipynb
nbimporter nbimporter
ipynb ipynb
pymc3 pymc3
pymc pymc
sagemaker sagemaker
boto3 boto3
botocore botocore
mrjob mrjob
`

// canonDist folds distribution variants that provide the same modules
// (opencv-python-headless ↔ opencv-python, conda's pytorch ↔ torch …)
// so a manifest naming one declares the others.
func canonDist(key string) string {
	if c, ok := distAliases[key]; ok {
		return c
	}
	if strings.HasPrefix(key, "cupy-cuda") {
		return "cupy"
	}
	for _, p := range []string{"cudf-", "cuml-", "cugraph-"} {
		if strings.HasPrefix(key, p) {
			return strings.TrimSuffix(p, "-")
		}
	}
	return key
}

var distAliases = map[string]string{
	"opencv-python-headless": "opencv-python", "opencv-contrib-python": "opencv-python",
	"opencv-contrib-python-headless": "opencv-python", "opencv": "opencv-python", "py-opencv": "opencv-python",
	"libopencv": "opencv-python", "pytorch": "torch", "pytorch-cpu": "torch", "pytorch-gpu": "torch",
	"tensorflow-gpu": "tensorflow", "tensorflow-cpu": "tensorflow", "tensorflow-macos": "tensorflow",
	"tensorflow-intel": "tensorflow", "psycopg2": "psycopg2-binary", "psycopg": "psycopg2-binary",
	"faiss-gpu": "faiss-cpu", "faiss": "faiss-cpu", "matplotlib-base": "matplotlib", "py-xgboost": "xgboost",
	"xgboost-cpu": "xgboost", "pytables": "tables", "python-graphviz": "graphviz", "pillow-simd": "pillow",
	"mysql-connector-python": "mysql-connector", "lightgbm-gpu": "lightgbm", "keras-gpu": "keras",
	"scikit-learn-intelex": "scikit-learn", "sklearn": "scikit-learn", "cudf": "cudf", "cuml": "cuml",
	"pymupdf": "pymupdf", "umap": "umap-learn", "beautifulsoup": "beautifulsoup4", "bs4": "beautifulsoup4",
	"pyyaml": "pyyaml", "yaml": "pyyaml", "pytorch-lightning": "pytorch-lightning",
}

// ---------------------------------------------------------------------------
// First-party modules
// ---------------------------------------------------------------------------

// firstParty returns a test for top-level modules that are part of the
// repository: a .py file, a package directory or a notebook next to the
// notebook, in a directory between it and the repository root, at the
// root, under the root's src/, in a directory a sys.path hack adds, or
// the project a manifest builds.
func (n *Notebook) firstParty(manifests []Manifest) func(string) bool {
	projects := map[string]bool{}
	for _, m := range manifests {
		if m.Project != "" {
			projects[strings.ReplaceAll(NormalizeDist(m.Project), "-", "_")] = true
		}
	}
	dirs := n.searchDirs()
	if n.Env.Dir != "" {
		for _, p := range n.SysPathDirs() {
			if !filepath.IsAbs(p) {
				p = filepath.Join(n.Env.Dir, p)
			}
			dirs = append(dirs, filepath.Clean(p))
		}
		if n.Env.Root != "" {
			dirs = append(dirs, filepath.Join(n.Env.Root, "src"))
		}
	}
	cache := map[string]bool{}
	return func(top string) bool {
		if v, ok := cache[top]; ok {
			return v
		}
		found := projects[strings.ToLower(top)]
		for _, d := range dirs {
			if found {
				break
			}
			found = moduleIn(d, top)
		}
		cache[top] = found
		return found
	}
}

// moduleIn reports whether dir holds module top (top.py, top/ with Python
// files, or top.ipynb for notebook imports).
func moduleIn(dir, top string) bool {
	ents := listDir(dir)
	if ents == nil {
		return false
	}
	if isDir, ok := ents[top+".py"]; ok && !isDir {
		return true
	}
	if isDir, ok := ents[top+".ipynb"]; ok && !isDir {
		return true
	}
	if isDir := ents[top]; !isDir {
		return false
	}
	for name, isDir := range listDir(filepath.Join(dir, top)) {
		if !isDir && strings.HasSuffix(name, ".py") {
			return true
		}
	}
	return false
}

// dirCache memoises directory listings for the run: notebooks of one
// directory share them. An entry is reused while the directory's
// modification time is unchanged.
var dirCache sync.Map // dir → dirListing

type dirListing struct {
	mtime   int64
	entries map[string]bool // name → is a directory
	cands   []string        // the entries that may be manifests (manifestCandidate), sorted
}

// listDir returns a directory's entries (nil when it cannot be read).
func listDir(dir string) map[string]bool { return readDirListing(dir).entries }

func readDirListing(dir string) dirListing {
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return dirListing{}
	}
	mt := st.ModTime().UnixNano()
	if v, ok := dirCache.Load(dir); ok && v.(dirListing).mtime == mt {
		return v.(dirListing)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return dirListing{}
	}
	m := make(map[string]bool, len(ents))
	for _, e := range ents {
		isDir := e.IsDir()
		if e.Type()&os.ModeSymlink != 0 {
			if st, err := os.Stat(filepath.Join(dir, e.Name())); err == nil {
				isDir = st.IsDir()
			}
		}
		m[e.Name()] = isDir
	}
	var cands []string
	for name := range m {
		if manifestCandidate(name) {
			cands = append(cands, name)
		}
	}
	sort.Strings(cands)
	l := dirListing{mt, m, cands}
	dirCache.Store(dir, l)
	return l
}

// searchDirs are the notebook's directory and its parents up to the
// repository root (only the directory when the root is unknown).
func (n *Notebook) searchDirs() []string {
	if n.Env.Dir == "" {
		return nil
	}
	dirs := []string{n.Env.Dir}
	if n.Env.Root == "" {
		return dirs
	}
	root := filepath.Clean(n.Env.Root)
	d := filepath.Clean(n.Env.Dir)
	if rel, err := filepath.Rel(root, d); err != nil || strings.HasPrefix(rel, "..") {
		return append(dirs, root)
	}
	for i := 0; d != root && i < 32; i++ {
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
		dirs = append(dirs, d)
	}
	return dirs
}

var sysPathKey = lazyKey{"syspath"}

// SysPathDirs returns the folded directories that sys.path.append /
// sys.path.insert calls add (as written: relative to the notebook's
// directory unless absolute).
func (n *Notebook) SysPathDirs() []string {
	return lazy(n, &sysPathKey, func() []string {
		var out []string
		for i := range n.Calls() {
			cs := &n.Calls()[i]
			arg := ps.NoNode
			switch {
			case cs.Is("sys.path.append"):
				arg = cs.Positional(0)
			case cs.Is("sys.path.insert"):
				arg = cs.Positional(1)
			default:
				continue
			}
			if arg == ps.NoNode {
				continue
			}
			if f := n.Fold(cs.Cell, arg); f.Complete && f.Value != "" {
				out = appendNew(out, f.Value)
			}
		}
		return out
	})
}

// ---------------------------------------------------------------------------
// Manifests
// ---------------------------------------------------------------------------

var requirementsFileRe = regexp.MustCompile(`(?i)^(?:.*[-_.])?requirements(?:[-_.].*)?\.(?:txt|in)$`)

// findManifests reads the dependency manifests in the notebook's
// directory and its parents up to the repository root, plus requirement
// files the notebook installs from.
func findManifests(env Env, installFiles []string) []Manifest {
	n := &Notebook{Env: env}
	base := env.Root
	if base == "" {
		base = env.Dir
	}
	var out []Manifest
	seen := map[string]bool{}
	read := func(path, kind string) {
		if seen[path] {
			return
		}
		seen[path] = true
		m, ok := cachedManifest(path, kind)
		if !ok {
			return
		}
		rel, err := filepath.Rel(base, path)
		if err != nil {
			rel = path
		}
		m.Path = filepath.ToSlash(rel)
		out = append(out, m)
	}
	for _, d := range n.searchDirs() {
		l := readDirListing(d)
		ents := l.entries
		for _, name := range l.cands {
			isDir := ents[name]
			p := filepath.Join(d, name)
			switch {
			case isDir && (name == "requirements" || name == "requirements.d"):
				sub := listDir(p)
				subNames := make([]string, 0, len(sub))
				for s := range sub {
					subNames = append(subNames, s)
				}
				sort.Strings(subNames)
				for _, s := range subNames {
					if !sub[s] && (strings.HasSuffix(s, ".txt") || strings.HasSuffix(s, ".in")) {
						read(filepath.Join(p, s), "requirements")
					}
				}
			case isDir:
			case requirementsFileRe.MatchString(name):
				read(p, "requirements")
			case name == "pyproject.toml":
				read(p, "pyproject")
			case name == "Pipfile":
				read(p, "pipfile")
			case name == "setup.py":
				read(p, "setup.py")
			case name == "setup.cfg":
				read(p, "setup.cfg")
			case isCondaFile(name):
				read(p, "conda")
			}
		}
	}
	for _, f := range installFiles {
		p := f
		if !filepath.IsAbs(p) {
			p = filepath.Join(env.Dir, f)
		}
		kind := "requirements"
		if strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".yaml") {
			kind = "conda"
		}
		read(filepath.Clean(p), kind)
	}
	return out
}

// manifestCandidate is a cheap test before the name patterns.
func manifestCandidate(name string) bool {
	l := strings.ToLower(name)
	return strings.Contains(l, "requirements") || l == "pyproject.toml" || name == "Pipfile" || l == "setup.py" ||
		l == "setup.cfg" || strings.HasSuffix(l, ".yml") || strings.HasSuffix(l, ".yaml")
}

func isCondaFile(name string) bool {
	l := strings.ToLower(name)
	if !strings.HasSuffix(l, ".yml") && !strings.HasSuffix(l, ".yaml") {
		return false
	}
	l = strings.TrimSuffix(strings.TrimSuffix(l, ".yml"), ".yaml")
	return l == "environment" || l == "conda" || strings.HasPrefix(l, "environment") || strings.HasPrefix(l, "conda-") ||
		strings.HasPrefix(l, "conda_") || strings.HasSuffix(l, "-environment") || strings.HasSuffix(l, "_environment")
}

// maxManifestSize bounds what is read of a manifest.
const maxManifestSize = 1 << 20

func readManifestFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxManifestSize))
}

// manifestCache memoises parsed manifests for the run: every notebook of a
// repository reads the same requirements.txt. An entry is reused while the
// file's size and modification time are unchanged; manifests that include
// others (-r, -c) are parsed afresh each time.
var manifestCache sync.Map // path → cachedManifestEntry

type cachedManifestEntry struct {
	kind        string
	size, mtime int64
	m           Manifest
}

// cachedManifest reads and parses one manifest; ok is false when it cannot
// be read. The result's slices are shared: callers must not modify them.
func cachedManifest(path, kind string) (Manifest, bool) {
	st, err := os.Stat(path)
	if err != nil {
		return Manifest{}, false
	}
	if v, ok := manifestCache.Load(path); ok {
		e := v.(cachedManifestEntry)
		if e.kind == kind && e.size == st.Size() && e.mtime == st.ModTime().UnixNano() {
			return e.m, true
		}
	}
	data, err := readManifestFile(path)
	if err != nil {
		return Manifest{}, false
	}
	m := parseManifest(kind, data, filepath.Dir(path), 0)
	if !bytes.Contains(data, []byte("-r")) && !bytes.Contains(data, []byte("-c")) && !bytes.Contains(data, []byte("--")) {
		manifestCache.Store(path, cachedManifestEntry{kind, st.Size(), st.ModTime().UnixNano(), m})
	}
	return m, true
}

// parseManifest parses one manifest; dir resolves -r includes.
func parseManifest(kind string, data []byte, dir string, depth int) Manifest {
	m := Manifest{Kind: kind}
	switch kind {
	case "requirements":
		m.Requirements = parseRequirementsTxt(string(data), dir, depth)
	case "pyproject":
		parsePyproject(&m, data)
	case "pipfile":
		parsePipfile(&m, data)
	case "conda":
		parseCondaEnv(&m, string(data))
	case "setup.py":
		parseSetupPy(&m, string(data))
	case "setup.cfg":
		parseSetupCfg(&m, string(data))
	}
	return m
}

// parseRequirementsTxt reads a pip requirements file (one level of -r
// includes).
func parseRequirementsTxt(text, dir string, depth int) []Requirement {
	var out []Requirement
	var cont string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.HasSuffix(line, "\\") {
			cont += strings.TrimSuffix(line, "\\") + " "
			continue
		}
		line = cont + line
		cont = ""
		if i := strings.Index(line, " #"); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "-") {
			f := strings.Fields(line)
			switch {
			case (f[0] == "-r" || f[0] == "--requirement" || f[0] == "-c" || f[0] == "--constraint") && len(f) > 1 && depth < 2:
				if data, err := readManifestFile(filepath.Join(dir, f[1])); err == nil {
					out = append(out, parseRequirementsTxt(string(data), dir, depth+1)...)
				}
			case (f[0] == "-e" || f[0] == "--editable") && len(f) > 1:
				r := ParseRequirement(f[1])
				if r.URL == "" {
					r.Local = true
				}
				out = append(out, r)
			}
			continue
		}
		r := ParseRequirement(strings.Fields(line)[0])
		if len(strings.Fields(line)) > 1 && !strings.Contains(line, "--hash") {
			r = ParseRequirement(line)
		}
		if strings.Contains(line, "--hash") {
			r.Pinned = true
		}
		out = append(out, r)
	}
	return out
}

func parsePyproject(m *Manifest, data []byte) {
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		return
	}
	if proj, ok := doc["project"].(map[string]any); ok {
		if name, ok := proj["name"].(string); ok {
			m.Project = name
		}
		if rp, ok := proj["requires-python"].(string); ok {
			m.Python = rp
		}
		m.Requirements = append(m.Requirements, stringReqs(proj["dependencies"])...)
		if opt, ok := proj["optional-dependencies"].(map[string]any); ok {
			for _, k := range tomlKeys(opt) {
				m.Requirements = append(m.Requirements, stringReqs(opt[k])...)
			}
		}
	}
	if groups, ok := doc["dependency-groups"].(map[string]any); ok {
		for _, k := range tomlKeys(groups) {
			m.Requirements = append(m.Requirements, stringReqs(groups[k])...)
		}
	}
	tool, _ := doc["tool"].(map[string]any)
	if poetry, ok := tool["poetry"].(map[string]any); ok {
		if name, ok := poetry["name"].(string); ok && m.Project == "" {
			m.Project = name
		}
		for _, key := range []string{"dependencies", "dev-dependencies"} {
			m.Requirements = append(m.Requirements, tableReqs(poetry[key], m)...)
		}
		if groups, ok := poetry["group"].(map[string]any); ok {
			for _, g := range tomlKeys(groups) {
				if gm, ok := groups[g].(map[string]any); ok {
					m.Requirements = append(m.Requirements, tableReqs(gm["dependencies"], m)...)
				}
			}
		}
	}
	if pdm, ok := tool["pdm"].(map[string]any); ok {
		if dev, ok := pdm["dev-dependencies"].(map[string]any); ok {
			for _, k := range tomlKeys(dev) {
				m.Requirements = append(m.Requirements, stringReqs(dev[k])...)
			}
		}
	}
}

func parsePipfile(m *Manifest, data []byte) {
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		return
	}
	for _, key := range []string{"packages", "dev-packages"} {
		m.Requirements = append(m.Requirements, tableReqs(doc[key], nil)...)
	}
	if req, ok := doc["requires"].(map[string]any); ok {
		if v, ok := req["python_version"].(string); ok {
			m.Python = v
		}
	}
}

func stringReqs(v any) []Requirement {
	list, _ := v.([]any)
	var out []Requirement
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, ParseRequirement(s))
		}
	}
	return out
}

// tableReqs reads poetry / Pipfile dependency tables: name = "1.2" |
// "*" | {version = "…", git = "…"}.
func tableReqs(v any, m *Manifest) []Requirement {
	tab, _ := v.(map[string]any)
	var out []Requirement
	for _, name := range tomlKeys(tab) {
		if strings.EqualFold(name, "python") {
			if s, ok := tab[name].(string); ok && m != nil {
				m.Python = s
			}
			continue
		}
		r := Requirement{Spec: name, Name: name, Key: NormalizeDist(name)}
		switch x := tab[name].(type) {
		case string:
			r.Spec = name + " " + x
			r.Specifier = poetrySpec(x)
		case map[string]any:
			if s, ok := x["version"].(string); ok {
				r.Specifier = poetrySpec(s)
			}
			if s, ok := x["rev"].(string); ok && commitRe.MatchString("@"+s) {
				r.Pinned = true
			}
			if _, ok := x["path"]; ok {
				r.Local = true
			}
		}
		if p, ok := exactPin(r.Specifier); ok {
			r.Pin, r.Pinned = p, true
		}
		out = append(out, r)
	}
	return out
}

// poetrySpec turns poetry's bare "1.2.3" (an exact version) into "==1.2.3".
func poetrySpec(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || s == "*" {
		return ""
	}
	if s[0] >= '0' && s[0] <= '9' {
		return "==" + s
	}
	return strings.ReplaceAll(s, " ", "")
}

func tomlKeys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// parseCondaEnv reads the dependencies of a conda environment file (the
// small YAML subset such files use: a top-level `dependencies:` list of
// conda specs and an optional nested `- pip:` list).
func parseCondaEnv(m *Manifest, text string) {
	inDeps := false
	pipIndent := -1
	for _, raw := range strings.Split(text, "\n") {
		line := strings.TrimRight(raw, " \t\r")
		if i := strings.Index(line, " #"); i >= 0 {
			line = strings.TrimRight(line[:i], " \t")
		}
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		indent := len(line) - len(strings.TrimLeft(line, " \t"))
		if indent == 0 {
			inDeps = strings.HasPrefix(trimmed, "dependencies:")
			pipIndent = -1
			continue
		}
		if !inDeps || !strings.HasPrefix(trimmed, "-") {
			continue
		}
		item := strings.TrimSpace(strings.TrimPrefix(trimmed, "-"))
		item = strings.Trim(item, `"'`)
		if pipIndent >= 0 && indent <= pipIndent {
			pipIndent = -1
		}
		switch {
		case item == "pip:":
			pipIndent = indent
		case pipIndent >= 0:
			if strings.HasPrefix(item, "-r ") || strings.HasPrefix(item, "--") || strings.HasPrefix(item, "-e ") {
				continue
			}
			m.Requirements = append(m.Requirements, ParseRequirement(item))
		default:
			r := parseCondaSpec(item)
			if r.Key == "python" {
				m.Python = r.Specifier
				continue
			}
			if r.Key == "pip" {
				continue
			}
			m.Requirements = append(m.Requirements, r)
		}
	}
}

var (
	setupListRe = regexp.MustCompile(`(?s)(install_requires|extras_require|tests_require)\s*=\s*([\[{].*?[\]}])\s*[,)]`)
	pyStringRe  = regexp.MustCompile(`"([^"\n]*)"|'([^'\n]*)'`)
	setupNameRe = regexp.MustCompile(`\bname\s*=\s*["']([A-Za-z0-9._-]+)["']`)
	setupPyReq  = regexp.MustCompile(`python_requires\s*=\s*["']([^"']+)["']`)
)

// parseSetupPy extracts string literals of install_requires /
// extras_require lists (a best-effort reading; setup.py is code).
func parseSetupPy(m *Manifest, text string) {
	for _, mm := range setupListRe.FindAllStringSubmatch(text, -1) {
		body := mm[2]
		for _, s := range pyStringRe.FindAllStringSubmatch(body, -1) {
			v := s[1] + s[2]
			if v == "" || mm[1] == "extras_require" && !strings.ContainsAny(v, "=<>~") && !reqNameRe.MatchString(v) {
				continue
			}
			r := ParseRequirement(v)
			if r.Key == "" {
				continue
			}
			m.Requirements = append(m.Requirements, r)
		}
	}
	if mm := setupNameRe.FindStringSubmatch(text); mm != nil {
		m.Project = mm[1]
	}
	if mm := setupPyReq.FindStringSubmatch(text); mm != nil {
		m.Python = mm[1]
	}
}

// parseSetupCfg reads [metadata] name, [options] install_requires and
// python_requires, and [options.extras_require].
func parseSetupCfg(m *Manifest, text string) {
	section, key := "", ""
	for _, raw := range strings.Split(text, "\n") {
		line := strings.TrimRight(raw, " \t\r")
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") || strings.HasPrefix(trimmed, ";") {
			continue
		}
		if strings.HasPrefix(trimmed, "[") && strings.HasSuffix(trimmed, "]") {
			section, key = strings.Trim(trimmed, "[]"), ""
			continue
		}
		indented := line[0] == ' ' || line[0] == '\t'
		var value string
		if !indented {
			k, v, ok := strings.Cut(trimmed, "=")
			if !ok {
				continue
			}
			key, value = strings.TrimSpace(k), strings.TrimSpace(v)
			switch {
			case section == "metadata" && key == "name":
				m.Project = value
				continue
			case section == "options" && key == "python_requires":
				m.Python = value
				continue
			}
		} else {
			value = trimmed
		}
		if value == "" || !(section == "options" && key == "install_requires" || section == "options.extras_require") {
			continue
		}
		r := ParseRequirement(value)
		if r.Key != "" {
			m.Requirements = append(m.Requirements, r)
		}
	}
}

// ---------------------------------------------------------------------------
// Install commands
// ---------------------------------------------------------------------------

// Requirement is one requirement specifier: from an install line
// (`pip install pandas==2.1`), or a dependency manifest.
type Requirement struct {
	// Spec is the specifier as written ("pandas>=1.5", "git+https://…").
	Spec string
	// Name is the distribution name as written ("scikit-learn"); Key is
	// its PEP 503 normalised form ("scikit-learn", "pyyaml").
	Name, Key string
	// Specifier is the version part (">=1.5", "==2.1.0", "=1.2" for conda).
	Specifier string
	// Pin is the exact version of an == / === (or conda =) specifier.
	Pin string
	// Pinned is set when the requirement names one exact version: an
	// exact version, a VCS URL at a commit, a wheel or versioned archive.
	Pinned bool
	// URL is set for direct references (git+https://…, https://….whl).
	URL string
	// Local is set for local paths (".", "./pkg", "dist/x.whl", -e .):
	// first-party code, not a dependency to pin.
	Local bool
	// Dynamic is set when the spec holds an IPython expansion ({var},
	// $VAR) whose value is unknown.
	Dynamic bool
}

// Install is a package installation command.
type Install struct {
	// Tool is "pip" (pip, pip3, python -m pip, uv pip), "conda" (conda,
	// mamba, micromamba) or "apt" (apt-get, apt, yum, dnf, apk, brew).
	Tool string
	// Specs are the requirement specifiers on the line.
	Specs []Requirement
	// Files are requirement or environment files installed from
	// (-r requirements.txt, -c constraints.txt, conda --file, conda env
	// update -f environment.yml).
	Files []string
	// Upgrade is set for -U / --upgrade.
	Upgrade bool
}

// Unpinned returns the specs that do not name an exact version (local
// paths and unresolved expansions excluded).
func (in *Install) Unpinned() []Requirement {
	var out []Requirement
	for _, r := range in.Specs {
		if !r.Pinned && !r.Local && !r.Dynamic {
			out = append(out, r)
		}
	}
	return out
}

// InstallFact is one install command in a notebook: a magic or shell
// line (%pip install, !pip install, !conda install, !apt-get install, an
// install line of a %%bash cell), or a Python call (subprocess.run([...,
// "pip", "install", ...]), os.system("pip install …"), pip.main([...])).
type InstallFact struct {
	Install
	Cell                       int
	Line, Col, EndLine, EndCol int
	// Via is "magic" (%pip), "shell" (!pip, automagic pip, %%bash lines),
	// "subprocess", "os.system" or "pip.main".
	Via string
	// Text is the command as written (first line).
	Text string
}

var installsKey = lazyKey{"installs"}

// Installs returns the notebook's install commands in cell and line order.
func (n *Notebook) Installs() []InstallFact {
	return lazy(n, &installsKey, func() []InstallFact {
		var out []InstallFact
		calls := n.callInstalls()
		for _, c := range n.Code() {
			for _, m := range n.MagicsIn(c.Index) {
				if !m.Install {
					continue
				}
				cmd := m.Args
				if m.Kind == "line-magic" || m.Kind == "automagic" || m.Kind == "magic-assign" {
					if m.Name != "sx" && m.Name != "system" {
						cmd = m.Name + " " + m.Args
					}
				}
				inst, ok := ParseInstall(cmd)
				if !ok {
					continue
				}
				via := "shell"
				if m.Kind == "line-magic" && (m.Name == "pip" || m.Name == "conda" || m.Name == "mamba" || m.Name == "micromamba" || m.Name == "uv") {
					via = "magic"
				}
				out = append(out, InstallFact{Install: inst, Cell: m.Cell, Line: m.Line, Col: m.Col, EndLine: m.EndLine,
					EndCol: m.EndCol, Via: via, Text: m.Text})
			}
			for _, ci := range calls {
				if ci.Cell == c.Index {
					out = append(out, ci)
				}
			}
		}
		return out
	})
}

// callInstalls finds installs run from Python code.
func (n *Notebook) callInstalls() []InstallFact {
	var out []InstallFact
	for i := range n.Calls() {
		cs := &n.Calls()[i]
		var words []string
		via := ""
		switch {
		case cs.Is("subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output", "subprocess.Popen"):
			a := cs.Positional(0)
			if a == ps.NoNode {
				a = cs.Keyword("args")
			}
			if a == ps.NoNode {
				continue
			}
			if k := cs.Cell.Tree.Kind(a); k == ps.List || k == ps.Tuple {
				words = n.stringList(cs.Cell, a)
			} else if f := n.Fold(cs.Cell, a); f.Value != "" {
				words = shellWords(f.Value)
			}
			via = "subprocess"
		case cs.Is("os.system", "os.popen"):
			if f := n.Fold(cs.Cell, cs.Positional(0)); f.Value != "" {
				words = shellWords(f.Value)
			}
			via = "os.system"
		case cs.Is("pip.main", "pip._internal.main", "pip._internal.cli.main.main"):
			a := cs.Positional(0)
			if a == ps.NoNode {
				continue
			}
			words = append([]string{"pip"}, n.stringList(cs.Cell, a)...)
			via = "pip.main"
		default:
			continue
		}
		if len(words) == 0 {
			continue
		}
		inst, ok := parseInstallWords(words)
		if !ok {
			continue
		}
		text := strings.Join(strings.Fields(cs.Cell.Tree.Text(cs.Node)), " ")
		if r := []rune(text); len(r) > 80 {
			text = string(r[:79]) + "…"
		}
		out = append(out, InstallFact{Install: inst, Cell: cs.Cell.Index, Line: cs.Pos.Line, Col: cs.Pos.Col,
			EndLine: cs.End.Line, EndCol: cs.End.Col, Via: via, Text: text})
	}
	return out
}

// stringList folds the elements of a list or tuple of strings;
// sys.executable becomes "python", unknown elements "{?}".
func (n *Notebook) stringList(c *Cell, node ps.NodeID) []string {
	t := c.Tree
	if k := t.Kind(node); k != ps.List && k != ps.Tuple {
		return nil
	}
	var out []string
	for _, e := range t.NamedChildren(node, nil) {
		if t.Kind(e) == ps.Comment {
			continue
		}
		if q := n.Qualify(c.Index, dottedName(t, e)); q == "sys.executable" {
			out = append(out, "python")
			continue
		}
		if f := n.Fold(c, e); f.Complete {
			out = append(out, f.Value)
		} else {
			out = append(out, "{?}")
		}
	}
	return out
}

// ParseInstall parses a shell command line (without the leading "!") and
// returns the package installation it performs. Several install commands
// joined with && or ; are merged. ok is false when the line installs
// nothing.
func ParseInstall(cmd string) (Install, bool) {
	var out Install
	found := false
	for _, seg := range shellSegments(cmd) {
		in, ok := parseInstallWords(seg.Words)
		if !ok {
			continue
		}
		if !found {
			out.Tool = in.Tool
		}
		found = true
		out.Specs = append(out.Specs, in.Specs...)
		out.Files = append(out.Files, in.Files...)
		out.Upgrade = out.Upgrade || in.Upgrade
	}
	return out, found
}

// pipValueOptions are pip install options followed by a value.
var pipValueOptions = setOf(`-i --index-url --extra-index-url -f --find-links -t --target --prefix --root --src
	--platform --python-version --implementation --abi --no-binary --only-binary --progress-bar
	--trusted-host --cache-dir --log --proxy --timeout --retries --upgrade-strategy -C --config-settings
	--global-option --install-option --report --python --cert --client-cert --exists-action --keyring-provider
	--root-user-action --index --default-index`)

var condaValueOptions = setOf(`-c --channel -n --name -p --prefix --repodata-fn --experimental --solver`)

func parseInstallWords(words []string) (Install, bool) {
	words = stripCommandPrefix(words)
	if len(words) < 2 {
		return Install{}, false
	}
	cmd := shellBase(words[0])
	rest := words[1:]
	var in Install
	switch {
	case cmd == "uv" && rest[0] == "pip" && len(rest) > 1 && rest[1] == "install":
		in.Tool = "pip"
		rest = rest[2:]
	case (cmd == "pip" || strings.HasPrefix(cmd, "pip3") || cmd == "pip2") && rest[0] == "install":
		in.Tool = "pip"
		rest = rest[1:]
	case (cmd == "conda" || cmd == "mamba" || cmd == "micromamba") && rest[0] == "install":
		in.Tool = "conda"
		rest = rest[1:]
	case (cmd == "conda" || cmd == "mamba" || cmd == "micromamba") && len(rest) > 1 && rest[0] == "env" &&
		(rest[1] == "update" || rest[1] == "create"):
		in.Tool = "conda"
		for i := 2; i < len(rest); i++ {
			if (rest[i] == "-f" || rest[i] == "--file") && i+1 < len(rest) {
				in.Files = append(in.Files, rest[i+1])
				i++
			}
		}
		return in, true
	case (cmd == "apt-get" || cmd == "apt" || cmd == "yum" || cmd == "dnf") && rest[0] == "install",
		cmd == "apk" && rest[0] == "add", cmd == "brew" && rest[0] == "install":
		in.Tool = "apt"
		for _, w := range rest[1:] {
			if !strings.HasPrefix(w, "-") {
				r := Requirement{Spec: w, Name: w, Key: NormalizeDist(w)}
				if i := strings.IndexByte(w, '='); i > 0 {
					r.Name, r.Key, r.Pin, r.Pinned = w[:i], NormalizeDist(w[:i]), w[i+1:], true
				}
				in.Specs = append(in.Specs, r)
			}
		}
		return in, true
	default:
		return Install{}, false
	}
	valueOpts := pipValueOptions
	if in.Tool == "conda" {
		valueOpts = condaValueOptions
	}
	hash := false
	for i := 0; i < len(rest); i++ {
		w := rest[i]
		switch {
		case w == "-r" || w == "--requirement" || w == "-c" && in.Tool == "pip" || w == "--constraint" || w == "--file":
			if i+1 < len(rest) {
				in.Files = append(in.Files, rest[i+1])
				i++
			}
		case strings.HasPrefix(w, "--requirement=") || strings.HasPrefix(w, "--file=") || strings.HasPrefix(w, "--constraint="):
			in.Files = append(in.Files, w[strings.IndexByte(w, '=')+1:])
		case strings.HasPrefix(w, "-r") && len(w) > 2 && in.Tool == "pip":
			in.Files = append(in.Files, w[2:])
		case w == "-e" || w == "--editable":
			if i+1 < len(rest) {
				r := ParseRequirement(rest[i+1])
				if r.URL == "" {
					r.Local = true
				}
				in.Specs = append(in.Specs, r)
				i++
			}
		case w == "-U" || w == "--upgrade":
			in.Upgrade = true
		case strings.HasPrefix(w, "--hash"):
			hash = true
		case valueOpts[w]:
			i++
		case strings.HasPrefix(w, "-"):
		default:
			if in.Tool == "conda" {
				in.Specs = append(in.Specs, parseCondaSpec(w))
			} else {
				in.Specs = append(in.Specs, ParseRequirement(w))
			}
		}
	}
	if hash {
		for i := range in.Specs {
			in.Specs[i].Pinned = true
		}
	}
	return in, true
}

var (
	reqNameRe  = regexp.MustCompile(`^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(.*)$`)
	commitRe   = regexp.MustCompile(`@([0-9a-fA-F]{7,40})(?:#.*)?$`)
	versionRe  = regexp.MustCompile(`[-_]v?\d+(?:\.\d+)+(?:[-.][A-Za-z0-9_.]+)?\.(?:whl|tar\.gz|tgz|zip|tar\.bz2)$`)
	archiveRe  = regexp.MustCompile(`/archive/(?:refs/tags/)?(?:[0-9a-fA-F]{7,40}|v?\d+(?:\.\d+)+)\.(?:zip|tar\.gz)$`)
	eggRe      = regexp.MustCompile(`#egg=([A-Za-z0-9._-]+)`)
	normDistRe = regexp.MustCompile(`[-_.]+`)
	distFileRe = regexp.MustCompile(`^([A-Za-z0-9_.]+?)-\d`)
)

// NormalizeDist returns a distribution name's PEP 503 normalised form.
func NormalizeDist(name string) string {
	return normDistRe.ReplaceAllString(strings.ToLower(strings.TrimSpace(name)), "-")
}

// ParseRequirement parses a pip requirement specifier (PEP 508, plus
// direct URLs and local paths as pip accepts them on the command line).
func ParseRequirement(spec string) Requirement {
	spec = strings.TrimSpace(spec)
	r := Requirement{Spec: spec}
	s := spec
	if i := strings.IndexByte(s, ';'); i >= 0 { // environment marker
		s = strings.TrimSpace(s[:i])
	}
	r.Dynamic = strings.ContainsAny(s, "{$")
	// Direct reference: name @ url
	if i := strings.Index(s, " @ "); i > 0 || strings.Contains(s, "@") && !strings.Contains(s, "://") && strings.Contains(s, "@ ") {
		if i < 0 {
			i = strings.Index(s, "@ ")
		}
		r.Name = strings.TrimSpace(s[:i])
		if j := strings.IndexByte(r.Name, '['); j >= 0 {
			r.Name = r.Name[:j]
		}
		r.Key = NormalizeDist(r.Name)
		url := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s[i:]), "@"))
		r.URL = url
		r.Pinned = urlPinned(url)
		if reqIsLocalPath(url) || strings.HasPrefix(url, "file:") {
			r.Local = true
		}
		return r
	}
	if strings.Contains(s, "://") || strings.HasPrefix(s, "git+") || strings.HasPrefix(s, "hg+") {
		r.URL = s
		r.Pinned = urlPinned(s)
		if m := eggRe.FindStringSubmatch(s); m != nil {
			r.Name = m[1]
		} else {
			u := strings.SplitN(s, "#", 2)[0]
			if i := strings.LastIndex(u, "@"); i > strings.Index(u, "://") {
				u = u[:i]
			}
			base := shellBase(strings.TrimSuffix(u, "/"))
			base = strings.TrimSuffix(base, ".git")
			if m := distFileRe.FindStringSubmatch(base); m != nil && (strings.HasSuffix(base, ".whl") || strings.HasSuffix(base, ".tar.gz") || strings.HasSuffix(base, ".zip")) {
				base = m[1]
			}
			r.Name = base
		}
		r.Key = NormalizeDist(r.Name)
		if strings.HasPrefix(s, "file:") {
			r.Local = true
		}
		return r
	}
	if reqIsLocalPath(s) {
		r.Local = true
		r.Pinned = true
		base := shellBase(s)
		if m := distFileRe.FindStringSubmatch(base); m != nil {
			base = m[1]
		}
		r.Name = base
		if base != "." && base != ".." {
			r.Key = NormalizeDist(base)
		}
		return r
	}
	m := reqNameRe.FindStringSubmatch(s)
	if m == nil {
		r.Name = s
		r.Key = NormalizeDist(s)
		return r
	}
	r.Name = m[1]
	r.Key = NormalizeDist(m[1])
	r.Specifier = strings.Join(strings.Fields(m[3]), "")
	r.Pin, r.Pinned = exactPin(r.Specifier)
	return r
}

// exactPin returns the version of "==1.2.3" / "===1.2.3" (and of conda's
// "=1.2.3"); wildcards and version ranges are not pins.
func exactPin(spec string) (string, bool) {
	if spec == "" || strings.ContainsAny(spec, ",*<>!~^") {
		return "", false
	}
	v := strings.TrimLeft(spec, "=")
	if v == "" || len(spec)-len(v) > 3 {
		return "", false
	}
	if i := strings.IndexByte(v, '='); i >= 0 { // conda name=version=build
		v = v[:i]
	}
	return v, v != ""
}

func urlPinned(u string) bool {
	u = strings.TrimSpace(u)
	base := strings.SplitN(u, "#", 2)[0]
	switch {
	case commitRe.MatchString(base):
		return true
	case strings.HasSuffix(base, ".whl"):
		return true
	case versionRe.MatchString(base) || archiveRe.MatchString(base):
		return true
	}
	return false
}

func reqIsLocalPath(s string) bool {
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "/") || strings.HasPrefix(s, "~") || strings.HasPrefix(s, "file:") {
		return true
	}
	if strings.Contains(s, "://") {
		return false
	}
	return strings.HasSuffix(s, ".whl") || strings.HasSuffix(s, ".tar.gz") || strings.HasSuffix(s, ".zip") ||
		strings.Contains(s, "/")
}

// parseCondaSpec parses a conda spec: name, name=1.2, name==1.2,
// name>=1.2, channel::name=1.2, "name 1.2.*".
func parseCondaSpec(spec string) Requirement {
	s := strings.TrimSpace(spec)
	if i := strings.Index(s, "::"); i >= 0 {
		s = s[i+2:]
	}
	if f := strings.Fields(s); len(f) == 2 {
		s = f[0] + "=" + f[1]
	}
	r := Requirement{Spec: spec}
	r.Dynamic = strings.ContainsAny(s, "{$")
	m := reqNameRe.FindStringSubmatch(s)
	if m == nil {
		r.Name, r.Key = s, NormalizeDist(s)
		return r
	}
	r.Name, r.Key = m[1], NormalizeDist(m[1])
	r.Specifier = m[3]
	r.Pin, r.Pinned = exactPin(r.Specifier)
	return r
}
