import os

from fastapi import FastAPI

app = FastAPI(title="Notes")


@app.get("/")
def root() -> dict[str, str]:
    # Health check used by the frontend.
    return {"status": "ok"}


# ---------------------------------------------------------------------------
