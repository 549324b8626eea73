import json
import logging
from typing import TYPE_CHECKING

import jwt
import yaml
from fastapi import FastAPI, Form
from pydantic import BaseModel, EmailStr

from app.routers import items

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

try:
    import ujson as fast_json
except ImportError:
    fast_json = json

logger = logging.getLogger(__name__)
app = FastAPI()
app.include_router(items.router)


class Signup(BaseModel):
    email: EmailStr


@app.post("/login")
def login(username: str = Form(...)) -> dict[str, str]:
    return {"token": jwt.encode({"sub": username}, "dev", algorithm="HS256")}


@app.get("/config")
def config() -> dict[str, object]:
    return yaml.safe_load("debug: false")
