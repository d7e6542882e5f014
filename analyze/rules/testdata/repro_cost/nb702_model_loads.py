# %%
import joblib
import pickle
import torch
from transformers import pipeline

# %%
def score(row):
    model = joblib.load("models/churn_model.joblib")  # want NB702
    return model.predict([row.values])[0]


customers["churn"] = customers.apply(score, axis=1)  # want NB704

# %%
for text in texts:
    clf = pipeline("sentiment-analysis", model="org/sentiment", revision="abcdef1")  # want NB702
    print(clf(text))

# %%
models = {}
for name in ["a", "b", "c"]:
    models[name] = joblib.load(f"models/{name}_model.pkl")  # want NB702[info]

# %%
batches = []
for i in range(1, 6):
    with open(f"data/batch_{i}.pkl", "rb") as f:
        batches.append(pickle.load(f))

# %%
model = torch.load("checkpoints/best.pt")
preds = [model(x) for x in loader]


def predict_once(x):
    m = joblib.load("models/other_model.joblib")
    return m.predict(x)


result = predict_once(X)
