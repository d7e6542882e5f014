# %%
import numpy as np
from xgboost import XGBClassifier
from lightgbm import LGBMRegressor
from catboost import CatBoostClassifier
from sklearn.ensemble import *

# %%
xgb = XGBClassifier(n_estimators=50)  # want NB202[info]
xgb2 = XGBClassifier(n_estimators=80)
lgbm = LGBMRegressor()  # want NB202[info]
cat = CatBoostClassifier(iterations=10)  # want NB202[info]
cat_seeded = CatBoostClassifier(iterations=10, random_seed=1)

# %%
np.random.seed(42)
forest = ExtraTreesClassifier()  # want NB202[info]
