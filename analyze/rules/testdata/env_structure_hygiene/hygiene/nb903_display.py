# %%
import pandas as pd
import matplotlib.pyplot as plt
pd.set_option("display.max_columns", 50)  # want NB903[info]
df = pd.read_csv("data/sales.csv")
df.head()
df

# %%
df.describe()
print(df.shape)
print(f"{len(df)} rows")
df.amount.hist()
plt.show()
plt.savefig("out/amount.png")
summary = df.describe()
summary.to_csv("out/summary.csv")

# %% tags=["nbprod-output"]
summary
