"""Todo API. Run it with uvicorn, or with hypercorn if you prefer."""
import uvicorn
from fastapi import FastAPI

from app.serve import serve

app = FastAPI()


@app.get("/")
def root() -> dict[str, str]:
    return {"status": "ok"}


uvicorn.run(app, host="0.0.0.0", port=8000)  # uvicorn picks the port here
