# %% In[1]
def scale(values):
    return [v * factor for v in values]

# %% In[2]
scaled = scale([1, 2, 3])  # want NB102[blocker]

# %% In[3]
factor = 10
