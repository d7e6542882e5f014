# %%
import boto3
import json
from geopy.geocoders import GoogleV3, Nominatim
import google.generativeai as genai

bedrock = boto3.client("bedrock-runtime")
s3 = boto3.client("s3")
geo = GoogleV3(api_key=KEY)
free_geo = Nominatim(user_agent="demo")
gemini = genai.GenerativeModel("gemini-1.5-flash")

# %%
for doc in docs:  # want NB701
    bedrock.invoke_model(modelId="anthropic.claude-v2", body=json.dumps({"prompt": doc}))
    s3.put_object(Bucket="b", Key=doc, Body=b"")

# %%
df["coords"] = df["address"].apply(lambda a: geo.geocode(a))  # want NB701
df["coords_free"] = df["address"].apply(lambda a: free_geo.geocode(a))

# %%
captions = [gemini.generate_content(p).text for p in prompts]  # want NB701
