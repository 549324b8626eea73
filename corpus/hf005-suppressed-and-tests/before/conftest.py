import os

os.environ["OPENAI_API_KEY"] = "sk-proj-FAKEECcNQf2suOoOOsgAwpIYiIP9K2zzSxxnF1eKUpTXYgwM"
