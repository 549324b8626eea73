import httpx
from fastapi import FastAPI

app = FastAPI()


@app.get("/")
def root() -> dict[str, int]:
    return {"ok": httpx.codes.OK}
