package facts

import (
	"reflect"
	"sort"
	"strings"
	"testing"
)

func factsOf(t *testing.T, cells ...string) *Notebook {
	t.Helper()
	w := NewWorker()
	t.Cleanup(w.Close)
	return w.New(notebookOf(cells...), Env{})
}

func TestParamBillions(t *testing.T) {
	cases := map[string]float64{
		"meta-llama/Llama-2-7b-hf":            7,
		"mistralai/Mixtral-8x7B-Instruct":     7,
		"tiiuae/falcon-40b":                   40,
		"microsoft/phi-1_5":                   0,
		"Qwen/Qwen2.5-1.5B-Instruct":          1.5,
		"bert-base-uncased":                   0,
		"google/gemma-2b_it":                  2,
		"EleutherAI/gpt-j-6b":                 6,
		"org/model7bit":                       0,
		"bigscience/bloomz-1b7":               0,
		"meta-llama/Meta-Llama-3.1-70B":       70,
		"sentence-transformers/all-MiniLM-L6": 0,
	}
	for id, want := range cases {
		if got := ParamBillions(id); got != want {
			t.Errorf("ParamBillions(%q) = %v, want %v", id, got, want)
		}
	}
}

func TestIsCommitRevision(t *testing.T) {
	for s, want := range map[string]bool{"main": false, "v1.0.0": false, "abc1234": true, "abc123": false,
		"0a6aa9128b6194f4f3c4db429b6cb4891cdb421b": true, "refs/pr/1": false, "deadbeefz": false} {
		if got := IsCommitRevision(s); got != want {
			t.Errorf("IsCommitRevision(%q) = %v, want %v", s, got, want)
		}
	}
}

// rngSummary lists "what:seeded" for every RNG use.
func rngSummary(fx *Notebook) []string {
	var out []string
	for _, u := range fx.Randomness().Uses {
		s := "unseeded"
		if u.Seed != nil {
			s = "seeded"
		}
		if u.Generator {
			s = "generator"
		}
		out = append(out, u.Call.Callee+":"+s)
	}
	return out
}

func TestRandomness(t *testing.T) {
	cases := []struct {
		cells []string
		want  []string
	}{
		{[]string{"import random\nrandom.random()\nrandom.seed(1)\nrandom.random()"},
			[]string{"random.random:unseeded", "random.random:seeded"}},
		// Seeding in an earlier cell counts; seeding NumPy does not seed random.
		{[]string{"import numpy as np, random\nnp.random.seed(0)", "np.random.rand()\nrandom.choice([1])"},
			[]string{"np.random.rand:seeded", "random.choice:unseeded"}},
		// from-imports resolve; a seed from the clock is no seed.
		{[]string{"import time\nfrom numpy.random import seed, randn\nseed(int(time.time()))\nrandn(3)"},
			[]string{"randn:unseeded"}},
		// Generators: a global seed does not reach them.
		{[]string{"import numpy as np\nnp.random.seed(1)\nnp.random.default_rng()\nnp.random.default_rng(3)"},
			[]string{"np.random.default_rng:generator"}},
		// A notebook helper that seeds, called before the use.
		{[]string{"import torch\ndef fix(s):\n    torch.manual_seed(s)", "fix(3)\ntorch.rand(2)"},
			[]string{"torch.rand:seeded"}},
		// Lightning's helper seeds everything; without an argument it picks a random seed.
		{[]string{"import lightning as L\nimport numpy as np\nL.seed_everything()\nnp.random.rand()\nL.seed_everything(4)\nnp.random.rand()"},
			[]string{"np.random.rand:unseeded", "np.random.rand:seeded"}},
		// Inside a function: a module-level seed anywhere covers it.
		{[]string{"import random\ndef f():\n    return random.random()", "random.seed(2)"},
			[]string{"random.random:seeded"}},
		// torch with an explicit generator, Keras initialiser with a seed: not global draws.
		{[]string{"import torch\nfrom tensorflow import keras\ng = torch.Generator()\ntorch.randn(2, generator=g)\nkeras.initializers.HeNormal(seed=1)\nkeras.initializers.HeNormal()"},
			[]string{"keras.initializers.HeNormal:unseeded"}},
	}
	if fams := factsOf(t, "import torch, random\ntorch.rand(1)\nrandom.random()").Randomness().Families(); !reflect.DeepEqual(fams, []RNGFamily{RNGPython, RNGTorch}) {
		t.Errorf("Families() = %v", fams)
	}
	for _, c := range cases {
		got := rngSummary(factsOf(t, c.cells...))
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q:\n got  %v\n want %v", c.cells, got, c.want)
		}
	}
}

