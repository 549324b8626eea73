from fastapi import Body, FastAPI
from pydantic import BaseModel, Field

from app import store
from app.config import settings

app = FastAPI()


class Login(BaseModel):
    username: str
    api_key: str = Field(..., examples=["sk-proj-ExAmPlEkEy0123456789abcdefghijklmnop"])

    model_config = {
        "json_schema_extra": {"examples": [{"username": "ana", "api_key": "q9Zx7Lm2Wp4Rt8Kd"}]}
    }


@app.post("/login")
def login(
    body: Login = Body(
        openapi_examples={"ok": {"value": {"username": "ana", "password": "S3cure-Pa55!"}}}
    ),
) -> dict[str, str]:
    store.put(key="conversation-123", value=body.username)
    store.cache.set(key="user-42:session", value="1")
    return {"user": body.username, "env": settings.environment}
