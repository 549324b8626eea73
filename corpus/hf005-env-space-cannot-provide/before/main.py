from fastapi import FastAPI

import settings
from keys import OPENAI_API_KEY, SECRET_KEY

app = FastAPI(debug=settings.DEBUG)


@app.get("/")
def root() -> dict[str, bool]:
    return {"keys": bool(SECRET_KEY and OPENAI_API_KEY)}
