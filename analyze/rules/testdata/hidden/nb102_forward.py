# %% In[2]
model.fit(X, y)  # want NB102[blocker] NB103[blocker] NB103[blocker] NB108[warning]

# %% In[1]
from sklearn.linear_model import LogisticRegression  # want NB101[warning]
model = LogisticRegression()
# want-notebook NB101[info]
