# %%
import pandas as pd
orders = pd.read_parquet("data/orders.parquet")
lookup = pd.DataFrame({"code": ["a", "b"], "name": ["Alpha", "Beta"]})

# %%
totals = []
for _, row in orders.iterrows():  # want NB704
    totals.append(row["price"] * row["quantity"])

# %%
orders["total"] = orders.apply(lambda r: r["price"] * r["quantity"], axis=1)
for i in range(len(orders)):
    orders.loc[i, "flag"] = orders.loc[i, "total"] > 100

# %%
for _, row in lookup.iterrows():
    print(row["code"], row["name"])
names = lookup.apply(lambda r: r["name"].upper(), axis=1)
for _, row in orders.iterrows():
    print("order", str(row["id"]), row["total"])
orders["price"].apply(float)
