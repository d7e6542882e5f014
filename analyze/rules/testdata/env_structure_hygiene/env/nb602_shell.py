# %%
!ls -la data  # want NB602[info]
!nvidia-smi  # want NB706[info]
files = !ls data
!pip list

# %%
!mkdir -p data/raw  # want NB602[warning]
!wget -q https://example.org/sales.csv -O data/raw/sales.csv  # want NB602[warning]
!aws s3 cp s3://bucket/key.csv data/raw/  # want NB602[warning]
!echo done > data/raw/READY  # want NB602[warning]
!pip install requests==2.31.0  # want NB603

# %%
%%bash  # want NB601[warning]
ls data

# %%
%%sx  # want NB602[warning]
ls -l
