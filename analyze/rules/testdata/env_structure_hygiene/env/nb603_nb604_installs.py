# %%
!pip install pandas==2.2.2  # want NB603
%pip install requests  # want NB603 NB604[blocker]
!{sys.executable} -m pip install -q "numpy>=1.26"  # want NB603 NB604[blocker]
!pip install -r requirements.txt  # want NB603
!apt-get install -y libgl1  # want NB603
!pip install -U pip  # want NB603
!pip install git+https://github.com/example/tool@0123abcd  # want NB603
!pip install git+https://github.com/example/tool.git  # want NB603 NB604[blocker]
!conda install -y -c conda-forge lightgbm=4.3.0  # want NB603
!conda install -y scikit-learn  # want NB603 NB604[blocker]
!pip install "xgboost==2.0.3" --hash=sha256:0123  # want NB603
!pip install -e .  # want NB603
!pip install {package_name}  # want NB603

# %%
import subprocess
import sys
subprocess.check_call([sys.executable, "-m", "pip", "install", "shap"])  # want NB603 NB604[blocker]
subprocess.run(["ls", "-l"], check=True)

# %%
%%bash  # want NB601[warning]
pip install tqdm==4.66.4  # want NB603
pip install rich  # want NB603 NB604[blocker]
