# %% [markdown]
# Personal-data columns in every context NB501 reads (one finding per frame).

# %%
import pandas as pd
import seaborn as sns

# %%
customers = pd.read_csv("data/customers.csv", usecols=["customer_id", "email", "plan"])  # want NB501
customers.groupby("plan").size()

# %%
leads = pd.read_excel("data/leads.xlsx")
leads[["first_name", "last_name", "score"]].head()  # want NB501

# %%
visits = pd.read_parquet("data/visits.parquet")
visits.ip_address.nunique()  # want NB501

# %%
accounts = pd.DataFrame({"iban": [], "balance": []})  # want NB501

# %%
staff = pd.read_csv("data/hr.csv")
staff = staff.rename(columns={"mail": "email_address"})  # want NB501

# %%
orders = pd.read_csv("data/orders.csv")
members = pd.read_csv("data/members.csv")
members.merge(orders, on="member_id").groupby("gender").size()  # want NB501

# %%
survey = pd.read_csv("data/survey.csv")
sns.countplot(x="marital_status", data=survey)  # want NB501

# %%
query = "SELECT u.user_name, u.phone_number, u.signup_date FROM app.users u"  # want NB501
signups = pd.read_sql(query, con)

# %%
patients = pd.read_csv("data/patients.csv")
patients.sort_values("birth_date")  # want NB501
