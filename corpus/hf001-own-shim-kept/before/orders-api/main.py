from fastapi import FastAPI

app = FastAPI(title="Orders")


@app.get("/")
def index() -> dict[str, str]:
    return {"service": "orders"}
