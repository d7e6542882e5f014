package facts

import (
	"strings"
	"testing"
)

func TestMagicClassification(t *testing.T) {
	cases := []struct {
		src         string
		class       MagicClass
		translation string
		shell, info bool
		install     bool
		text        string
	}{
		{"%matplotlib inline", MagicRemovable, TrBackend, false, false, false, "%matplotlib inline"},
		{"%load_ext autoreload", MagicRemovable, TrExtension, false, false, false, "%load_ext autoreload"},
		{"%autoreload 2", MagicRemovable, TrExtension, false, false, false, "%autoreload 2"},
		{"%config InlineBackend.figure_format = 'retina'", MagicRemovable, TrSession, false, false, false, ""},
		{"%time x = 1", MagicRemovable, TrTiming, false, false, false, "%time x = 1"},
		{"%%timeit\nx = 1", MagicRemovable, TrTiming, false, false, false, "%%timeit"},
		{"%%capture out\nprint(1)", MagicRemovable, TrCapture, false, false, false, "%%capture out"},
		{"%%html\n<b>x</b>", MagicRemovable, TrDisplay, false, false, false, ""},
		{"np.sum?", MagicRemovable, TrHelp, false, false, false, ""},
		{"%cd data  # go there", MagicTranslatable, TrCd, false, false, false, "%cd data"},
		{"%env KEY=value", MagicTranslatable, TrEnv, false, false, false, ""},
		{"%%writefile train.py\nprint(1)", MagicTranslatable, TrWritefile, false, false, false, "%%writefile train.py"},
		{"%run other.ipynb", MagicTranslatable, TrRun, false, false, false, ""},
		{"%store -r df", MagicTranslatable, TrStore, false, false, false, ""},
		{"%sql SELECT 1", MagicTranslatable, TrSQL, false, false, false, ""},
		{"%%bigquery df\nSELECT 1", MagicTranslatable, TrSQL, false, false, false, ""},
		{"%%bash\nls", MagicTranslatable, TrBash, false, false, false, ""},
		{"%%script bash\nls", MagicTranslatable, TrBash, false, false, false, ""},
		{"%%script perl\nprint 1", MagicTranslatable, TrScript, false, false, false, ""},
		{"%pip install pandas==2.2.2", MagicTranslatable, TrPip, false, false, true, ""},
		{"%conda install -y numpy", MagicTranslatable, TrConda, false, false, true, ""},
		{"%pip list", MagicRemovable, TrSession, false, true, false, ""},
		{"!pip install -q xgboost", MagicTranslatable, TrPip, true, false, true, "!pip install -q xgboost"},
		{"!{sys.executable} -m pip install numpy", MagicTranslatable, TrPip, true, false, true, ""},
		{"!sudo apt-get install -y libgl1", MagicTranslatable, TrApt, true, false, true, ""},
		{"!ls -la", MagicRemovable, TrShell, true, true, false, ""},
		{"!nvidia-smi", MagicRemovable, TrShell, true, true, false, ""},
		{"!cat x.txt | head -5", MagicRemovable, TrShell, true, true, false, ""},
		{"!echo done > flag.txt", MagicTranslatable, TrShell, true, false, false, ""},
		{"!aws ec2 describe-security-groups | python3 -c 'import sys; print(1)'", MagicRemovable, TrShell, true, true, false, ""},
		{"!aws s3 cp data s3://b/data", MagicTranslatable, TrShell, true, false, false, ""},
		{"!hdfs dfs -ls /user", MagicRemovable, TrShell, true, true, false, ""},
		{"!sed -n '1,5p' Dockerfile", MagicRemovable, TrShell, true, true, false, ""},
		{"!sed -i 's/a/b/' Dockerfile", MagicTranslatable, TrShell, true, false, false, ""},
		{"!wget -q https://x.org/a.csv", MagicTranslatable, TrShell, true, false, false, ""},
		{"files = !ls data", MagicRemovable, TrShell, true, true, false, "files = !ls data"},
		{"%sx ls", MagicRemovable, TrShell, true, true, false, ""},
		{"%mkdir out", MagicTranslatable, TrShell, true, false, false, ""},
		{"%load utils.py", MagicBlocker, TrUnknown, false, false, false, ""},
		{"%rerun 3", MagicBlocker, TrUnknown, false, false, false, ""},
		{"%%R\nx <- 1", MagicBlocker, TrUnknown, false, false, false, ""},
		{"%team_magic --x", MagicBlocker, TrUnknown, false, false, false, ""},
		{"names = %who_ls", MagicBlocker, TrUnknown, false, false, false, ""},
		{"here = %pwd", MagicTranslatable, TrCwd, false, false, false, ""},
		{`get_ipython().run_line_magic("matplotlib", "inline")`, MagicRemovable, TrBackend, false, false, false, ""},
		{`get_ipython().run_cell_magic("bash", "", "ls\n")`, MagicTranslatable, TrBash, false, false, false, ""},
		{`get_ipython().system("pip install shap")`, MagicTranslatable, TrPip, true, false, true, ""},
		{`get_ipython().events.register("post_run_cell", f)`, MagicBlocker, TrUnknown, false, false, false, "get_ipython().events"},
		{`IN_IPY = get_ipython() is not None`, MagicTranslatable, TrIPython, false, false, false, ""},
		{`ip = get_ipython()`, MagicBlocker, TrUnknown, false, false, false, ""},
	}
	for _, tc := range cases {
		w := NewWorker()
		fx := w.New(notebookOf(tc.src), Env{})
		ms := fx.Magics()
		w.Close()
		if len(ms) == 0 {
			t.Errorf("%q: no magic", tc.src)
			continue
		}
		m := ms[0]
		if m.Class != tc.class || m.Translation != tc.translation || m.Shell != tc.shell || m.Informational != tc.info || m.Install != tc.install {
			t.Errorf("%q: got class %s translation %s shell %v info %v install %v; want %s %s %v %v %v",
				tc.src, m.Class, m.Translation, m.Shell, m.Informational, m.Install, tc.class, tc.translation, tc.shell, tc.info, tc.install)
		}
		if tc.text != "" && m.Text != tc.text {
			t.Errorf("%q: text %q, want %q", tc.src, m.Text, tc.text)
		}
	}
}

