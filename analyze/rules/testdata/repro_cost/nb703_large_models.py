# %%
from transformers import AutoModelForCausalLM, AutoTokenizer, BitsAndBytesConfig

# %%
tok = AutoTokenizer.from_pretrained("meta-llama/Llama-2-13b-chat-hf", revision="abc1234")
llm = AutoModelForCausalLM.from_pretrained("meta-llama/Llama-2-13b-chat-hf", revision="abc1234")  # want NB703
again = AutoModelForCausalLM.from_pretrained("meta-llama/Llama-2-13b-chat-hf", revision="abc1234")

# %%
small = AutoModelForCausalLM.from_pretrained("org/tiny-1.5b", revision="abc1234")
quant = AutoModelForCausalLM.from_pretrained("org/phi-3b", revision="abc1234",  # want NB703
                                             quantization_config=BitsAndBytesConfig(load_in_4bit=True))
spread = AutoModelForCausalLM.from_pretrained("org/mid-model", revision="abc1234", device_map="auto")  # want NB703
