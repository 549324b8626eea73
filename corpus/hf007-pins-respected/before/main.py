from fastapi import FastAPI

from ledger.db import engine

app = FastAPI()


@app.get("/health")
def health() -> dict[str, str]:
    return {"db": engine.dialect.name}
