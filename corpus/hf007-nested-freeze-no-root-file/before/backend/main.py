import httpx
from fastapi import FastAPI

app = FastAPI()


@app.get("/ping")
def ping() -> dict[str, int]:
    return {"status": httpx.codes.OK}