func TestMagicPositions(t *testing.T) {
	w := NewWorker()
	defer w.Close()
	fx := w.New(notebookOf("x = 1\n  é = !ls  # list", "%%bash\nls\necho 1\n"), Env{})
	ms := fx.MagicsIn(0)
	if len(ms) != 1 {
		t.Fatalf("got %d magics, want 1: %+v", len(ms), ms)
	}
	// `é = !ls`: the ! is at code-point column 7 of line 2; the range
	// runs to the end of the line (17 code points).
	if m := ms[0]; m.Line != 2 || m.Col != 7 || m.EndLine != 2 || m.EndCol != 18 || m.Text != "é = !ls" {
		t.Errorf("shell assign at %d:%d-%d:%d %q", m.Line, m.Col, m.EndLine, m.EndCol, m.Text)
	}
	// A cell magic spans its first line; its body runs to BodyEnd.
	ms = fx.MagicsIn(1)
	if len(ms) != 1 || ms[0].Kind != "cell-magic" || ms[0].Line != 1 || ms[0].EndLine != 1 || ms[0].BodyEnd != 3 {
		t.Errorf("cell magic %+v", ms)
	}
}

func TestBashBodyInstalls(t *testing.T) {
	w := NewWorker()
	defer w.Close()
	fx := w.New(notebookOf("%%bash\nset -e\npip install \\\n   tqdm==4.66.4 rich\napt-get install -y git\n"), Env{})
	var installs []MagicFact
	for _, m := range fx.Magics() {
		if m.Install {
			installs = append(installs, m)
		}
	}
	if len(installs) != 2 || installs[0].Line != 3 || installs[0].EndLine != 4 || installs[1].Translation != TrApt {
		t.Fatalf("bash installs: %+v", installs)
	}
	ins := fx.Installs()
	if len(ins) != 2 || len(ins[0].Specs) != 2 || ins[0].Specs[0].Pin != "4.66.4" || ins[0].Specs[1].Pinned {
		t.Fatalf("installs: %+v", ins)
	}
}

func TestShellSegments(t *testing.T) {
	segs := shellSegments(`cd "my dir" && pip install 'a>=1' b; echo x > out.txt | cat  # done`)
	var got []string
	for _, s := range segs {
		got = append(got, strings.Join(s.Words, " ")+map[bool]string{true: " [>]"}[s.Redirect])
	}
	want := []string{"cd my dir", "pip install a>=1 b", "echo x [>]", "cat"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("segments %q, want %q", got, want)
	}
}
