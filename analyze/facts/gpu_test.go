package facts

import (
	"strings"
	"testing"

	"github.com/nbprod/nbprod/notebook"
)

func TestGPUEvidence(t *testing.T) {
	cases := []struct {
		name   string
		cells  []string
		want   []string // kind:text:guarded, in order
		req    bool
		used   bool
		hardcd int
	}{
		{"cuda call", []string{"import torch\nm = torch.nn.Linear(2, 2).cuda()"},
			[]string{"cuda-call:torch.nn.Linear(2, 2).cuda():false"}, false, true, 1},
		{"device idiom", []string{"import torch\ndevice = 'cuda' if torch.cuda.is_available() else 'cpu'\nx = torch.zeros(2).to(device)"},
			[]string{"device:'cuda' if torch.cuda.is_available() else 'cpu':true"}, false, true, 0},
		{"torch.device", []string{"import torch\nd = torch.device('cuda:0')"},
			[]string{"device:torch.device('cuda:0'):false"}, false, true, 1},
		{"to cuda guarded by if", []string{"import torch\nif torch.cuda.is_available():\n    x = torch.ones(2).to('cuda')\nelse:\n    x = torch.ones(2).cuda()"},
			[]string{"device:torch.ones(2).to('cuda'):true", "cuda-call:torch.ones(2).cuda():true"}, false, true, 0},
		{"flag in another cell", []string{"import torch\nuse_gpu = torch.cuda.is_available()", "if use_gpu:\n    y = torch.ones(1).cuda()"},
			[]string{"cuda-call:torch.ones(1).cuda():true"}, false, true, 0},
		{"keyword device", []string{"import torch\nx = torch.zeros(3, device='cuda')"},
			[]string{"device:device='cuda':false"}, false, true, 1},
		{"tf device", []string{"import tensorflow as tf\nwith tf.device('/GPU:0'):\n    a = tf.constant(1)"},
			[]string{"tf-device:tf.device('/GPU:0'):false"}, false, true, 1},
		{"gpu options", []string{"from xgboost import XGBClassifier\nm = XGBClassifier(tree_method='gpu_hist')\np = {'task_type': 'GPU'}\nq = {'device': 'gpu'}"},
			[]string{"gpu-option:tree_method='gpu_hist':false", "gpu-option:'task_type': 'GPU':false", "gpu-option:'device': 'gpu':false"}, false, true, 3},
		{"lightning", []string{"import lightning as L\nt = L.Trainer(accelerator='gpu', devices=1)"},
			[]string{"lightning:accelerator='gpu':false"}, true, true, 1},
		{"pipeline", []string{"from transformers import pipeline\np = pipeline('sentiment-analysis', device=0)"},
			[]string{"pipeline:device=0:false"}, false, true, 1},
		{"gpu library", []string{"import cupy as cp\ntry:\n    import cudf\nexcept ImportError:\n    cudf = None"},
			[]string{"gpu-library:import cupy:false", "gpu-library:import cudf:true"}, false, true, 1},
		{"env var", []string{"import os\nos.environ['CUDA_VISIBLE_DEVICES'] = '0'\nos.environ['CUDA_VISIBLE_DEVICES'] = ''", "%env CUDA_VISIBLE_DEVICES=1"},
			[]string{"cuda-env:os.environ['CUDA_VISIBLE_DEVICES'] = '0':false", "cuda-env:%env CUDA_VISIBLE_DEVICES=1:false"}, true, false, 0},
		{"probe", []string{"!nvidia-smi"}, []string{"probe:!nvidia-smi:false"}, true, false, 0},
		{"cpu only", []string{"import torch\nx = torch.zeros(2).to('cpu')\nif device == 'cuda':\n    pass"}, nil, false, false, 0},
	}
	for _, tc := range cases {
		w := NewWorker()
		fx := w.New(notebookOf(tc.cells...), Env{})
		g := fx.GPU()
		var got []string
		for _, e := range g.Evidence {
			got = append(got, e.Kind+":"+e.Text+":"+map[bool]string{true: "true", false: "false"}[e.Guarded])
		}
		w.Close()
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%s: evidence\n%s\nwant\n%s", tc.name, strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
		}
		if g.Requested != tc.req || g.Used != tc.used || len(g.Hardcoded) != tc.hardcd {
			t.Errorf("%s: requested %v used %v hardcoded %d; want %v %v %d", tc.name, g.Requested, g.Used, len(g.Hardcoded), tc.req, tc.used, tc.hardcd)
		}
	}
}

func TestGPUMetadata(t *testing.T) {
	for _, tc := range []struct {
		meta      string
		requested bool
	}{
		{`{"accelerator": "GPU"}`, true},
		{`{"colab": {"gpuType": "T4"}}`, true},
		{`{"kaggle": {"isGpuEnabled": true}}`, true},
		{`{"kaggle": {"accelerator": "nvidiaTeslaT4"}}`, true},
		{`{"kaggle": {"accelerator": "none", "isGpuEnabled": false}}`, false},
		{`{"accelerator": "TPU"}`, false},
	} {
		nb, err := notebook.ReadIPYNB("x.ipynb", strings.NewReader(`{"nbformat": 4, "nbformat_minor": 5, "metadata": `+tc.meta+
			`, "cells": [{"cell_type": "code", "id": "a", "execution_count": 1, "metadata": {}, "outputs": [], "source": "import tensorflow as tf"}]}`))
		if err != nil {
			t.Fatal(err)
		}
		w := NewWorker()
		g := w.New(nb, Env{}).GPU()
		w.Close()
		if g.Requested != tc.requested || !g.Implicit || g.Used {
			t.Errorf("%s: requested %v implicit %v used %v", tc.meta, g.Requested, g.Implicit, g.Used)
		}
	}
}
