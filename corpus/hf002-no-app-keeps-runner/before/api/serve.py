import uvicorn
from fastapi import FastAPI

app = FastAPI()


@app.get("/notes")
def notes() -> list[str]:
    return []


def start_api() -> None:
    uvicorn.run(app, host="0.0.0.0", port=8080)


if __name__ == "__main__":
    start_api()
