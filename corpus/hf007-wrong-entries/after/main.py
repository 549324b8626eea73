import asyncio
from typing import Any

from fastapi import FastAPI
from jose import jwt
from sklearn.linear_model import LinearRegression

app = FastAPI()
model = LinearRegression()


@app.get("/token")
async def token() -> dict[str, Any]:
    await asyncio.sleep(0)
    return {"token": jwt.encode({"sub": "x"}, "k", algorithm="HS256")}
