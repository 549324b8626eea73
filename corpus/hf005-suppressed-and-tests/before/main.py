from fastapi import FastAPI

app = FastAPI()
DEMO_KEY = "sk-proj-FAKEECcNQf2suOoOOsgAwpIYiIP9K2zzSxxnF1eKUpTXYgwM"  # hffix: ignore[HF005]
SAMPLE_TOKEN = "hf_FAKEOkSWPJJAVepElDtJpJPityTDrmIwMk"  # pragma: allowlist secret
# pragma: allowlist nextline secret
FIXTURE_PASSWORD = "FAKE-Pa55word-for-docs"
