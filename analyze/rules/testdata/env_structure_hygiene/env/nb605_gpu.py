# %%
import os
import torch
import cupy  # want NB605
from xgboost import XGBClassifier

# %%
model = torch.nn.Linear(4, 2).cuda()  # want NB605 NB203[info]
x = torch.zeros(3, device="cuda:0")

# %%
clf = XGBClassifier(tree_method="gpu_hist")  # want NB605
params = {"task_type": "GPU", "iterations": 100}

# %%
os.environ["CUDA_VISIBLE_DEVICES"] = "1"  # want NB605

# %%
device = "cuda" if torch.cuda.is_available() else "cpu"
net = torch.nn.Linear(4, 2).to(device)
if torch.cuda.is_available():
    net = net.cuda()
use_gpu = torch.cuda.is_available()
if use_gpu:
    y = torch.ones(2).cuda()
os.environ["CUDA_VISIBLE_DEVICES"] = ""
try:
    import cudf
except ImportError:
    cudf = None

# %% tags=["training"]
trainer_model = torch.nn.Linear(2, 2).cuda()
