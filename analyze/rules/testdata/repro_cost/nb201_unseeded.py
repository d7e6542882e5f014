# %%
import random
import numpy as np
import torch

# %%
x = np.random.rand(3)  # want NB201
y = np.random.randn(4)
r = random.random()  # want NB201

# %%
np.random.seed(0)
z = np.random.rand(3)
g = np.random.default_rng()  # want NB201
h = np.random.default_rng(42)
rs = np.random.RandomState(None)  # grouped with default_rng() above
t = torch.randn(3)  # want NB201

# %%
# NumPy is seeded above; the generator with a seed is fine.
w = np.random.choice([1, 2, 3], size=2)
v = h.normal(size=3)
