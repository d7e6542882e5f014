# %%
from getpass import getpass
import ipywidgets as widgets
from ipywidgets import interact
from tqdm.notebook import tqdm  # want NB904[info]

country = input("Country code? ")  # want NB904[blocker]
password = getpass("Password: ")  # want NB904[blocker]

# %%
@interact  # want NB904[blocker]
def show(n=5):
    print(n)

interact(show, n=(1, 10))  # want NB904[blocker]
slider = widgets.IntSlider()
slider.observe(print, names="value")  # want NB904[blocker]
for i in tqdm(range(3)):
    pass
