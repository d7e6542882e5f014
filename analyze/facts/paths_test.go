package facts

import (
	"os"
	"path/filepath"
	"testing"

	ps "github.com/nbprod/nbprod/analyze/pysyntax"
	"github.com/nbprod/nbprod/notebook"
)

func pathsOf(t *testing.T, env Env, cells ...string) []PathUse {
	t.Helper()
	w := NewWorker()
	defer w.Close()
	return w.New(notebookOf(cells...), env).Paths()
}

// TestClassifyPath is the §2.1.2 classifier table, in order: the first
// matching class wins and PERSONAL beats the home classes.
func TestClassifyPath(t *testing.T) {
	cases := []struct {
		value    string
		complete bool
		sink     bool
		want     PathClass
	}{
		{"postgresql://u:p@h/db", true, true, ClassDBURI},
		{"jdbc:sqlserver://h;databaseName=x", true, true, ClassDBURI},
		{"mysql+pymysql://root@localhost:3306/shop", true, true, ClassDBURI}, // DB_URI before LOCALHOST
		{"DRIVER={ODBC Driver 17};SERVER=sql01;UID=u", true, true, ClassODBC},
		{"s3://bucket/key.parquet", true, true, ClassCloudURI},
		{"dbfs:/mnt/raw", true, true, ClassCloudURI},
		{"s3://", false, true, ClassNone},              // N9: no bucket
		{"s3://sagemaker-", false, true, ClassNone},    // bucket not fully known
		{"s3://acme/raw/", false, true, ClassCloudURI}, // bucket known, key partly
		{"https://acme.s3.amazonaws.com/x.csv", true, true, ClassCloudHTTP},
		{"http://localhost:8080/predict", true, true, ClassLocalhost},
		{"https://docs.google.com/spreadsheets/d/1AbC/export?format=csv", true, true, ClassGSheet},
		{"https://example.com/data/train.csv", true, true, ClassHTTPData},
		{"https://raw.githubusercontent.com/o/r/main/README", true, true, ClassHTTPData},
		{"https://api.example.com/v1/score", true, true, ClassHTTP},
		{"C:\\Users\\anna\\Downloads\\x.csv", true, true, ClassPersonal},
		{"~/Desktop/x.csv", true, true, ClassPersonal},
		{"/Users/maria/Library/CloudStorage/OneDrive/x", true, true, ClassPersonal},
		{"/content/drive/MyDrive/x.csv", true, true, ClassPersonal},
		{"/kaggle/input/titanic/train.csv", true, true, ClassPersonal},
		{"data/Documents/x.csv", true, true, ClassRelativeData}, // a repo folder named Documents
		{"/srv/Documents/x.csv", true, true, ClassPosixAbs},     // not under a home root
		{"C:/temp/out.csv", true, true, ClassWinDrive},
		{`\\server\share\x.csv`, true, true, ClassUNC},
		{"/home/jdoe/x.npy", true, true, ClassUserHome},
		{"/root/data", true, true, ClassUserHome},
		{"~/projects/x", true, true, ClassTilde},
		{"~", true, true, ClassTilde},
		{"/dev/null", true, true, ClassSystem},
		{"/etc/passwd", true, true, ClassSystem},
		{"/tmp/cache", true, true, ClassTmp},
		{"/mnt/shared/raw", true, true, ClassPosixAbs},
		{"/mnt/shared/raw", true, false, ClassNone}, // POSIX_ABS needs a sink
		{"/data", true, true, ClassNone},            // one segment, no extension
		{"/data.csv", true, true, ClassPosixAbs},
		{"/predict", true, true, ClassNone},
		{"file:///home/a/x.csv", true, true, ClassUserHome},
		{"data/x.csv", true, true, ClassRelativeData},
		{"../models/rf.pkl", true, true, ClassRelativeData},
		{"data/x.csv", false, true, ClassRelative}, // extension not known
		{"README.md", true, true, ClassRelative},
		{"%Y/%m/%d", true, true, ClassNone},
		{"text/csv", true, true, ClassRelative},
		{"mailto:a@b.c", true, true, ClassNone},
	}
	for _, c := range cases {
		if got := ClassifyPath(c.value, c.complete, c.sink); got != c.want {
			t.Errorf("ClassifyPath(%q, %v, %v) = %q, want %q", c.value, c.complete, c.sink, got, c.want)
		}
	}
}

