# %%
%load_ext autoreload  # want NB601[info]
%autoreload 2
%matplotlib inline
%load_ext our_team_magics  # want NB601[warning]

# %%
import os
x = 7 % 2
label = "%d%%" % x
%time total = x + 1
%cd data  # want NB601[warning]
%env MODEL_DIR=models  # want NB601[warning]

# %%
%load helpers.py  # want NB601[blocker]
%our_custom_magic --fast  # want NB601[blocker]
get_ipython().events.register("post_run_cell", print)  # want NB601[blocker]
get_ipython().run_line_magic("matplotlib", "inline")
IN_IPYTHON = get_ipython() is not None  # want NB601[warning]

# %%
%%writefile train.py  # want NB601[warning]
print("training")

# %%
%%bash  # want NB601[warning]
echo hello > out.txt
