# %%
import os
import sys
sys.path.append("../src")  # want NB607
sys.path.insert(0, os.path.abspath(".."))  # want NB607
import import_ipynb  # want NB607

# %%
%run ./prepare_data.ipynb  # want NB607[warning]
%run helpers.py  # want NB607[info]
%run /home/ana/shared/setup.py  # want NB607[warning]
%store -r features  # want NB607[warning]
%store model  # want NB607[warning]
%store

# %%
exec(open("settings.py").read())  # want NB607
