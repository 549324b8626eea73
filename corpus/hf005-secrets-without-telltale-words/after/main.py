from fastapi import FastAPI

from database import connect
from mail import send_report
from signing import serializer
from uploads import UPLOAD_SIGNATURE

app = FastAPI()


@app.get("/")
def index() -> dict[str, str]:
    return {"status": "ok"}
