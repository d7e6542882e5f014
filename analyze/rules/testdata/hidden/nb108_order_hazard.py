# %% In[1]
import pandas as pd
df = pd.DataFrame({"a": [1.0, None]})

# %% In[3]
len(df)  # want NB108[warning]

# %% In[2]
df.dropna(inplace=True)  # want NB101[warning] NB108[warning]
# want-notebook NB101[info]
