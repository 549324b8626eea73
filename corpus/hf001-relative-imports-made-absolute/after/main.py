from fastapi import FastAPI

import models
from api import health
from routes import router as notes_router

app = FastAPI(title=models.TITLE)
app.include_router(notes_router)
app.include_router(health.router)
