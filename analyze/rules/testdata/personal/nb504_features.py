# %% [markdown]
# Personal data reaching a model's features (NB504).

# %%
import hashlib
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

# %%
customers = pd.read_csv("data/customers.csv")
features = ["age", "gender", "tenure_months", "monthly_spend"]  # want NB501
X = customers[features]
y = customers["churned"]

# %%
model = LogisticRegression().fit(X, y)  # want NB504

# %%
applicants = pd.read_csv("data/applicants.csv", usecols=["dob", "income", "defaulted"])  # want NB501
X_train, X_test, y_train, y_test = train_test_split(applicants.drop(columns=["defaulted"]), applicants["defaulted"])

# %%
clf = LogisticRegression().fit(X_train, y_train)  # want NB504
clf.predict(X_test)

# %% [markdown]
# Negative: personal columns dropped or hashed before fitting.

# %%
users = pd.read_csv("data/users.csv")
users[["email", "phone", "sessions", "active"]].head()  # want NB501
users["email"] = users["email"].map(lambda e: hashlib.sha256(e.encode()).hexdigest())
X2 = users.drop(columns=["active", "phone"])
LogisticRegression().fit(X2, users["active"])

# %%
events = pd.read_csv("data/events.csv")
LogisticRegression().fit(events.drop(columns=["label"]), events["label"])
