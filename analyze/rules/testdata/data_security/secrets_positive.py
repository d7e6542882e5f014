# %% [markdown]
# RULES.md §2.2.5 positive examples. Every token is split with implicit
# concatenation (one constant for Python, nothing whole for line-based
# scanners); S13, S19 and S20 (magic line, comment, output) need the token
# unsplit and are built at run time in family_data_security_test.go.

# %%
import os
import boto3
import openai
import psycopg2
import requests
import stripe
from github import Github
from huggingface_hub import login
from sqlalchemy import create_engine
from azure.storage.blob import BlobServiceClient
from databricks.sdk import WorkspaceClient

# %% S1: two findings (L1 access key id, L2 secret access key)
s3 = boto3.client("s3", aws_access_key_id="AKIA" "ZDOCIS2JHTLGMXGE", aws_secret_access_key="hA+2O76UMFxFkM+R5Kjp" "1vRt/1fjORS+6ilI8ihN")  # want NB401 NB401

# %% S2
g = Github("ghp_" "u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d")  # want NB401

# %% S3
login(token="hf_" "PKRCsTyQwbDwkNhFdnXsiVpzzFfkCzJriB")  # want NB401

# %% S4
openai.api_key = "sk-" "3JrTAwR4y9ojfljoQoaF" "T3Blbk" "FJ1LlqsajAIxNKu8iS2G8N"  # want NB401[blocker]

# %% S5
SLACK = "xoxb-" "078666617603-1372159010928-g8xNbe3nNyjOq9wMxEhh2FDE"  # want NB401

# %% S6
maps_key = "AIza" "9NksnRH9ucAUsdMlHUvTCQCyEZDz_TddJ8H"  # want NB401

# %% S7
# want-cell NB401
PEM = """-----BEGIN RSA PRIV""" """ATE KEY-----
MIIEowIBAAKCAQEAx8f3kD9sLq2Zc4Vt7Yb1NnRr0Wm5Hh6Jj8Kk9Ll0Pp1Qq2Rr3Ss4Tt5Uu6Vv7Ww8Xx9Yy0Zz
-----END RSA PRIV""" """ATE KEY-----"""

# %% S8
creds = {"type": "service_account", "project_id": "acme-ml", "private_key": "-----BEGIN PRIV" "ATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKjMzEfYyjiWA4R4\n-----END PRIV" "ATE KEY-----\n"}  # want NB401

# %% S9
password = "Tr0ub4" "dor&3"  # want NB401

# %% S10
conn = psycopg2.connect(host="db.internal", user="etl", password="s3cr3t" "-Passw0rd")  # want NB401

# %% S11
def get_conn(user, pwd="hunter2" "!Prod"):  # want NB401
    return None

# %% S12
if db_password == "letmein" "123":  # want NB401
    pass

# %% S14
os.environ["KAGGLE_KEY"] = "a68ef786" "e4d3cea27d26934b484e73cf"  # want NB401

# %% S15
engine = create_engine("mssql+pyodbc://sa:" "P%40ssw0rd2024@sqlprod01/dw?driver=ODBC+Driver+17")  # want NB402 NB306

# %% S16
blob = BlobServiceClient.from_connection_string("DefaultEndpointsProtocol=https;AccountName=acmeml;AccountKey=" "yS5SUkCnD8zRA9a9SkpXz9w3QlY7Zkuvqdt7s8Stqcbnr3yBdGBLEPH1qhT61qtc4xatws8phP9nhFyJfm5di4==" ";EndpointSuffix=core.windows.net")  # want NB402

# %% S17
r = requests.get(url, auth=("svc_reporting", "Qz8!vN" "2#pL"), timeout=10)  # want NB401 NB305[info]

# %% S18
headers = {"Authorization": "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." "eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"}  # want NB401[blocker]

# %% S21
stripe.api_key = "sk_live_" "kQ1okTBGzvAmwufUxbvJDCTb"  # want NB401[blocker]

# %% S22
w = WorkspaceClient(host=HOST, token="dapi" "ca923732881584d8c4fa2815d2802827")  # want NB401
