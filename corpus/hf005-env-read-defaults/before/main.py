import os

from decouple import config
from fastapi import FastAPI

os.environ["OPENAI_API_KEY"] = "sk-proj-FAKEECcNQf2suOoOOsgAwpIYiIP9K2zzSxxnF1eKUpTXYgwM"
os.environ.setdefault("HF_TOKEN", "hf_FAKEOkSWPJJAVepElDtJpJPityTDrmIwMk")
os.environ["TOKENIZERS_PARALLELISM"] = "false"

SECRET_KEY = os.getenv("SECRET_KEY", "k3y-for-signing-tokens!")
REDIS_URL = os.environ.get("REDIS_URL", default="redis://:FAKEr3disPa55@cache.fake-host.io:6379/0")
STRIPE_KEY = config("STRIPE_KEY", default="sk_live_FAKEVdHnOm27ZrE2ke02Ne6gfEHUZIGUdIKSxr2Hv9Y1")
JWT_SECRET = os.getenv("JWT_SECRET") or "fallback-s3cret-FAKE-42"
DEBUG = os.getenv("DEBUG", "false") == "true"
DATABASE_URL = os.getenv("DATABASE_URL", "sqlite:///./app.db")

app = FastAPI(debug=DEBUG)
