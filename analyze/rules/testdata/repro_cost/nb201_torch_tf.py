# %%
import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, random_split
import tensorflow as tf
from tensorflow import keras

# %%
g = torch.Generator().manual_seed(1)
a = torch.randn(3, generator=g)
train, val = random_split(ds, [0.8, 0.2], generator=g)
loader = DataLoader(train, shuffle=True)  # want NB201
ordered = DataLoader(val, shuffle=False)

# %%
keras.utils.set_random_seed(7)
model = keras.Sequential([keras.layers.Dense(4), keras.layers.Dropout(0.2)])
u = tf.random.uniform([2])
v = np.random.rand(2)

# %%
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)  # want NB201

# %%
init = keras.initializers.GlorotUniform(seed=1)
