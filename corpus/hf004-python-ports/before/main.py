import uvicorn
from fastapi import FastAPI

from settings import PORT

app = FastAPI()
config = uvicorn.Config(app, host="0.0.0.0", port=8000)
