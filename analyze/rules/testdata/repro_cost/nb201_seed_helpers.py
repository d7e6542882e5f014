# %%
import random
import numpy as np
import torch


def set_seed(seed=42):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def init_everything():
    set_seed(7)

# %%
init_everything()

# %%
a = random.choice([1, 2, 3])
b = np.random.permutation(10)
layer = torch.nn.Linear(3, 2)
