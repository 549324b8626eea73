import os

import jwt
from fastapi import FastAPI

app = FastAPI()


@app.get("/token")
def token() -> dict[str, str]:
    key = os.environ.get("JWT_KEY", "")
    return {"token": jwt.encode({"sub": "demo"}, key, algorithm="HS256")}
