from fastapi import FastAPI

from app import checks, db, services
from app.config import settings

app = FastAPI(title=settings.title)


@app.get("/")
def root() -> dict[str, str]:
    return {"db": db.engine_url(), "log": services.LOG_LEVEL, "ok": str(checks.READY)}
