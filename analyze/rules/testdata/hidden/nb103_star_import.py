# %% In[1]
from math import *  # want NB103[info]

# %% In[2]
area = pi * radius ** 2
