# %%
import time
import numpy as np

# %%
np.random.seed(int(time.time()))
noise = np.random.normal(size=10)  # want NB201

# %%
def sample(n):
    return np.random.choice(n)  # want NB201

# %%
import random


def shuffled(xs):
    random.seed(3)
    random.shuffle(xs)
    return xs
