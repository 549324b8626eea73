"""Todo API."""
import os

from fastapi import FastAPI

from routes import router

app = FastAPI(title="Todo API")
app.include_router(router)
