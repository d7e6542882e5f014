# %%
import functools
from openai import OpenAI
import anthropic
import pandas as pd

client = OpenAI()
claude = anthropic.Anthropic()
reviews = pd.read_csv("data/reviews.csv")

# %%
def classify(text):
    out = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])
    emb = client.embeddings.create(model="text-embedding-3-small", input=text)
    return out.choices[0].message.content, emb


reviews["label"] = reviews["text"].apply(classify)  # want NB701

# %%
answers = []
for q in reviews["question"]:  # want NB701
    answers.append(claude.messages.create(model="claude-3-5-haiku-latest", max_tokens=100,
                                          messages=[{"role": "user", "content": q}]))

# %%
summaries = [client.responses.create(model="gpt-4o-mini", input=t) for t in reviews["text"]]  # want NB701

# %%
# One request for the whole column: not per row.
batch = client.embeddings.create(model="text-embedding-3-small", input=list(reviews["text"]))

# %%
texts = list(reviews["text"])
vectors = []
for start in range(0, len(texts), 100):
    vectors += client.embeddings.create(model="text-embedding-3-small", input=texts[start:start + 100]).data

# %%
@functools.lru_cache(maxsize=None)
def translate(word):
    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": word}])


reviews["word_fr"] = reviews["word"].map(translate)  # want NB701[info]

# %%
for prompt in ["Say hi", "Say bye"]:  # want NB701[info]
    print(client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}]))
