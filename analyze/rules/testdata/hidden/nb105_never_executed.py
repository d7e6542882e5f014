# %% In[ ]
x = 1
# want-notebook NB105[info]

# %% In[ ]
y = x + 1
