# %%
from __future__ import annotations
import os
from checker import binder
binder.bind(globals())

# %%
answer = 42
