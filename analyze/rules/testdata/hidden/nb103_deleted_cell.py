# %% In[1]
import pandas as pd

# %% In[4]
df = pd.DataFrame({"revenue": [10.0]})  # want NB107[warning]

# %% In[5]
df["margin"] = df.revenue - costs  # want NB103[blocker]
