from fastapi import FastAPI

app = FastAPI(title="Chat")


@app.get("/")
def index() -> dict[str, str]:
    return {"service": "chat"}


@app.post("/messages")
def post_message(text: str) -> dict[str, str]:
    return {"echo": text}
