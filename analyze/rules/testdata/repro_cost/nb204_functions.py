# %%
import datetime as dt
import yfinance as yf

# %%
def as_of():
    return dt.datetime.now()


end = as_of()
start = end - dt.timedelta(days=365)

# %%
prices = yf.download("AAPL", start=start, end=end)  # want NB204

# %%
def label(row):
    return row["due"] < dt.date.today()  # want NB204
