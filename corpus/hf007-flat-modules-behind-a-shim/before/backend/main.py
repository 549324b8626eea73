import config
import db
from routes import router
from fastapi import FastAPI

app = FastAPI(title=config.TITLE)
app.include_router(router)
