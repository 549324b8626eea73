import os

from decouple import config
from fastapi import FastAPI

os.environ["TOKENIZERS_PARALLELISM"] = "false"

SECRET_KEY = os.getenv("SECRET_KEY")
REDIS_URL = os.environ.get("REDIS_URL")
STRIPE_KEY = config("STRIPE_KEY")
JWT_SECRET = os.getenv("JWT_SECRET")
DEBUG = os.getenv("DEBUG", "false") == "true"
DATABASE_URL = os.getenv("DATABASE_URL", "sqlite:///./app.db")

app = FastAPI(debug=DEBUG)
