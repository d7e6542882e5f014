# %%
import pandas as pd
from sklearn.linear_model import LogisticRegression

THRESHOLD = 0.5
DATA_DIR = "data"
threshold = 0.7
columns = ["x", "y"]
number = len
train = pd.read_csv(DATA_DIR + "/train.csv")
model = LogisticRegression().fit(train[columns], train.label)

# %%
def score(df):  # want NB806[warning]
    return model.predict_proba(df[columns])[:, 1] > threshold

def pure(df, model, cutoff=THRESHOLD):
    return model.predict_proba(df[["x", "y"]])[:, 1] > cutoff

def count_rows(df):
    return number(df)

def select(df, k=3, *rest):  # want NB806[info]
    return df[columns].head(k)

def bump():  # want NB806[warning]
    global counter
    counter = counter + 1
    return counter

counter = 0
print(score(train), pure(train, model), count_rows(train), select(train), bump())
