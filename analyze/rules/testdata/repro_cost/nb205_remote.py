# %%
from transformers import AutoTokenizer, AutoModel, pipeline
from datasets import load_dataset
from huggingface_hub import hf_hub_download
from sklearn.datasets import fetch_openml
import torch

MODEL = "bert-base-uncased"
REV = "0a6aa9128b6194f4f3c4db429b6cb4891cdb421b"

# %%
tok = AutoTokenizer.from_pretrained(MODEL)  # want NB205
model = AutoModel.from_pretrained(MODEL)
pinned = AutoModel.from_pretrained("org/pinned-model", revision=REV)
branch = AutoModel.from_pretrained("org/branch-model", revision="main")  # want NB205
configured = AutoModel.from_pretrained("org/configured", revision=cfg.models.configured.revision)

# %%
clf = pipeline("sentiment-analysis")  # want NB205
ner = pipeline("ner", model="dslim/bert-base-NER", revision="f7c2808")

# %%
ds = load_dataset("imdb")  # want NB205
local_csv = load_dataset("csv", data_files="data/train.csv")
weights = hf_hub_download(repo_id="org/weights", filename="model.safetensors")  # want NB205

# %%
hub = torch.hub.load("pytorch/vision", "resnet18")  # want NB205
hub_pinned = torch.hub.load("pytorch/vision:v0.10.0", "resnet18")
mnist = fetch_openml("mnist_784")  # want NB205
mnist_v1 = fetch_openml("mnist_784", version=1)
by_id = fetch_openml(data_id=554)

# %%
trainer_out = "./finetuned"
mine = AutoModel.from_pretrained("./finetuned")
abs_path = AutoModel.from_pretrained("/models/bert")
model.save_pretrained("my-model-v2")
reloaded = AutoModel.from_pretrained("my-model-v2")
plain = AutoModel.from_pretrained("model")
kwargs = {"cache_dir": "/tmp/hf"}
with_kwargs = AutoModel.from_pretrained("org/kw-model", **kwargs)  # want NB205
opaque = AutoModel.from_pretrained("org/opaque", **settings)
