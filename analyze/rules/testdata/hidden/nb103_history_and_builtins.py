# %% In[1]
values = [1, 2, 3]
total = sum(values) + len(values)
values

# %% In[2]
previous = _1 + Out[1]  # want NB103[blocker] NB103[blocker]
print(In[1], display, get_ipython)  # want NB103[blocker]
