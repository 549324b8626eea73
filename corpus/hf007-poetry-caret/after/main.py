from fastapi import FastAPI
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    title: str = "Notes"


settings = Settings()
app = FastAPI(title=settings.title)


@app.get("/")
def root() -> dict[str, str]:
    return {"status": "ok"}
