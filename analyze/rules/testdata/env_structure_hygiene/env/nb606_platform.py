# %%
from google.colab import drive
drive.mount("/content/drive")  # want NB606[blocker]
from google.colab import userdata
api_key = userdata.get("API_KEY")  # want NB606[blocker]

# %%
import pandas as pd
train = pd.read_csv("/kaggle/input/titanic/train.csv")  # want NB606[blocker]
from kaggle_secrets import UserSecretsClient
secret = UserSecretsClient().get_secret("token")  # want NB606[blocker]

# %%
df = spark.read.parquet("dbfs:/mnt/raw/events")  # want NB606[blocker] NB606[blocker]
files = dbutils.fs.ls("/mnt/raw")  # want NB606[blocker]

# %%
rows = spark.sql("select 1").collect()
try:
    import google.colab
    IN_COLAB = True
except ImportError:
    IN_COLAB = False
if IN_COLAB:
    from google.colab import files
    files.download("out.csv")  # want NB606[info]
