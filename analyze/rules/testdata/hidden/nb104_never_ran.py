# %% In[ ]
df = load()  # want NB103[blocker] NB105[warning]

# %% In[7]
df.shape  # want NB104[warning] NB107[info]
