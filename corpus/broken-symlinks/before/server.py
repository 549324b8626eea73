import uvicorn
from fastapi import FastAPI


def configure(app: FastAPI) -> None:
    app.title = "demo"


def serve(app: FastAPI) -> None:
    uvicorn.run(app)
