# %% In[1]
import statistics

# %% In[2]
sample = [1, 2, 3]

# %% In[2]
statistics.mean(sample)  # want NB106[warning]