func TestMissingRandomState(t *testing.T) {
	fx := factsOf(t, `from sklearn.ensemble import RandomForestClassifier as RF
from sklearn import model_selection as ms
import xgboost
from sklearn.decomposition import PCA
RF()
RF(random_state=1)
ms.KFold(5)
ms.KFold(5, shuffle=True)
ms.train_test_split(X, y, random_state=None)
xgboost.XGBClassifier()
PCA(svd_solver="arpack")
PCA(svd_solver="full")`)
	var got []string
	for _, rc := range fx.MissingRandomState() {
		s := rc.Name + ":" + rc.Param
		if rc.ExplicitNone {
			s += ":none"
		}
		if rc.FixedDefault {
			s += ":fixed"
		}
		if rc.Condition != "" {
			s += ":" + rc.Condition
		}
		got = append(got, s)
	}
	want := []string{"RandomForestClassifier:random_state", "KFold:random_state:shuffle=True",
		"train_test_split:random_state:none", "XGBClassifier:random_state:fixed", "PCA:random_state:svd_solver='arpack'"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}

// sinkSummary lists "kind@cell:via" for every clock sink.
func sinkSummary(fx *Notebook) []string {
	var out []string
	for _, s := range fx.WallClock().Sinks {
		out = append(out, s.Kind+"@"+string(rune('0'+s.Cell))+":"+strings.Join(s.Via, ">"))
	}
	return out
}

func TestWallClock(t *testing.T) {
	cases := []struct {
		cells []string
		want  []string
	}{
		// Timing: differences, deadlines, prints and logs are never sinks.
		{[]string{"import time\nt0 = time.time()\nwork()\nprint(time.time() - t0)\nd = time.time() + 5\nwhile time.time() < d:\n    pass"}, nil},
		// A cutoff flows across cells into a filter.
		{[]string{"from datetime import datetime, timedelta\nnow = datetime.now()\ncutoff = now - timedelta(days=7)",
			"df = df[df.ts > cutoff]"}, []string{"comparison@1:now>cutoff"}},
		// A name made from the clock is an identifier: only file names and queries count.
		{[]string{"import time\njob = 'job-' + time.strftime('%Y%m%d')\nif job in jobs:\n    pass\nopen(job + '.log')"},
			[]string{"file-read@0:job"}},
		// A column computed from the clock and the data; a constant column is not.
		{[]string{"import pandas as pd\ndf['age'] = pd.Timestamp.now().year - df['born']\ndf['loaded'] = pd.Timestamp.now()"},
			[]string{"data-column@0:"}},
		// Returned from a notebook function, then used as a model input.
		{[]string{"from datetime import date\ndef today():\n    return date.today()", "t = today()\nmodel.predict([[t.year]])"},
			[]string{"model-input@1:t"}},
		// pd.to_datetime("now") is a clock read; to_datetime of data is not.
		{[]string{"import pandas as pd\nx = pd.to_datetime('now')\ny = pd.to_datetime(df.d)\ndf.loc[:x]\ndf.loc[:y]"},
			[]string{"slice@0:x"}},
	}
	for _, c := range cases {
		fx := factsOf(t, c.cells...)
		if len(fx.WallClock().Reaching()) != map[bool]int{true: 1, false: 0}[len(c.want) > 0] {
			t.Errorf("%q: Reaching() = %v", c.cells, fx.WallClock().Reaching())
		}
		got := sinkSummary(fx)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q:\n got  %v\n want %v", c.cells, got, c.want)
		}
	}
}

func TestRowContext(t *testing.T) {
	fx := factsOf(t,
		"from openai import OpenAI\nclient = OpenAI()\ndef ask(q):\n    return client.chat.completions.create(model='m', messages=[q])\ndef row(r):\n    return ask(r.q)",
		"df.apply(row, axis=1)",
		"for i in range(0, len(qs), 10):\n    client.embeddings.create(model='e', input=qs[i:i+10])",
		"for q in ['a', 'b']:\n    ask(q)")
	pcs := fx.PaidCalls()
	if len(pcs) != 2 {
		t.Fatalf("want 2 paid calls, got %d", len(pcs))
	}
	rc := pcs[0].Row
	if !rc.PerRow || rc.Kind != "apply" || rc.Cell != 1 || !reflect.DeepEqual(rc.Via, []string{"row", "ask"}) || rc.Fixed {
		t.Errorf("ask's call: got %+v, want per-row apply in cell 1 via row → ask", rc)
	}
	if pcs[0].Provider != "openai" || pcs[0].API != "chat.completions.create" {
		t.Errorf("provider/API = %s %s", pcs[0].Provider, pcs[0].API)
	}
	if rc := pcs[1].Row; !rc.PerRow || !rc.Batched {
		t.Errorf("embeddings in a stepped range: got %+v, want batched", rc)
	}
}

