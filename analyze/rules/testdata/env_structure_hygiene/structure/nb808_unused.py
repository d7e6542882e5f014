# %%
from __future__ import annotations
import os  # want NB808[info]
import re
import pandas as pd
from mpl_toolkits import mplot3d
from sklearn.experimental import enable_iterative_imputer

def clean(df):
    return df.dropna()

# %%
raw = pd.read_csv("data/sales.csv")
tmp = raw.describe()  # want NB808[info]
_scratch = raw.head()
limit = 10
small = raw.query("amount < @limit")

# %%
def clean(df):  # want NB808[info]
    return df.dropna().drop_duplicates()

df = clean(small)
pattern = re.compile("a+")
df.to_csv("out/clean.csv")
print(pattern)
