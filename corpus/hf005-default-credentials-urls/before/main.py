import os

from fastapi import FastAPI

DATABASE_URL = os.getenv("DATABASE_URL", "postgresql://postgres:postgres@localhost/app")
BROKER_URL = "amqp://guest:guest@localhost//"
TEMPLATE_URL = "postgresql://user:password@host:5432/dbname"
CACHE_URL = "sqlite:///./cache.db"

app = FastAPI()
