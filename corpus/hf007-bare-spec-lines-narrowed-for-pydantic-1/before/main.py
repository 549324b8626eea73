from fastapi import FastAPI
from pydantic import BaseSettings


class Settings(BaseSettings):
    feed_url: str = "https://feeds.example.org/rss"


settings = Settings()
app = FastAPI()


@app.get("/feed")
def feed() -> dict[str, str]:
    return {"url": settings.feed_url}
