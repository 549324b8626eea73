import jwt
from fastapi import APIRouter

from app.config import ALGORITHM

router = APIRouter()


def create_token(data: dict) -> str:
    return jwt.encode(data, "s1gn1ng-K3y-FAKE-2024!", algorithm=ALGORITHM)


def read_token(token: str) -> dict:
    return jwt.decode(token, "s1gn1ng-K3y-FAKE-2024!", algorithms=[ALGORITHM])
