import time

from fastapi import FastAPI

status = FastAPI(title="Reminders status")


@status.get("/")
def index() -> dict[str, str]:
    return {"service": "reminders"}


if __name__ == "__main__":
    while True:
        time.sleep(60)
