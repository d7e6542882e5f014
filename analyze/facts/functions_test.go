package facts

import (
	"strings"
	"testing"
)

func TestGlobalReaders(t *testing.T) {
	cells := []string{
		"import numpy as np\nfrom sklearn.linear_model import LogisticRegression\nTHRESHOLD = 0.5\nDATA = 'data' + '/raw'\n" +
			"threshold = 0.7\ncols = ['x', 'y']\nGreen = 1\nCorrect = 5 * Green\nnumber = len\ncat = ''.join\nsqrt = np.sqrt\n" +
			"Color = str\nfrom typing import Dict\nGrid = Dict[str, Color]\nsquare = lambda v: v * v\nmodel = LogisticRegression()\ndf = np.zeros(3)\n" +
			"import re\ntokenize = re.compile('[a-z]+').findall\nlr = np.float32(0.1)\nshape = np.zeros(2).shape",
		"def score(df):\n    return model.predict(df[cols]) > threshold\n\n" +
			"def pure(df, model, cutoff=THRESHOLD):\n    return model.predict(df) > cutoff\n\n" +
			"def helpers(x: Grid) -> int:\n    return number(cat(x)) + sqrt(square(2)) + Correct + np.pi\n\n" +
			"def select(frame, k=3, *rest, **kw):\n    return frame[cols].head(k)\n\n" +
			"async def fetch(url, /, timeout=5):\n    return await client.get(url, df)\n\n" +
			"def bump():\n    global counter\n    counter += 1\n    return counter\n\n" +
			"def uses_later():\n    return later_data\n\n" +
			"def toks(s):\n    return tokenize(s)\n\ndef step(w):\n    return w - lr\n\ndef dims():\n    return shape\n",
		"client = make_client()\ncounter = 0\nlater_data = np.ones(2)",
	}
	w := NewWorker()
	defer w.Close()
	fx := w.New(notebookOf(cells...), Env{})
	got := map[string]GlobalReader{}
	for _, r := range fx.GlobalReaders() {
		got[r.Name] = r
	}
	want := map[string]struct {
		globals, data, sig string
	}{
		"score":      {"model cols threshold", "model", "def score(df, model, cols, threshold):"},
		"select":     {"cols", "", "def select(frame, cols, k=3, *rest, **kw):"},
		"helpers":    {"Correct", "", "def helpers(x: Grid, Correct) -> int:"},
		"fetch":      {"client df", "client df", "async def fetch(url, /, client, df, timeout=5):"},
		"bump":       {"counter", "counter", "def bump(counter):"},
		"uses_later": {"later_data", "later_data", "def uses_later(later_data):"},
		"step":       {"lr", "", "def step(w, lr):"},
		"dims":       {"shape", "shape", "def dims(shape):"},
	}
	for name, w := range want {
		r, ok := got[name]
		if !ok {
			t.Errorf("%s: not reported", name)
			continue
		}
		if strings.Join(r.Globals, " ") != w.globals || strings.Join(r.Data, " ") != w.data || r.NewSignature != w.sig {
			t.Errorf("%s: globals %q data %q signature %q; want %q %q %q", name, r.Globals, r.Data, r.NewSignature, w.globals, w.data, w.sig)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: reported but reads no notebook data (%v)", name, got[name].Globals)
		}
	}
	if r := got["score"]; r.Signature != "def score(df):" || r.Line != 1 || r.Col != 1 || r.Cell != 1 {
		t.Errorf("score: %+v", r)
	}
	if r := got["bump"]; strings.Join(r.Writes, " ") != "counter" {
		t.Errorf("bump writes %v", r.Writes)
	}
}
