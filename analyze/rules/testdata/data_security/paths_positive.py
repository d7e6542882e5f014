# %% [markdown]
# RULES.md §2.1.3 positive examples P1–P23 (one per cell). P8, P9 and P16
# are warnings, not blockers: CONTRACT.md §6 never looks at the file system.

# %%
import os
import sqlite3
import joblib
import numpy as np
import pandas as pd
from pathlib import Path
from sqlalchemy import create_engine
from google.colab import drive

# %% P1
df = pd.read_csv("C:\\Users\\anna\\Downloads\\sales_2023.csv")  # want NB302

# %% P2
plan = pd.read_excel(r"C:\Users\anna\OneDrive - Contoso\Forecast\inputs.xlsx", sheet_name="Q3")  # want NB302 NB304

# %% P3
emb = np.load("/home/jdoe/experiments/embeddings.npy")  # want NB301

# %% P4
labels = open("/Users/maria/Desktop/labels.txt").read().splitlines()  # want NB302

# %% P5 (cell 1 of 2): the finding sits on the literal, the reader is related
DATA_DIR = "~/projects/churn/data"  # want NB301[blocker]

# %% P5 (cell 2 of 2)
feats = pd.read_parquet(f"{DATA_DIR}/features.parquet")

# %% P6
raw = Path("/mnt/shared/team-x/raw") / "events.jsonl"  # want NB301
events = pd.read_json(raw, lines=True)

# %% P7
gl = pd.read_csv(r"\\fileserver01\finance\exports\gl.csv")  # want NB301

# %% P8
cust = pd.read_csv("data/customers_final_v3.csv")  # want NB303[warning]

# %% P9
model = joblib.load("../models/rf_best.pkl")  # want NB303[warning] NB404[warning]

# %% P10
train = pd.read_csv("https://raw.githubusercontent.com/org/repo/main/data/train.csv")  # want NB305[warning]

# %% P11
feats = pd.read_parquet("s3://acme-ml-dev/users/jdoe/features/2024-05.parquet")  # want NB306[warning] NB705[info]

# %% P12 (the URI is split so that this file holds no whole credential)
engine = create_engine("postgresql://analyst:" "Winter2024!@10.0.3.17:5432/crm")  # want NB306 NB402[blocker]

# %% P13
!kaggle datasets download -d zynicide/wine-reviews -p data/  # want NB305[warning]

# %% P14
rates = pd.read_csv("https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789/export?format=csv")  # want NB304 NB305

# %% P15
drive.mount('/content/drive')
thesis = pd.read_csv('/content/drive/MyDrive/thesis/data.csv')  # want NB302

# %% P16
con = sqlite3.connect("local_copy.db")  # want NB306 NB303[warning]

# %% P17
scores = pd.DataFrame({"id": [1]})
scores.to_csv("C:/temp/out/scores.csv", index=False)  # want NB307[blocker]

# %% P18
leads = pd.read_excel(os.path.join(os.path.expanduser("~"), "Downloads", "leads.xlsx"))  # want NB302[blocker] NB304

# %% P19
sales = spark.read.format("delta").load("abfss://raw@contosodatalake.dfs.core.windows.net/sales")  # want NB306

# %% P20
clicks = pd.read_csv("hdfs://namenode:8020/user/jdoe/clicks.csv")  # want NB306 NB705[info]

# %% P21
eng = create_engine("mysql+pymysql://root@localhost:3306/shop")  # want NB306[warning]

# %% P22
%cd /Users/maria/work/churn  # want NB308 NB301

# %% P23
titanic = pd.read_csv("/kaggle/input/titanic/train.csv")  # want NB302
