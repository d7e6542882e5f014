# %% [markdown]
# RULES.md §2.2.6 negative examples T1–T16 (T15, an image output, is
# TestImageOutputsNotScanned), plus placeholders that read as sentences.

# %%
import os
import getpass
import seaborn as sns
from google.colab import userdata
from transformers import AutoModel, AutoTokenizer
from sqlalchemy import create_engine

# %% T1
api_key = os.environ["OPENAI_API_KEY"]

# %% T2
password = getpass.getpass("DB password: ")

# %% T3
token = userdata.get("HF_TOKEN")

# %% T4
password = ""
password = None

# %% T5
API_KEY = "<your-api-key-here>"
API_KEY = "YOUR_API_KEY"
password = "changeme"
token = "xxxxxxxx"

# %% T6
aws_access_key_id = "AKIAIOSFODNN7" "EXAMPLE"

# %% T7
model = AutoModel.from_pretrained("bert-base-uncased", revision="5546055f03398095e385d7dc625e636cc8910bf2")

# %% T8
max_tokens = 256
tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")
num_tokens = len(ids)

# %% T9
password_field = "password"

# %% T10
secret_name = "prod/db/password"
value = client.get_secret_value(SecretId=secret_name)

# %% T11
expected_sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

# %% T12
run_id = "123e4567-e89b-12d3-a456-426614174000"

# %% T13: the URI has a placeholder password; the endpoint itself is NB306
engine = create_engine("postgresql://etl:${DB_PASSWORD}@db:5432/dw")  # want NB306

# %% T14
csrf_token = "{{ csrf_token }}"

# %% T16
primary_key = "customer_id"
sns.barplot(data=df, x="species", y="mass")

# %% placeholders that read as sentences, tokenizer settings, S3 object keys
enter_password = "EnterYourOwnInfoHere"
pad_token = "<pad>"
key = "datasets/image/MNIST/model/tensorflow-training-2020-11-20/model.tar.gz"
Key = "sagemaker/demo-xgboost/train/train_2.csv"