// TestPathUses checks contexts, anchors, bindings, direction and sinks.
func TestPathUses(t *testing.T) {
	type want struct {
		cell      int
		line, col int
		value     string
		class     PathClass
		binding   string
		sink      string
		dir       Direction
		role      Role
		env       bool
	}
	cases := []struct {
		name  string
		cells []string
		want  []want
	}{
		{"inline literal", []string{"import pandas as pd\ndf = pd.read_csv(\"/home/a/x.csv\")"},
			[]want{{0, 2, 18, "/home/a/x.csv", ClassUserHome, "", "pandas.read_csv", DirRead, RoleFile, false}}},
		{"binding in an earlier cell", []string{`DATA_DIR = "~/data"`, "import pandas as pd\npd.read_parquet(f\"{DATA_DIR}/f.parquet\")"},
			[]want{{0, 1, 12, "~/data/f.parquet", ClassTilde, "DATA_DIR", "pandas.read_parquet", DirRead, RoleFile, false}}},
		{"innermost binding wins", []string{`BASE = "/Users/a"`, `DATA = BASE + "/d"`, "open(DATA + '/x.txt')"},
			[]want{{0, 1, 8, "/Users/a/d/x.txt", ClassUserHome, "BASE", "open", DirRead, RoleFile, false}}},
		{"pathlib and os.path.join", []string{"import os\nfrom pathlib import Path\nraw = Path(\"/mnt/s/raw\") / \"e.jsonl\"\nopen(os.path.join(raw, 'x'))"},
			[]want{{0, 3, 7, "/mnt/s/raw/e.jsonl/x", ClassPosixAbs, "raw", "open", DirRead, RoleFile, false}}},
		{"dict entry", []string{`CONFIG = {"data_dir": "/home/ana/data"}`, "import pandas as pd\npd.read_csv(CONFIG[\"data_dir\"] + \"/x.csv\")"},
			[]want{{0, 1, 23, "/home/ana/data/x.csv", ClassUserHome, "data_dir", "pandas.read_csv", DirRead, RoleFile, false}}},
		{"write with mode", []string{"with open('/Users/a/out.txt', 'w') as f: pass"},
			[]want{{0, 1, 11, "/Users/a/out.txt", ClassUserHome, "", "open", DirWrite, RoleFile, false}}},
		{"method write sink", []string{"df.to_parquet('out/x.parquet')"},
			[]want{{0, 1, 15, "out/x.parquet", ClassRelativeData, "", "df.to_parquet", DirWrite, RoleFile, false}}},
		{"env fallback", []string{"import os\np = os.environ.get('P', '/home/a/x.csv')\nopen(p)"},
			[]want{{0, 2, 5, "/home/a/x.csv", ClassUserHome, "p", "open", DirRead, RoleFile, true}}},
		{"magic cd", []string{"%cd /Users/maria/work"},
			[]want{{0, 1, 5, "/Users/maria/work", ClassUserHome, "", "%cd", DirNone, RoleMagic, false}}},
		{"wget -P", []string{"!wget -q https://x.org/a.csv -P /home/a/dl"},
			[]want{{0, 1, 33, "/home/a/dl", ClassUserHome, "", "!wget", DirWrite, RoleMagic, false}}},
		{"unreached path-named binding", []string{`OUTPUT_DIR = "/Users/ana/out"`},
			[]want{{0, 1, 14, "/Users/ana/out", ClassUserHome, "OUTPUT_DIR", "", DirNone, RoleBinding, false}}},
		{"endpoint", []string{"from sqlalchemy import create_engine\ne = create_engine('postgresql://u@h/db')"},
			[]want{{0, 2, 19, "postgresql://u@h/db", ClassDBURI, "", "sqlalchemy.create_engine", DirRead, RoleEndpoint, false}}},
		{"unaliased dotted import", []string{"import urllib.request\nurllib.request.urlretrieve('https://x.org/a.csv', '/home/a/a.csv')"},
			[]want{
				{0, 2, 28, "https://x.org/a.csv", ClassHTTPData, "", "urllib.request.urlretrieve", DirRead, RoleURL, false},
				{0, 2, 51, "/home/a/a.csv", ClassUserHome, "", "urllib.request.urlretrieve", DirWrite, RoleFile, false}}},
		{"no path: parameter of a function", []string{`val = "/home/a/x.csv"`, "import pandas as pd\ndef load(val):\n    return pd.read_csv(val)"},
			nil},
		{"no path: comprehension variable", []string{`f = "/home/a/x.csv"`, "import pandas as pd\nframes = [pd.read_csv(f) for f in files]"},
			nil},
		{"no path: format strings and words", []string{"import pandas as pd\npd.to_datetime(s, format='%Y/%m/%d')\npd.read_csv(io.StringIO(t))"},
			nil},
		{"no path: model names", []string{"from transformers import AutoModel\nm = AutoModel.from_pretrained('bert-base-uncased')"},
			nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := pathsOf(t, Env{}, c.cells...)
			var kept []PathUse
			for _, u := range got {
				if u.Class != ClassRelative {
					kept = append(kept, u)
				}
			}
			if len(kept) != len(c.want) {
				t.Fatalf("got %d uses, want %d: %+v", len(kept), len(c.want), kept)
			}
			for i, w := range c.want {
				u := kept[i]
				if u.Cell != w.cell || u.Pos.Line != w.line || u.Pos.Col != w.col || u.Value != w.value || u.Class != w.class ||
					u.Binding != w.binding || u.Sink != w.sink || u.Direction != w.dir || u.Role != w.role || u.Env != w.env {
					t.Errorf("use %d = cell %d %d:%d %q %s binding=%q sink=%q dir=%q role=%s env=%v\nwant   cell %d %d:%d %q %s binding=%q sink=%q dir=%q role=%s env=%v",
						i, u.Cell, u.Pos.Line, u.Pos.Col, u.Value, u.Class, u.Binding, u.Sink, u.Direction, u.Role, u.Env,
						w.cell, w.line, w.col, w.value, w.class, w.binding, w.sink, w.dir, w.role, w.env)
				}
			}
		})
	}
}

