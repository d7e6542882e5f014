# %%
from tensorflow.keras import layers, Sequential
import tensorflow as tf

# %%
model = Sequential([layers.Dense(8, activation="relu"), layers.Dense(1)])  # want NB201
noise = tf.random.normal([3], seed=5)
