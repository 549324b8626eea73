from fastapi import FastAPI

from app.core.config import TITLE

app = FastAPI(title=TITLE)


@app.get("/")
def root() -> dict[str, str]:
    return {"title": TITLE}
