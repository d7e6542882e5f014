# %%
import pandas as pd

# %%
df = pd.DataFrame({"a": [1]})

# %%
print(df.a.sum() + later)  # want NB102[blocker]

# %%
later = 1
