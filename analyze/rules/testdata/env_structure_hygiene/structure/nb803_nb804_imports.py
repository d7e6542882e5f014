# %%
"""Sales report."""
import warnings
warnings.filterwarnings("ignore")
import pandas as pd
from math import *  # want NB803
import sys
sys.path.append("src")
import numpy as np

# %%
df = pd.read_csv("data/sales.csv")
total = sqrt(np.sum(df.amount))

# %%
import matplotlib.pyplot as plt  # want NB804[info]
from pylab import *  # want NB803
plt.plot(df.amount)

# %%
def lazy():
    import scipy
    return scipy.stats.norm(0, 1)

print(total, lazy())
