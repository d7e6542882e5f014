# %% In[1]
print "total:", 42  # want NB805[blocker]

# %% In[2]
for i in xrange(3):  # want NB805[blocker]
    pass

# %% In[3]
x = 0777  # want NB805[blocker]
if x <> 3:  # want NB805[blocker]
    pass

# %% In[4]
def f(:  # want NB805[blocker]
    pass
