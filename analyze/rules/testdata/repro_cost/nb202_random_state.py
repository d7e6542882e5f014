# %%
from sklearn.model_selection import train_test_split, KFold, StratifiedKFold
from sklearn.ensemble import RandomForestClassifier as RF
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
import sklearn.manifold
import pandas as pd

SEED = 7

# %%
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)  # want NB202
ordered = train_test_split(X, y, shuffle=False)
model = RF(n_estimators=100)  # want NB202
seeded = RF(n_estimators=100, random_state=SEED)
km = KMeans(n_clusters=3, random_state=None)  # want NB202
emb = sklearn.manifold.TSNE(n_components=2)  # want NB202

# %%
folds = KFold(n_splits=5)
shuffled = StratifiedKFold(n_splits=5, shuffle=True)  # want NB202
pca_full = PCA(n_components=2, svd_solver="full")
pca_rand = PCA(n_components=2, svd_solver="randomized")  # want NB202
pca_auto = PCA(n_components=2)  # want NB202[info]
pca_variance = PCA(0.95)
pca_all = PCA()
lr = LogisticRegression()
lr_saga = LogisticRegression(solver="saga")  # want NB202
params = {"n_estimators": 10}
unknown = RF(**params)

# %%
train = df.sample(frac=0.8)  # want NB202
df.sample(5)
df.sample(frac=0.1).head()
print(df.sample(3))
shuffled_df = df.sample(frac=1).reset_index(drop=True)  # want NB202
