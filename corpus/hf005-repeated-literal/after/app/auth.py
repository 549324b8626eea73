import jwt
from fastapi import APIRouter

from app.config import ALGORITHM
import os

router = APIRouter()


def create_token(data: dict) -> str:
    return jwt.encode(data, os.environ.get("SECRET_KEY"), algorithm=ALGORITHM)


def read_token(token: str) -> dict:
    return jwt.decode(token, os.environ.get("SECRET_KEY"), algorithms=[ALGORITHM])
