import threading

import uvicorn

from main import app


def start_in_thread() -> threading.Thread:
    thread = threading.Thread(target=lambda: uvicorn.run(app), daemon=True)
    thread.start()
    return thread


def start_blocking() -> None:
    return uvicorn.run(app)
