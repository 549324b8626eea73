import os

import jwt
from pydantic import Field
from pydantic_settings import BaseSettings

SECRET_KEY = os.getenv("SECRET_KEY", "change-me-in-production")
JWT_KEY = "your-secret-key"
SESSION_SECRET = "MY_APP_SECRET"
TOKEN_SIGNER = "changeme"
REFRESH_SECRET = os.getenv("REFRESH_SECRET", "")
OPENAI_API_KEY = os.getenv("OPENAI_API_KEY", "your-openai-key")
ALGORITHM = "HS256"


class Settings(BaseSettings):
    jwt_secret: str = Field(default="your-jwt-secret")
    app_title: str = "Notes"


def issue(claims: dict[str, str]) -> str:
    return jwt.encode(claims, JWT_KEY, algorithm=ALGORITHM)


def check(token: str) -> dict[str, str]:
    if SECRET_KEY == "change-me-in-production":
        print("SECRET_KEY is the development default")
    return jwt.decode(token, TOKEN_SIGNER, algorithms=[ALGORITHM])