func TestRemoteArtifacts(t *testing.T) {
	fx := factsOf(t, `from transformers import AutoModel
from datasets import load_dataset
AutoModel.from_pretrained("gpt2")
AutoModel.from_pretrained("./local")
AutoModel.from_pretrained("model")
AutoModel.from_pretrained("checkpoint-500")
AutoModel.from_pretrained("org/name", revision="v2")
AutoModel.from_pretrained("org/pinned", commit_id="abcdef1")
load_dataset("squad")
load_dataset("json", data_files="x.json")
!git clone https://huggingface.co/org/cloned
AutoModel.from_pretrained("cloned")`)
	var got []string
	for _, a := range fx.RemoteArtifacts() {
		got = append(got, a.ID+":"+a.Kind+":"+map[bool]string{true: "pinned", false: "unpinned"}[a.Pinned]+":"+a.ConfigKey)
	}
	sort.Strings(got)
	want := []string{"gpt2:model:unpinned:models.gpt2.revision", "org/name:model:unpinned:models.name.revision",
		"org/pinned:model:pinned:models.pinned.revision", "squad:dataset:unpinned:datasets.squad.revision"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}

func TestModelLoadsAndRowIterations(t *testing.T) {
	fx := factsOf(t, "import joblib, pickle\nfor f in files:\n    model = joblib.load(f)\n    data = pickle.load(open(f))\nfor p in ['a_model.pkl', 'b_model.pkl']:\n    joblib.load(p)",
		"import pandas as pd\nsmall = pd.DataFrame({'a': [1, 2]})\nfor _, r in small.iterrows():\n    x = r.a\nfor _, r in big.iterrows():\n    x = r.a\nfor _, r in big.iterrows():\n    print(str(r.a))")
	var loads []string
	for _, ml := range fx.ModelLoads() {
		loads = append(loads, ml.Loader+":"+map[bool]string{true: "fixed", false: "rows"}[ml.Row.Fixed])
	}
	if want := []string{"joblib.load:rows", "joblib.load:fixed"}; !reflect.DeepEqual(loads, want) {
		t.Errorf("model loads: got %v, want %v (pickle.load of data is not a model)", loads, want)
	}
	its := fx.RowIterations()
	if len(its) != 1 || its[0].Frame != "big" || its[0].Kind != "iterrows" || its[0].Pos.Line != 5 {
		t.Errorf("row iterations: got %+v, want one iterrows over big at line 5", its)
	}
}

// TestReproFactsOddInput runs every reproducibility and cost fact over
// broken and unusual cells: nothing may panic.
func TestReproFactsOddInput(t *testing.T) {
	cells := []string{
		"import numpy as np\nnp.random.seed(",
		"for x in :\n    np.random.rand()",
		"def f(:\n    return datetime.now()",
		"from datetime import datetime\nx = datetime.now() -",
		"df.apply(lambda: , axis=1)",
		"AutoModel.from_pretrained(",
		"from transformers import pipeline\npipeline()\npipeline(task=None)",
		"%%bash\necho hi",
		"!mkdir -p models\n%time x = 1",
		"a, *b = time.time(), 1\n[c := datetime.now()]\nwith open(f'{c}') as fh, open(x) as g:\n    pass",
		"class A:\n    def m(self):\n        return self.client.chat.completions.create()",
		"for i in range(len(df)):\n    df.iloc[i]\nelse:\n    pass",
		"while True:\n    joblib.load('model.pkl')\n    break",
		"lambda: np.random.rand()",
		"match x:\n    case {'a': 1}:\n        datetime.now() > y",
		"def g():\n    yield from (openai.ChatCompletion.create() for _ in rows)",
		"x: int\ny = z = datetime.now()\ndf[df.d > y]",
		"",
	}
	fx := factsOf(t, cells...)
	fx.Randomness()
	fx.SeedsWithHelpers([]string{"x", ""})
	fx.MissingRandomState()
	fx.WallClock()
	fx.RemoteArtifacts()
	fx.LargeModels()
	fx.ModelLoads()
	fx.PaidCalls()
	fx.RowIterations()
	for i := range cells {
		single := factsOf(t, cells[i])
		single.WallClock()
		single.PaidCalls()
		single.ModelLoads()
		single.RowIterations()
		single.Randomness()
		single.MissingRandomState()
		single.RemoteArtifacts()
		single.LargeModels()
	}
}
