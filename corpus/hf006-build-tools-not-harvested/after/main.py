import httpx
from fastapi import FastAPI

app = FastAPI()


@app.get("/status")
def status() -> dict[str, int]:
    return {"ok": httpx.codes.OK}
