# %% In[1]
scores = [0.2, 0.6, 0.9]

# %% In[4]
threshold = max(scores) * 0.7

# %% In[3]
flagged = [s for s in scores if s > threshold]  # want NB104[warning] NB101[warning] NB107[info]
# want-notebook NB101[info]
