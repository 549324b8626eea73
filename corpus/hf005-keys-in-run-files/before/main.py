import os

from fastapi import FastAPI

app = FastAPI()


@app.get("/")
def index() -> dict[str, str]:
    return {"model": os.environ.get("MODEL_NAME", "tiny")}
