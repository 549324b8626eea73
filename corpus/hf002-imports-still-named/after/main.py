"""Todo API. Run it with uvicorn, or with hypercorn if you prefer."""
from fastapi import FastAPI

from app.serve import serve

app = FastAPI()


@app.get("/")
def root() -> dict[str, str]:
    return {"status": "ok"}
