import httpx
from fastapi import FastAPI

app = FastAPI()


@app.get("/inbox")
async def inbox() -> dict[str, int]:
    return {"status": httpx.codes.OK}
