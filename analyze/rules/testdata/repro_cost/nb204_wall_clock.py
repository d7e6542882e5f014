# %%
import time
from datetime import datetime, date, timedelta
import pandas as pd

# %%
t0 = time.time()
orders = pd.read_csv("data/orders.csv")
print(f"loaded in {time.time() - t0:.1f}s")
elapsed = time.time() - t0
if elapsed > 60:
    print("slow")
print("report generated", datetime.now())

# %%
today = date.today()
cutoff = datetime.now() - timedelta(days=30)

# %%
recent = orders[orders["created_at"] >= cutoff]  # want NB204

# %%
orders["age_days"] = (pd.Timestamp.today() - orders["signup"]).dt.days  # want NB204

# %%
snapshot = pd.read_csv(f"exports/orders_{today:%Y%m%d}.csv")  # want NB204

# %%
orders.to_csv(f"out/orders_{today}.csv")  # want NB204[info]

# %%
last_week = orders.query("created_at > @cutoff")  # want NB204

# %%
window = orders.loc[cutoff:]  # want NB204

# %%
deadline = time.time() + 600
while time.time() < deadline:
    break
job_name = "train-job-" + time.strftime("%Y-%m-%d-%H-%M-%S", time.gmtime())
if job_name in existing_jobs:
    print("exists")
