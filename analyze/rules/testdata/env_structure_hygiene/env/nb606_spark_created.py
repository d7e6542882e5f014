# %%
from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
sc = spark.sparkContext
df = spark.read.parquet("data/events.parquet")
counts = sc.parallelize([1, 2, 3]).count()
