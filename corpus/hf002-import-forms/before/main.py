"""Todo API."""
import os

import uvicorn
from fastapi import FastAPI

from routes import router

app = FastAPI(title="Todo API")
app.include_router(router)

# Local development server.
uvicorn.run(app, host="0.0.0.0", port=int(os.getenv("PORT", "8000")))