// TestConfigKeys: bound names first, else file stems; outputs get _out;
// keys are unique per notebook and shared by the uses of one literal.
func TestConfigKeys(t *testing.T) {
	uses := pathsOf(t, Env{},
		"import pandas as pd\nDATA_DIR = '/home/a/data'",
		"a = pd.read_csv(DATA_DIR + '/a.csv')\nb = pd.read_csv(DATA_DIR + '/b.csv')",
		"c = pd.read_csv('/home/a/x/train.csv')\nd = pd.read_csv('/home/a/y/train.csv')\nc.to_csv('/home/a/out/scores.csv')",
		"e = pd.read_csv('s3://acme-ml/2024-05.parquet')")
	keys := map[string]string{}
	for _, u := range uses {
		if prev, ok := keys[u.Value]; ok && prev != u.ConfigKey {
			t.Errorf("value %q has two keys", u.Value)
		}
		keys[u.Value] = u.ConfigKey
	}
	want := map[string]string{
		"/home/a/data/a.csv":           "paths.data_dir",
		"/home/a/data/b.csv":           "paths.data_dir",
		"/home/a/x/train.csv":          "paths.train",
		"/home/a/y/train.csv":          "paths.train_2",
		"/home/a/out/scores.csv":       "paths.scores_out",
		"s3://acme-ml/2024-05.parquet": "paths.p_2024_05",
	}
	for v, k := range want {
		if keys[v] != k {
			t.Errorf("key of %q = %q, want %q", v, keys[v], k)
		}
	}
	// Deterministic: the same notebook gives the same keys.
	again := pathsOf(t, Env{}, "import pandas as pd\nDATA_DIR = '/home/a/data'",
		"a = pd.read_csv(DATA_DIR + '/a.csv')\nb = pd.read_csv(DATA_DIR + '/b.csv')",
		"c = pd.read_csv('/home/a/x/train.csv')\nd = pd.read_csv('/home/a/y/train.csv')\nc.to_csv('/home/a/out/scores.csv')",
		"e = pd.read_csv('s3://acme-ml/2024-05.parquet')")
	for i := range uses {
		if uses[i].ConfigKey != again[i].ConfigKey {
			t.Errorf("run 2 key %q != %q", again[i].ConfigKey, uses[i].ConfigKey)
		}
	}
}

// TestOutsideRootAndWrites: resolution against Env, never the file system;
// writes earlier in file order are recorded on reads.
func TestOutsideRootAndWrites(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "nb")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	env := Env{Root: root, Dir: dir}
	uses := pathsOf(t, env,
		"import pandas as pd\ndf = pd.read_csv('../data/in.csv')\nx = pd.read_csv('../../other/in.csv')",
		"df.to_csv('work/mid.csv')\n!wget https://x.org/f/raw.csv -P dl",
		"m = pd.read_csv('work/mid.csv')\nr = pd.read_csv('dl/raw.csv')")
	byValue := map[string]PathUse{}
	for _, u := range uses {
		if u.Direction == DirRead {
			byValue[u.Value] = u
		}
	}
	if byValue["../data/in.csv"].OutsideRoot || !byValue["../../other/in.csv"].OutsideRoot {
		t.Errorf("OutsideRoot: inside=%v outside=%v", byValue["../data/in.csv"].OutsideRoot, byValue["../../other/in.csv"].OutsideRoot)
	}
	if byValue["work/mid.csv"].WrittenAt != 1 || byValue["dl/raw.csv"].WrittenAt != 1 || byValue["../data/in.csv"].WrittenAt != -1 {
		t.Errorf("WrittenAt: mid=%d raw=%d in=%d", byValue["work/mid.csv"].WrittenAt, byValue["dl/raw.csv"].WrittenAt, byValue["../data/in.csv"].WrittenAt)
	}
	// Without a repository root nothing is outside.
	for _, u := range pathsOf(t, Env{}, "import pandas as pd\nx = pd.read_csv('../../other/in.csv')") {
		if u.OutsideRoot {
			t.Errorf("in-memory notebook: %q outside root", u.Value)
		}
	}
}

