# %% [markdown]
# RULES.md §2.1.4 negative examples N1–N15: no NB30x finding at warning or
# above, except where noted. N10 keeps its NB306 (the table says so); N15 is
# a warning because "tracked and small" cannot be decided without reading
# the file system (CONTRACT.md §6): the `allow` option of NB303 makes such
# reference files info (see TestNB303AllowOption).

# %%
import io
import os
import re
import joblib
import requests
import pandas as pd
from pathlib import Path
from sklearn.datasets import load_iris
from sqlalchemy import create_engine

# %% N1
df = pd.read_csv(io.StringIO(csv_text))

# %% N2
df = pd.read_csv(cfg["paths"]["customers"])

# %% N3: the fallback is capped at info
DATA_DIR = Path(os.environ.get("DATA_DIR", "data"))  # want NB303[info]
train = pd.read_csv(DATA_DIR / "train.csv")

# %% N4
df["day"] = pd.to_datetime(df["day"], format="%Y/%m/%d")

# %% N5: an API call, summarised at info
r = requests.post("https://api.example.com/v1/score", json=payload, timeout=5)  # want NB305[info]

# %% N6
with open("/dev/null", "w") as f:
    f.write("x")

# %% N7
@app.route("/predict")
def predict():
    return "ok"

# %% N8
df["unit"] = "km/h"
mime = "text/csv"

# %% N9
pd.read_csv("s3://" + cfg.bucket + "/" + key)

# %% N10: no password, so no NB402; the endpoint is still NB306
create_engine("postgresql://etl@db.internal:5432/dw")  # want NB306[warning]

# %% N11
X, y = load_iris(return_X_y=True)

# %% N12
parts = re.split(r"[/\\]", s)

# %% N13: /tmp is info only
cache = "/tmp/cache"  # want NB307[info]
memory = joblib.Memory(cache)

# %% N14
with open("README.md") as f:
    readme = f.read()

# %% N15: decided differently (see the note above)
countries = pd.read_csv("data/lookup_countries.csv")  # want NB303[warning]
