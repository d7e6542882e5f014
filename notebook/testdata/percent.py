# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

import os

# %% [markdown]
# # A title
# Some *markdown*

# %% Load the data tags=["parameters"]
# %matplotlib inline
# !pip install pandas==2.1
DATA = "data/x.csv"

# %%
print(DATA)
