# %%
# want-notebook NB905
import pandas as pd
