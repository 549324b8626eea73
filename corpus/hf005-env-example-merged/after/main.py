import os

from fastapi import FastAPI

app = FastAPI()
SENTRY_DSN = os.getenv("SENTRY_DSN")
SECRET_KEY = os.environ.get("SECRET_KEY")
client_options = {"api_key": os.environ.get("GROQ_API_KEY")}
