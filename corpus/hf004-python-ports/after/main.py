import uvicorn
from fastapi import FastAPI

from settings import PORT
import os

app = FastAPI()
config = uvicorn.Config(app, host="0.0.0.0", port=int(os.environ.get("PORT", "8000")))
