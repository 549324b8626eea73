from fastapi import FastAPI

from signup.models import Signup
from signup.settings import settings

app = FastAPI(title=settings.app_name)


@app.post("/signup")
def signup(body: Signup) -> dict[str, str]:
    return {"user": body.username}