// TestDownloads lists runtime fetches: calls, readers on URLs, shell lines.
func TestDownloads(t *testing.T) {
	w := NewWorker()
	defer w.Close()
	fx := w.New(notebookOf(
		"import requests, pandas as pd, seaborn as sns\nr = requests.get('https://x.org/d/a.csv')\nh = requests.get(api, timeout=3)\nt = pd.read_csv('https://x.org/t.csv')\niris = sns.load_dataset('iris')",
		"!kaggle competitions download -c titanic\n!curl -s https://api.x.org/status\n!aws s3 cp s3://b/k/f.csv .\n!ls data"), Env{})
	type want struct {
		via       string
		data      bool
		noTimeout bool
	}
	wants := []want{{"requests.get", true, true}, {"requests.get", false, false}, {"pandas.read_csv", true, false},
		{"seaborn.load_dataset", true, false}, {"!kaggle competitions download", true, false}, {"!curl", true, false}, {"!aws s3 cp", true, false}}
	got := fx.Downloads()
	if len(got) != len(wants) {
		t.Fatalf("got %d downloads: %+v", len(got), got)
	}
	for i, w := range wants {
		if got[i].Via != w.via || got[i].Data != w.data || got[i].NoTimeout != w.noTimeout {
			t.Errorf("download %d = %+v, want %+v", i, got[i], w)
		}
	}
}

func TestShadowed(t *testing.T) {
	w := NewWorker()
	defer w.Close()
	fx := w.New(notebookOf("p = 1\ndef f(a, *, b=2):\n    c = a\n    for d in a: pass\n    with open(x) as e: pass\n    return a, b, c, d, e, p\nlam = lambda q: q\nys = [y for y in p]"), Env{})
	c := fx.Code()[0]
	t2 := c.Tree
	shadowed := map[string]bool{}
	for i := 0; i < t2.Len(); i++ {
		n := ps.NodeID(i)
		if t2.Kind(n) == ps.Identifier && c.Shadowed(n, t2.Text(n)) {
			shadowed[t2.Text(n)] = true
		}
	}
	for _, name := range []string{"a", "b", "c", "d", "e", "q", "y"} {
		if !shadowed[name] {
			t.Errorf("%s should be shadowed", name)
		}
	}
	for _, name := range []string{"p", "x", "f", "lam", "ys"} {
		if shadowed[name] {
			t.Errorf("%s should not be shadowed", name)
		}
	}
}

// TestPathsSecretsOddInput: broken code, empty cells, lone quotes and
// magics without arguments never panic.
func TestPathsSecretsOddInput(t *testing.T) {
	odd := []string{"", "(", "pd.read_csv(", "open(\"/home/a", "f'{'", "%cd", "!wget", "!aws s3 cp", "%%writefile\n", "%%bash\nexport",
		"x = '''\n-----BEGIN PRIV" + "ATE KEY-----\n", "def f(:\n  open('/home/a/x')", "password =", "os.environ['K'] =", "{'Authorization': }",
		"cur.execute(f'SELECT * FROM {t}'", "a = b = 'AKIA'", "lambda p='x': open(p)", "[open(f) for f in]", "!curl -H 'Authorization: Bearer'",
		"%env", "%env A", "print(\"\\x00\\xff\")", "\x00\x01", "pd.read_csv(**kw)", "pd.read_csv(*a)", "Path() / 'x'", "os.path.join()"}
	w := NewWorker()
	defer w.Close()
	for _, src := range odd {
		nb := notebookOf(src)
		nb.Cells[0].Outputs = []notebook.Output{{Type: "error", Traceback: []string{src}}, {Type: "stream", Data: []notebook.MimeData{{MIME: "stream", Kept: true, Text: src}}}}
		fx := w.New(nb, Env{Root: "/r", Dir: "/r/n"})
		_ = fx.Paths()
		_ = fx.Downloads()
		_ = fx.Secrets()
		_ = fx.SQLQueries()
		_ = fx.Sensitive()
		_ = fx.RedactSecrets(src)
	}
}
