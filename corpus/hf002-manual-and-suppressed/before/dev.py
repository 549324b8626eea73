import uvicorn

from main import app


def dev() -> None:
    uvicorn.run(app, reload=True)  # hffix: ignore[HF002]


def once() -> None:
    print("once"); uvicorn.run(app)
