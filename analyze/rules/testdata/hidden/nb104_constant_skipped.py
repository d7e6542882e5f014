# %% In[1]
items = [3, 1, 2]

# %% In[3]
threshold = 0.7

# %% In[2]
kept = [x for x in items if x > threshold]  # want NB101[warning]
# want-notebook NB101[info]
