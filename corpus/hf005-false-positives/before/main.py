"""Auth service. Set OPENAI_API_KEY="sk-..." in the environment."""
import os

from fastapi import FastAPI
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer
from pydantic import BaseModel, Field

SECRET_KEY = os.environ.get("SECRET_KEY")
OPENAI_API_KEY = os.getenv("OPENAI_API_KEY", "")
ANTHROPIC_API_KEY = "<your-key>"
HF_TOKEN = "your_hf_token_here"
STRIPE_SECRET_KEY = "${STRIPE_SECRET_KEY}"
GITHUB_TOKEN = "xxx"
PLACEHOLDER_KEY = "sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
ADMIN_PASSWORD = ""
DATABASE_URL = "sqlite:///./app.db"
TEMPLATE_DATABASE_URL = "postgresql://user:password@host:5432/dbname"
ALGORITHM = "HS256"
TOKEN_URL = "/auth/token"
ACCESS_TOKEN_EXPIRE_MINUTES = 30
REFRESH_TOKEN_EXPIRE_DAYS = "7"
OPENAI_MODEL = "gpt-4o-mini"
EMBEDDING_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
JWT_PUBLIC_KEY = "-----BEGIN PUBLIC KEY-----\nMIIBFAKE\n-----END PUBLIC KEY-----"
STRIPE_PUBLISHABLE_KEY = "pk_live_FAKE51HqLyjWDarjtT1zdp7dc0123456789"
GOOGLE_CLIENT_ID = "1234567890-fake.apps.googleusercontent.com"
API_KEY_NAME = "X-API-Key"
TOKEN_TYPE = "bearer"
CACHE_KEY = "users:all"
SESSION_COOKIE_NAME = "session"
PASSWORD_MIN_LENGTH = 8

app = FastAPI()
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")
api_key_header = APIKeyHeader(name=API_KEY_NAME)


class UserCreate(BaseModel):
    email: str = Field(..., examples=["user@example.com"])
    password: str = Field(..., min_length=8, examples=["S3cureP@ssw0rd!"])

    model_config = {
        "json_schema_extra": {"example": {"email": "a@b.co", "password": "Sup3rS3cret!"}}
    }


@app.post("/token")
def login(username: str, password: str):
    if password != os.environ.get("ADMIN_PASSWORD"):
        raise ValueError("Incorrect username or password")
    return {"access_token": username, "token_type": "bearer"}
