# %% In[1]
data = [3, None, 1]

# %% In[ ]
data = [x for x in data if x is not None]  # want NB105[warning] NB108[info]

# %% In[ ] tags=["skip-execution"]
print("optional")

# %% In[2]
total = sum(data)  # want NB104[warning]

# %% In[ ]
print(total)  # want NB105[info]
