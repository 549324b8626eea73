import os

from fastapi import FastAPI

PORT = int(os.environ.get("PORT", "7860"))
DB_PORT = 5432
app = FastAPI()
