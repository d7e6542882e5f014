# %% In[1]
import pandas as pd

# %% In[3]
df = pd.DataFrame({"amount": [1, -2, 3]})

# %% In[2]
df = df[df.amount > 0]  # want NB101[warning] NB104[warning] NB108[info]
# want-notebook NB101[info]
