# %% In[1]
import pandas as pd
df = pd.DataFrame({"price": [1.0, 2.0]})
counter = 0
rows = []
lengths = [1, 2]

# %% In[2]
df["price"] = df["price"] * 1.19  # want NB108[warning]

# %% In[3]
counter += 1  # want NB108[warning]

# %% In[4]
rows.append(counter)  # want NB108[warning]

# %% In[5]
df.dropna(inplace=True)  # want NB108[warning]

# %% In[6]
lengths = sorted(lengths)  # want NB108[info]

# %% In[7]
local = []
local.append(1)
local += [2]

# %% In[8]
import numpy as np
df["price"] = df["price"].astype(int)  # want NB108[info]

# %% In[9]
df["bucket"] = np.append(lengths, 3)[:2]
df["bucket"] = df["bucket"].astype("category")
arr = np.append(lengths, 4)
