from fastapi import FastAPI

from notes.api import router

app = FastAPI()
app.include_router(router)
