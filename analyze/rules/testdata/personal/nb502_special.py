# %% [markdown]
# Special categories (GDPR Art. 9): strict about their context.

# %%
import pandas as pd

# %%
employees = pd.read_csv("data/employees.csv")
employees[["employee_id", "religion", "union_member"]].head()  # want NB502

# %%
adult = pd.read_csv("data/adult.data", names=["age", "education", "marital-status", "race", "sex", "income"])  # want NB501 NB502
adult.groupby("race").income.value_counts()

# %%
admissions = pd.read_csv("data/admissions.csv")
admissions["diagnosis"].value_counts()  # want NB502

# %%
insurance = pd.read_csv("data/insurance.csv")
insurance[["sex", "bmi", "smoker", "charges"]].describe()  # want NB502 NB501

# %% [markdown]
# Not special categories: a race in motorsport, a house's condition, an
# A/B test's treatment group, a generic filter named condition.

# %%
results = pd.read_csv("data/race_results.csv")
results[["raceId", "race", "driverId", "position"]].head()
races = pd.read_csv("data/races.csv")
races.groupby("race").laps.mean()

# %%
homes = pd.read_csv("data/kc_house_data.csv")
condition = homes["price"] > 500000
homes[condition].groupby("condition").price.mean()

# %%
ab = pd.read_csv("data/ab_test.csv")
ab.groupby("treatment").converted.mean()

# %%
wines = pd.read_csv("data/winequality.csv")
wines[["alcohol", "health", "density"]]

# %%
staff = pd.read_csv("data/staff.csv")
staff[staff["group"] == "Muslim"].salary.mean()  # want NB502
staff[staff["team"] == "Data"].salary.mean()
