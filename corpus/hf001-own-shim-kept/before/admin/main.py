from fastapi import FastAPI

app = FastAPI(title="Admin")


@app.get("/")
def index() -> dict[str, str]:
    return {"service": "admin"}
