# %% In[1]
def scale(values):
    return [v * factor for v in values]

# %% In[2]
factor = 10

# %% In[3]
scaled = scale([1, 2, 3])
