from fastapi import FastAPI

TITLE = "Polls"
VOTES: dict[str, int] = {}

app = FastAPI(title=TITLE)

from routers import polls  # noqa: E402  (polls imports TITLE and VOTES from main)

app.include_router(polls.router)


@app.get("/")
def index() -> dict[str, str]:
    return {"service": TITLE}
