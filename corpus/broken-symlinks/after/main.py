from fastapi import FastAPI

from server import configure

app = FastAPI()
configure(app)


@app.get("/")
def root() -> dict[str, str]:
    return {"status": "ok"}
