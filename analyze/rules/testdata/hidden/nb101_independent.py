# %% In[1]
import math

# %% In[3]
radius = 2.0
area = math.pi * radius ** 2

# %% In[2]
greeting = "hello"  # want NB101[info]
# want-notebook NB101[info]
