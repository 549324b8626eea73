from fastapi import FastAPI

from .routes import router

app = FastAPI(title="Todo")
app.include_router(router)
