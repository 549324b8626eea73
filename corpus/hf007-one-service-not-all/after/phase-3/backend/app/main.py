from fastapi import FastAPI

from app.db import engine

app = FastAPI(title="phase 3")


@app.get("/tasks")
def tasks() -> list[str]:
    return [str(engine.url)]
