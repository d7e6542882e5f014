# %%
def input(prompt):
    return "DE"

country = input("Country code? ")
