# %%
import torch

torch.backends.cudnn.benchmark = True  # want NB203[info]
device = "cuda" if torch.cuda.is_available() else "cpu"
model = torch.nn.Linear(4, 1).to(device)
