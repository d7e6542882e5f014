# %% [markdown]
# Personal data leaving the notebook (NB505).

# %%
import mlflow
import pandas as pd
import requests
import wandb
from openai import OpenAI

# %%
customers = pd.read_csv("data/customers.csv")
churned = customers[customers["churned"] == 1]
churned[["customer_id", "email", "phone", "monthly_spend"]].to_csv("churned.csv", index=False)  # want NB501 NB505

# %%
requests.post("https://crm.example.net/api/import", json=churned[["email", "first_name"]].to_dict(orient="records"))  # want NB505

# %%
wandb.log({"sample": wandb.Table(dataframe=churned[["email", "monthly_spend"]])})  # want NB505
mlflow.log_table(data=churned[["phone", "monthly_spend"]], artifact_file="sample.json")  # want NB505

# %%
client = OpenAI()
rows = churned[["email", "complaint"]].head(20)
prompt = f"Summarise these complaints:\n{rows.to_markdown()}"
client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])  # want NB505

# %% [markdown]
# Negative: pseudonymised or aggregated exports, governed sinks.

# %%
churned.drop(columns=["email", "phone"]).groupby("plan").monthly_spend.mean().to_csv("by_plan.csv")
churned[["customer_id", "monthly_spend"]].to_csv("ids_only.csv")
summary = churned[["plan", "monthly_spend"]]
summary.to_json("summary.json")
