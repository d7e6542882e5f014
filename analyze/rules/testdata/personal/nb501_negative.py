# %% [markdown]
# Look-alike columns and non-DataFrame subscripts: no NB501 warning.

# %%
import os
import pandas as pd
import seaborn as sns

# %%
products = pd.read_csv("data/products.csv")
products[["product_name", "name", "address", "price"]].head()

# %%
files = pd.read_csv("data/manifest.csv")
files[["file_name", "host_name", "column_name", "model_name", "company_name", "host_address"]]

# %%
machines = pd.read_csv("data/machines.csv")
machines[["machine_age", "age", "zip_file", "phone_service"]]

# %%
houses = pd.read_csv("data/houses.csv")
houses[["3SsnPorch", "Street", "zipcode", "lat", "long", "condition"]]

# %%
feat = pd.read_csv("data/signals.csv")
feat["hour_sin"] = feat["hour"].apply(lambda h: h)
feat["sin"] = feat["hour_sin"] * 2

# %%
emails_sent = pd.read_csv("data/campaigns.csv")
emails_sent[["email_count", "has_email", "email_template", "is_phone_verified"]]

# %%
sender = os.environ["EMAIL_SENDER"]
config = {"email": "ops", "name": "x"}
config["email"]

# %%
repos = fetch_repos()
repos["full_name"]

# %%
penguins = sns.load_dataset("penguins")
penguins.groupby(["species", "sex"]).size()

# %%
ratings = pd.read_csv("data/ratings.csv")
ratings.groupby("userId").rating.mean()  # want NB501[info]
