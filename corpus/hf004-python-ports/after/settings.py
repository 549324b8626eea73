import os

from pydantic import BaseModel
from pydantic_settings import BaseSettings

PORT = int(os.environ.get("PORT", "8000"))
API_PORT: int = int(os.environ.get("PORT", "8080"))
HEALTH_PORT = int(os.getenv("PORT", "7860"))
DB_PORT = 5432
REDIS_PORT = 6379
SMTP_PORT = "587"


class ServerOptions(BaseModel):
    host: str = "0.0.0.0"
    port: int = int(os.environ.get("PORT", "8000"))


class Settings(BaseSettings):
    port: int = 8000
    postgres_port: int = 5432
