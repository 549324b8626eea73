import uvicorn
from fastapi import FastAPI

app = FastAPI(title="users")


@app.get("/users")
def users() -> list[str]:
    return ["ada"]


def serve() -> None:
    uvicorn.run(app, host="0.0.0.0", port=8002)


if __name__ == "__main__":
    serve()
